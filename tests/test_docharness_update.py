"""``make update-outputs``: stale output blocks are rewritten, and then the page passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from docharness.update import main, replace_fence_body, update_page
from test_docharness import block, run_page

FENCE = "```"

STALE_PAGE = (
    "# A page after an upgrade\n\n"
    + block("print(2 + 2)\nprint('two lines')", "5\ntwo lines")
    + block("x = 10")
    + block("print(x * 3)", "31", info="{.python .continuation}")
    + "!!! note\n\n"
    + f"    {FENCE}python\n    print([1, 2])\n    {FENCE}\n\n"
    + f'    {FENCE}text title="Output"\n    [1]\n    {FENCE}\n\n'
    + block("print('unchanged')", "unchanged")
)


def test_stale_outputs_are_rewritten_and_then_pass(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(STALE_PAGE, encoding="utf-8")
    assert [r for r in run_page(tmp_path, STALE_PAGE) if r is not None], "the page must fail first"

    update = update_page(page)

    assert update.problems == []
    assert run_page(tmp_path, update.new) == [None] * 5
    # fence lines, titles and the admonition's indentation are kept
    assert f'{FENCE}text title="Output"\n4\ntwo lines\n{FENCE}' in update.new
    assert f'    {FENCE}text title="Output"\n    [1, 2]\n    {FENCE}' in update.new
    assert "30\n" in update.new
    assert "+4" in update.diff and "-5" in update.diff


def test_what_needs_an_author_is_reported_not_guessed(tmp_path: Path) -> None:
    text = (
        block("print('new output')")  # prints, but has no output block
        + block("raise ValueError('broken')", "anything")
        + block("pass", "it used to print this")
    )
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    update = update_page(page)
    assert update.new == text
    assert len(update.problems) == 3
    assert "has no ```text block" in update.problems[0]
    assert "ValueError: broken" in update.problems[1]
    assert "prints nothing now" in update.problems[2]


def test_main_writes_pages_and_fails_on_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, bad = tmp_path / "good.md", tmp_path / "bad.md"
    good.write_text(block("print(1)", "0"), encoding="utf-8")
    bad.write_text(block("print(1)"), encoding="utf-8")
    assert main([str(good)]) == 0
    assert good.read_text(encoding="utf-8") == block("print(1)", "1")
    assert "+1" in capsys.readouterr().out
    assert main([str(bad)]) == 1
    with pytest.raises(SystemExit):
        main([str(tmp_path / "missing.md")])


def test_fence_body_rules() -> None:
    text = "```text\nold\n```\n"
    assert replace_fence_body(text, 0, len(text), "new\n") == "```text\nnew\n```\n"
    with pytest.raises(ValueError, match="cannot be made empty"):
        replace_fence_body(text, 0, len(text), "\n")
    with pytest.raises(ValueError, match="does not start its line"):
        replace_fence_body("x ```text\nold\n```\n", 2, 17, "new")
