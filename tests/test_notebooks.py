"""The chapter notebooks: up to date, runnable top to bottom, and made right.

``tools/notebooks.py`` writes ``notebooks/<lang>/<page>.ipynb`` from the pages;
``hooks/notebooks.py`` publishes them and links them from each chapter.
"""

from __future__ import annotations

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from docharness import blocks_of
from docharness.fences import SKIP
from repo_modules import load

ROOT = Path(__file__).resolve().parent.parent


tool = load("tools/notebooks.py")
hook = load("hooks/notebooks.py")

NOTEBOOKS = sorted(tool.NOTEBOOKS.glob("*/*.ipynb"))
NOTEBOOK_IDS = [f"{path.parent.name}/{path.stem}" for path in NOTEBOOKS]

#: Notebooks running at once, one kernel each.
PARALLEL = 2
#: Seconds one cell may take.
CELL_TIMEOUT = 300


# ------------------------------------------------------------------ committed files


def test_committed_notebooks_are_up_to_date() -> None:
    problems = tool.stale(tool.expected_files())
    assert not problems, "\n".join([*problems, "run: python tools/notebooks.py"])


def test_every_chapter_has_a_notebook_in_both_languages() -> None:
    """Found from the doc-test harness, not from the generator's own reading."""
    chapters = []
    for page in sorted(tool.DOCS.glob("*.md")):
        stem = page.name.removesuffix(".md")
        if "." in stem or stem in tool.NOT_CHAPTERS:
            continue
        if any(
            block.info.language == "python" and SKIP not in block.info.classes
            for block in blocks_of(page)
        ):
            chapters.append(stem)
    assert chapters == tool.chapters()
    expected = {
        tool.NOTEBOOKS / lang / f"{stem}.ipynb" for stem in chapters for lang in tool.LANGUAGES
    }
    assert set(NOTEBOOKS) == expected


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NOTEBOOK_IDS)
def test_code_cells_are_the_pages_python_blocks(path: Path) -> None:
    """Every block the tests run, in order, as on that language's page; nothing else."""
    lang, stem = path.parent.name, path.stem
    blocks = [
        block.source.rstrip("\n")
        for block in blocks_of(tool.page_path(stem, lang))
        if block.info.language == "python" and SKIP not in block.info.classes
    ]
    notebook = nbformat.read(path, as_version=4)
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    if code and code[0].startswith(tool.WORDS[lang].install_comment):
        code = code[1:]  # the setup cell
    assert code == blocks
    assert len({cell.id for cell in notebook.cells}) == len(notebook.cells)


# ---------------------------------------------------------------------- execution


class _ThisPython(KernelSpecManager):
    """Kernels run by the interpreter running the tests: the project's venv."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        return KernelSpec(
            argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            display_name="Python 3",
            language="python",
        )


async def _execute(path: Path, workdir: Path, limit: asyncio.Semaphore) -> dict[str, Any]:
    async with limit:
        notebook = nbformat.read(path, as_version=4)
        manager = AsyncKernelManager(kernel_name="python3", kernel_spec_manager=_ThisPython())
        client = NotebookClient(
            notebook,
            km=manager,
            timeout=CELL_TIMEOUT,
            resources={"metadata": {"path": str(workdir)}},
        )
        try:
            await client.async_execute()
        except CellExecutionError as err:
            return {"notebook": notebook, "error": str(err)}
        return {"notebook": notebook, "error": None}


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, dict[str, Any]]:
    """Every notebook run top to bottom in a fresh kernel, PARALLEL at a time."""

    async def run_all() -> list[dict[str, Any]]:
        limit = asyncio.Semaphore(PARALLEL)
        return await asyncio.gather(
            *(_execute(path, tmp_path_factory.mktemp(path.stem), limit) for path in NOTEBOOKS)
        )

    # A thread of its own: Playwright's sync API may hold a running loop in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        results = pool.submit(asyncio.run, run_all()).result()
    return dict(zip(NOTEBOOKS, results, strict=True))


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=NOTEBOOK_IDS)
def test_notebook_runs_and_prints_what_the_page_shows(
    path: Path, executed: dict[Path, dict[str, Any]]
) -> None:
    """One kernel for the whole chapter, as a reader runs it, and the page's outputs."""
    result = executed[path]
    assert result["error"] is None, result["error"]
    lang, stem = path.parent.name, path.stem
    expected = [
        cell.output or ""
        for cell in tool.page_cells(
            tool.page_path(stem, lang), lang, tool.links_from_mkdocs(), tool.torch_version()
        )
        if cell.kind == "code"
    ]
    cells = [cell for cell in result["notebook"].cells if cell.cell_type == "code"]
    assert len(cells) == len(expected)
    for index, (cell, output) in enumerate(zip(cells, expected, strict=True)):
        printed = "".join(
            out.get("text", "")
            for out in cell.outputs
            if out.output_type == "stream" and out.name == "stdout"
        )
        assert printed == output, (
            f"code cell {index} of {path.relative_to(ROOT)} prints other text than its page "
            f"shows, run after the cells above it:\n{cell.source}"
        )


