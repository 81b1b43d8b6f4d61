"""MkDocs hook: page markup that phones and screen readers need.

Three changes, each found on a 375-px phone or by axe-core
(tests/browser/test_accessibility.py, tests/browser/test_phones.py):

* Punctuation stays on the line of its formula. KaTeX's formula is a row of
  inline boxes to the browser, and a comma after the last one could wrap to the
  start of the next line (", all with" on the computation-graph page, "），" on
  zh-TW pages). The formula and the punctuation around it go into one
  ``<span class="nobreak">``, which extra.css keeps on one line. Chrome decides
  whether to break after a box by the white-space of the formula itself, so the
  formula is kept on one line too, and gets back the break points KaTeX gives
  it (between its boxes) as zero-width spaces in ``<span class="brk">``, which
  may break; none follows the last box. So a long formula still wraps to fit a
  phone, and never right before its comma.
* Tables of four or more columns become one card per row on a phone. Squeezed
  into 375 px, their columns were about 60 px wide (the glossary's meanings ran
  four words a line). Each cell carries its column's name (``data-label``),
  which extra.css shows in front of it; explicit table roles keep the table a
  table for screen readers that drop the semantics of a re-displayed table.
* A table header that holds only a formula gets a text name. KaTeX's MathML is
  what screen readers read, but it does not count as text for axe-core, which
  reports the header as empty; the ``<math>`` element gets the formula's text
  (its MathML without the TeX annotation, as ``∂L/∂w``) as ``aria-label``.

Two fixes live in the browser instead, since Material's script creates the
elements (assets/javascripts/a11y.js): the copy button's ``<nav>`` and the
keyboard focus of formulas and tables that scroll.
"""

from __future__ import annotations

import html
import re
from typing import Any

#: Punctuation that must not start a line (after a formula) or end one (before it).
CLOSING = ",.;:!?)]}’”…%，。、；：！？）」』》〉】"
OPENING = "([{‘“（「『《〈【"

#: An inline formula as arithmatex writes it (before hooks/katex_render.py typesets it),
#: with the punctuation around it.
INLINE_MATH = re.compile(
    rf'(?P<before>[{re.escape(OPENING)}]*)(?P<math><span class="arithmatex">[^<]*</span>)'
    rf"(?P<after>[{re.escape(CLOSING)}]*)"
)

NOBREAK_START = '<span class="nobreak">'
#: The part of KaTeX's HTML that the eye sees: a row of boxes, ``<span class="base">``.
KATEX_HTML = re.compile(r'<span class="katex-html"[^>]*>')
BASE = '<span class="base">'
BREAK = '<span class="brk">\u200b</span>'

TABLE = re.compile(r"<table>(?P<body>.*?)</table>", re.S)
HEADER_CELL = re.compile(r"<th\b[^>]*>(?P<text>.*?)</th>", re.S)
ROW = re.compile(r"<tr>(?P<cells>.*?)</tr>", re.S)
DATA_CELL = re.compile(r"<td\b")
TAG = re.compile(r"<[^>]+>")
#: Tables with this many columns or more become cards on a phone.
CARD_COLUMNS = 4

MATH = re.compile(r"<math\b(?P<attrs>[^>]*)>(?P<body>.*?)</math>", re.S)
ANNOTATION = re.compile(r"<annotation\b.*?</annotation>", re.S)
FORMULA_START = '<span class="arithmatex">'


def keep_punctuation_with_math(page_html: str) -> str:
    """Each inline formula with punctuation right before or after it, in one nobreak span."""

    def wrap(match: re.Match[str]) -> str:
        if not (match["before"] or match["after"]):
            return match[0]
        return f'<span class="nobreak">{match[0]}</span>'

    return INLINE_MATH.sub(wrap, page_html)


def katex_break_points(page_html: str) -> str:
    """In each nobreak span, a breakable zero-width space between two boxes of KaTeX's HTML."""
    pieces, position = [], 0
    while (start := page_html.find(NOBREAK_START, position)) != -1:
        end = element_end(page_html, start)
        pieces += [page_html[position:start], break_between_boxes(page_html[start:end])]
        position = end
    pieces.append(page_html[position:])
    return "".join(pieces)


