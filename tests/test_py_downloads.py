"""Each chapter downloads as a .py file too, made from its notebook, and the file runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from repo_modules import ROOT, load

notebooks_hook = load("hooks/notebooks.py")

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*/*.ipynb"))


def test_a_notebook_becomes_a_percent_format_script() -> None:
    notebook = {
        "cells": [
            {"cell_type": "markdown", "source": ["# Gradients\n", "\n", "Some *text*."]},
            {"cell_type": "code", "source": "import torch\nprint(torch.ones(2))\n"},
        ]
    }
    assert notebooks_hook.notebook_script(notebook) == (
        "# %% [markdown]\n# # Gradients\n#\n# Some *text*.\n\n"
        "# %%\nimport torch\nprint(torch.ones(2))\n"
    )


def test_something_that_is_not_a_notebook_is_refused() -> None:
    with pytest.raises(ValueError, match="'cells' list"):
        notebooks_hook.notebook_script({"worksheets": []})


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_each_script_runs_in_a_fresh_python(notebook: Path, tmp_path: Path) -> None:
    script = tmp_path / f"{notebook.stem}.py"
    source = notebooks_hook.notebook_script(json.loads(notebook.read_text(encoding="utf-8")))
    script.write_text(source, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env=dict(os.environ, MPLBACKEND="Agg"),
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_chapters_link_their_script_and_the_site_has_it(site_dir: Path) -> None:
    assert NOTEBOOKS
    for notebook in NOTEBOOKS:
        lang, stem = notebook.parent.name, notebook.stem
        page_dir = f"{stem}/" if lang == "en" else f"{lang}/{stem}/"
        soup = BeautifulSoup(
            (site_dir / page_dir / "index.html").read_text(encoding="utf-8"), "html.parser"
        )
        links = [a["href"] for a in soup.select("nav.notebook-links a[download]")]
        scripts = [href for href in links if href.endswith(".py")]
        assert len(scripts) == 1, (page_dir, links)
        target = urlsplit(urljoin(f"http://site/{page_dir}", scripts[0])).path.lstrip("/")
        assert target == f"notebooks/{lang}/{stem}.py"
        assert (site_dir / target).read_text(encoding="utf-8").startswith("# %%")
