"""Every built page, as HTML: ids are unique and every link within a page lands.

A duplicated id sends a link, a ``<label>`` or a copy button to the wrong
element (the first one); an empty id or a ``href="#…"`` with no element of that
id leaves a link of the table of contents going nowhere. Both were shipped once
(the print page's ids, the zh-TW lab's headings), so every page of the build is
checked, both languages, labs and print pages included.
"""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

#: Pages that must be among those checked, so that the test never checks too little.
MUST_CHECK = [
    "index.html",
    "zh-TW/index.html",
    "print/index.html",
    "zh-TW/print/index.html",
    "labs/linear-regression/index.html",
    "zh-TW/labs/linear-regression/index.html",
]


class _Anchors(HTMLParser):
    """The ids a page defines and the ``#fragment`` links it makes, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.fragments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id":
                self.ids.append(value or "")
            elif name in ("href", "xlink:href") and value is not None and value.startswith("#"):
                self.fragments.append(unquote(value[1:]))


def anchors(page: Path) -> _Anchors:
    parser = _Anchors()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser


@pytest.fixture(scope="session")
def built_pages(site_dir: Path) -> dict[str, _Anchors]:
    """This run's strict build: each page's address in the site and what it defines and links."""
    return {
        page.relative_to(site_dir).as_posix(): anchors(page)
        for page in sorted(site_dir.rglob("*.html"))
    }


def test_the_check_covers_every_kind_of_page(built_pages: dict[str, _Anchors]) -> None:
    assert [page for page in MUST_CHECK if page not in built_pages] == []
    assert len(built_pages) >= 30


def test_ids_are_unique_and_not_empty(built_pages: dict[str, _Anchors]) -> None:
    problems = []
    for page, found in built_pages.items():
        counts = Counter(found.ids)
        empty = counts.pop("", 0)
        problems += [f"{page}: id {id_!r} {n} times" for id_, n in counts.items() if n > 1]
        if empty:
            problems.append(f"{page}: {empty} empty ids")
    assert problems == []


def test_every_link_within_a_page_lands_on_an_element(built_pages: dict[str, _Anchors]) -> None:
    problems = []
    for page, found in built_pages.items():
        ids = set(found.ids)
        missing = [fragment for fragment in found.fragments if not fragment or fragment not in ids]
        problems += [f"{page}: #{fragment} leads nowhere" for fragment in dict.fromkeys(missing)]
    assert problems == []


def test_the_checker_sees_ids_and_links() -> None:
    """The parser the tests rely on: percent-encoded links, empty ids, SVG references."""
    parser = _Anchors()
    parser.feed(
        '<h2 id="資料">x<a href="#%E8%B3%87%E6%96%99">¶</a></h2><h2 id="">y<a href="#">¶</a></h2>'
        '<svg><use xlink:href="#dot"/></svg><a href="../other/#z">elsewhere</a>'
    )
    assert parser.ids == ["資料", ""]
    assert parser.fragments == ["資料", "", "dot"]
