"""``make serve`` (mkdocs serve --dirty): a package edit rebuilds the pages made from it."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from repo_modules import ROOT, load

dirty_serve = load("hooks/dirty_serve.py")


def _page(site: Path, src_uri: str, dest: str) -> SimpleNamespace:
    built = site / dest
    built.parent.mkdir(parents=True, exist_ok=True)
    built.write_text("<html></html>", encoding="utf-8")
    os.utime(built, (1_000, 1_000))
    page = SimpleNamespace(src_uri=src_uri, abs_dest_path=str(built))
    page.is_documentation_page = lambda: True
    page.is_modified = lambda: False  # as MkDocs judges it: the Markdown is older
    return page


@pytest.fixture
def site(tmp_path: Path) -> tuple[SimpleNamespace, list[SimpleNamespace]]:
    (tmp_path / "src" / "autograd_guide").mkdir(parents=True)
    (tmp_path / "src" / "autograd_guide" / "checks.py").write_text("'''Edited.'''\n", "utf-8")
    config = SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"))
    out = tmp_path / "site"
    files = [
        _page(out, "reference.md", "reference/index.html"),
        _page(out, "reference.zh-TW.md", "zh-TW/reference/index.html"),
        _page(out, "labs/linear-regression.ipynb", "labs/linear-regression/index.html"),
        _page(out, "gradients.md", "gradients/index.html"),
    ]
    return config, files


def test_a_package_edit_rebuilds_the_reference_and_the_labs_under_dirty_serve(
    site: tuple[SimpleNamespace, list[SimpleNamespace]], monkeypatch: pytest.MonkeyPatch
) -> None:
    config, files = site
    monkeypatch.setattr("sys.argv", ["mkdocs", "serve", "--dirty"])
    dirty_serve.on_files(files, config)
    assert [file.is_modified() for file in files] == [True, True, True, False]


def test_an_unchanged_package_rebuilds_nothing(
    site: tuple[SimpleNamespace, list[SimpleNamespace]], monkeypatch: pytest.MonkeyPatch
) -> None:
    config, files = site
    for file in files:
        os.utime(file.abs_dest_path)  # built after the package's last edit
    monkeypatch.setattr("sys.argv", ["mkdocs", "serve", "--dirty"])
    dirty_serve.on_files(files, config)
    assert not any(file.is_modified() for file in files)


@pytest.mark.parametrize("argv", [["mkdocs", "serve"], ["mkdocs", "build", "--dirty"]])
def test_only_dirty_serve_is_touched(
    site: tuple[SimpleNamespace, list[SimpleNamespace]],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
) -> None:
    config, files = site
    monkeypatch.setattr("sys.argv", argv)
    dirty_serve.on_files(files, config)
    assert not any(file.is_modified() for file in files)


def test_make_serve_is_dirty_and_watches_the_package() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "SERVE_FLAGS ?= --dirty\n" in makefile
    assert "$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 $(SERVE_FLAGS)" in makefile
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "\nwatch:\n  - src\n" in config
    assert "  - hooks/dirty_serve.py\n" in config
