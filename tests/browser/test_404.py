"""A missing address, as a reader meets it: a 404 page in the reader's language.

The server here answers a missing address the way static hosts do: with the
nearest ``404.html`` up the path (Cloudflare Pages), which for an address
outside ``zh-TW/`` is the root one (all GitHub Pages serves).
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from test_site import open_page


class NearestNotFoundHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files; a missing one gets the nearest 404.html, with status 404."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        if code != 404:
            return super().send_error(code, message, explain)
        root = Path(self.directory)
        folder = root / unquote(urlparse(self.path).path).lstrip("/")
        for candidate in [folder, *folder.parents]:
            page = candidate / "404.html"
            if candidate.is_relative_to(root) and page.is_file():
                body = page.read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return None
        return super().send_error(code, message, explain)


@pytest.fixture(scope="module")
def host_url(site_dir: Path) -> Iterator[str]:
    handler = functools.partial(NearestNotFoundHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


NOT_FOUND = {
    # missing address: (lang, title, h1, search placeholder, a nav entry, other language's home)
    "no-such-page/deeper/": (
        "en",
        "404 – Page not found - Autograd Guide",
        "404 – Page not found",
        "Search",
        "Computation graph",
        ("zh-TW", "中文首頁", "zh-TW/"),
    ),
    "zh-TW/no-such-page/deeper/": (
        "zh-TW",
        "404 – 找不到這個頁面 - Autograd 指南",
        "404 – 找不到這個頁面",
        "搜尋",
        "計算圖",
        ("en", "English home page", ""),
    ),
}


@pytest.mark.parametrize("path", list(NOT_FOUND))
def test_missing_address_gets_a_404_in_its_language(browser, host_url: str, path: str) -> None:
    lang, title, heading, placeholder, nav_entry, other = NOT_FOUND[path]
    context, page, visit = open_page(browser, host_url, path)
    try:
        # The page itself; its styles and scripts load from the site root although
        # the address is two folders deep.
        assert visit.failed == [f"404 {host_url}{path}"]
        assert page.locator("html").get_attribute("lang") == lang
        assert page.title() == title
        assert page.locator("h1").all_inner_texts() == [heading]
        assert page.locator("input.md-search__input").get_attribute("placeholder") == placeholder
        assert page.locator(".md-nav__link", has_text=nav_entry).count() > 0
        other_lang, link_text, home = other
        link = page.locator(f"article p[lang='{other_lang}'] a", has_text=link_text)
        assert link.get_attribute("href") is not None
        link.click()
        page.wait_for_load_state("networkidle")
        assert page.url == host_url + home
        assert page.locator("html").get_attribute("lang") == other_lang
        # The browser logs the page's own 404 status as a console error; nothing else.
        page_status = "Failed to load resource: the server responded with a status of 404"
        assert [e for e in visit.console_errors if not e.startswith(page_status)] == []
        assert visit.external == []
    finally:
        context.close()


def test_root_404_is_english_and_the_chinese_one_sits_in_zh_tw(site_dir: Path) -> None:
    """GitHub Pages serves only the root 404.html: it must be the English page."""
    root = (site_dir / "404.html").read_text(encoding="utf-8")
    chinese = (site_dir / "zh-TW" / "404.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in root and root.count("<h1") == 1
    assert '<html lang="zh-TW"' in chinese and chinese.count("<h1") == 1
