"""Every page in both languages, as a reader's browser sees it, offline."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from docharness.parity import english_pages

DOCS = Path(__file__).resolve().parents[2] / "docs"


def page_paths() -> list[str]:
    paths = []
    for page in english_pages(DOCS):
        slug = "" if page.stem == "index" else f"{page.stem}/"
        paths += [slug, f"zh-TW/{slug}"]
    for lab in sorted((DOCS / "labs").glob("*.ipynb")):  # notebook pages (hooks/labs.py)
        if not lab.name.endswith(".zh-TW.ipynb"):
            paths += [f"labs/{lab.stem}/", f"zh-TW/labs/{lab.stem}/"]
    return paths


@dataclass
class Visit:
    external: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


def open_page(browser, base_url: str, path: str, **context_options):
    """Load *path* with every request to another host aborted and recorded."""
    visit = Visit()
    context = browser.new_context(**context_options)
    page = context.new_page()
    host = urlparse(base_url).netloc

    def route(route) -> None:
        if urlparse(route.request.url).netloc == host:
            route.continue_()
        else:
            visit.external.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and visit.console_errors.append(m.text))
    page.on("pageerror", lambda e: visit.console_errors.append(str(e)))
    page.on(
        "response",
        lambda r: r.status >= 400 and visit.failed.append(f"{r.status} {r.url}"),
    )
    page.goto(base_url + path, wait_until="networkidle")
    return context, page, visit


@pytest.mark.parametrize("path", page_paths())
def test_page_is_complete_offline(browser, base_url: str, path: str) -> None:
    context, page, visit = open_page(browser, base_url, path)
    try:
        expected_lang = "zh-TW" if path.startswith("zh-TW/") else "en"
        assert page.locator("html").get_attribute("lang") == expected_lang
        # Typeset at build (hooks/katex_render.py), shown by katex.js a few formulas
        # a frame: the print page's 600 formulas take a few seconds.
        untypeset_js = "document.querySelectorAll('.arithmatex:not(:has(.katex))').length"
        with contextlib.suppress(PlaywrightTimeoutError):  # the assertion reports it
            page.wait_for_function(f"{untypeset_js} === 0", timeout=20_000)
        untypeset = page.evaluate(untypeset_js)
        assert untypeset == 0, f"{untypeset} formulas left as source text"
        # Lazy images (the step-through frames) load when a reader reaches them: ask
        # for every one now, then every image must have arrived and decoded.
        broken = page.evaluate(
            """async () => {
                const images = [...document.images];
                images.forEach(i => { i.loading = "eager"; });
                await Promise.all(images.map(i => i.decode().catch(() => null)));
                return images.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src);
            }"""
        )
        assert broken == []
        assert visit.external == []
        assert visit.failed == []
        assert visit.console_errors == []
    finally:
        context.close()


SEARCHES = [
    ("zh-TW/", "梯度", "zh-TW/gradients/"),
    ("zh-TW/", "反向傳播", "zh-TW/backward-pass/"),
    ("zh-TW/", "計算圖", "zh-TW/computation-graph/"),
    ("zh-TW/", "損失函數", "zh-TW/loss-functions/"),
    ("zh-TW/", "學習率", "zh-TW/gradient-descent/"),
    ("", "gradient descent", "gradient-descent/"),
    ("", "retain_graph", "autograd-mechanics/"),
    ("", "leaf tensor", "computation-graph/"),
]


@pytest.mark.parametrize(("path", "query", "expected"), SEARCHES)
def test_search_finds_the_page(
    browser, base_url: str, path: str, query: str, expected: str
) -> None:
    context, page, _ = open_page(browser, base_url, path)
    try:
        box = page.locator("input.md-search__input")
        box.fill(query)  # .type() of CJK text sends no key events
        box.press("End")
        page.wait_for_selector(".md-search-result__item", timeout=15000)
        links = page.eval_on_selector_all(
            ".md-search-result__item > a", "els => els.map(e => e.href.split(/[?#]/)[0])"
        )
        pages = list(dict.fromkeys(links))[:3]  # the first three pages in the results
        assert any(link.endswith("/" + expected) for link in pages), pages
    finally:
        context.close()


@pytest.mark.parametrize("path", page_paths())
def test_language_switcher_leads_to_the_twin(browser, base_url: str, path: str) -> None:
    context, page, _ = open_page(browser, base_url, path)
    try:
        twin = path.removeprefix("zh-TW/") if path.startswith("zh-TW/") else f"zh-TW/{path}"
        lang = "en" if path.startswith("zh-TW/") else "zh-TW"
        href = page.locator(f"a.md-select__link[hreflang='{lang}']").first.get_attribute("href")
        assert href is not None
        assert urljoin(base_url + path, href) == base_url + twin
    finally:
        context.close()


@pytest.mark.parametrize("path", page_paths())
def test_page_fits_a_phone(browser, base_url: str, path: str) -> None:
    """Only code blocks, tables and formulas may scroll sideways, inside their own box."""
    context, page, _ = open_page(browser, base_url, path, viewport={"width": 375, "height": 800})
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()


def copy_with_button(page, block) -> tuple[str, str]:
    """The code a block shows, and what its copy button put on the clipboard."""
    code = block.locator("code").inner_text()
    block.hover()
    block.locator("button[data-md-type=copy]").click()
    return code, page.evaluate("navigator.clipboard.readText()")


@pytest.mark.parametrize(
    ("path", "first_line"),
    [
        ("", "import torch"),
        ("zh-TW/", "import torch"),
        ("zh-TW/labs/linear-regression/", "# 只在缺少本指南的套件時安裝它"),
    ],
)
def test_copy_button_copies_exactly_the_code(
    browser, base_url: str, path: str, first_line: str
) -> None:
    context, page, _ = open_page(
        browser, base_url, path, permissions=["clipboard-read", "clipboard-write"]
    )
    try:
        code, copied = copy_with_button(page, page.locator(".language-python.highlight").first)
        assert copied.strip() == code.strip()
        assert ">>>" not in copied and "tensor(14.)" not in copied
        assert copied.startswith(first_line)
    finally:
        context.close()


@pytest.mark.parametrize("path", ["pitfalls/", "zh-TW/linear-regression/"])
def test_code_blocks_are_set_up_when_they_scroll_into_view(
    browser, base_url: str, path: str
) -> None:
    """``content.lazy``: a block far down the page gets its copy button once it is seen.

    Setting up every block at start was most of the long chapters' Total Blocking
    Time; this checks that the deferred set-up still happens and copies right.
    """
    context, page, _ = open_page(
        browser, base_url, path, permissions=["clipboard-read", "clipboard-write"]
    )
    try:
        # The last one outside closed <details> (solutions: the test below).
        last = page.locator(".language-python.highlight").filter(visible=True).last
        button = last.locator("button[data-md-type=copy]")
        assert button.count() == 0, "set up before it was seen: content.lazy is off"
        last.scroll_into_view_if_needed()
        button.wait_for(state="attached", timeout=5_000)
        code, copied = copy_with_button(page, last)
        assert copied.strip() == code.strip()
    finally:
        context.close()


def test_solution_blocks_are_set_up_when_opened(browser, base_url: str) -> None:
    context, page, _ = open_page(browser, base_url, "zh-TW/linear-regression/")
    try:
        solution = page.locator("details").filter(has=page.locator(".language-python")).last
        button = solution.locator("button[data-md-type=copy]")
        assert solution.get_attribute("open") is None and button.count() == 0
        solution.locator("summary").click()
        button.first.wait_for(state="attached", timeout=5_000)
    finally:
        context.close()
