"""MkDocs hook: under ``mkdocs serve --dirty``, a package edit rebuilds the pages made from it.

``--dirty`` (what ``make serve`` uses) rebuilds only the pages whose Markdown
file is newer than their built HTML: a saved chapter shows in about a second
or three instead of a full build. The API reference and the labs are made
from the package (``src/autograd_guide``, watched through ``watch:`` in
mkdocs.yml) as well, so a docstring or code edit there would rebuild nothing.
This hook counts those pages as changed whenever a package file is newer
than their built HTML; the labs are then taken from the build cache or run
again (hooks/lab_cache.py keys them on the package).

What ``--dirty`` still leaves stale until the server restarts (see
CONTRIBUTING.md, "The authoring loop"): the print page (it is made from every
other page, which a dirty rebuild does not render), the search index, and
navigation changes. ``make serve-full`` rebuilds everything on every save.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

#: Pages made from the package as well as from their own file.
FROM_PACKAGE = ("reference.", "labs/")


def dirty_serve() -> bool:
    """Whether this is ``mkdocs serve --dirty``, read from the command line as static-i18n does."""
    return "serve" in sys.argv and ("--dirty" in sys.argv or "--dirtyreload" in sys.argv)


def newest_change(folder: Path) -> float:
    return max((path.stat().st_mtime for path in folder.rglob("*.py")), default=0.0)


def _modified(self: Any) -> bool:
    return True


@event_priority(-120)  # after static-i18n (-100) and hooks/labs.py (-110) made the files
def on_files(files: Any, config: Any) -> Any:
    if not dirty_serve():
        return files
    package = Path(config.config_file_path).resolve().parent / "src"
    changed = newest_change(package)
    for file in files:
        if not file.src_uri.startswith(FROM_PACKAGE) or not file.is_documentation_page():
            continue
        built = Path(file.abs_dest_path)
        if not built.exists() or built.stat().st_mtime < changed:
            file.is_modified = _modified.__get__(file)
    return files
