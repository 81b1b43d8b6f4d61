"""The site's languages, read from the i18n plugin's settings in mkdocs.yml.

mkdocs.yml lists the languages once, under ``plugins: - i18n: languages:``: each
with its ``locale`` and one marked ``default: true``. Everything else that needs
to know them (the hooks, ``tools/notebooks.py``, the tests) asks this module, so
adding a language means adding it there and writing its words, not editing a
list of locales in every file (CONTRIBUTING.md, "Adding a language").

This is a plain module that the hooks import (MkDocs puts ``hooks/`` on
``sys.path`` while it loads a hook), not a hook itself; the tools and tests
load it by path (``tests/repo_modules.py``).

Where a file keeps words per language (a table keyed by locale),
[`words_for`][] picks a language's words and [`require_words`][] checks that
every language has them, so that a language without its words stops the build
with the file to add them to, instead of showing English or a ``KeyError``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

import yaml

#: The repository's MkDocs configuration.
MKDOCS_YML = Path(__file__).resolve().parent.parent / "mkdocs.yml"

T = TypeVar("T")


class LanguageError(ValueError):
    """mkdocs.yml's languages cannot be read, or a file lacks a language's words."""


class _ConfigLoader(yaml.SafeLoader):
    """A safe loader for mkdocs.yml that needs none of MkDocs' tag constructors."""


