"""MkDocs hook: a lab notebook is executed and converted once, until something it uses changes.

mkdocs-jupyter executes every lab on every build (with its own cache off, see
below), which was a quarter of the build's time. This hook wraps the page's
``render`` that mkdocs-jupyter installs: the rendered notebook (its HTML,
table of contents and title) is kept in the build cache (``build_cache.py``)
under a key made of

* the notebook's bytes,
* every file of the ``autograd_guide`` package (the notebook imports it),
* mkdocs-jupyter's settings in mkdocs.yml and this hook's source,
* the installed versions (PyTorch, nbconvert, ...), ``constraints.txt`` and Python.

A miss runs mkdocs-jupyter's own render, which executes the notebook with
``allow_errors: false``: a cell that raises fails the build, and nothing is
stored, so it fails again on the next build.

mkdocs-jupyter's own ``cache: true`` is not used: its key is the notebook's
bytes and settings only (an edit to the package would show stale outputs), and
it deletes every entry the current build did not use, after each build, and
mkdocs-static-i18n builds each language as a build of its own, so the English
build deletes the Chinese lab's entry and the other way round.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import build_cache
from mkdocs.plugins import event_priority
from mkdocs.structure.toc import AnchorLink, TableOfContents, get_toc

STORE = build_cache.Store("lab")

#: The package the notebooks import; a change to any file in it runs them again.
PACKAGE = build_cache.ROOT / "src" / "autograd_guide"


def toc_tokens(items: TableOfContents | list[AnchorLink]) -> list[dict[str, Any]]:
    """A table of contents as the tokens ``get_toc`` reads back."""
    return [
        {
            "level": item.level,
            "id": item.id,
            "name": item.title,
            "children": toc_tokens(item.children),
        }
        for item in items
    ]


def lab_key(notebook: Path, settings: dict[str, Any]) -> str:
    """The key of a rendered notebook: everything its HTML depends on."""
    return build_cache.key(
        "lab",
        notebook.read_bytes(),
        build_cache.files_digest([PACKAGE]),
        json.dumps(settings, sort_keys=True, default=repr),
        Path(__file__).read_bytes(),
    )


def cached_render(page: Any, render: Any, settings: dict[str, Any]) -> Any:
    """``render`` (mkdocs-jupyter's, bound to ``page``) that first looks in the cache."""

    def render_from_cache(config: Any, files: Any) -> None:
        key = lab_key(Path(page.file.abs_src_path), settings)
        found = STORE.get_json(key)
        if found is not None:
            page.content = found["content"]
            page.toc = get_toc(found["toc"])
            if found["title"] is not None:
                page.title = found["title"]
            return
        render(config, files)  # raises on a failing cell: nothing is stored
        STORE.put_json(
            key,
            {
                "content": page.content,
                "toc": toc_tokens(page.toc),
                "title": vars(page).get("title"),
            },
        )

    return render_from_cache


@event_priority(-50)  # after mkdocs-jupyter has put its render on the page
def on_pre_page(page: Any, config: Any, **_: Any) -> Any:
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter is not None and jupyter.should_include(page.file):
        page.render = cached_render(page, page.render, dict(jupyter.config))
    return page
