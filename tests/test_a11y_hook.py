"""Page markup for phones and screen readers (hooks/a11y.py); the browser tests are
tests/browser/test_phones.py and tests/browser/test_accessibility.py."""

from __future__ import annotations

import pytest

from repo_modules import load

a11y = load("hooks/a11y.py")
katex = load("hooks/katex_render.py")

MATH = '<span class="arithmatex">\\(z = 5\\)</span>'


def test_a_formula_and_the_punctuation_around_it_share_one_nobreak_span() -> None:
    html = f"<p>so {MATH}, all with ({MATH}) and {MATH} alone; 「{MATH}」，</p>"
    assert a11y.keep_punctuation_with_math(html) == (
        f'<p>so <span class="nobreak">{MATH},</span> all with '
        f'<span class="nobreak">({MATH})</span> and {MATH} alone; '
        f'<span class="nobreak">「{MATH}」，</span></p>'
    )


def test_a_formula_in_a_nobreak_span_keeps_katex_break_points_but_the_last() -> None:
    page = katex.typeset(a11y.keep_punctuation_with_math(f"<p>{MATH}, then {MATH} x</p>"))
    out = a11y.katex_break_points(page)
    first, rest = out.split(" then ", 1)
    # z = 5 is two boxes for KaTeX ("z =" and "5"): one break between them, none after.
    assert first.count(a11y.BREAK) == 1
    assert first.endswith("</span></span></span></template></span>,</span>")
    assert a11y.BREAK not in rest  # no punctuation after it: no nobreak span, left as it was
    assert out.replace(a11y.BREAK, "") == page


def test_tables_of_four_columns_carry_their_column_names_for_cards() -> None:
    table = (
        "<table>\n<thead>\n<tr>\n<th>English</th>\n<th>繁體中文</th>\n<th>Meaning</th>\n"
        '<th align="left">Explained in</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>gradient</td>\n'
        '<td>梯度</td>\n<td>The <em>vector</em> of partials.</td>\n<td align="left">'
        '<a href="g/">Gradients</a></td>\n</tr>\n</tbody>\n</table>'
    )
    out = a11y.cards_for_wide_tables(table)
    assert out.startswith('<table role="table" data-cards>')
    assert '<td role="cell" data-label="繁體中文">梯度</td>' in out
    assert '<td role="cell" data-label="Explained in" align="left">' in out
    assert '<th role="columnheader" align="left">Explained in</th>' in out
    assert out.count('role="rowgroup"') == 2 and out.count('<tr role="row">') == 2


def test_narrower_tables_stay_tables() -> None:
    table = "<table><thead><tr><th>a</th><th>b</th><th>c</th></tr></thead></table>"
    assert a11y.cards_for_wide_tables(table) == table


@pytest.mark.parametrize(
    ("header", "label"),
    [("\\(\\partial L / \\partial w\\)", "∂L/∂w"), ("\\(\\hat{y}_i\\)", "y^i")],
)
def test_a_header_of_only_a_formula_names_its_math(header: str, label: str) -> None:
    cell = f'<th><span class="arithmatex">{header}</span></th>'
    for in_place in (False, True):  # in a template, or typeset in place (the print page)
        out = a11y.name_math_headers(katex.typeset(cell, in_place=in_place))
        assert f'aria-label="{label}"' in out


def test_a_header_with_words_is_left_to_its_words() -> None:
    cell = katex.typeset('<th>Slope <span class="arithmatex">\\(w\\)</span></th>')
    assert a11y.name_math_headers(cell) == cell


def test_an_unclosed_span_is_reported() -> None:
    with pytest.raises(ValueError, match="expected a closed <span>"):
        a11y.element_end('<span class="x"><span>', 0)