# ------------------------------------------------------------------ the generator

SAMPLE = """---
description: "A sample page: everything the generator meets."
---

# Sample { #sample }

Intro with a [link](other.md#part), an [anchor](#here) and a figure:

![A figure](assets/figures/x.svg)

```python
import torch
from autograd_guide.graph import trace

print(torch.tensor(1.0))
```

```text title="Output"
tensor(1.)
```

!!! warning "Careful"
    A warning with code inside.

    ```{.python .continuation}
    print(2)
    ```

    ```text title="Output"
    2
    ```

```{.python .skip title="Not run by the tests: needs a GPU"}
import torch

torch.ones(1, device="cuda")
```

=== "Tab one"

    ```python
    print("one")
    ```

    ```text
    one
    ```

## Exercise { #here }

Do it.

??? success "Solution"

    Here is how:

    ```python
    print(3)
    ```

    ```text title="Output"
    3
    ```

```bash
pip install torch
```

The end.
"""

SITE = tool.Links(site="https://owner.github.io/guide/", repository="Owner/guide")


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "sample.md").write_text(SAMPLE, encoding="utf-8")
    (docs / "sample.zh-TW.md").write_text(
        SAMPLE.replace("# Sample", "# 範例").replace("Solution", "解答"), encoding="utf-8"
    )
    (docs / "index.md").write_text("# Home\n\n```python\nprint(1)\n```\n", encoding="utf-8")
    (docs / "prose.md").write_text("# Prose only\n\n```text\nno code\n```\n", encoding="utf-8")
    return docs


def _cells(notebook: nbformat.NotebookNode, kind: str) -> list[str]:
    return [cell.source for cell in notebook.cells if cell.cell_type == kind]


def test_sample_code_cells_drop_outputs_and_skipped_blocks(sample: Path) -> None:
    notebook = tool.build_notebook(sample / "sample.md", "en", SITE, "2.13.0")
    code = _cells(notebook, "code")
    assert code[0].startswith(tool.WORDS["en"].install_comment)
    assert 'PACKAGE = "autograd-guide @ git+https://github.com/Owner/guide@main"' in code[0]
    assert code[1:] == [
        "import torch\nfrom autograd_guide.graph import trace\n\nprint(torch.tensor(1.0))",
        "print(2)",
        'print("one")',
        "print(3)",
    ]
    markdown = "\n".join(_cells(notebook, "markdown"))
    assert "tensor(1.)" not in markdown  # outputs are for the reader to produce
    assert "*Not run by the tests: needs a GPU (shown as text, not as a cell)*" in markdown
    assert '```python\nimport torch\n\ntorch.ones(1, device="cuda")\n```' in markdown
    assert "```bash\npip install torch\n```" in markdown


def test_sample_solution_is_titled_dedented_and_collapsed(sample: Path) -> None:
    notebook = tool.build_notebook(sample / "sample.md", "en", SITE)
    index = next(i for i, cell in enumerate(notebook.cells) if cell.source == "print(3)")
    solution = notebook.cells[index]
    assert solution.metadata == {"tags": ["solution"], "jupyter": {"source_hidden": True}}
    title = notebook.cells[index - 1]
    assert title.cell_type == "markdown"
    assert title.source == "> **Solution**\n>\n> Here is how:"
    assert notebook.cells[index - 2].source.endswith("Do it.")  # not joined with the title


def test_sample_prose_admonitions_tabs_and_links(sample: Path) -> None:
    notebook = tool.build_notebook(sample / "sample.md", "en", SITE, "2.13.0")
    first = notebook.cells[0].source
    assert first.startswith("# Sample\n\n*A sample page: everything the generator meets.*")
    assert "[Sample](https://owner.github.io/guide/sample/)" in first
    assert "PyTorch 2.13.0" in first
    markdown = "\n".join(_cells(notebook, "markdown"))
    assert "[link](https://owner.github.io/guide/other/#part)" in markdown
    assert "[anchor](https://owner.github.io/guide/sample/#here)" in markdown
    assert "![A figure](https://owner.github.io/guide/assets/figures/x.svg)" in markdown
    assert "> **Careful**\n>\n> A warning with code inside." in markdown
    assert "**Tab one**" in markdown
    assert "## Exercise\n" in markdown  # no { #here } left
    assert "{ #" not in markdown


