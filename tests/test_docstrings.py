"""Docstrings are written for the API reference page, which renders them as Markdown.

mkdocstrings reads them in Google style (mkdocs.yml): a Sphinx role such as
``:func:`train``` or a ``.. math::`` directive would reach the reader as raw
text. Cross-references are autorefs links (``[`train`][]``), formulas are
``$…$`` and ``$$…$$`` for the site's KaTeX.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "autograd_guide"

#: Sphinx roles (``:func:`x```, ``:py:class:`x```) and directives (``.. math::``).
SPHINX = re.compile(r"(?<![\w`]):(?:[a-z]+:)?[a-z]+:`|^\s*\.\. [a-z-]+::|\w::\s*$", re.M)


def docstrings(path: Path) -> list[tuple[int, str]]:
    """Every docstring in a module (module, classes, functions), with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(
            node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
        ) and (text := ast.get_docstring(node, clean=False)):
            found.append((getattr(node, "lineno", 1), text))
    return found


@pytest.mark.parametrize("path", sorted(SRC.glob("*.py")), ids=lambda p: p.name)
def test_no_sphinx_markup_in_docstrings_or_comments(path: Path) -> None:
    left = [
        f"{path.name}:{line}: {match.group(0).strip()!r}"
        for line, text in docstrings(path)
        for match in SPHINX.finditer(text)
    ]
    # ``#:`` comments are Sphinx's attribute docs; their roles would be raw text too.
    left += [
        f"{path.name}:{number}: {line.strip()!r}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.lstrip().startswith("#") and SPHINX.search(line)
    ]
    assert left == []


def test_the_pattern_catches_what_sphinx_writes() -> None:
    for markup in [":func:`train`", ":class:`~a.B`", ":math:`h^2`", ":py:meth:`x`"]:
        assert SPHINX.search(f"see {markup} here"), markup
    assert SPHINX.search("The central difference\n\n.. math:: f(x)\n")
    assert SPHINX.search("the seed's numpy code::\n\n    x = 1\n")
    for markdown in ["[`train`][]", "$h^2$", "a dict: {1: 2}", "``x[:, 0]``", "see: `x`"]:
        assert not SPHINX.search(markdown), markdown
