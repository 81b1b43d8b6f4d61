"""Reading on a phone: punctuation after formulas, wide tables, boxes that scroll sideways."""

from __future__ import annotations

import contextlib
import io

import pytest
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from test_site import open_page

PHONE = {"width": 375, "height": 800}
UNTYPESET_JS = "document.querySelectorAll('.arithmatex:not(:has(.katex))').length"


def open_typeset(browser, base_url: str, path: str, **options):
    """A page with its formulas shown (katex.js swaps them in a few a frame)."""
    context, page, _ = open_page(browser, base_url, path, **options)
    with contextlib.suppress(PlaywrightTimeoutError):  # the assertions then report it
        page.wait_for_function(f"{UNTYPESET_JS} === 0", timeout=20_000)
    return context, page


#: Inline formulas followed by punctuation that ended up at the start of the next line.
PUNCTUATION_AFTER_MATH_JS = r"""() => {
  const PUNCTUATION = /^[,.;:!?)\]}’”…%，。、；：！？）」』》〉】]/u;
  const wrapped = [];
  for (const math of document.querySelectorAll('article span.arithmatex')) {
    const next = math.nextSibling;
    if (next === null || next.nodeType !== Node.TEXT_NODE || !PUNCTUATION.test(next.data)) continue;
    const lines = math.getClientRects();
    if (lines.length === 0) continue;  // not shown (a closed <details>, another tab)
    const mark = document.createRange();
    mark.setStart(next, 0);
    mark.setEnd(next, 1);
    const box = mark.getBoundingClientRect();
    if (box.top + box.height / 2 > lines[lines.length - 1].bottom) {
      wrapped.push(`${math.querySelector('annotation')?.textContent} | ${next.data.slice(0, 15)}`);
    }
  }
  return wrapped;
}"""


@pytest.mark.parametrize(
    "path",
    [
        "computation-graph/",  # ", all with" in exercise 1 (issue 9)
        "forward-pass/",
        "zh-TW/autograd-from-scratch/",  # "），" (issue 9)
        "zh-TW/gradients/",
        "zh-TW/loss-functions/",
        "zh-TW/corrections/",
    ],
)
def test_no_line_starts_with_the_punctuation_after_a_formula(
    browser, base_url: str, path: str
) -> None:
    context, page = open_typeset(browser, base_url, path, viewport=PHONE)
    try:
        found = {}
        for width in (320, 375, 414):
            page.set_viewport_size({"width": width, "height": 800})
            found[width] = page.evaluate(PUNCTUATION_AFTER_MATH_JS)
            # Long formulas still wrap: nothing runs off the side of the phone.
            assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert found == {320: [], 375: [], 414: []}
    finally:
        context.close()


#: For each table cell whose text wraps: the width its text has (the cell's content box).
WRAPPED_CELLS_JS = """() => [...document.querySelectorAll('article td')].flatMap((cell) => {
  const text = document.createRange();
  text.selectNodeContents(cell);
  const lines = new Set([...text.getClientRects()].map((r) => Math.round(r.bottom))).size;
  const style = getComputedStyle(cell);
  const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return lines > 1 ? [[Math.round(room), cell.textContent.trim()]] : [];
})"""


@pytest.mark.parametrize(
    "path", ["glossary/", "zh-TW/glossary/", "corrections/", "zh-TW/corrections/"]
)
def test_wide_tables_leave_room_for_their_text_on_a_phone(
    browser, base_url: str, path: str
) -> None:
    """Four columns squeezed into 375 px left the glossary's meanings about 60 px wide."""
    context, page = open_typeset(browser, base_url, path, viewport=PHONE)
    try:
        cells = page.evaluate(WRAPPED_CELLS_JS)
        assert cells, "no table cell with more than one line: nothing measured"
        narrow = [(width, text[:40]) for width, text in cells if width < 150]
        assert narrow == [], f"{len(narrow)} of {len(cells)} wrapped cells under 150 px"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