def test_sample_in_chinese_links_to_the_chinese_site(sample: Path) -> None:
    notebook = tool.build_notebook(sample / "sample.zh-TW.md", "zh-TW", SITE)
    first = notebook.cells[0].source
    assert first.startswith("# 範例")
    assert "[範例](https://owner.github.io/guide/zh-TW/sample/)" in first
    assert "> **解答**" in _cells(notebook, "markdown")[-2]
    markdown = "\n".join(_cells(notebook, "markdown"))
    assert "[link](https://owner.github.io/guide/zh-TW/other/#part)" in markdown
    assert _cells(notebook, "code")[0].startswith(tool.WORDS["zh-TW"].install_comment)


def test_without_a_repository_links_point_into_the_clone(sample: Path) -> None:
    notebook = tool.build_notebook(sample / "sample.md", "en", tool.Links())
    assert "`docs/sample.md` in the guide's repository" in notebook.cells[0].source
    assert "raise ModuleNotFoundError(" in _cells(notebook, "code")[0]
    markdown = "\n".join(_cells(notebook, "markdown"))
    assert "[link](../../docs/other.md#part)" in markdown
    assert "![A figure](../../docs/assets/figures/x.svg)" in markdown


def test_no_setup_cell_without_the_package(tmp_path: Path) -> None:
    page = tmp_path / "plain.md"
    page.write_text("# Plain\n\n```python\nimport torch\n```\n", encoding="utf-8")
    notebook = tool.build_notebook(page, "en", SITE)
    assert _cells(notebook, "code") == ["import torch"]


def test_output_is_deterministic_with_stable_ids(sample: Path) -> None:
    one = tool.render(tool.build_notebook(sample / "sample.md", "en", SITE, "2.13.0"))
    two = tool.render(tool.build_notebook(sample / "sample.md", "en", SITE, "2.13.0"))
    assert one == two
    assert one.endswith("}\n")
    notebook = nbformat.reads(one, as_version=4)
    ids = [cell.id for cell in notebook.cells]
    assert len(ids) == len(set(ids))
    nbformat.validate(notebook)


def test_editing_one_block_changes_one_cell_id(sample: Path) -> None:
    before = [c.id for c in tool.build_notebook(sample / "sample.md", "en", SITE).cells]
    page = sample / "sample.md"
    page.write_text(SAMPLE.replace('print("one")', 'print("uno")'), encoding="utf-8")
    after = [c.id for c in tool.build_notebook(page, "en", SITE).cells]
    assert len(before) == len(after)
    assert sum(b != a for b, a in zip(before, after, strict=True)) == 1


def test_chapters_are_pages_with_python_bar_the_excluded(sample: Path) -> None:
    assert tool.chapters(sample) == ["sample"]


