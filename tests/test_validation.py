"""The strict build fails on a page left out of nav and on a link to a missing anchor.

MkDocs only logs both at INFO unless ``validation:`` raises them to warnings, which
``--strict`` turns into a failed build. These tests build a tiny site with the real
mkdocs.yml's ``validation:`` section, so they fail if that section loses a setting.
"""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its !ENV and !!python/name tags."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def site_validation() -> dict:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader)
    return config.get("validation", {})


def build(
    tmp_path: Path, pages: dict[str, str], nav: list[str], validation: dict
) -> subprocess.CompletedProcess[str]:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    config = {
        "site_name": "Validation test",
        "docs_dir": str(docs),
        "site_dir": str(tmp_path / "site"),
        "theme": {"name": "mkdocs"},
        "nav": nav,
        "validation": validation,
    }
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PAGES = {
    "index.md": "# Home\n\nSee [the chain rule](gradients.md#the-chain-rule).\n",
    "gradients.md": "# Gradients\n\n## The chain rule\n\nProducts along paths.\n",
}


def test_the_tiny_site_builds_when_nothing_is_wrong(tmp_path: Path) -> None:
    result = build(tmp_path, PAGES, ["index.md", "gradients.md"], site_validation())
    assert result.returncode == 0, result.stderr


def test_a_page_left_out_of_nav_fails_the_strict_build(tmp_path: Path) -> None:
    result = build(tmp_path, PAGES, ["index.md"], site_validation())
    assert result.returncode != 0
    assert "gradients.md" in result.stderr
    assert 'not included in the "nav"' in result.stderr


def test_a_link_to_a_missing_anchor_fails_the_strict_build(tmp_path: Path) -> None:
    pages = dict(PAGES, **{"index.md": "# Home\n\nSee [it](gradients.md#the-chane-rule).\n"})
    result = build(tmp_path, pages, ["index.md", "gradients.md"], site_validation())
    assert result.returncode != 0
    assert "#the-chane-rule" in result.stderr


def test_a_link_to_a_missing_anchor_on_the_same_page_fails_too(tmp_path: Path) -> None:
    pages = dict(PAGES, **{"index.md": "# Home\n\n## Start\n\nBack to [start](#strat).\n"})
    result = build(tmp_path, pages, ["index.md", "gradients.md"], site_validation())
    assert result.returncode != 0
    assert "#strat" in result.stderr


@pytest.mark.parametrize("setting", ["omitted_files", "not_found", "absolute_links"])
def test_nav_checks_are_warnings(setting: str) -> None:
    assert site_validation()["nav"][setting] == "warn"


@pytest.mark.parametrize("setting", ["not_found", "anchors", "unrecognized_links"])
def test_link_checks_are_warnings(setting: str) -> None:
    assert site_validation()["links"][setting] == "warn"
