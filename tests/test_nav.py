"""Every page in the navigation has a zh-TW title, and every chapter is on both home pages.

The strict build checks that each page is in ``nav``; it does not check what
CONTRIBUTING's checklist asks next: the title's translation (without it the
zh-TW sidebar shows the English title) and the row in the home pages' chapter
tables (without it a reader landing on the home page never hears of the chapter).
"""

from __future__ import annotations

import re
from pathlib import Path

from repo_modules import load

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
#: Pages in nav that are not chapters: the home page itself and the reference section.
NOT_CHAPTERS = {"index.md", "glossary.md", "reference.md", "print.md"}


CONFIG = load("hooks/languages.py").read_config(ROOT / "mkdocs.yml")


def nav_entries(items: list, section: str | None = None) -> list[tuple[str, str | None]]:
    """(title, page) for every entry of nav, sections too (their page is None)."""
    entries = []
    for item in items:
        for title, value in item.items():
            if isinstance(value, list):
                entries += [(title, None), *nav_entries(value, title)]
            else:
                entries.append((title, value))
    return entries


def zh_tw() -> dict:
    plugins = {next(iter(p)): p[next(iter(p))] for p in CONFIG["plugins"] if isinstance(p, dict)}
    return next(lang for lang in plugins["i18n"]["languages"] if lang["locale"] == "zh-TW")


def test_every_nav_title_has_a_zh_tw_translation() -> None:
    translations = zh_tw()["nav_translations"]
    missing = [title for title, _ in nav_entries(CONFIG["nav"]) if title not in translations]
    assert missing == []
    assert all(
        re.search(r"[\u4e00-\u9fff]", translations[t]) for t, _ in nav_entries(CONFIG["nav"])
    )


def test_every_chapter_is_on_both_home_pages() -> None:
    chapters = [
        page
        for _, page in nav_entries(CONFIG["nav"])
        if page and page.endswith(".md") and page not in NOT_CHAPTERS
    ]
    assert len(chapters) >= 10
    for home in ("index.md", "index.zh-TW.md"):
        linked = set(re.findall(r"\]\(([\w-]+\.md)\)", (DOCS / home).read_text(encoding="utf-8")))
        assert [page for page in chapters if page not in linked] == [], home