def test_expected_files_and_stale(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "notebooks"
    files = tool.expected_files(sample, out, SITE, "2.13.0")
    assert sorted(path.relative_to(out).as_posix() for path in files) == [
        "en/sample.ipynb",
        "zh-TW/sample.ipynb",
    ]
    assert tool.stale(files, out) == [
        "missing: notebooks/en/sample.ipynb",
        "missing: notebooks/zh-TW/sample.ipynb",
    ]
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert tool.stale(files, out) == []
    (out / "en" / "sample.ipynb").write_text("{}", encoding="utf-8")
    (out / "en" / "gone.ipynb").write_text("{}", encoding="utf-8")
    assert tool.stale(files, out) == [
        "out of date: notebooks/en/sample.ipynb",
        "no page for: notebooks/en/gone.ipynb",
    ]


def test_links_from_mkdocs_use_the_default_of_env(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        'site_url: !ENV [SITE_URL, "http://127.0.0.1:8000/"]\n'
        'repo_url: !ENV [REPO_URL, "https://github.com/Owner/guide"]\n'
        "x: !!python/name:material.extensions.emoji.twemoji\n",
        encoding="utf-8",
    )
    assert tool.links_from_mkdocs(config) == SITE
    config.write_text("site_name: x\n", encoding="utf-8")
    assert tool.links_from_mkdocs(config) == tool.Links()
    config.write_text("repo_url: https://gitlab.com/owner/guide\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected repo_url like https://github.com/"):
        tool.links_from_mkdocs(config)
    with pytest.raises(FileNotFoundError, match="expected the MkDocs configuration"):
        tool.links_from_mkdocs(tmp_path / "missing.yml")


def test_bad_input_is_refused(sample: Path) -> None:
    with pytest.raises(ValueError, match="expected a language among"):
        tool.build_notebook(sample / "sample.md", "fr", SITE)
    with pytest.raises(FileNotFoundError, match="expected a Markdown page"):
        tool.build_notebook(sample / "missing.md", "en", SITE)
    with pytest.raises(FileNotFoundError, match="expected a docs folder"):
        tool.chapters(sample / "nowhere")
    untitled = sample / "untitled.md"
    untitled.write_text("no title\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected a '# Title' line"):
        tool.build_notebook(untitled, "en", SITE)
    unclosed = sample / "unclosed.md"
    unclosed.write_text("# T\n\n```python\nprint(1)\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unclosed fence"):
        tool.build_notebook(unclosed, "en", SITE)


# ------------------------------------------------------------------------ the hook


def test_hook_finds_each_pages_notebook() -> None:
    assert hook.page_notebook("gradients.md", "en") == ("en", "gradients")
    assert hook.page_notebook("gradients.zh-TW.md", "zh-TW") == ("zh-TW", "gradients")
    assert hook.page_notebook("gradients.zh-TW.md", None) == ("zh-TW", "gradients")
    assert hook.colab_url("https://github.com/Owner/guide", "zh-TW", "gradients") == (
        "https://colab.research.google.com/github/Owner/guide/blob/main/"
        "notebooks/zh-TW/gradients.ipynb"
    )
    assert hook.colab_url(None, "en", "gradients") is None
    assert hook.colab_url("https://example.org/guide", "en", "gradients") is None


def test_hook_sets_the_context_on_chapters_only(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "notebooks" / "zh-TW").mkdir(parents=True)
    notebook = '{"cells": [{"cell_type": "code", "source": "print(1)"}]}'
    (tmp_path / "notebooks" / "zh-TW" / "gradients.ipynb").write_text(notebook, encoding="utf-8")
    config = SimpleNamespace(
        docs_dir=str(tmp_path / "docs"),
        site_dir=str(tmp_path / "site"),
        repo_url="https://github.com/Owner/guide",
    )

    def page(src_uri: str, url: str, locale: str) -> SimpleNamespace:
        return SimpleNamespace(url=url, file=SimpleNamespace(src_uri=src_uri, locale=locale))

    context = hook.on_page_context(
        {}, page=page("gradients.zh-TW.md", "zh-TW/gradients/", "zh-TW"), config=config
    )
    assert context["chapter_notebook"] == {
        "lang": "zh-TW",
        "download": "../../notebooks/zh-TW/gradients.ipynb",
        "script": "../../notebooks/zh-TW/gradients.py",
        "colab": hook.colab_url(config.repo_url, "zh-TW", "gradients"),
        "filename": "gradients.zh-TW",
    }
    assert "chapter_notebook" not in hook.on_page_context(
        {}, page=page("index.zh-TW.md", "zh-TW/", "zh-TW"), config=config
    )
    hook.on_post_build(config=config)
    site_notebooks = tmp_path / "site" / "notebooks" / "zh-TW"
    assert (site_notebooks / "gradients.ipynb").read_text() == notebook
    assert (site_notebooks / "gradients.py").read_text() == "# %%\nprint(1)\n"


def test_partial_renders_translated_buttons() -> None:
    from mkdocs.theme import Theme

    # As MkDocs makes it: the hook gives the templates words_for (hooks/languages.py).
    env = hook.on_env(Theme(name="material", custom_dir=str(ROOT / "overrides")).get_env())
    template = env.get_template("partials/notebook-links.html")
    assert template.render().strip() == ""
    html = template.render(
        chapter_notebook={
            "lang": "zh-TW",
            "download": "../x.ipynb",
            "script": "../x.py",
            "colab": "https://colab/x",
            "filename": "x.zh-TW",
        }
    )
    # Saved under a name of their own: the English twin is x.ipynb too.
    assert 'href="../x.ipynb"\n       download="x.zh-TW.ipynb"' in html
    assert 'href="../x.py"\n       download="x.zh-TW.py"' in html
    assert "下載筆記本" in html and "下載 .py 檔" in html and "在 Colab 開啟" in html
    assert 'href="https://colab/x"' in html
    html = template.render(
        chapter_notebook={
            "lang": "en",
            "download": "x",
            "script": "x.py",
            "colab": None,
            "filename": "x",
        }
    )
    assert "Download notebook" in html and "Download .py" in html
    assert "Colab" not in html


def test_a_figure_in_a_language_links_where_the_site_publishes_it() -> None:
    """mkdocs-static-i18n serves assets/figures/x.zh-TW.svg at zh-TW/assets/figures/x.svg."""
    assert SITE.asset("assets/figures/x.zh-TW.svg") == (
        "https://owner.github.io/guide/zh-TW/assets/figures/x.svg"
    )
    assert (
        SITE.asset("assets/figures/x.svg") == "https://owner.github.io/guide/assets/figures/x.svg"
    )
    assert (
        tool.Links().asset("assets/figures/x.zh-TW.svg") == "../../docs/assets/figures/x.zh-TW.svg"
    )
