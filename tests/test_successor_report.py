"""The successor report counts the pages a second builder left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from repo_modules import load

successor = load("tools/successor_report.py")


def site(root: Path, files: list[str]) -> Path:
    for name in files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("<html></html>", encoding="utf-8")
    return root


def test_missing_pages_are_counted_by_folder(tmp_path: Path) -> None:
    mkdocs = site(
        tmp_path / "a",
        ["index.html", "gradients/index.html", "zh-TW/index.html", "zh-TW/gradients/index.html"],
    )
    other = site(tmp_path / "b", ["index.html", "gradients/index.html", "extra/index.html"])
    text, missing = successor.report(mkdocs, other)
    assert missing == 2
    assert "4 pages in" in text and "2 missing, 1 extra" in text
    assert "missing under zh-TW/: 2" in text
    assert "extra: extra/index.html" in text
    assert successor.main([str(mkdocs), str(other)]) == 1
    assert successor.main([str(mkdocs), str(mkdocs)]) == 0


def test_a_site_that_was_not_built_is_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a folder"):
        successor.pages(tmp_path / "site")
    with pytest.raises(TypeError, match="got str"):
        successor.pages("site")
