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

import languages  # hooks/languages.py: MkDocs puts hooks/ on sys.path

log = logging.getLogger("mkdocs.hooks.page_versions")

#: The line under a chapter, per language: what printed its outputs ({torch},
#: {python}) and, where git knows it, when the page last changed ({date}).
VERSIONS_LINE = {
    "en": (
        "Outputs on this page from PyTorch {torch} (CPU), Python {python}.",
        " Page last changed {date}.",
    ),
    "zh-TW": ("本頁輸出來自 PyTorch {torch}（CPU）與 Python {python}。", "本頁最後修改於 {date}。"),
}

#: The notice on a translated page whose default-language twin changed after it:
#: its title, and its text ({date}: when the twin changed). Every language of
#: mkdocs.yml but the default one needs its words here.
STALE_NOTICE = {
    "zh-TW": (
        "翻譯可能過時",
        "英文版在 {date} 更新過，晚於本頁最後修改的日期；"
        "本頁的中文說明可能還沒跟上。程式碼與輸出仍經過檢查。",
    ),
}

#: Where the words above live, for the error a language without them gets.
WHERE_VERSIONS = "hooks/page_versions.py (VERSIONS_LINE)"
WHERE_STALE = "hooks/page_versions.py (STALE_NOTICE)"


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
        return f"docs/{self.name}{languages.suffix(lang or self.lang)}.md"


def chapter_of(src_uri: str, locale: str | None, root: Path) -> Chapter | None:
    """The chapter a page is, or None: chapters are the pages with a notebook."""
    if "/" in src_uri or not src_uri.endswith(".md"):
        return None
    default = languages.default_locale()
    suffixed, plain = languages.split_locale(src_uri)
    name, lang = plain.removesuffix(".md"), suffixed or locale or default
    if not (root / "notebooks" / default / f"{name}.ipynb").is_file():
        return None
    return Chapter(name, lang)


def is_stale(chapter: Chapter, root: Path) -> tuple[bool, datetime | None]:
    """Whether a translated page was last committed before its default-language twin
    (and the twin's date)."""
    default = languages.default_locale()
    if chapter.lang == default:
        return False, None
    own = last_commit(root, chapter.source())
    english = last_commit(root, chapter.source(default))
    if own is None or english is None:
        return False, english
    return own < english, english


def versions_line(lang: str, torch: str, python: str, changed: datetime | None) -> str:
    """The line under a chapter, in its language."""
    outputs, last_changed = languages.words_for(VERSIONS_LINE, lang, WHERE_VERSIONS)
    text = outputs.format(torch=torch, python=python)
    if changed is not None:
        text += last_changed.format(date=f"{changed:%Y-%m-%d}")
    return f'<hr><p class="page-versions">{html.escape(text)}</p>'


def stale_notice(english_changed: datetime, lang: str) -> str:
    """The notice on a translated page whose default-language twin changed after it."""
    title, text = languages.words_for(STALE_NOTICE, lang, WHERE_STALE)
    return (
        f'<div class="admonition warning page-stale"><p class="admonition-title">{title}</p>'
        f"<p>{text.format(date=f'{english_changed:%Y-%m-%d}')}</p></div>"
    )


def _root(config: Any) -> Path:
    return Path(config.docs_dir).resolve().parent


def on_config(config: Any, **_: Any) -> Any:
    languages.require_words(VERSIONS_LINE, WHERE_VERSIONS, config)
    languages.require_words(STALE_NOTICE, WHERE_STALE, config, only="translations")
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
        notice = stale_notice(english, chapter.lang)
        head, sep, rest = html_text.partition("</h1>")
        html_text = head + sep + notice + rest if sep else notice + html_text
    return html_text
