"""Figures on a 375 px phone: the smallest text of each one shown is 9 CSS px or more.

A figure wider than the article is shrunk to it, text and all. For every figure
image on the chapter pages, in both languages, the browser gives the scale (its
rendered width over the SVG's own width); the figure's registry function gives its
smallest text in points (drawn again here, so that no list can go stale).
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from test_site import open_page

from autograd_guide.figures import draw, figure_file, registered, smallest_text

PHONE = {"width": 375, "height": 800}
MIN_TEXT_PX = 9
DOCS = Path(__file__).resolve().parents[2] / "docs"
FIGURE_LINK = re.compile(r"\(assets/figures/[^)\s]+\.svg\)")


def chapter_paths() -> list[str]:
    """The URL of every page, in both languages, that shows a figure."""
    paths = []
    for page in sorted(DOCS.glob("*.md")):
        if page.name.startswith("print.") or not FIGURE_LINK.search(page.read_text("utf-8")):
            continue
        stem = page.name.removesuffix(".md")
        paths.append(
            f"zh-TW/{stem.removesuffix('.zh-TW')}/" if stem.endswith(".zh-TW") else f"{stem}/"
        )
    return paths


#: Every figure image the reader sees (a stepper shows one frame at a time).
SHOWN_FIGURES_JS = """() => [...document.querySelectorAll('article img[src*="assets/figures/"]')]
  .filter((img) => img.getBoundingClientRect().width > 0)
  .map((img) => [new URL(img.src).pathname, img.getBoundingClientRect().width,
                 img.naturalWidth])"""

_smallest: dict[str, float] = {}


def smallest_pt(name: str) -> float:
    if name not in _smallest:
        fig = draw(name)
        _smallest[name] = smallest_text(fig)
        plt.close(fig)
    return _smallest[name]


def test_every_chapter_with_figures_is_measured() -> None:
    paths = chapter_paths()
    assert "gradient-descent/" in paths and "zh-TW/linear-regression/" in paths
    assert len(paths) % 2 == 0 and len(paths) >= 12


@pytest.mark.parametrize("path", chapter_paths())
def test_figure_text_is_9px_or_more_on_a_phone(browser, base_url: str, path: str) -> None:
    context, page, _ = open_page(browser, base_url, path, viewport=PHONE)
    try:
        # Those shown (a stepper's hidden frames load lazily, when their turn comes).
        page.wait_for_function(
            "[...document.querySelectorAll('article img[src*=\"assets/figures/\"]')]"
            ".filter((img) => img.getBoundingClientRect().width > 0)"
            ".every((img) => img.complete && img.naturalWidth > 0)"
        )
        shown = page.evaluate(SHOWN_FIGURES_JS)
    finally:
        context.close()
    assert shown, f"no figure shown on {path}"
    too_small = []
    for url, rendered, natural in shown:
        # The i18n plugin writes a figure's zh-TW copy (x.zh-TW.svg) as zh-TW/assets/figures/x.svg.
        lang = "zh-TW" if url.startswith("/zh-TW/assets/") else "en"
        name = figure_file(url.rsplit("/", 1)[-1], lang)
        assert natural > 0, f"{name} did not load"
        if path.startswith("zh-TW/"):
            assert figure_file(name, "zh-TW") not in registered() or lang == "zh-TW", (
                f"{path} shows the English {name}"
            )
        px = rendered / natural * smallest_pt(name) * 4 / 3
        if px < MIN_TEXT_PX:
            too_small.append(f"{name}: {px:.1f} px ({rendered:.0f} of {natural} px wide)")
    assert not too_small, f"text under {MIN_TEXT_PX} px on a 375 px phone, {path}: {too_small}"
