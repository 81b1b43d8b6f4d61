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


def _pages(tmp_path: Path, en_code: str, en_out: str, zh_code: str, zh_out: str) -> list[str]:
    en = write(tmp_path / "a.md", f"```python\n{en_code}\n```\n\n```text\n{en_out}\n```\n")
    zh = write(tmp_path / "a.zh-TW.md", f"```python\n{zh_code}\n```\n\n```text\n{zh_out}\n```\n")
    return parity_problems(en, zh)


def test_printed_labels_may_be_translated(tmp_path: Path) -> None:
    en_code = 'n = 5\nprint(f"after {n} steps the loss fell", 0.25)\nprint("weight:", 2)'
    zh_code = 'n = 5\nprint(f"走了 {n} 步，損失下降", 0.25)\nprint("權重：", 2)'
    en_out = "after 5 steps the loss fell 0.25\nweight: 2"
    zh_out = "走了 5 步，損失下降 0.25\n權重： 2"
    assert _pages(tmp_path, en_code, en_out, zh_code, zh_out) == []


def test_a_label_defined_in_one_block_and_printed_in_another(tmp_path: Path) -> None:
    en = write(
        tmp_path / "a.md",
        '```python\nlabel = "diverged"\n```\n\n'
        "```python\nprint(label)\n```\n\n```text\ndiverged\n```\n",
    )
    zh = write(
        tmp_path / "a.zh-TW.md",
        '```python\nlabel = "發散"\n```\n\n```python\nprint(label)\n```\n\n```text\n發散\n```\n',
    )
    assert parity_problems(en, zh) == []


@pytest.mark.parametrize(
    ("zh_code", "zh_out", "why"),
    [
        ('n = 6\nprint(f"走了 {n} 步", 0.25)', "走了 6 步 0.25", "a number in the code"),
        ('n = 5\nprint(f"走了 {n + 1} 步", 0.25)', "走了 6 步 0.25", "an f-string's field"),
        (
            'n = 5\nprint(f"走了 {n} 步，共 6 次", 0.25)',
            "走了 5 步，共 6 次 0.25",
            "a number in a label",
        ),
        ('n = 5\nprint(f"走了 {n} 步", 0.26)', "走了 5 步 0.26", "a number printed"),
        ('n = 5\nprint(f"走了 {n} 步", 0.25)', "走了 5 步 0.26", "a number only in the output"),
        ('n = 5\nprint(f"走了 {n} 步", 0.25)', "after 5 steps 0.25", "an output left in English"),
        ('n = 5\nprint(f"走了 {n} 步", 0.25, end="")', "走了 5 步 0.25", "a keyword argument"),
    ],
    ids=lambda value: value if " " in value and "{" not in value and "\n" not in value else "",
)
def test_anything_but_the_words_of_a_label_must_match(
    tmp_path: Path, zh_code: str, zh_out: str, why: str
) -> None:
    en_code = 'n = 5\nprint(f"after {n} steps", 0.25)'
    problems = _pages(tmp_path, en_code, "after 5 steps 0.25", zh_code, zh_out)
    assert problems, f"{why} changed and parity did not notice"


def test_punctuation_only_literals_must_match(tmp_path: Path) -> None:
    problems = _pages(tmp_path, 'print(1, 2, sep=", ")', "1, 2", 'print(1, 2, sep="，")', "1，2")
    assert problems == [
        "block 1 differs: a.md line 1 vs a.zh-TW.md line 1",
        "block 2 differs: a.md line 5 vs a.zh-TW.md line 5",
    ]