def _env_default(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    if isinstance(node, yaml.SequenceNode) and len(node.value) > 1:
        return loader.construct_object(node.value[-1])
    return None


_ConfigLoader.add_constructor("!ENV", _env_default)
_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_config(path: Path = MKDOCS_YML) -> Any:
    """mkdocs.yml as plain data, for tools and tests that read a setting without MkDocs.

    ``!ENV [NAME, default]`` gives its default and the environment is ignored, so
    what is read (the committed notebooks' links, the tests' expectations) does
    not depend on the machine; ``!!python/name:…`` tags read as None. Invalid
    YAML is a [`LanguageError`][] naming the file.
    """
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    except yaml.YAMLError as error:
        raise LanguageError(f"{path}: not valid YAML ({error})") from None


@cache
def _read(path: Path, _mtime_ns: int) -> tuple[tuple[str, ...], str]:
    data = read_config(path)
    plugins = data.get("plugins") if isinstance(data, dict) else None
    for entry in plugins or []:
        if isinstance(entry, dict) and "i18n" in entry:
            settings = entry["i18n"] or {}
            break
    else:
        # A site without the plugin has one language: its theme's (Material's default: en).
        # The hooks then run as on a one-language site (tests build such small sites).
        theme = data.get("theme") if isinstance(data, dict) else None
        language = theme.get("language") if isinstance(theme, dict) else None
        locale = language if isinstance(language, str) and language else "en"
        return (locale,), locale
    languages = settings.get("languages") if isinstance(settings, dict) else None
    if not isinstance(languages, list) or not languages:
        raise LanguageError(f"{path}: the i18n plugin needs a list of languages:, found none")
    return _validated(
        [(lang.get("locale"), lang.get("default", False)) for lang in languages], str(path)
    )


def _validated(pairs: list[tuple[Any, Any]], where: str) -> tuple[tuple[str, ...], str]:
    """The locales in order and the default one; a clear error for anything else."""
    codes = []
    for locale, _ in pairs:
        if not isinstance(locale, str) or not locale:
            raise LanguageError(f"{where}: every i18n language needs a locale:, got {locale!r}")
        if locale in codes:
            raise LanguageError(f"{where}: the i18n locale {locale!r} is listed twice")
        codes.append(locale)
    defaults = [locale for locale, default in pairs if default is True]
    if len(defaults) != 1:
        raise LanguageError(
            f"{where}: exactly one i18n language needs 'default: true', found {len(defaults)}"
            + (f" ({', '.join(defaults)})" if defaults else "")
        )
    return tuple(codes), defaults[0]


def _settings(config: Any = None) -> tuple[tuple[str, ...], str]:
    """(locales, default) from a MkDocs config, a path to mkdocs.yml, or the repository's."""
    if config is None or isinstance(config, str | os.PathLike):
        path = Path(config) if config is not None else MKDOCS_YML
        if not path.is_file():
            raise LanguageError(f"expected the MkDocs configuration at {path}, found no file")
        return _read(path.resolve(), path.stat().st_mtime_ns)
    # A MkDocs config: the i18n plugin as it validated its settings, else its file.
    plugins = getattr(config, "plugins", None) or (
        config.get("plugins") if isinstance(config, Mapping) else None
    )
    plugin = plugins.get("i18n") if hasattr(plugins, "get") else None
    plugin_config = getattr(plugin, "config", None)
    if plugin_config is not None and getattr(plugin_config, "languages", None):
        pairs = [(lang.locale, lang.default) for lang in plugin_config.languages]
        return _validated(pairs, "the i18n plugin")
    path = getattr(config, "config_file_path", None) or (
        config.get("config_file_path") if isinstance(config, Mapping) else None
    )
    return _settings(Path(path) if path else None)


def locales(config: Any = None) -> list[str]:
    """Every language's locale, in mkdocs.yml's order (``["en", "zh-TW"]``).

    *config* is a MkDocs config (in a hook), a path to an mkdocs.yml, or None for
    the repository's mkdocs.yml.
    """
    return list(_settings(config)[0])


def default_locale(config: Any = None) -> str:
    """The locale marked ``default: true``: its pages have no suffix and live at the root."""
    return _settings(config)[1]


def translations(config: Any = None) -> list[str]:
    """The locales other than the default one, in mkdocs.yml's order."""
    everything, default = _settings(config)
    return [locale for locale in everything if locale != default]


def suffix(locale: str, config: Any = None) -> str:
    """A language's file suffix in the suffix layout: ``""`` or ``".zh-TW"``."""
    _known(locale, config)
    return "" if locale == default_locale(config) else f".{locale}"


def site_prefix(locale: str, config: Any = None) -> str:
    """Where a language's pages live below the site root: ``""`` or ``"zh-TW/"``."""
    _known(locale, config)
    return "" if locale == default_locale(config) else f"{locale}/"


def _known(locale: str, config: Any) -> None:
    if locale not in locales(config):
        raise LanguageError(f"expected a language among {locales(config)}, got {locale!r}")


def split_locale(src_uri: str, config: Any = None) -> tuple[str | None, str]:
    """The locale suffix of a file and its name without it, or None for no suffix.

    ``a.zh-TW.md`` -> ``("zh-TW", "a.md")``; ``labs/x.ipynb`` -> ``(None, "labs/x.ipynb")``.
    """
    path = PurePosixPath(src_uri)
    stem = path.name.removesuffix(path.suffix)
    for locale in translations(config):
        if stem.endswith(f".{locale}"):
            name = stem.removesuffix(f".{locale}") + path.suffix
            return locale, str(path.with_name(name))
    return None, src_uri


def page_locale(src_uri: str, config: Any = None) -> str:
    """The language of a file of docs/ in the suffix layout.

    ``x.zh-TW.md`` and ``labs/x.zh-TW.ipynb`` -> ``"zh-TW"``; ``x.md`` -> the default.
    """
    return split_locale(src_uri, config)[0] or default_locale(config)


def words_for(table: Mapping[str, T], locale: str, where: str) -> T:
    """*table*'s words for *locale*; a clear error naming *where* to add them."""
    if locale not in table:
        raise LanguageError(
            f"{where} has no words for {locale!r}, a language that mkdocs.yml lists: "
            f"add a {locale!r} entry there (it has {', '.join(sorted(table))})"
        )
    return table[locale]


def missing_words(table: Mapping[str, Any], config: Any = None, *, only: str = "all") -> list[str]:
    """The locales that *table* has no entry for.

    *only* is ``"all"`` (every language) or ``"translations"`` (a table of what
    changes from the default language, such as hooks/ui_strings.py's).
    """
    wanted = translations(config) if only == "translations" else locales(config)
    return [locale for locale in wanted if locale not in table]


def require_words(
    table: Mapping[str, Any], where: str, config: Any = None, *, only: str = "all"
) -> None:
    """Raise [`LanguageError`][] (a ValueError) unless *table* has every language's words."""
    missing = missing_words(table, config, only=only)
    if missing:
        raise LanguageError(
            f"{where} has no words for {', '.join(repr(m) for m in missing)}, which "
            f"mkdocs.yml lists under the i18n plugin: add {'it' if len(missing) == 1 else 'them'} "
            "there (CONTRIBUTING.md, 'Adding a language')"
        )
