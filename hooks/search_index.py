"""MkDocs hook: one search index per language, with formulas as readable text.

Material writes one ``search/search_index.json`` for the whole site, and
mkdocs-static-i18n fills it with every language's pages, so the Chinese search
box answered with English pages and the reverse (static-i18n cannot do better:
Material has one index address). Here, once the merged index is written, it is
split by the language folder of each entry: the default language's pages stay
in ``search/search_index.json``, each other language's go to
``<locale>/search/search_index.json``. ``overrides/partials/search-on-demand.html``
makes a page ask for its own language's file.

Formulas reach the index as arithmatex's TeX (``\\(\\partial g / \\partial x\\)``),
which search results showed as snippets. Each one is replaced by a plain-text
reading made from KaTeX's MathML (``∂g/∂x``): a reader sees text, and can find
it by the symbols the page shows.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from mkdocs.plugins import event_priority

KATEX_JS = Path(__file__).resolve().parent.parent / "docs/assets/vendor/katex/katex.min.js"
INDEX = Path("search") / "search_index.json"

#: A formula as it sits in the index's (HTML-escaped) text: inline or display.
FORMULA = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]", re.S)

MATHML = "{http://www.w3.org/1998/Math/MathML}"
SUPERSCRIPTS = str.maketrans("0123456789+-−=()niT⊤′″", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱᵀᵀ′″")
SUBSCRIPTS = str.maketrans("0123456789+-−=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")
#: Operators that read better with a space on each side.
RELATIONS = set("=≈≠<>≤≥←→↦∼∈")
#: Invisible operators (function application, invisible times) and stretchy braces.
SILENT = {"\u2061", "\u2062", "\u2063", "⏟", "⏞"}


@cache
def _katex() -> Any:
    from py_mini_racer import MiniRacer

    context = MiniRacer()
    context.eval(KATEX_JS.read_text(encoding="utf-8"))
    return context


def _script(text: str, table: dict[int, int], mark: str) -> str:
    """``x²`` when every character has a Unicode super/subscript, else ``x^(…)``."""
    text = text.replace(" ", "")
    if text and all(ord(c) in table for c in text):
        return text.translate(table)
    return mark + _grouped(text)


def _grouped(text: str) -> str:
    """Parentheses around a fraction's part or a script when it holds an operator."""
    return f"({text})" if re.search(r"[\s+\-−=⋅·×/,]", text) else text


def _read(element: ElementTree.Element) -> str:
    """A MathML element as a line of plain text."""
    tag = element.tag.removeprefix(MATHML)
    children = list(element)
    if tag == "annotation":
        return ""
    if tag in {"mi", "mn", "mo", "mtext", "ms"}:
        text = "".join(element.itertext())
        if text in SILENT:
            return ""
        return f" {text} " if tag == "mo" and text in RELATIONS else text
    if tag == "mspace":
        return " "
    parts = [_read(child) for child in children]
    if tag == "mfrac" and len(parts) == 2:
        return f"{_grouped(parts[0].strip())}/{_grouped(parts[1].strip())}"
    # KaTeX may give a script more than one child (λ_max: "max" and U+2061).
    if tag == "msup" and len(parts) >= 2:
        return parts[0] + _script("".join(parts[1:]).strip(), SUPERSCRIPTS, "^")
    if tag == "msub" and len(parts) >= 2:
        return parts[0] + _script("".join(parts[1:]).strip(), SUBSCRIPTS, "_")
    if tag == "msubsup" and len(parts) == 3:
        return (
            parts[0]
            + _script(parts[1].strip(), SUBSCRIPTS, "_")
            + _script(parts[2].strip(), SUPERSCRIPTS, "^")
        )
    if tag in {"munder", "mover", "munderover"} and parts:
        base, *marks = parts
        if element.get("accent") == "true" and marks == ["^"]:
            return base + "\u0302"  # ŷ
        if element.get("accent") == "true" and marks in (["ˉ"], ["‾"], ["¯"]):
            return base + "\u0304"  # x̄
        return base + "".join(f" ({m.strip()})" for m in marks if m.strip())
    if tag == "msqrt":
        return "√" + _grouped("".join(parts).strip())
    if tag == "mtd":
        return "".join(parts).strip()
    if tag == "mtr":
        return " ".join(p for p in parts if p)
    if tag == "mtable":
        return "; ".join(p for p in parts if p)
    return "".join(parts)


def plain(tex: str) -> str:
    """A formula as text: ``\\partial g / \\partial x = -3`` becomes ``∂g/∂x = −3``."""
    # hooks/katex_render.py has already stopped the build on a formula KaTeX rejects.
    mathml = _katex().call("katex.renderToString", tex, {"output": "mathml"})
    mathml = mathml.removeprefix('<span class="katex">').removesuffix("</span>")
    text = _read(ElementTree.fromstring(mathml.replace("&nbsp;", "\u00a0")))
    return re.sub(r"\s+", " ", text).strip()


def plain_formulas(text: str) -> str:
    """Every formula of an index entry's (HTML-escaped) text, as escaped plain text."""

    def replace(match: re.Match[str]) -> str:
        tex = html.unescape(match.group(1) or match.group(2))
        return html.escape(plain(tex), quote=False)

    return FORMULA.sub(replace, text)


