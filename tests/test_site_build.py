"""The site builds with ``--strict``: a broken build shows up once, as itself."""

from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from repo_modules import load

languages = load("hooks/languages.py")


def test_the_site_builds_strict_in_both_languages(site_dir: Path) -> None:
    for lang in languages.locales():
        assert (site_dir / languages.site_prefix(lang) / "index.html").is_file(), lang


def language_of(path: str) -> str:
    """The language of a site address's path: its first folder, if that is a locale."""
    first = path.lstrip("/").split("/")[0]
    return first if first in languages.translations() else languages.default_locale()


def links_leaving_the_language(site_dir: Path, lang: str) -> tuple[int, list[str]]:
    """API cross-references on a language's pages, and those that lead to another language.

    The i18n plugin builds each language with the same autorefs plugin, so the zh-TW build
    knows both API references; without ``resolve_closest`` a Chinese page linked to the
    English one.
    """
    root = site_dir / languages.site_prefix(lang)
    count, leaving = 0, []
    for page in sorted(root.rglob("index.html")):
        relative = page.relative_to(site_dir).parent.as_posix()
        if language_of(relative) != lang:
            continue
        base = f"http://site/{relative}/" if relative != "." else "http://site/"
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for link in soup.select("a.autorefs-internal[href]"):
            count += 1
            target = urlsplit(urljoin(base, link["href"])).path
            if language_of(target) != lang:
                leaving.append(f"{relative}: {link['href']}")
    return count, leaving


def test_api_cross_references_stay_in_the_readers_language(site_dir: Path) -> None:
    for lang in languages.locales():
        count, leaving = links_leaving_the_language(site_dir, lang)
        assert count > 0, f"no API cross-reference found on the {lang} pages"
        assert leaving == [], leaving
