"""MkDocs hook: publish each chapter's notebook and link it from the chapter.

``tools/notebooks.py`` writes ``notebooks/<lang>/<page>.ipynb`` at the top of
the repository, not in ``docs/``: the doc-tests and the parity test read every
file there. This hook copies them into the built site at
``notebooks/<lang>/``, and gives each page that has a notebook a
``chapter_notebook`` template variable, which
``overrides/partials/notebook-links.html`` turns into a "Download notebook"
and an "Open in Colab" button. A page without a notebook gets none, so the
buttons show on chapters only.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path, PurePosixPath
from typing import Any

import languages  # hooks/languages.py: MkDocs puts hooks/ on sys.path

#: The folder of the generated notebooks, next to docs/, and in the built site.
NOTEBOOKS = "notebooks"

#: The branch Colab opens the notebooks from.
BRANCH = "main"

GITHUB = re.compile(r"https://github\.com/(?P<repository>[\w.-]+/[\w.-]+?)(?:\.git)?/?")


def _root(config: Any) -> Path:
    """The repository: the folder that holds docs/ (and notebooks/)."""
    return Path(config.docs_dir).resolve().parent


def page_notebook(src_uri: str, locale: str | None, config: Any = None) -> tuple[str, str]:
    """The language and chapter name of a page's notebook, from its source file.

    The file's locale suffix wins; a file without one is in *locale* (the
    language static-i18n is building it for) or else the default language.
    """
    # A chapter (x.md) and its lab (labs/x.ipynb, hooks/labs.py) share a notebook.
    suffixed, plain = languages.split_locale(src_uri, config)
    name = PurePosixPath(plain).name.removesuffix(".md").removesuffix(".ipynb")
    return suffixed or locale or languages.default_locale(config), name


def colab_url(repo_url: str | None, lang: str, name: str) -> str | None:
    """Colab's address for a notebook in the GitHub repository, if there is one."""
    match = GITHUB.fullmatch(repo_url or "")
    if match is None:
        return None
    return (
        "https://colab.research.google.com/github/"
        f"{match['repository']}/blob/{BRANCH}/{NOTEBOOKS}/{lang}/{name}.ipynb"
    )


def on_env(env: Any, **_: Any) -> Any:
    """overrides/partials/notebook-links.html picks its labels with words_for."""
    env.globals["words_for"] = languages.words_for
    return env


def on_page_context(context: dict[str, Any], page: Any, config: Any, **_: Any) -> dict[str, Any]:
    """Tell the template about the page's notebook, if it has one.

    The download link is relative to the page, so it works under any site
    address; static-i18n builds zh-TW pages as ``zh-TW/<page>/`` into the
    same site folder.
    """
    lang, name = page_notebook(page.file.src_uri, getattr(page.file, "locale", None), config)
    if (_root(config) / NOTEBOOKS / lang / f"{name}.ipynb").is_file():
        depth = page.url.count("/") if page.url else 0
        context["chapter_notebook"] = {
            "lang": lang,
            "download": "../" * depth + f"{NOTEBOOKS}/{lang}/{name}.ipynb",
            "script": "../" * depth + f"{NOTEBOOKS}/{lang}/{name}.py",
            "colab": colab_url(config.repo_url, lang, name),
            # The file a reader saves: both languages' notebooks are <name>.ipynb on
            # the site, and the second download would overwrite or rename the first.
            "filename": name + languages.suffix(lang, config),
        }
    return context


def notebook_script(notebook: dict[str, Any]) -> str:
    """A notebook as a Python file, for readers who do not use Jupyter.

    The percent format (``# %%`` before each cell, Markdown as comments) runs as a
    plain script, and editors such as VS Code and Spyder, and Jupytext, still see
    the cells. Made from the notebook, so page, notebook and script never disagree.
    """
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise ValueError("expected a notebook: a JSON object with a 'cells' list")
    parts = []
    for cell in notebook["cells"]:
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        if cell["cell_type"] == "code":
            parts.append("# %%\n" + source.rstrip() + "\n")
        elif cell["cell_type"] == "markdown":
            lines = [f"# {line}".rstrip() for line in source.rstrip().splitlines()]
            parts.append("# %% [markdown]\n" + "\n".join(lines) + "\n")
    return "\n".join(parts)


def on_post_build(config: Any, **_: Any) -> None:
    """Copy every notebook into the site with its .py (again after each language's build)."""
    source = _root(config) / NOTEBOOKS
    target = Path(config.site_dir) / NOTEBOOKS
    for notebook in sorted(source.glob("*/*.ipynb")):
        destination = target / notebook.parent.name / notebook.name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(notebook, destination)
        script = notebook_script(json.loads(notebook.read_text(encoding="utf-8")))
        destination.with_suffix(".py").write_text(script, encoding="utf-8")
