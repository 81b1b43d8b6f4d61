"""The build cache (hooks/build_cache.py): a result is reused only while its inputs are unchanged.

Each kind of cached work is checked the same way: a change to one input gives
a new key (the old result is not used), a hit gives what a fresh computation
gives, and a failure is never stored.
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import nbformat
import pytest
from mkdocs.structure.toc import get_toc

from repo_modules import ROOT, load

build_cache = load("hooks/build_cache.py")
katex = load("hooks/katex_render.py")
lab_cache = load("hooks/lab_cache.py")
print_page = load("hooks/print_page.py")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder for this test, as ``AUTOGRAD_GUIDE_CACHE`` names it."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(build_cache.ENV, str(folder))
    return folder


def test_the_cache_folder_is_dot_cache_unless_the_variable_moves_or_disables_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(build_cache.ENV, raising=False)
    assert build_cache.cache_root() == ROOT / ".cache"
    monkeypatch.setenv(build_cache.ENV, str(tmp_path))
    assert build_cache.cache_root() == tmp_path
    monkeypatch.setenv(build_cache.ENV, "off")
    assert build_cache.cache_root() is None
    assert build_cache.Store("lab").get("any") is None


def test_dot_cache_is_not_committed() -> None:
    assert ".cache/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_parts_of_a_key_cannot_run_together() -> None:
    assert build_cache.digest("ab", "c") != build_cache.digest("a", "bc")
    assert build_cache.digest("ab", "c") == build_cache.digest(b"ab", b"c")


def test_a_key_changes_with_the_pinned_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build_cache, "ROOT", tmp_path)
    pins = tmp_path / "constraints.txt"
    keys = []
    for pinned in ("torch==2.4.0", "torch==2.5.0"):
        pins.write_text(pinned, encoding="utf-8")
        build_cache.environment_digest.cache_clear()
        keys.append(build_cache.key("lab", b"same notebook"))
    build_cache.environment_digest.cache_clear()
    assert keys[0] != keys[1]


def test_a_folder_digest_changes_with_any_file_under_it_but_not_with_bytecode(
    tmp_path: Path,
) -> None:
    package = tmp_path / "package"
    (package / "__pycache__").mkdir(parents=True)
    module = package / "module.py"
    module.write_text("A = 1\n", encoding="utf-8")
    before = build_cache.files_digest([package])
    (package / "__pycache__" / "module.cpython-311.pyc").write_bytes(b"\0")
    assert build_cache.files_digest([package]) == before
    module.write_text("A = 2\n", encoding="utf-8")
    assert build_cache.files_digest([package]) != before
    module.write_text("A = 1\n", encoding="utf-8")
    (package / "data.csv").write_text("x\n", encoding="utf-8")
    assert build_cache.files_digest([package]) != before


def test_a_result_is_stored_whole_and_a_failure_not_at_all(cache: Path) -> None:
    store = build_cache.Store("demo", ".html")
    assert store.text("k", lambda: "<p>made</p>") == "<p>made</p>"
    assert store.text("k", lambda: "<p>made again</p>") == "<p>made</p>"  # a hit

    def fails() -> str:
        raise RuntimeError("broken input")

    with pytest.raises(RuntimeError, match="broken input"):
        store.text("other", fails)
    assert store.get("other") is None
    assert sorted(path.name for path in (cache / "demo").iterdir()) == ["k.html"]


def test_a_memo_survives_a_line_cut_short_by_a_killed_build(cache: Path) -> None:
    memo = build_cache.Memo("demo", "file")
    assert memo.get("a", str.upper) == "A"
    assert memo.get("b", str.upper) == "B"
    path = cache / "demo" / "file.jsonl"
    path.write_bytes(path.read_bytes() + b'\n["c", "C')  # a build killed mid-write
    again = build_cache.Memo("demo", "file")
    assert again.get("a", lambda _: "recomputed") == "A"
    assert again.get("c", lambda _: "recomputed") == "recomputed"
    assert again.get("d", str.upper) == "D"
    assert build_cache.Memo("demo", "file").get("d", lambda _: "recomputed") == "D"


def test_a_typeset_formula_from_the_cache_is_the_one_katex_makes(cache: Path) -> None:
    fresh = katex.render("\\frac{a}{b}", True)
    assert katex.cached_render("\\frac{a}{b}", True) == fresh
    (stored,) = (cache / "katex").glob("*.jsonl")
    assert "\\\\frac{a}{b}" in stored.read_text(encoding="utf-8")
    reloaded = build_cache.Memo("katex", stored.stem)
    assert reloaded.get("display \\frac{a}{b}", lambda _: "not cached") == fresh
    # inline and display typesetting of one formula are two results
    assert katex.cached_render("\\frac{a}{b}", False) == katex.render("\\frac{a}{b}", False)


def test_a_formula_katex_rejects_is_not_kept_and_fails_every_time(cache: Path) -> None:
    for _ in range(2):
        with pytest.raises(katex.FormulaError, match="frac"):
            katex.cached_render("\\frac{a", False)
    stored = "".join(path.read_text(encoding="utf-8") for path in cache.rglob("*.jsonl"))
    assert "\\\\frac{a" not in stored.replace("\\\\frac{a}", "")


def test_another_katex_build_is_another_cache_file(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    katex.cached_render("x^2", False)
    newer = tmp_path / "katex.min.js"
    newer.write_bytes(katex.KATEX_JS.read_bytes() + b"\n// another release\n")
    monkeypatch.setattr(katex, "KATEX_JS", newer)
    katex._memo_key.cache_clear()
    try:
        katex.cached_render("x^2", False)
    finally:
        katex._memo_key.cache_clear()
    assert len(list((cache / "katex").glob("*.jsonl"))) == 2


def _module(path: Path, body: str) -> Any:
    """A module written to ``path`` with ``body`` and loaded from there."""
    path.write_text(body, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"cached_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_cached_call_is_made_again_when_its_code_or_its_input_changes(
    cache: Path, tmp_path: Path
) -> None:
    source = tmp_path / "section.py"
    first = _module(source, "def section(html):\n    return '<section>' + html\n")
    assert build_cache.call("demo", first.section, "<p>a</p>") == "<section><p>a</p>"
    assert build_cache.call("demo", first.section, "<p>b</p>") == "<section><p>b</p>"
    edited = _module(source, "def section(html):\n    return '<article>' + html\n")
    assert build_cache.call("demo", edited.section, "<p>a</p>") == "<article><p>a</p>"


def test_a_print_section_from_the_cache_is_the_one_made_fresh(cache: Path) -> None:
    args = ('<h2 id="a">A</h2><a href="#a">up</a>', "gradients", "gradients/", "print/", {})
    fresh = print_page.whole_page_section(*args)
    assert build_cache.call("print", print_page.whole_page_section, *args) == fresh
    assert len(list((cache / "print").iterdir())) == 1
    assert build_cache.call("print", print_page.whole_page_section, *args) == fresh
    assert len(list((cache / "print").iterdir())) == 1


# The labs --------------------------------------------------------------------


def test_a_lab_key_changes_with_the_notebook_the_package_and_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "autograd_guide"
    package.mkdir()
    (package / "regression.py").write_text("STEPS = 100\n", encoding="utf-8")
    monkeypatch.setattr(lab_cache, "PACKAGE", package)
    notebook = tmp_path / "lab.ipynb"
    notebook.write_text('{"cells": []}', encoding="utf-8")
    settings = {"execute": True, "allow_errors": False}
    key = lab_cache.lab_key(notebook, settings)
    assert lab_cache.lab_key(notebook, dict(settings)) == key
    (package / "regression.py").write_text("STEPS = 200\n", encoding="utf-8")
    assert lab_cache.lab_key(notebook, settings) != key
    (package / "regression.py").write_text("STEPS = 100\n", encoding="utf-8")
    notebook.write_text('{"cells": [1]}', encoding="utf-8")
    assert lab_cache.lab_key(notebook, settings) != key
    notebook.write_text('{"cells": []}', encoding="utf-8")
    assert lab_cache.lab_key(notebook, {**settings, "allow_errors": True}) != key


def test_a_table_of_contents_comes_back_from_the_cache_as_it_was() -> None:
    tokens = [
        {
            "level": 1,
            "id": "fit",
            "name": "Fit",
            "children": [{"level": 2, "id": "data", "name": "Data", "children": []}],
        }
    ]
    toc = get_toc(tokens)
    assert lab_cache.toc_tokens(toc) == tokens
    assert str(get_toc(lab_cache.toc_tokens(toc))) == str(toc)


def test_a_failing_render_stores_nothing(cache: Path, tmp_path: Path) -> None:
    notebook = tmp_path / "lab.ipynb"
    notebook.write_text("{}", encoding="utf-8")
    page = SimpleNamespace(file=SimpleNamespace(abs_src_path=str(notebook)))

    def broken_render(config: object, files: object) -> None:
        raise RuntimeError("a broken cell")

    render = lab_cache.cached_render(page, broken_render, {})
    for _ in range(2):
        with pytest.raises(RuntimeError, match="a broken cell"):
            render(None, None)
    assert not (cache / "lab").exists()


def test_the_site_lists_the_lab_cache_after_mkdocs_jupyter_with_its_own_cache_off() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  - hooks/lab_cache.py\n" in config
    # mkdocs-jupyter's cache keys on the notebook alone and, under static-i18n,
    # each language's build deletes the other language's entry.
    jupyter = config[config.index("  - mkdocs-jupyter:") :]
    assert "      cache: false\n" in jupyter[: jupyter.index("  - i18n:")]


def _lab_site(root: Path, code: str, cache_folder: Path) -> subprocess.CompletedProcess[str]:
    """Build a one-language site whose lab runs ``code``, with the site's lab hooks and cache."""
    docs = root / "docs"
    (docs / "labs").mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Lab", id="title"),
            nbformat.v4.new_code_cell(code, id="code"),  # fixed ids: same code, same file
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )
    nbformat.write(notebook, docs / "labs" / "lab.ipynb")
    config = {
        "site_name": "Lab cache test",
        "theme": {"name": "material"},
        "hooks": [str(ROOT / "hooks" / "labs.py"), str(ROOT / "hooks" / "lab_cache.py")],
        "plugins": [
            {
                "mkdocs-jupyter": {
                    "include": ["labs/*.ipynb"],
                    "execute": True,
                    "allow_errors": False,
                    "cache": False,
                }
            }
        ],
        "nav": [{"Home": "index.md"}, {"Lab": "labs/lab.ipynb"}],
    }
    (root / "mkdocs.yml").write_text(json.dumps(config), encoding="utf-8")
    mkdocs = Path(sys.executable).parent / "mkdocs"
    return subprocess.run(
        [str(mkdocs), "build", "--strict", "--quiet"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", build_cache.ENV: str(cache_folder)},
    )


def _lab_html(root: Path) -> str:
    return (root / "site" / "labs" / "lab" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_lab_runs_once_until_it_changes_and_a_broken_cell_still_fails(tmp_path: Path) -> None:
    cache_folder = tmp_path / "cache"
    site = tmp_path / "site-src"
    # Prints a new token on every run: the same page twice means it was not run twice.
    code = "import secrets\nprint(secrets.token_hex(8))"
    assert _lab_site(site, code, cache_folder).returncode == 0
    fresh = _lab_html(site)
    assert len(list((cache_folder / "lab").iterdir())) == 1
    again = _lab_site(site, code, cache_folder)
    assert again.returncode == 0, again.stderr
    assert _lab_html(site) == fresh  # from the cache, and as the fresh build made it

    marker = secrets.token_hex(4)
    edited = _lab_site(site, f"{code}\nprint('{marker}')", cache_folder)
    assert edited.returncode == 0, edited.stderr
    assert marker in _lab_html(site)
    assert len(list((cache_folder / "lab").iterdir())) == 2

    broken = _lab_site(site, "raise RuntimeError('a broken cell')", cache_folder)
    assert broken.returncode != 0
    assert "a broken cell" in broken.stderr
    assert len(list((cache_folder / "lab").iterdir())) == 2  # the failure was not kept


# The steppers' recording ---------------------------------------------------


def test_a_stepper_recording_is_made_again_when_the_package_changes(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stepper_hook = load("hooks/stepper.py")
    from autograd_guide import stepper

    package = tmp_path / "autograd_guide"
    package.mkdir()
    (package / "stepper.py").write_text("CAPTION = 'one'\n", encoding="utf-8")
    monkeypatch.setattr(stepper_hook, "PACKAGE", package)
    fresh = stepper_hook.recording()
    steps = fresh["steppers"]["backward-seed"]
    assert [step["node"] for step in steps] == [f.node for f in stepper.frames("backward-seed")]
    assert steps[0]["captions"] == dict(stepper.frames("backward-seed")[0].captions)
    assert len(list((cache / "stepper").iterdir())) == 1

    stepper_hook._recordings.clear()  # a new process: read back from the folder
    assert stepper_hook.recording() == fresh
    assert len(list((cache / "stepper").iterdir())) == 1

    (package / "stepper.py").write_text("CAPTION = 'two'\n", encoding="utf-8")
    assert stepper_hook.recording() == fresh
    assert len(list((cache / "stepper").iterdir())) == 2
