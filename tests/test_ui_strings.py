"""No English UI string on a zh-TW page: Material's, Python-Markdown's, nbconvert's or ours.

The English strings are collected from where they come from (Material's en.html,
the English palette in mkdocs.yml, our templates and hooks), so a string that a
new Material release or a new hook adds is checked without editing this test.
A zh-TW page may still quote English: prose, code and deliberate terms are not
UI strings, so only whole strings are compared, not words.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import material
import pytest

from repo_modules import load

ROOT = Path(__file__).resolve().parents[1]
ui_strings = load("hooks/ui_strings.py")
stepper_hook = load("hooks/stepper.py")
languages = load("hooks/languages.py")

#: Keys of Material's language files that are settings, or words of features this site
#: does not turn on (blog, RSS, cookie consent, search sharing, versions, reading time):
#: some are short English words ("in", "Share") that a class name in the API reference
#: matches.
NOT_SHOWN = re.compile(
    r"^(language|search\.config\..*|blog\..*|rss\..*|consent\..*|search\.share"
    r"|select\.version|readtime\..*|announce\..*|meta\.comments|source\.file\..*)$"
)
MATERIAL_STRING = re.compile(r'^\s*"(?P<key>[^"]+)": "(?P<value>[^"]*)",?$', re.M)
#: Attributes whose text a reader sees or hears.
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


def material_strings(language: str) -> dict[str, str]:
    """The strings of Material's partials/languages/<language>.html, by key."""
    path = Path(material.__file__).parent / "templates" / "partials" / "languages"
    text = (path / f"{language}.html").read_text(encoding="utf-8")
    return {
        m["key"]: m["value"]
        for m in MATERIAL_STRING.finditer(text)
        if not NOT_SHOWN.match(m["key"])
    }


def english_ui_strings() -> set[str]:
    config = languages.read_config(ROOT / "mkdocs.yml")
    palette = {entry["toggle"]["name"] for entry in config["theme"]["palette"]}
    notebook_links = (ROOT / "overrides" / "partials" / "notebook-links.html").read_text()
    english_labels = re.search(r'"en": \{(?P<labels>.*?)\}', notebook_links, re.S)["labels"]
    ours = set(re.findall(r'"[a-z]+": "([^"]+)"', english_labels))
    ours |= set(stepper_hook.LABELS["en"].values())
    tools = {shown(english) for strings in ui_strings.STRINGS.values() for english in strings}
    return {s.strip() for s in set(material_strings("en").values()) | palette | ours | tools} - {""}


def shown(markup: str) -> str:
    """What a reader sees of one of the hook's markup strings: its attribute value or text."""
    match = re.search(r'="([^"]+)"$', markup) or re.search(r">([^<]+)<", markup)
    return match[1]


class _ReadStrings(HTMLParser):
    """Every text and read attribute of a page, whole and stripped, outside code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.strings: list[str] = []
        self._code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("code", "pre", "script", "style"):
            self._code += 1
        self.strings += [
            value.strip() for name, value in attrs if name in READ_ATTRIBUTES and value
        ]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("code", "pre", "script", "style"):
            self._code -= 1

    def handle_data(self, data: str) -> None:
        if self._code == 0 and data.strip():
            self.strings.append(data.strip())


def test_the_english_strings_are_found() -> None:
    """The list the site test checks against holds what reviewers met on zh-TW pages."""
    english = english_ui_strings()
    assert {"Permanent link", "Switch to dark mode", "Switch to light mode", "solution"} <= english
    assert {"Copy to clipboard", "Skip to content", "Download notebook", "Next step"} <= english


def test_zh_tw_pages_show_no_english_ui_string(site_dir: Path) -> None:
    english = english_ui_strings()
    pages = sorted((site_dir / "zh-TW").rglob("*.html"))
    assert {"index.html", "print/index.html", "labs/linear-regression/index.html", "404.html"} <= {
        page.relative_to(site_dir / "zh-TW").as_posix() for page in pages
    }
    found = {}
    for page in pages:
        parser = _ReadStrings()
        parser.feed(page.read_text(encoding="utf-8"))
        if left := sorted(english.intersection(parser.strings)):
            found[page.relative_to(site_dir).as_posix()] = left
    assert found == {}


def test_taiwan_words_replace_materials(site_dir: Path) -> None:
    page = (site_dir / "zh-TW" / "backward-pass" / "index.html").read_text(encoding="utf-8")
    assert "跳至主要內容" in page and "前往 GitHub 儲存庫" in page and "切換為深色模式" in page
    for odd in ("跳轉到", "前往倉庫", "打字進行搜尋", "Made with"):
        assert odd not in page


def test_each_language_saves_its_notebook_under_its_own_name(site_dir: Path) -> None:
    names = set()
    for page in ("backward-pass/index.html", "zh-TW/backward-pass/index.html"):
        html = (site_dir / page).read_text(encoding="utf-8")
        names |= set(re.findall(r'download="([^"]+)"', html))
    assert names == {
        "backward-pass.ipynb",
        "backward-pass.py",
        "backward-pass.zh-TW.ipynb",
        "backward-pass.zh-TW.py",
    }


def test_localize_rewrites_by_the_pages_language() -> None:
    zh = '<html lang="zh-TW"><a class="headerlink" title="Permanent link">¶</a>'
    assert 'title="本節的永久連結"' in ui_strings.localize(zh)
    en = zh.replace("zh-TW", "en")
    assert ui_strings.localize(en) == en
    assert ui_strings.localize("<p>no html element</p>") == "<p>no html element</p>"
    with pytest.raises(TypeError, match="page's HTML"):
        ui_strings.localize(b"<html>")