def edge_shading(page, box, scroll_to_end: bool) -> tuple[float, float]:
    """How far the colours at the box's left and right edges stray from the page's.

    The box's content is hidden first, so only its background is measured: the
    scrolling shadows, or the page colour where there is none. (Measured in the
    part of the box that is in the window, below the header: a long table is
    taller than a phone.)
    """
    box.evaluate(
        """(box, toEnd) => {
          box.scrollIntoView({ block: 'center' });
          box.scrollLeft = toEnd ? box.scrollWidth : 0;
          for (const child of box.children) child.style.visibility = 'hidden';
        }""",
        scroll_to_end,
    )
    area = box.bounding_box()
    assert area is not None
    window = page.viewport_size
    header = page.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom")
    top, bottom = max(area["y"], header), min(area["y"] + area["height"], window["height"])
    area = {"x": area["x"], "y": top, "width": area["width"], "height": bottom - top}
    shot = Image.open(io.BytesIO(page.screenshot(clip=area))).convert("RGB")
    width, height = shot.size
    page_colour = shot.getpixel((width // 2, height // 2))

    def stray(x0: int, x1: int) -> float:
        """Mean distance from the page colour (0-255) over the strip's middle rows."""
        rows = range(height // 5, height - height // 5)  # not the header's shadow
        pixels = [shot.getpixel((x, y)) for x in range(x0, x1) for y in rows]
        distances = [
            sum(abs(a - b) for a, b in zip(pixel, page_colour, strict=True)) / 3 for pixel in pixels
        ]
        return sum(distances) / len(distances)

    return stray(0, 4), stray(width - 4, width)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    ("path", "width", "selector"),
    [
        ("gradients/", 375, "div.arithmatex"),  # the chain-rule formulas
        ("tensor-functions/", 320, ".md-typeset__scrollwrap"),  # a three-column table
    ],
)
def test_a_box_that_scrolls_sideways_says_so(
    browser, base_url: str, path: str, width: int, selector: str, scheme: str
) -> None:
    """Phones hide scroll bars: a shadow marks the edge where more content waits."""
    context, page = open_typeset(
        browser, base_url, path, viewport={"width": width, "height": 800}, color_scheme=scheme
    )
    try:
        boxes = page.locator(f"article {selector}")
        wide = fits = None
        for index in range(boxes.count()):
            box = boxes.nth(index)
            if not box.is_visible():
                continue
            if box.evaluate("b => b.scrollWidth > b.clientWidth"):
                wide = wide or box
            else:
                fits = fits or box
        assert wide is not None and fits is not None, "expected one box that scrolls, one that fits"
        left, right = edge_shading(page, wide, scroll_to_end=False)
        assert right > 12 and left < 3, f"at the start: left {left:.0f}, right {right:.0f}"
        left, right = edge_shading(page, wide, scroll_to_end=True)
        assert left > 12 and right < 3, f"at the end: left {left:.0f}, right {right:.0f}"
        left, right = edge_shading(page, fits, scroll_to_end=False)
        assert left < 3 and right < 3, f"a box that fits: left {left:.0f}, right {right:.0f}"
        # The keyboard can scroll it (a11y.js), and only it.
        assert wide.get_attribute("tabindex") == "0"
        assert fits.get_attribute("tabindex") is None
    finally:
        context.close()


@pytest.mark.parametrize("path", ["backward-pass/", "zh-TW/backward-pass/"])
def test_page_fits_a_phone_before_materials_script_runs(browser, base_url: str, path: str) -> None:
    """On a slow phone the header is laid out for a while without Material's script.

    Then the language button is the last thing in the header, and its (closed) menu,
    centred under it, made the page 16 px wider than a 375 px screen.
    """
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.route("**/assets/javascripts/bundle.*.min.js", lambda route: route.abort())
        page.goto(base_url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
