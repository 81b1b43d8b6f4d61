"""Load the repository's scripts that are not part of the package, for testing.

The MkDocs hooks (``hooks/``) and the notebook tool (``tools/``) are plain
files that MkDocs or a command line runs, not an importable package; the tests
load them by path.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def load(relative_path: str) -> ModuleType:
    """The module in ``ROOT/relative_path``, registered in ``sys.modules``.

    Registering matters: a dataclass looks up its module there when it is made.
    """
    path = ROOT / relative_path
    name = "repo_" + relative_path.removesuffix(".py").replace("/", "_").replace("-", "_")
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"expected a Python file at {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    # As MkDocs loads a hook: its folder is on sys.path while it runs, so the
    # hooks can import hooks/build_cache.py.
    old_path = sys.path.copy()
    sys.path.insert(0, str(path.parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = old_path
    return module
