"""MkDocs hook: the words that Python-Markdown and mkdocs-jupyter put on a page, in its language.

Material's own strings come from ``theme.language`` (overrides/partials/languages/),
but two tools below it write English into every page: Python-Markdown's ``toc``
titles each heading's link "Permanent link" (one option for the whole site), and
nbconvert shows a lab cell's tag ("solution") as text. On a zh-TW page a reader
met them as tooltips and labels. This hook rewrites them in the finished HTML,
by the page's ``<html lang>``, so it needs nothing from MkDocs and works on a
built ``site/`` as well (``localize``).
"""

from __future__ import annotations

import re
from typing import Any

import languages  # hooks/languages.py: MkDocs puts hooks/ on sys.path

#: English as the tools write it → the same thing in each other language: every
#: language of mkdocs.yml but the default one needs its entry here.
STRINGS: dict[str, dict[str, str]] = {
    "zh-TW": {
        'title="Permanent link"': 'title="本節的永久連結"',
        '<span class="cell-tag">solution</span>': '<span class="cell-tag">解答</span>',
    },
}

#: Where STRINGS lives, for the error a language without its words gets.
WHERE = "hooks/ui_strings.py (STRINGS)"

HTML_LANG = re.compile(r'<html\b[^>]*\blang="(?P<lang>[^"]+)"')


def localize(page_html: str) -> str:
    """*page_html* with the tools' English strings in the language its ``<html lang>`` names."""
    if not isinstance(page_html, str):
        raise TypeError(f"page_html must be the page's HTML (str), got {type(page_html).__name__}")
    match = HTML_LANG.search(page_html)
    if match is None:
        return page_html
    for english, translated in STRINGS.get(match["lang"], {}).items():
        page_html = page_html.replace(english, translated)
    return page_html


def on_config(config: Any, **_: Any) -> Any:
    """Stop the build at once if a translation of mkdocs.yml has no strings here."""
    languages.require_words(STRINGS, WHERE, config, only="translations")
    return config


def on_post_page(output: str, **_: Any) -> str:
    return localize(output)
