"""MkDocs hook: typeset every formula at build time with the vendored KaTeX.

pymdownx.arithmatex (generic mode) leaves each formula as TeX in an
``.arithmatex`` element: ``\\( … \\)`` in a ``<span>``, ``\\[ … \\]`` in a
``<div>``. Typesetting them in the reader's browser cost the long chapters a
long task of up to half a second on a phone (Lighthouse's Total Blocking Time)
and 75 KB of script. The same KaTeX (``docs/assets/vendor/katex/katex.min.js``)
runs here instead, in V8 through mini-racer, once per formula; the page ships
the finished HTML and only KaTeX's stylesheet and fonts. Formulas also show
with JavaScript off and on paper.

A formula KaTeX cannot parse stops the build with the page, the formula and
KaTeX's message, instead of showing up as red text for a reader.

The ``.arithmatex`` element stays around the output, so styles and the browser
tests still find each formula.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

#: KaTeX's build, the one the site used to load in the browser.
KATEX_JS = Path(__file__).resolve().parent.parent / "docs/assets/vendor/katex/katex.min.js"

#: An arithmatex element and its TeX (HTML-escaped, with its delimiters).
FORMULA = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)

#: Delimiters arithmatex writes, and whether they mean a display formula.
DELIMITERS = {("\\(", "\\)"): False, ("\\[", "\\]"): True, ("$$", "$$"): True, ("$", "$"): False}


class FormulaError(ValueError):
    """A formula that KaTeX rejects, or one without delimiters."""


@cache
def _katex() -> Any:
    from py_mini_racer import MiniRacer

    context = MiniRacer()
    context.eval(KATEX_JS.read_text(encoding="utf-8"))
    return context


def split_delimiters(text: str) -> tuple[str, bool]:
    """The TeX inside a formula's delimiters, and whether it is a display formula."""
    text = text.strip()
    for (left, right), display in DELIMITERS.items():
        if text.startswith(left) and text.endswith(right) and len(text) >= len(left + right):
            return text[len(left) : len(text) - len(right)], display
    raise FormulaError(f"expected a formula inside \\( \\) or \\[ \\], got {text!r}")


def render(tex: str, display: bool) -> str:
    """KaTeX's HTML (with MathML for screen readers) for one formula."""
    from py_mini_racer import JSEvalException

    try:
        return _katex().call(
            "katex.renderToString", tex, {"displayMode": display, "throwOnError": True}
        )
    except JSEvalException as error:
        message = str(error).splitlines()[0].removeprefix("<anonymous>:1: ")
        raise FormulaError(f"{message} in {tex!r}") from None


def typeset(page_html: str) -> str:
    """Every arithmatex formula of a page, typeset in place."""

    def replace(match: re.Match[str]) -> str:
        tag, source = match.groups()
        tex, display = split_delimiters(html.unescape(source))
        return f'<{tag} class="arithmatex">{render(tex, display)}</{tag}>'

    return FORMULA.sub(replace, page_html)


def on_post_page(output: str, page: Any, **_: Any) -> str:
    try:
        return typeset(output)
    except FormulaError as error:
        message = f"KaTeX cannot typeset a formula on {page.file.src_uri}: {error}"
        raise PluginError(message) from None
