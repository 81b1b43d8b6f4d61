"""MkDocs hook: typeset every formula at build time with the vendored KaTeX.

pymdownx.arithmatex (generic mode) leaves each formula as TeX in an
``.arithmatex`` element: ``\\( … \\)`` in a ``<span>``, ``\\[ … \\]`` in a
``<div>``. The vendored KaTeX (``docs/assets/vendor/katex/katex.min.js``)
typesets each one here, in V8 through mini-racer, so readers download no
KaTeX script (75 KB gzipped) and spend no time parsing TeX.

A formula KaTeX cannot parse stops the build with the page, the formula and
KaTeX's message, instead of showing up as red text for a reader.

KaTeX's HTML goes into a ``<template>`` inside the ``.arithmatex`` element,
next to the TeX, and ``docs/assets/javascripts/katex.js`` swaps it in, in
short slices, once Material's script has started. Putting it in the page
directly was measured (benchmarks/lighthouse.py, loss-functions, 3 runs):
Total Blocking Time about 430 ms and Performance 87/89 (en/zh-TW), because
Material measures the page's layout as it starts and the typeset formulas
made that layout much longer; swapped in four formulas a frame: 95/95.

A page whose meta has ``formulas_in_place`` (hooks/print_page.py sets it on the
print page) gets KaTeX's HTML in place of the TeX instead. That page is printed
and jumped through: swapped four a frame, its 600 formulas took 7-14 s, and a
PDF printed 1.5 s after loading had 495 of them as raw TeX.
"""

from __future__ import annotations

import atexit
import html
import re
from functools import cache
from pathlib import Path
from typing import Any

import build_cache  # hooks/build_cache.py: MkDocs puts hooks/ on sys.path
from mkdocs.exceptions import PluginError

#: KaTeX's build, the one the site used to load in the browser.
KATEX_JS = Path(__file__).resolve().parent.parent / "docs/assets/vendor/katex/katex.min.js"

#: An arithmatex element and its TeX (HTML-escaped, with its delimiters).
FORMULA = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)

#: Delimiters arithmatex writes in generic mode, and whether they mean a display formula.
DELIMITERS = {("\\(", "\\)"): False, ("\\[", "\\]"): True}

#: The page meta that asks for KaTeX's HTML in the page itself, not in templates.
IN_PLACE = "formulas_in_place"


class FormulaError(ValueError):
    """A formula that KaTeX rejects, or one without delimiters."""


@cache
def _katex() -> Any:
    from py_mini_racer import MiniRacer

    context = MiniRacer()
    context.eval(KATEX_JS.read_text(encoding="utf-8"))
    # Freed at exit while V8's threads still run: left to the garbage collector at
    # interpreter teardown, freeing it waited on one of them for ever (a CI build
    # hung there after writing the whole site).
    atexit.register(context.close)
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


@cache
def _memo_key() -> str:
    """KaTeX's build, this file (KaTeX's options) and the installed versions."""
    return build_cache.key("katex", KATEX_JS.read_bytes(), Path(__file__).read_bytes())


def cached_render(tex: str, display: bool) -> str:
    """``render``, each formula once: kept in the build cache (hooks/build_cache.py).

    The print page and the two languages repeat the chapters' formulas, so even
    a build without a cache typesets each distinct formula once. A formula KaTeX
    rejects is not kept, and stops the next build as well.
    """
    memo = build_cache.memo("katex", _memo_key())
    return memo.get(f"{'display' if display else 'inline'} {tex}", lambda _: render(tex, display))


def typeset(page_html: str, in_place: bool = False) -> str:
    """Every arithmatex formula of a page, with KaTeX's HTML in a template beside its TeX.

    ``in_place``: KaTeX's HTML instead of the TeX, shown as soon as the page is.
    """

    def replace(match: re.Match[str]) -> str:
        tag, source = match.groups()
        tex, display = split_delimiters(html.unescape(source))
        typeset_html = cached_render(tex, display)
        if in_place:
            return f'<{tag} class="arithmatex">{typeset_html}</{tag}>'
        return f'<{tag} class="arithmatex">{source}<template>{typeset_html}</template></{tag}>'

    return FORMULA.sub(replace, page_html)


def on_post_page(output: str, page: Any, **_: Any) -> str:
    try:
        return typeset(output, in_place=bool(page.meta.get(IN_PLACE)))
    except FormulaError as error:
        message = f"KaTeX cannot typeset a formula on {page.file.src_uri}: {error}"
        raise PluginError(message) from None
