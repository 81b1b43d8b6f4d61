"""Search, as a learner uses it: typed into the box of a page, in either language.

Each language has its own index (hooks/search_index.py), identifiers stay whole
(the separator in mkdocs.yml keeps ``_``), formulas show as text, and the
chapter the glossary names for a term comes first for it.
"""

from __future__ import annotations

import pytest
from test_site import open_page

EN, ZH = "", "zh-TW/"


def search(browser, base_url: str, path: str, query: str) -> tuple[list[str], list[str]]:
    """Type *query* into the search box of *path*: result pages in order, result texts."""
    context, page, visit = open_page(browser, base_url, path)
    try:
        box = page.locator("input.md-search__input")
        box.click()
        box.fill(query)  # .type() of CJK text sends no key events
        box.press("End")
        page.wait_for_selector(".md-search-result__item", timeout=15_000)
        links = page.eval_on_selector_all(
            ".md-search-result__item > a",
            "els => els.map(e => e.href.split(/[?#]/)[0].slice(location.origin.length + 1))",
        )
        texts = page.locator(".md-search-result__item").all_inner_texts()
        assert visit.external == [] and visit.console_errors == []
        return list(dict.fromkeys(links)), texts
    finally:
        context.close()


@pytest.mark.parametrize(
    ("path", "query"),
    [
        (EN, "backward"),
        (EN, "requires_grad"),
        (ZH, "backward"),
        (ZH, "requires_grad"),
        (ZH, "梯度"),
    ],
)
def test_each_language_searches_its_own_pages(
    browser, base_url: str, path: str, query: str
) -> None:
    pages, _ = search(browser, base_url, path, query)
    assert pages
    assert [p for p in pages if p.startswith(ZH) != (path == ZH)] == []


@pytest.mark.parametrize(
    ("path", "identifier"),
    [
        (EN, "requires_grad"),
        (EN, "no_grad"),
        (EN, "zero_grad"),
        (EN, "retain_graph"),
        (ZH, "requires_grad"),
        (ZH, "no_grad"),
    ],
)
def test_an_identifier_is_searched_whole(
    browser, base_url: str, path: str, identifier: str
) -> None:
    _, texts = search(browser, base_url, path, identifier)
    # Split at "_", the query became two words and one was reported missing.
    assert [t for t in texts if "Missing:" in t or "缺少字詞" in t] == []
    # Every result uses the identifier whole (a page that says only "grad" is no match).
    assert [t for t in texts if identifier not in t] == []


@pytest.mark.parametrize(("path", "query"), [(EN, "gradients"), (ZH, "梯度")])
def test_snippets_show_formulas_as_text(browser, base_url: str, path: str, query: str) -> None:
    _, texts = search(browser, base_url, path, query)
    snippets = "\n".join(texts)
    assert "∂g/∂x = −3" in snippets  # the gradients chapter's first formula
    assert "\\(" not in snippets and "\\partial" not in snippets and "\\frac" not in snippets


TOP_RESULTS = [
    (EN, "backward", "backward-pass/"),
    (EN, "MSE", "loss-functions/"),
    (EN, "no_grad", "forward-pass/"),
    (EN, "retain_graph", "autograd-mechanics/"),
    (EN, "leaf tensor", "computation-graph/"),
    (EN, "chain rule", "backward-pass/"),
    (EN, "gradient", "gradients/"),
    (ZH, "梯度", "zh-TW/gradients/"),
    (ZH, "反向傳播", "zh-TW/backward-pass/"),
    (ZH, "backward", "zh-TW/backward-pass/"),
    (ZH, "均方誤差", "zh-TW/loss-functions/"),
    (ZH, "MSE", "zh-TW/loss-functions/"),
    (ZH, "no_grad", "zh-TW/forward-pass/"),
    (ZH, "葉張量", "zh-TW/computation-graph/"),
    (ZH, "學習率", "zh-TW/gradient-descent/"),
]


@pytest.mark.parametrize(("path", "query", "expected"), TOP_RESULTS)
def test_the_page_that_explains_a_term_comes_first(
    browser, base_url: str, path: str, query: str, expected: str
) -> None:
    pages, _ = search(browser, base_url, path, query)
    assert pages[0] == expected, pages[:4]
