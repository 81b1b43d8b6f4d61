"""The site builds with ``--strict``: a broken build shows up once, as itself."""

from pathlib import Path


def test_the_site_builds_strict_in_both_languages(site_dir: Path) -> None:
    assert (site_dir / "index.html").is_file()
    assert (site_dir / "zh-TW" / "index.html").is_file()
