"""zh-TW prose never uses a word the term list rules out (i18n/terms.md, column "not").

Code does not count (fenced blocks, inline code, link targets), nor do quotations of the
lecture notes on the corrections page: those must stay as the notes wrote them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
TERMS = ROOT / "i18n" / "terms.md"
ROW = re.compile(r"^\|(?P<cells>.+)\|\s*$", re.M)
FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,}).*?^\1\2[ \t]*$", re.M | re.S)
INLINE_CODE = re.compile(r"(`+).+?\1", re.S)
LINK_TARGET = re.compile(r"\]\([^)]*\)")
COMMENT = re.compile(r"<!--.*?-->", re.S)
# On the corrections page: 「quoted notes」 and the paragraph after **講義寫的**.
QUOTE = re.compile(r"「[^」]*」")
NOTES_SAY = re.compile(r"^\*\*講義寫的\*\*.*?(?=\n\s*\n|\Z)", re.M | re.S)


def forbidden_words(text: str) -> list[str]:
    """The words of every "not" cell, in the order the list gives them."""
    found: list[str] = []
    for match in ROW.finditer(text):
        cells = [c.strip() for c in match["cells"].split("|")]
        if len(cells) < 4 or cells[2] in {"not", ""} or set(cells[2]) <= set("-: "):
            continue
        found += [w.strip() for w in cells[2].split(" / ") if w.strip()]
    return found


def prose(markdown: str, quotes_notes: bool = False) -> str:
    """What a reader reads as the page's own words."""
    for pattern in (FENCE, COMMENT, INLINE_CODE, LINK_TARGET):
        markdown = pattern.sub(" ", markdown)
    if quotes_notes:
        markdown = QUOTE.sub(" ", NOTES_SAY.sub(" ", markdown))
    return markdown


def offences(markdown: str, words: list[str], quotes_notes: bool = False) -> list[str]:
    lines = prose(markdown, quotes_notes).splitlines()
    return [f"{w!r} in {line.strip()[:80]!r}" for line in lines for w in words if w in line]


WORDS = forbidden_words(TERMS.read_text(encoding="utf-8"))
PAGES = sorted(DOCS.glob("*.zh-TW.md"))


def test_the_list_has_checked_words() -> None:
    # Both tables count: the glossary's terms and the everyday word choices.
    assert {"就地", "偏置", "報錯", "儲存的張量", "丟出"} <= set(WORDS)
    assert all(" " not in w.strip() or w.isascii() is False for w in WORDS)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_zh_tw_prose_avoids_ruled_out_words(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert offences(text, WORDS, quotes_notes=page.name == "corrections.zh-TW.md") == []


def test_code_and_quoted_notes_do_not_count() -> None:
    page = (
        "模型會報錯。\n\n`x.報錯()` 與 [連結](報錯.md)\n\n```python\n# 報錯\n```\n\n"
        "**講義寫的**：程式會報錯，\n而且「就地」修改。\n\n實際上：「就地」是講義的用字。\n"
    )
    assert offences(page, ["報錯", "就地"]) == [
        "'報錯' in '模型會報錯。'",
        "'報錯' in '**講義寫的**：程式會報錯，'",
        "'就地' in '而且「就地」修改。'",
        "'就地' in '實際上：「就地」是講義的用字。'",
    ]
    assert offences(page, ["報錯", "就地"], quotes_notes=True) == ["'報錯' in '模型會報錯。'"]
