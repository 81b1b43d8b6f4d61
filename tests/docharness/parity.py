"""What must match between a page and its zh-TW twin: code (less comments) and outputs.

Comments may differ, and so may the words of string literals: a zh-TW page
prints its labels in Chinese ("loss after 5 steps" → "5 步之後的損失"). What may
not differ is everything else: the code's structure, every expression inside an
f-string, every number inside a literal, and the outputs, except where a label
the code translates shows up in them. So a twin's output must be the English
output with the page's translated labels put in, character for character, and
both still run and print their own output blocks (the Sybil check).
"""

from __future__ import annotations

import ast
import importlib.util
import io
import re
import sys
import tokenize
from pathlib import Path
from types import ModuleType

from .fences import Block, blocks_of

#: ``name.zh-TW.md`` and other suffixed translations of ``name.md``.
TRANSLATION_SUFFIX = re.compile(r"\.[a-z]{2}(-[A-Za-z]{2,4})?\.md$")


def code_without_comments(source: str) -> str:
    """Python source with comments and blank lines removed, for comparison."""
    try:
        tokens = [
            t
            for t in tokenize.generate_tokens(io.StringIO(source).readline)
            if t.type != tokenize.COMMENT
        ]
        source = tokenize.untokenize(tokens)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return "\n".join(line.rstrip() for line in source.splitlines() if line.strip())


#: A piece of a literal a translation may change: it holds a letter (not only
#: punctuation, spaces or digits, which tensor reprs and tables share).
WORDS = re.compile(r"[A-Za-z]")
NUMBERS = re.compile(r"\d+(?:\.\d+)?")


class _Blank(ast.NodeTransformer):
    """Every string constant emptied, so that two trees compare by their structure."""

    def visit_Constant(self, node: ast.Constant) -> ast.Constant:
        return ast.Constant("") if isinstance(node.value, str) else node


def _strings(tree: ast.AST) -> list[str]:
    return [
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def translated_strings(english: str, chinese: str) -> dict[str, str] | None:
    """English → translated pieces of the string literals two blocks differ by.

    ``None`` when the blocks differ in anything but those words: structure,
    names, numbers, f-string fields, or a literal without a letter.
    """
    try:
        ours, theirs = ast.parse(english), ast.parse(chinese)
    except SyntaxError:
        return None
    structure = [ast.dump(_Blank().visit(ast.parse(source))) for source in (english, chinese)]
    if structure[0] != structure[1]:
        return None
    pairs = {}
    for a, b in zip(_strings(ours), _strings(theirs), strict=True):
        if a == b:
            continue
        if not WORDS.search(a) or NUMBERS.findall(a) != NUMBERS.findall(b):
            return None
        pairs[a] = b
    return pairs


def with_translations(output: str, translations: dict[str, str]) -> str:
    """*output* with every English piece replaced by its translation, longest first."""
    if not translations:
        return output
    pieces = re.compile("|".join(map(re.escape, sorted(translations, key=len, reverse=True))))
    return pieces.sub(lambda m: translations[m[0]], output)


def comparable(block: Block) -> tuple[str, frozenset[str], str]:
    """The parts of a block that translation must not change."""
    language = block.info.language
    body = code_without_comments(block.source) if language == "python" else block.source.strip()
    return language, block.info.classes, body


def english_pages(docs: Path) -> list[Path]:
    return sorted(p for p in docs.rglob("*.md") if not TRANSLATION_SUFFIX.search(p.name))


def _languages() -> ModuleType:
    """hooks/languages.py, loaded by path as tests/repo_modules.py loads it."""
    name = "repo_hooks_languages"
    if name not in sys.modules:
        path = Path(__file__).resolve().parents[2] / "hooks" / "languages.py"
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def twin_of(page: Path, locale: str | None = None) -> Path:
    """A page's translation into *locale*; by default the first translation that
    mkdocs.yml's i18n plugin lists (the one written by hand next to each page)."""
    locale = locale or _languages().translations()[0]
    return page.with_name(f"{page.stem}.{locale}.md")


def parity_problems(english: Path, chinese: Path) -> list[str]:
    """Differences between the blocks of two pages, as readable sentences."""
    if not chinese.exists():
        locale = chinese.name.removesuffix(".md").rpartition(".")[2]
        return [f"{english} has no {locale} twin {chinese.name}"]
    ours, theirs = blocks_of(english), blocks_of(chinese)
    problems = []
    translations: dict[str, str] = {}  # the page's labels so far, as its code prints them
    for index, (a, b) in enumerate(zip(ours, theirs, strict=False), start=1):
        if comparable(a) == comparable(b) and (a.info.language != "text" or not translations):
            continue
        same_kind = (a.info.language, a.info.classes) == (b.info.language, b.info.classes)
        if same_kind and a.info.language == "python":
            labels = translated_strings(
                code_without_comments(a.source), code_without_comments(b.source)
            )
            if labels is not None:
                translations.update(labels)
                continue
        elif (
            same_kind
            and a.info.language == "text"
            and with_translations(a.source.strip(), translations) == b.source.strip()
        ):
            continue
        problems.append(
            f"block {index} differs: {english.name} line {a.line} vs {chinese.name} line {b.line}"
        )
    if len(ours) != len(theirs):
        problems.append(f"{english.name} has {len(ours)} blocks, {chinese.name} has {len(theirs)}")
    return problems