#: A glossary row's link to the chapter that explains the term.
CHAPTER_LINK = re.compile(r"\]\(([\w-]+)\.md\)")


def glossary_terms(glossary: str, columns: int = 1) -> dict[str, list[str]]:
    """Page URL → the terms the glossary says that page explains.

    A row's first cell is the term in the glossary's language, the second the
    English one on the Chinese glossary (*columns* 2: zh-TW readers type English
    terms too). ``a / b``, ``a, b`` and ``a (b)`` are separate terms.
    """
    terms: dict[str, list[str]] = {}
    for row in glossary.splitlines():
        cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
        link = CHAPTER_LINK.search(cells[-1]) if len(cells) >= 4 else None
        if link is None:
            continue
        page = "" if link.group(1) == "index" else f"{link.group(1)}/"
        for cell in cells[:columns]:
            for term in re.split(r"\s*[/／,、（()）]\s*", cell):
                if term and "`" not in term and term not in terms.setdefault(page, []):
                    terms[page].append(term)
    return terms


CJK = re.compile(r"[\u4e00-\u9fff]")


def owned_elsewhere(terms: dict[str, list[str]]) -> dict[str, list[str]]:
    """*terms* less the tags that would take another page's term from it.

    Material's search matches the start of a word and ranks a tag far above all
    else. So "gradient clipping" and "vanishing gradient" as tags of the chapter
    on broken gradients put it before the chapter that explains "gradient" for a
    reader who typed just that, and 反向模式 put the forward-mode chapter before
    the one on 反向傳播 (the query matches its first two characters). A page keeps
    its first term (its subject: "gradient descent" stays), loses a term that
    starts like another page's subject (Chinese: its first two characters) or
    with a one-word term of another page, and keeps only one term that has such
    a word in it. A term left out still finds its page through title and text.
    """
    subjects = {page_terms[0]: page for page, page_terms in terms.items() if page_terms}
    one_word = {t: page for page, page_terms in terms.items() for t in page_terms if " " not in t}

    def collides(term: str, page: str) -> bool:
        own_prefix = term[:2] in terms[page]  # 梯度累積 on the page that explains 梯度
        if CJK.match(term) and not own_prefix:
            for other, owner in subjects.items():
                if owner != page and CJK.match(other) and term[:2] == other[:2]:
                    return True
        first = re.split(r"[\s–]+", term)[0]
        return any(owner != page and first == other != term for other, owner in one_word.items())

    kept: dict[str, list[str]] = {}
    for page, page_terms in terms.items():
        kept[page], words_used = page_terms[:1], set()
        for term in page_terms[1:]:
            if collides(term, page):
                continue
            words = set(re.split(r"[\s–]+", term)) & {w for w, o in one_word.items() if o != page}
            if words & words_used:
                continue
            words_used |= words
            kept[page].append(term)
    return kept


def add_keywords(index: dict[str, Any], terms: dict[str, list[str]], folder: str) -> None:
    """The glossary's terms as the ``tags`` of the page that explains them.

    Material ranks a match in ``tags`` far above one in a title, so a reader who
    types a term gets its chapter first. Only the page's own entry gets them,
    not each of its sections, and results show them as the page's labels.
    """
    for doc in index["docs"]:
        page = doc["location"].removeprefix(folder)
        if "#" not in page and page in terms and doc["location"].startswith(folder):
            doc["tags"] = terms[page]


def split_by_language(
    index: dict[str, Any], locales: list[str], default: str
) -> dict[str, dict[str, Any]]:
    """One index per language, keyed by the folder it goes in ("" for the default)."""
    folders = {locale: f"{locale}/" for locale in locales if locale != default}
    split: dict[str, list[Any]] = {"": [], **{folder: [] for folder in folders.values()}}
    for doc in index["docs"]:
        folder = next((f for f in folders.values() if doc["location"].startswith(f)), "")
        split[folder].append(doc)
    return {folder: {**index, "docs": docs} for folder, docs in split.items()}


@event_priority(-200)  # after static-i18n (-100), which writes the merged index
def on_post_build(config: Any, **_: Any) -> None:
    site = Path(config.site_dir)
    if not (site / INDEX).exists():
        return
    index = json.loads((site / INDEX).read_text(encoding="utf-8"))
    for doc in index["docs"]:
        doc["title"] = plain_formulas(doc["title"])
        doc["text"] = plain_formulas(doc["text"])
    i18n = config.plugins.get("i18n")
    if i18n is None:
        parts = {"": index}
    else:
        locales = [language.locale for language in i18n.config.languages if language.build]
        parts = split_by_language(index, locales, i18n.default_language)
    for folder, part in parts.items():
        locale = folder.rstrip("/")
        glossary = Path(config.docs_dir) / (f"glossary.{locale}.md" if locale else "glossary.md")
        if glossary.exists():
            terms = glossary_terms(glossary.read_text(encoding="utf-8"), 2 if locale else 1)
            add_keywords(part, owned_elsewhere(terms), folder)
        path = site / folder / INDEX
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(part, ensure_ascii=False, separators=(",", ":")), "utf-8")
