"""The site builds with ``--strict``: a broken build shows up once, as itself."""

from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup


def test_the_site_builds_strict_in_both_languages(site_dir: Path) -> None:
    assert (site_dir / "index.html").is_file()
    assert (site_dir / "zh-TW" / "index.html").is_file()


def links_leaving_the_language(site_dir: Path, lang: str) -> tuple[int, list[str]]:
    """API cross-references on a language's pages, and those that lead to another language.

    The i18n plugin builds each language with the same autorefs plugin, so the zh-TW build
    knows both API references; without ``resolve_closest`` a Chinese page linked to the
    English one.
    """
    root = site_dir / lang if lang != "en" else site_dir
    count, leaving = 0, []
    for page in sorted(root.rglob("index.html")):
        relative = page.relative_to(site_dir).parent.as_posix()
        if lang == "en" and relative.split("/")[0] == "zh-TW":
            continue
        base = f"http://site/{relative}/" if relative != "." else "http://site/"
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for link in soup.select("a.autorefs-internal[href]"):
            count += 1
            target = urlsplit(urljoin(base, link["href"])).path
            in_chinese = target.startswith("/zh-TW/")
            if in_chinese != (lang == "zh-TW"):
                leaving.append(f"{relative}: {link['href']}")
    return count, leaving


def test_api_cross_references_stay_in_the_readers_language(site_dir: Path) -> None:
    for lang in ("en", "zh-TW"):
        count, leaving = links_leaving_the_language(site_dir, lang)
        assert count > 0, f"no API cross-reference found on the {lang} pages"
        assert leaving == [], leaving
