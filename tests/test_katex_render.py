"""Formulas typeset at build time (hooks/katex_render.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from repo_modules import load

katex = load("hooks/katex_render.py")


def test_formulas_keep_their_tex_and_carry_katex_html_in_a_template() -> None:
    page = (
        '<p>Slope <span class="arithmatex">\\(w &lt; 2\\)</span>.</p>\n'
        '<div class="arithmatex">\\[\n\\frac{a}{b}\n\\]</div>'
    )
    out = katex.typeset(page)
    assert out.startswith(
        '<p>Slope <span class="arithmatex">\\(w &lt; 2\\)<template><span class="katex">'
    )
    assert '<annotation encoding="application/x-tex">w &lt; 2</annotation>' in out
    assert (
        '<div class="arithmatex">\\[\n\\frac{a}{b}\n\\]<template><span class="katex-display">'
    ) in out
    assert "<mfrac>" in out  # MathML for screen readers
    assert out.endswith("</template></div>")


def test_a_page_that_asks_gets_katex_html_in_place_of_the_tex() -> None:
    """The print page: complete when it is printed, no template left to swap in."""
    page = SimpleNamespace(
        file=SimpleNamespace(src_uri="print.md"), meta={"formulas_in_place": True}
    )
    out = katex.on_post_page('<p><span class="arithmatex">\\(w &lt; 2\\)</span></p>', page=page)
    assert out.startswith('<p><span class="arithmatex"><span class="katex">')
    assert out.endswith("</span></span></p>")
    assert "<template>" not in out and "\\(" not in out
    assert '<annotation encoding="application/x-tex">w &lt; 2</annotation>' in out


def test_a_page_without_formulas_is_unchanged() -> None:
    page = '<p>Code: <code>class="arithmatex"</code> costs $5.</p>'
    assert katex.typeset(page) == page


@pytest.mark.parametrize(
    ("text", "tex", "display"),
    [
        ("\\(x\\)", "x", False),
        (" \\[x^2\\] ", "x^2", True),
    ],
)
def test_delimiters(text: str, tex: str, display: bool) -> None:
    assert katex.split_delimiters(text) == (tex, display)


@pytest.mark.parametrize("text", ["x", "$x$", "$$x$$"])
def test_a_formula_without_arithmatex_delimiters_is_refused(text: str) -> None:
    with pytest.raises(katex.FormulaError, match=r"expected a formula inside .* got '"):
        katex.split_delimiters(text)


def test_a_broken_formula_stops_the_build_and_says_where() -> None:
    page = SimpleNamespace(file=SimpleNamespace(src_uri="gradients.zh-TW.md"), meta={})
    broken = '<span class="arithmatex">\\(\\frac{1}{\\)</span>'
    with pytest.raises(PluginError) as error:
        katex.on_post_page(broken, page=page)
    message = str(error.value)
    assert message.startswith("KaTeX cannot typeset a formula on gradients.zh-TW.md: ")
    assert "KaTeX parse error: Unexpected end of input" in message
    assert message.endswith(repr("\\frac{1}{"))
