"""The print pages and the labs in a browser: copy buttons, links within the page, printing."""

from __future__ import annotations

import pytest
from test_site import copy_with_button, open_page

CLIPBOARD = ["clipboard-read", "clipboard-write"]

#: Every element id of the page that is not unique (Material adds ids as it sets up blocks).
DUPLICATE_IDS_JS = """() => {
  const counts = new Map();
  for (const { id } of document.querySelectorAll('[id]')) counts.set(id, (counts.get(id) || 0) + 1);
  return [...counts].filter(([id, n]) => n > 1 || id === '');
}"""

#: Formulas still showing their TeX instead of KaTeX's typesetting.
RAW_FORMULAS_JS = "document.querySelectorAll('.arithmatex:not(:has(.katex))').length"

CODE_BLOCKS = "article div.highlight:has(> pre > code)"

#: Where the element the address's #fragment names sits in the window (null: none).
TARGET_TOP_JS = """() => {
  const el = document.getElementById(decodeURIComponent(location.hash.slice(1)));
  return el && el.getBoundingClientRect().top;
}"""


def copy_block(page, block) -> tuple[str, str]:
    """Scroll a block into view (``content.lazy`` sets it up then) and copy it with its button."""
    block.scroll_into_view_if_needed()
    block.locator("button[data-md-type=copy]").wait_for(
        state="attached", timeout=20_000
    )  # a busy CPU
    return copy_with_button(page, block)


def spread(count: int, picks: int) -> list[int]:
    """``picks`` indices from 1 to ``count - 1``, evenly apart: not only chapters' first blocks."""
    return sorted({1 + (count - 2) * k // (picks - 1) for k in range(picks)})


@pytest.mark.parametrize(
    ("path", "picks"),
    [("print/", 8), ("zh-TW/print/", 8), ("zh-TW/autograd-mechanics/", 5)],
)
def test_copy_buttons_deep_in_the_page_copy_their_own_block(
    browser, base_url: str, path: str, picks: int
) -> None:
    context, page, _ = open_page(browser, base_url, path, permissions=CLIPBOARD)
    try:
        blocks = page.locator(CODE_BLOCKS).filter(visible=True)
        count = blocks.count()
        assert count > 20
        wrong = []
        for index in spread(count, picks):
            code, copied = copy_block(page, blocks.nth(index))
            if copied.strip() != code.strip():
                wrong.append(f"block {index}: copied {copied[:60]!r}, shows {code[:60]!r}")
        assert wrong == []
        assert page.evaluate(DUPLICATE_IDS_JS) == []
    finally:
        context.close()


@pytest.mark.parametrize("path", ["labs/linear-regression/", "zh-TW/labs/linear-regression/"])
def test_every_copy_button_of_a_lab_copies_its_own_block(browser, base_url: str, path: str) -> None:
    """Input cells copy their code, output blocks their output: never the cell's input."""
    context, page, _ = open_page(browser, base_url, path, permissions=CLIPBOARD)
    try:
        blocks = page.locator(CODE_BLOCKS)
        count = blocks.count()
        outputs = page.locator(f"{CODE_BLOCKS}:has(> .filename)").count()
        assert count > 30 and outputs > 10
        wrong = []
        for index in range(count):
            code, copied = copy_block(page, blocks.nth(index))
            if copied.strip() != code.strip():
                wrong.append(f"block {index}: copied {copied[:60]!r}, shows {code[:60]!r}")
        assert wrong == []
        assert page.locator("article button[data-md-type=copy]").count() == count
        assert page.evaluate(DUPLICATE_IDS_JS) == []
    finally:
        context.close()


@pytest.mark.parametrize(
    "path",
    ["zh-TW/labs/linear-regression/", "labs/linear-regression/", "zh-TW/print/"],
)
def test_table_of_contents_and_skip_link_lead_to_headings(
    browser, base_url: str, path: str
) -> None:
    context, page, _ = open_page(browser, base_url, path, viewport={"width": 1280, "height": 800})
    try:
        skip = page.locator("a.md-skip").get_attribute("href")
        links = page.locator(".md-sidebar--secondary nav.md-nav--secondary a.md-nav__link")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        assert len(hrefs) >= 10
        for href in [skip, *hrefs]:
            assert href is not None and href.startswith("#") and len(href) > 1, href
            target = page.evaluate(
                "id => { const el = document.getElementById(id); return el && el.tagName }",
                href[1:],
            )
            assert target is not None, f"{href} leads nowhere"
        for i in range(links.count()):  # follow them as a reader does
            links.nth(i).click()
            top = page.evaluate(TARGET_TOP_JS)
            assert top is not None and 0 <= top < 800, (hrefs[i], top)
    finally:
        context.close()


#: Counts the formulas left as TeX at the moment the browser prints.
RECORD_PRINTING = f"""
window.printed = [];
addEventListener('beforeprint', () => window.printed.push(['beforeprint', {RAW_FORMULAS_JS}]));
addEventListener('afterprint', () => window.printed.push(['afterprint', {RAW_FORMULAS_JS}]));
"""


@pytest.mark.parametrize("path", ["print/", "zh-TW/print/"])
def test_print_page_prints_typeset_formulas_right_after_load(
    browser, base_url: str, path: str
) -> None:
    """Printed to PDF as soon as it has loaded, the page has no formula left as TeX.

    Chromium fires ``beforeprint`` and ``afterprint`` around ``page.pdf()``: what
    the page holds between them is what goes on paper.
    """
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(RECORD_PRINTING)
    try:
        page.goto(base_url + path + "#pitfalls", wait_until="domcontentloaded")
        # A reader who jumps to a late chapter sees it typeset from the start.
        assert page.evaluate(RAW_FORMULAS_JS) == 0
        page.wait_for_load_state("load")
        assert page.evaluate("document.querySelectorAll('.arithmatex .katex').length") > 500
        pdf = page.pdf()
        assert pdf.startswith(b"%PDF") and len(pdf) > 1_000_000
        assert page.evaluate("window.printed") == [["beforeprint", 0], ["afterprint", 0]]
    finally:
        context.close()


@pytest.mark.parametrize("path", ["loss-functions/", "zh-TW/loss-functions/"])
def test_a_chapter_printed_at_once_shows_every_formula(browser, base_url: str, path: str) -> None:
    """Chapters swap their formulas in a few a frame (katex.js); printing must not wait."""
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(RECORD_PRINTING)
    try:
        page.goto(base_url + path, wait_until="domcontentloaded")
        page.pdf()
        printed = page.evaluate("window.printed")
        # Our listener runs before katex.js's: what was printed is what afterprint sees.
        assert [event for event, _ in printed] == ["beforeprint", "afterprint"]
        assert printed[1] == ["afterprint", 0]
        assert page.evaluate("document.querySelectorAll('.arithmatex .katex').length") > 20
    finally:
        context.close()
