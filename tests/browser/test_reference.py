"""The API reference, rendered from the docstrings, as a reader sees it."""

from __future__ import annotations

import re

import pytest
from test_site import open_page

#: What Sphinx markup looks like once it leaks onto a page as text.
SPHINX_TEXT = re.compile(r":(?:func|class|meth|mod|data|attr|exc|obj|math):`|\.\. math::|\w::\s")

PAGES = ["reference/", "zh-TW/reference/", "print/", "zh-TW/print/"]


@pytest.mark.parametrize("path", PAGES)
def test_docstrings_render_without_sphinx_markup(browser, base_url: str, path: str) -> None:
    context, page, visit = open_page(browser, base_url, path)
    try:
        text = page.locator("article").inner_text()
        assert "autograd_guide.numerical" in text  # the reference is on the page
        assert SPHINX_TEXT.findall(text) == []
        # Docstring formulas ($…$, $$…$$), typeset: KaTeX's HTML replaces the TeX.
        formulas = page.locator(".doc-contents .arithmatex")
        assert formulas.count() >= 3  # numerical: the central difference, h^2, h
        untypeset = ".doc-contents .arithmatex:not(:has(.katex))"
        page.wait_for_function(f"!document.querySelector('{untypeset}')", timeout=30_000)
        central = formulas.filter(has=page.locator(".katex-display")).first
        assert central.locator("annotation").text_content().strip().startswith("f'(x) \\approx")
        assert "\\" not in central.inner_text()
        assert visit.external == [] and visit.console_errors == []
    finally:
        context.close()


@pytest.mark.parametrize("path", ["reference/", "zh-TW/reference/"])
def test_cross_references_lead_to_the_object(browser, base_url: str, path: str) -> None:
    context, page, _ = open_page(browser, base_url, path)
    try:
        link = page.locator("a.autorefs", has_text="least_squares").first
        link.click()
        page.wait_for_function("location.hash.length > 1")
        assert page.evaluate("location.hash") == "#autograd_guide.regression.least_squares"
        target = page.locator("[id='autograd_guide.regression.least_squares']")
        assert target.is_visible() and target.evaluate(
            "e => e.getBoundingClientRect().top < innerHeight / 2"
        )
        # Objects outside the package link to their own documentation.
        hrefs = page.eval_on_selector_all(
            "article a[href^='https://']", "links => links.map(a => a.href)"
        )
        assert "https://pytorch.org/docs/stable/generated/torch.autograd.grad.html" in hrefs
        assert "https://docs.python.org/3/library/exceptions.html#ValueError" in hrefs
    finally:
        context.close()