def break_between_boxes(nobreak: str) -> str:
    """One nobreak span with KaTeX's break points between the boxes of its formula."""
    rows = list(KATEX_HTML.finditer(nobreak))
    for row in reversed(rows):  # from the end, so that earlier offsets stay valid
        end = element_end(nobreak, row.start())
        inside = nobreak[row.end() : end - len("</span>")]
        boxes, position = [], 0
        while inside.startswith("<span", position):
            box_end = element_end(inside, position)
            boxes.append(inside[position:box_end])
            position = box_end
        if position != len(inside):  # not a plain row of boxes: leave it as KaTeX made it
            continue
        joined = "".join(
            box + (BREAK if box.startswith(BASE) and following.startswith(BASE) else "")
            for box, following in zip(boxes, [*boxes[1:], ""], strict=True)
        )
        nobreak = nobreak[: row.end()] + joined + nobreak[end - len("</span>") :]
    return nobreak


def text_of(fragment: str) -> str:
    """The text of an HTML fragment, with its whitespace collapsed."""
    return " ".join(html.unescape(TAG.sub(" ", fragment)).split())


def label_cells(table: str) -> str:
    """A wide table's cells with their column names, and table roles, for the card layout."""
    headers = [text_of(match["text"]) for match in HEADER_CELL.finditer(table)]
    if len(headers) < CARD_COLUMNS:
        return table

    def label_row(row: re.Match[str]) -> str:
        names = iter(headers)

        def label(_: re.Match[str]) -> str:
            name = next(names, "")
            return f'<td role="cell" data-label="{html.escape(name)}"'

        return '<tr role="row">' + DATA_CELL.sub(label, row["cells"]) + "</tr>"

    table = ROW.sub(label_row, table)
    table = re.sub(r"<th\b", '<th role="columnheader"', table)
    table = re.sub(r"<(thead|tbody)>", r'<\1 role="rowgroup">', table)
    return table.replace("<table>", '<table role="table" data-cards>', 1)


def cards_for_wide_tables(page_html: str) -> str:
    """Every table of CARD_COLUMNS columns or more, marked up for cards on a phone."""
    return TABLE.sub(lambda match: label_cells(match[0]), page_html)


def without_formulas(cell: str) -> str:
    """A table cell's HTML without its formulas (typeset or not)."""
    pieces, position = [], 0
    while (start := cell.find(FORMULA_START, position)) != -1:
        pieces.append(cell[position:start])
        position = element_end(cell, start)
    pieces.append(cell[position:])
    return "".join(pieces)


def element_end(page_html: str, start: int) -> int:
    """Where the ``<span>`` that opens at *start* closes (the index after its end tag)."""
    depth = 0
    for tag in re.finditer(r"<(/?)span\b[^>]*>", page_html[start:]):
        depth += -1 if tag[1] else 1
        if depth == 0:
            return start + tag.end()
    raise ValueError(f"expected a closed <span> at {start}, got {page_html[start:][:80]!r}")


def name_math_headers(page_html: str) -> str:
    """Table headers that hold only formulas: each ``<math>`` named by its text."""

    def name(header: re.Match[str]) -> str:
        cell = header[0]
        if "<math" not in cell or text_of(without_formulas(header["text"])):
            return cell

        def label(math: re.Match[str]) -> str:
            if "aria-label=" in math["attrs"]:
                return math[0]
            mathml = ANNOTATION.sub("", math["body"])
            text = " ".join(html.unescape(TAG.sub("", mathml)).split())
            return f'<math{math["attrs"]} aria-label="{html.escape(text)}">{math["body"]}</math>'

        return MATH.sub(label, cell)

    return HEADER_CELL.sub(name, page_html)


def on_page_content(html: str, **_: Any) -> str:
    return cards_for_wide_tables(keep_punctuation_with_math(html))


def on_post_page(output: str, **_: Any) -> str:
    return katex_break_points(name_math_headers(output))
