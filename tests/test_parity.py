"""Every English page has a zh-TW twin with the same code and output blocks."""

import re
from pathlib import Path

import pytest
import yaml

from docharness.parity import (
    TRANSLATION_SUFFIX,
    code_without_comments,
    english_pages,
    parity_problems,
    twin_of,
)

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = english_pages(DOCS)


def test_there_are_pages() -> None:
    assert len(PAGES) >= 3


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_twin_has_same_blocks(page: Path) -> None:
    assert parity_problems(page, twin_of(page)) == []


def test_no_orphan_translation() -> None:
    english = set(PAGES)
    orphans = [
        p
        for p in DOCS.rglob("*.md")
        if TRANSLATION_SUFFIX.search(p.name)
        and p.with_name(TRANSLATION_SUFFIX.sub(".md", p.name)) not in english
    ]
    assert orphans == []


def test_comments_may_differ() -> None:
    assert code_without_comments("x = 1  # one\n# set\ny = 2\n") == code_without_comments(
        "x = 1  # 一\n# 設定\ny = 2\n"
    )


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_changed_code_is_reported(tmp_path: Path) -> None:
    en = write(tmp_path / "a.md", "```python\nprint(1)\n```\n\n```text\n1\n```\n")
    zh = write(tmp_path / "a.zh-TW.md", "```python\nprint(2)\n```\n\n```text\n1\n```\n")
    assert parity_problems(en, zh) == ["block 1 differs: a.md line 1 vs a.zh-TW.md line 1"]


def test_changed_output_and_missing_block_are_reported(tmp_path: Path) -> None:
    en = write(tmp_path / "a.md", "```python\nprint(1)\n```\n\n```text\n1\n```\n")
    zh = write(tmp_path / "a.zh-TW.md", "```python\nprint(1)\n```\n")
    assert parity_problems(en, zh) == ["a.md has 2 blocks, a.zh-TW.md has 1"]
    assert parity_problems(en, tmp_path / "b.zh-TW.md") == [f"{en} has no zh-TW twin b.zh-TW.md"]


def test_translated_titles_and_comments_pass(tmp_path: Path) -> None:
    en = write(
        tmp_path / "a.md", '```python\n# add\nprint(1)\n```\n\n```text title="Output"\n1\n```\n'
    )
    zh = write(
        tmp_path / "a.zh-TW.md",
        '```python\n# 相加\nprint(1)\n```\n\n```text title="輸出"\n1\n```\n',
    )
    assert parity_problems(en, zh) == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_each_page_has_a_description_in_its_language(page: Path) -> None:
    """Search engines and link previews show it; Chinese pages describe themselves in Chinese."""
    for path, chinese in ((page, False), (twin_of(page), True)):
        text = path.read_text(encoding="utf-8")
        match = re.match(r"---\n(?P<yaml>.*?)\n---\n", text, re.S)
        assert match, f"{path.name} has no front matter"
        meta = yaml.safe_load(match["yaml"])  # what MkDocs reads: it must be valid YAML
        assert isinstance(meta, dict) and isinstance(meta.get("description"), str), path.name
        has_cjk = re.search(r"[\u4e00-\u9fff]", meta["description"]) is not None
        assert has_cjk == chinese, f"{path.name}: description in the wrong language"
