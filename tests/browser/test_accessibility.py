"""axe-core over one page of every kind, in both languages, light and dark, desktop and phone.

axe-core is pinned in tests/browser/package.json; ``make unit`` installs it
(``cd tests/browser && npm ci``). Every rule axe runs by default must pass:
WCAG 2.x A and AA and axe's best practices.

Costs, measured on a busy 2-core machine: a chapter page takes 3-10 s per run;
the print page (46,000 elements) 50-130 s, most of it axe's colour-contrast
and target-size rules. So the print page runs in two of the four settings (light
on a desktop, dark on a phone), which still meets both schemes and both widths;
its content is the chapters', styled by the same rules.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from test_site import open_page

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"

SCHEMES = ("light", "dark")
#: Width and height of the window: a desktop and a 375-px phone.
SIZES = {"desktop": (1280, 800), "phone": (375, 800)}

#: One page of every kind.
KINDS = (
    "",  # home
    "linear-regression/",  # chapter with formulas, tabs, figures and notebook buttons
    "gradients/",  # chapter whose table has a header that is only a formula
    "backward-pass/",  # chapter with a step-through figure (hooks/stepper.py)
    "glossary/",  # wide table
    "reference/",  # API reference (mkdocstrings)
    "labs/linear-regression/",  # notebook page
    "404.html",
)
#: The print page, in the two settings named in the module docstring.
PRINT_SETTINGS = (("light", "desktop"), ("dark", "phone"))


def settings() -> list[tuple[str, str, str]]:
    params = []
    for lang in ("", "zh-TW/"):
        for kind in KINDS:
            params += [(lang + kind, s, size) for s in SCHEMES for size in SIZES]
        params += [(lang + "print/", s, size) for s, size in PRINT_SETTINGS]
    return params


@pytest.fixture(scope="session")
def axe_source() -> Path:
    if not AXE.exists():
        message = f"axe-core not installed at {AXE} (make unit, or: cd tests/browser && npm ci)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE


#: Material sets up a code block (copy button and its <nav>) when it scrolls into view.
SET_UP_CODE_BLOCKS_JS = """async () => {
  for (const pre of document.querySelectorAll('article pre')) {
    pre.scrollIntoView();
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  }
  scrollTo(0, 0);
}"""

UNTYPESET_JS = "document.querySelectorAll('.arithmatex:not(:has(.katex))').length"

AXE_RUN_JS = """async () => {
  const { violations } = await axe.run(document, { resultTypes: ['violations'] });
  return violations.map((v) => ({
    id: v.id,
    help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.join(' '), why: n.failureSummary })),
  }));
}"""


def report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes)")
        for node in violation["nodes"][:5]:
            why = " ".join(node["why"].split())
            lines.append(f"    {node['target']}: {why}")
    return "\n".join(lines)


@pytest.mark.parametrize(("path", "scheme", "size"), settings())
def test_axe_finds_nothing(
    browser, base_url: str, axe_source: Path, path: str, scheme: str, size: str
) -> None:
    width, height = SIZES[size]
    context, page, _ = open_page(
        browser,
        base_url,
        path,
        viewport={"width": width, "height": height},
        color_scheme=scheme,  # Material's palette follows the system's scheme
    )
    try:
        expected = "slate" if scheme == "dark" else "default"
        # Material's script sets the scheme; on the print page, under load, after networkidle.
        with contextlib.suppress(PlaywrightTimeoutError):  # the assertion then reports it
            page.wait_for_function(
                f"document.body.dataset.mdColorScheme === '{expected}'", timeout=20_000
            )
        assert page.locator("body").get_attribute("data-md-color-scheme") == expected
        with contextlib.suppress(PlaywrightTimeoutError):  # axe then sees the TeX
            page.wait_for_function(f"{UNTYPESET_JS} === 0", timeout=20_000)
        if not path.endswith("print/"):  # 527 blocks there: the chapters check the same code
            page.evaluate(SET_UP_CODE_BLOCKS_JS)
        page.add_script_tag(path=str(axe_source))
        violations = page.evaluate(AXE_RUN_JS)
        assert violations == [], f"axe on {path} ({scheme}, {size}):\n{report(violations)}"
    finally:
        context.close()


def test_content_tabs_show_keyboard_focus(browser, base_url: str) -> None:
    """Tab onto a set of content tabs, then arrow to the next tab: the tab shows a ring."""
    context, page, _ = open_page(browser, base_url, "linear-regression/")
    try:
        tabs = page.locator(".tabbed-set").first
        first = tabs.locator("input").first
        # Start from the last focusable element before the tabs, and press Tab as a reader does.
        page.evaluate(
            """(input) => {
              const focusable = [...document.querySelectorAll('a[href], button, input')]
                .filter((e) => e.compareDocumentPosition(input) & Node.DOCUMENT_POSITION_FOLLOWING)
                .filter((e) => e.getClientRects().length > 0);
              focusable.pop().focus();
            }""",
            first.element_handle(),
        )
        page.keyboard.press("Tab")
        rings = []
        for _ in range(2):
            focused = page.evaluate(
                """() => {
                  const input = document.activeElement;
                  const label = document.querySelector(`label[for="${input.id}"]`);
                  if (input.closest('.tabbed-set') === null || label === null) {
                    return [false, input.outerHTML.slice(0, 80), '', 0];
                  }
                  const style = getComputedStyle(label);
                  return [input.closest('.tabbed-set') !== null, label.textContent.trim(),
                          style.outlineStyle, parseFloat(style.outlineWidth)];
                }"""
            )
            rings.append(focused)
            page.keyboard.press("ArrowRight")
        for in_tabs, label, style, width in rings:
            assert in_tabs, f"Tab did not reach the content tabs but {label!r}"
            assert style != "none" and width >= 1.5, f"tab {label!r} shows no focus ring"
        assert rings[0][1] != rings[1][1]  # the arrow key moved to the next tab
    finally:
        context.close()
