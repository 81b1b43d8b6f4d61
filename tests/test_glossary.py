"""The glossary follows the project's term list, and each term is on the page it links to."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
TERMS = ROOT / "i18n" / "terms.md"
ROW = re.compile(r"^\|(?P<cells>.+)\|\s*$", re.M)
LINK = re.compile(r"\[[^\]]+\]\((?P<page>[\w-]+\.md)\)")


def table_rows(text: str) -> list[list[str]]:
    rows = [[c.strip() for c in m["cells"].split("|")] for m in ROW.finditer(text)]
    return [r for r in rows[2:] if not set("".join(r)) <= set("-: ")]


def words(cell: str) -> list[str]:
    """'權重／偏差（bias）' -> ['權重', '偏差']: the words a page must use."""
    cell = re.sub(r"（[^）]*）", "", cell)
    return [w.strip() for w in re.split(r"[/／、]", cell) if w.strip()]


def glossary(locale: str = "") -> list[list[str]]:
    name = f"glossary.{locale}.md" if locale else "glossary.md"
    return table_rows((DOCS / name).read_text(encoding="utf-8"))


def term_list() -> set[str]:
    """The zh-TW words of the repository's term list (a missing list fails, never skips)."""
    text = TERMS.read_text(encoding="utf-8").split("\n## Word choices")[0]
    return {row[1] for row in table_rows(text)}


def test_term_list_and_glossary_hold_the_same_terms() -> None:
    terms = term_list()
    in_glossary = {row[0] for row in glossary("zh-TW")}
    assert terms - in_glossary == set(), "in i18n/terms.md but not in the glossary"
    assert in_glossary - terms == set(), "in the glossary but not in i18n/terms.md"


def test_both_glossaries_list_the_same_pairs() -> None:
    english = [(row[0], row[1]) for row in glossary()]
    chinese = [(row[1], row[0]) for row in glossary("zh-TW")]
    assert english == chinese


@pytest.mark.parametrize("row", glossary("zh-TW"), ids=lambda row: row[0])
def test_chinese_term_appears_on_its_page(row: list[str]) -> None:
    link = LINK.search(row[3])
    assert link, f"no link to a page in {row[3]!r}"
    page = DOCS / link["page"].replace(".md", ".zh-TW.md")
    text = page.read_text(encoding="utf-8")
    missing = [w for w in words(row[0]) if w not in text]
    assert missing == [], f"{page.name} never uses {missing}"
