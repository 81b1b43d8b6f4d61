"""MkDocs hook: one 404 page per language, the default language's at the root.

mkdocs-static-i18n builds the site once per language into the same folder, and
MkDocs writes the theme's ``404.html`` to the root each time, so the language
built last (zh-TW) won and English readers got a Chinese 404 page. Here the
default language's build keeps the root ``404.html``; every other language's
goes to ``<locale>/404.html`` (hosts that serve the nearest ``404.html`` up the
path, such as Cloudflare Pages, or that take a per-folder rule, such as a
Netlify ``_redirects`` line, can use it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import languages  # hooks/languages.py: MkDocs puts hooks/ on sys.path

NOT_FOUND = "404.html"


def localized_path(site_dir: str, locale: str, default: str) -> Path:
    """Where one language's 404 page goes: the root for the default language."""
    root = Path(site_dir)
    return root / NOT_FOUND if locale == default else root / locale / NOT_FOUND


def on_post_template(output: str, template_name: str, config: Any, **_: Any) -> str:
    if template_name != NOT_FOUND:
        return output
    i18n = config.plugins.get("i18n")
    if i18n is None or i18n.current_language == i18n.default_language:
        return output
    path = localized_path(config.site_dir, i18n.current_language, i18n.default_language)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(output, encoding="utf-8")
    # MkDocs writes what this returns to the root 404.html: give back the default
    # language's page, which its build (always the first) wrote there.
    root = localized_path(config.site_dir, i18n.default_language, i18n.default_language)
    return root.read_text(encoding="utf-8") if root.exists() else ""


def on_env(env: Any, **_: Any) -> Any:
    """overrides/404.html picks its words with words_for (hooks/languages.py)."""
    env.globals["words_for"] = languages.words_for
    return env


def on_template_context(
    context: dict[str, Any], template_name: str, config: Any, **_: Any
) -> dict[str, Any]:
    """Tell overrides/404.html its language and where each language's home page is."""
    if template_name != NOT_FOUND:
        return context
    i18n = config.plugins.get("i18n")
    built = i18n.build_languages if i18n is not None else languages.locales(config)
    context["page_locale"] = (
        i18n.current_language if i18n is not None else languages.default_locale(config)
    )
    context["locale_prefixes"] = {locale: languages.site_prefix(locale, config) for locale in built}
    return context
