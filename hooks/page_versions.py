"""MkDocs hook: each chapter says what produced its outputs and when it last changed.

A printed output is only true for the versions that printed it. The doc-tests run
every block against the pinned PyTorch (``constraints.txt``), so the line under each
chapter names that pin and the Python that runs the build, never a version typed by
hand. The date is the page file's last commit, per language: a zh-TW page whose
English twin changed after it gets a notice at the top, so a reader knows the
translation may lag (``tests/test_page_versions.py`` also lists such pages).

Dates need the full history: in a shallow clone every page would carry the clone's
date, so the hook warns (and a strict build fails) there.
"""

from __future__ import annotations

import html
import logging
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.hooks.page_versions")

#: Page suffix of each language (mkdocs-static-i18n, suffix layout).
SUFFIXES = {"en": "", "zh-TW": ".zh-TW"}


def pinned_version(constraints: str, package: str) -> str:
    """The exact version ``package==X`` pins in a constraints file's text."""
    if not isinstance(constraints, str) or not isinstance(package, str):
        raise TypeError(
            f"expected the constraints text and a package name as str, "
            f"got {type(constraints).__name__} and {type(package).__name__}"
        )
    pattern = rf"^{re.escape(package)}==([^\s;#]+)"
    match = re.search(pattern, constraints, flags=re.MULTILINE | re.IGNORECASE)
    if match is None:
        raise ValueError(f"expected a line '{package}==<version>' in constraints.txt, found none")
    return match[1]


@cache
def last_commit(root: Path, relative: str) -> datetime | None:
    """When the file was last committed, or None outside git or before its first commit."""
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", relative],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return datetime.fromtimestamp(int(out), tz=UTC) if out else None


@cache
def is_shallow(root: Path) -> bool:
    """Whether the checkout lacks history (CI's default depth of 1)."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--is-shallow-repository"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return False
    return out == "true"


@dataclass(frozen=True)
class Chapter:
    """A chapter page in one language, with its twin's source path."""

    name: str
    lang: str

    def source(self, lang: str | None = None) -> str:
        return f"docs/{self.name}{SUFFIXES[lang or self.lang]}.md"


def chapter_of(src_uri: str, locale: str | None, root: Path) -> Chapter | None:
    """The chapter a page is, or None: chapters are the pages with a notebook."""
    if "/" in src_uri or not src_uri.endswith(".md"):
        return None
    name, lang = src_uri.removesuffix(".md"), locale or "en"
    for code, suffix in SUFFIXES.items():
        if suffix and name.endswith(suffix):
            name, lang = name.removesuffix(suffix), code
    if not (root / "notebooks" / "en" / f"{name}.ipynb").is_file():
        return None
    return Chapter(name, lang)


def is_stale(chapter: Chapter, root: Path) -> tuple[bool, datetime | None]:
    """Whether a zh-TW page was last committed before its English twin (and the twin's date)."""
    if chapter.lang == "en":
        return False, None
    own = last_commit(root, chapter.source())
    english = last_commit(root, chapter.source("en"))
    if own is None or english is None:
        return False, english
    return own < english, english


def versions_line(lang: str, torch: str, python: str, changed: datetime | None) -> str:
    """The line under a chapter, in its language."""
    if lang == "zh-TW":
        text = f"本頁輸出來自 PyTorch {torch}（CPU）與 Python {python}。"
        if changed is not None:
            text += f"本頁最後修改於 {changed:%Y-%m-%d}。"
    else:
        text = f"Outputs on this page from PyTorch {torch} (CPU), Python {python}."
        if changed is not None:
            text += f" Page last changed {changed:%Y-%m-%d}."
    return f'<hr><p class="page-versions">{html.escape(text)}</p>'


def stale_notice(english_changed: datetime) -> str:
    """The notice on a zh-TW page whose English twin changed after it."""
    return (
        '<div class="admonition warning page-stale"><p class="admonition-title">翻譯可能過時</p>'
        f"<p>英文版在 {english_changed:%Y-%m-%d} 更新過，晚於本頁最後修改的日期；"
        "本頁的中文說明可能還沒跟上。程式碼與輸出仍經過檢查。</p></div>"
    )


def _root(config: Any) -> Path:
    return Path(config.docs_dir).resolve().parent


def on_config(config: Any, **_: Any) -> Any:
    if is_shallow(_root(config)):
        log.warning(
            "page_versions: this is a shallow git clone, so every page would show the "
            "clone's date; fetch the full history (actions/checkout: fetch-depth: 0)"
        )
    return config


def on_page_content(html_text: str, page: Any, config: Any, **_: Any) -> str:
    root = _root(config)
    chapter = chapter_of(page.file.src_uri, getattr(page.file, "locale", None), root)
    if chapter is None:
        return html_text
    torch = pinned_version((root / "constraints.txt").read_text(encoding="utf-8"), "torch")
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    stale, english = is_stale(chapter, root)
    changed = last_commit(root, chapter.source())
    html_text += versions_line(chapter.lang, torch, python, changed)
    if stale and english is not None:
        # under the title, where a reader starts
        notice = stale_notice(english)
        head, sep, rest = html_text.partition("</h1>")
        html_text = head + sep + notice + rest if sep else notice + html_text
    return html_text
