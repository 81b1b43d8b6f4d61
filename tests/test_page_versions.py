"""Each chapter names the versions behind its outputs and its last change; stale twins show."""

from __future__ import annotations

import os
import subprocess
import warnings
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from repo_modules import ROOT, load

page_versions = load("hooks/page_versions.py")

CONSTRAINTS = "numpy==2.3.1\ntorch==2.13.0\ntorchvision==0.28.0\n"


def test_the_pin_is_read_from_the_constraints_text() -> None:
    assert page_versions.pinned_version(CONSTRAINTS, "torch") == "2.13.0"
    assert page_versions.pinned_version(CONSTRAINTS, "numpy") == "2.3.1"


def test_a_missing_pin_is_an_error_that_names_the_package() -> None:
    with pytest.raises(ValueError, match="'scipy==<version>'"):
        page_versions.pinned_version(CONSTRAINTS, "scipy")
    with pytest.raises(TypeError, match="got bytes"):
        page_versions.pinned_version(CONSTRAINTS.encode(), "torch")


def test_the_line_is_in_the_pages_language() -> None:
    day = datetime(2026, 12, 3, 12, tzinfo=UTC)
    english = page_versions.versions_line("en", "2.13.0", "3.11", day)
    chinese = page_versions.versions_line("zh-TW", "2.13.0", "3.11", day)
    assert "PyTorch 2.13.0 (CPU), Python 3.11" in english and "2026-12-03" in english
    assert "本頁輸出來自 PyTorch 2.13.0（CPU）與 Python 3.11" in chinese
    assert "本頁最後修改於 2026-12-03" in chinese
    assert "Page" not in chinese


def test_chapters_are_the_pages_with_a_notebook() -> None:
    assert page_versions.chapter_of("gradients.md", None, ROOT).lang == "en"
    assert page_versions.chapter_of("gradients.zh-TW.md", None, ROOT).lang == "zh-TW"
    assert page_versions.chapter_of("gradients.md", "zh-TW", ROOT).lang == "zh-TW"
    assert page_versions.chapter_of("glossary.md", None, ROOT) is None
    assert page_versions.chapter_of("labs/linear-regression.ipynb", None, ROOT) is None


def commit(repo: Path, path: str, text: str, when: str) -> None:
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(text, encoding="utf-8")
    env = dict(
        os.environ,
        GIT_AUTHOR_DATE=when,
        GIT_COMMITTER_DATE=when,
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.org",
    )
    subprocess.run(["git", "add", path], cwd=repo, check=True, env=env)
    subprocess.run(["git", "commit", "-qm", path], cwd=repo, check=True, env=env)


def test_a_chinese_page_older_than_its_english_twin_is_stale(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "notebooks" / "en").mkdir(parents=True)
    (tmp_path / "notebooks" / "en" / "grads.ipynb").write_text("{}", encoding="utf-8")
    commit(tmp_path, "docs/grads.zh-TW.md", "# 梯度\n", "2026-12-01T10:00:00+00:00")
    commit(tmp_path, "docs/grads.md", "# Gradients\n", "2026-12-02T10:00:00+00:00")
    chinese = page_versions.chapter_of("grads.zh-TW.md", None, tmp_path)
    stale, english_date = page_versions.is_stale(chinese, tmp_path)
    assert stale and f"{english_date:%Y-%m-%d}" == "2026-12-02"

    commit(tmp_path, "docs/grads.zh-TW.md", "# 梯度\n\n更新。\n", "2026-12-03T10:00:00+00:00")
    page_versions.last_commit.cache_clear()
    assert page_versions.is_stale(chinese, tmp_path)[0] is False


def test_stale_translations_report() -> None:
    """Lists zh-TW chapters older than their English twin, as a warning in the report."""
    chapters = [
        page_versions.Chapter(path.stem, "zh-TW")
        for path in sorted((ROOT / "notebooks" / "en").glob("*.ipynb"))
    ]
    assert chapters, "expected chapter notebooks in notebooks/en"
    page_versions.last_commit.cache_clear()
    stale = [c.source() for c in chapters if page_versions.is_stale(c, ROOT)[0]]
    if stale:
        warnings.warn(f"zh-TW pages older than their English twin: {stale}", stacklevel=1)


def test_every_chapter_names_the_pinned_torch_in_both_languages(site_dir: Path) -> None:
    torch = page_versions.pinned_version(
        (ROOT / "constraints.txt").read_text(encoding="utf-8"), "torch"
    )
    chapters = sorted((ROOT / "notebooks" / "en").glob("*.ipynb"))
    assert chapters
    for notebook in chapters:
        for prefix in ("", "zh-TW/"):
            page = site_dir / f"{prefix}{notebook.stem}" / "index.html"
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            line = soup.select_one("article .page-versions")
            assert line is not None, page
            assert f"PyTorch {torch}" in line.get_text(), page
