"""Results of the site build's expensive steps, kept between builds.

Executing the lab notebooks, typesetting every formula with KaTeX and turning
every chapter into a section of the print page take most of a build, and give
the same result as long as their inputs are the same. This module keeps each
result under a key made from everything it depends on, so a result is reused
only when nothing it was made from changed:

* the step's own inputs (a notebook's bytes, a formula's TeX, a chapter's HTML);
* the code that does the step (the hook's source, and for notebooks the
  ``autograd_guide`` package they import);
* the versions of every installed distribution (PyTorch, nbconvert, KaTeX's
  runner, ...) and ``constraints.txt``, the Python version, and this module.

Only results are stored, never failures: a lab cell that raises or a formula
KaTeX rejects fails the build again on the next build.

The cache lives in ``.cache/`` at the repository's root (git-ignored).
``AUTOGRAD_GUIDE_CACHE`` names another folder; ``AUTOGRAD_GUIDE_CACHE=off``
turns caching off, which the tests use to build once without it. ``make clean``
removes it.

This is a plain module that the hooks import (MkDocs puts ``hooks/`` on
``sys.path`` while it loads a hook), not a hook itself. Being imported the
usual way, it stays in ``sys.modules`` when ``mkdocs serve`` reloads the hooks
for a rebuild, so what it holds in memory outlives the rebuild too.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import inspect
import json
import os
import platform
import sys
import tempfile
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

#: The repository: the folder that holds hooks/, src/ and constraints.txt.
ROOT = Path(__file__).resolve().parent.parent

#: The environment variable that moves the cache or, set to ``off``, disables it.
ENV = "AUTOGRAD_GUIDE_CACHE"

#: Values of ``ENV`` that turn the cache off.
OFF = {"off", "0", "false", "no"}

#: Raised when the way results are stored changes, so old entries are not read.
FORMAT = "1"


def cache_root() -> Path | None:
    """The cache folder, or None when caching is turned off."""
    value = os.environ.get(ENV, "").strip()
    if value.lower() in OFF:
        return None
    return Path(value).expanduser() if value else ROOT / ".cache"


def digest(*parts: str | bytes) -> str:
    """A SHA-256 of several parts; each part's length goes in too, so parts cannot run together."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def files_digest(paths: Iterable[Path]) -> str:
    """A digest of files and, for a folder, every file under it (caches and bytecode left out)."""
    parts: list[str | bytes] = []
    for path in paths:
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if not file.is_file() or "__pycache__" in file.parts or file.suffix == ".pyc":
                continue
            parts += [file.relative_to(ROOT).as_posix() if file.is_relative_to(ROOT) else str(file)]
            parts += [file.read_bytes()]
    return digest(*parts)


@cache
def environment_digest() -> str:
    """What every cached result depends on: installed versions, pins, Python, this module.

    Computed once per process: installing a package while ``mkdocs serve`` runs
    needs a restart anyway.
    """
    installed = sorted(
        f"{dist.metadata['Name']}=={dist.version}".lower()
        for dist in importlib.metadata.distributions()
        if dist.metadata["Name"]
    )
    constraints = ROOT / "constraints.txt"
    return digest(
        FORMAT,
        sys.version,
        platform.machine(),
        "\n".join(installed),
        constraints.read_bytes() if constraints.is_file() else b"",
        Path(__file__).read_bytes(),
    )


def key(*parts: str | bytes) -> str:
    """The key of a result made from ``parts``, in this environment."""
    return digest(environment_digest(), *parts)


def _write_atomically(path: Path, data: bytes) -> None:
    """Write a whole file or nothing, so a reader never sees half a result."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Store:
    """One kind of result (``lab``, ``print``), one file per key, in the cache folder."""

    def __init__(self, kind: str, suffix: str = ".json") -> None:
        if not kind or "/" in kind:
            raise ValueError(f"expected a folder name such as 'lab', got {kind!r}")
        self.kind = kind
        self.suffix = suffix

    def path(self, key: str) -> Path | None:
        root = cache_root()
        return None if root is None else root / self.kind / f"{key}{self.suffix}"

    def get(self, key: str) -> bytes | None:
        path = self.path(key)
        if path is None:
            return None
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None

    def put(self, key: str, data: bytes) -> None:
        path = self.path(key)
        if path is not None:
            _write_atomically(path, data)

    def get_json(self, key: str) -> Any:
        data = self.get(key)
        return None if data is None else json.loads(data)

    def put_json(self, key: str, value: Any) -> None:
        self.put(key, json.dumps(value, ensure_ascii=False).encode("utf-8"))

    def text(self, key: str, compute: Callable[[], str]) -> str:
        """The stored text under ``key``, or ``compute()``'s, stored if it returns."""
        data = self.get(key)
        if data is not None:
            return data.decode("utf-8")
        value = compute()
        self.put(key, value.encode("utf-8"))
        return value


class Memo:
    """Many small results (one per formula) in one append-only file per key.

    A formula's HTML is a few kilobytes and a page has hundreds, so they share
    a file: ``<kind>/<key>.jsonl``, one ``[input, result]`` line per result,
    loaded once per process. Each new result is appended as it is made, in
    one write that starts on a new line, so builds running at the same time
    add to the file without a lock, and a line cut short by a killed build
    costs only that line (it is skipped, and computed again).
    """

    def __init__(self, kind: str, file_key: str) -> None:
        self.store = Store(kind, ".jsonl")
        self.file_key = file_key
        self._results: dict[str, str] | None = None

    def _loaded(self) -> dict[str, str]:
        if self._results is None:
            self._results = {}
            data = self.store.get(self.file_key) or b""
            for line in data.splitlines():
                try:
                    given, result = json.loads(line)
                except ValueError:
                    continue  # an empty or cut line
                if isinstance(given, str) and isinstance(result, str):
                    self._results[given] = result
        return self._results

    def get(self, given: str, compute: Callable[[str], str]) -> str:
        """The result for ``given``; ``compute(given)`` when there is none yet."""
        results = self._loaded()
        if given in results:
            return results[given]
        result = compute(given)
        results[given] = result
        path = self.store.path(self.file_key)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            line = "\n" + json.dumps([given, result], ensure_ascii=False) + "\n"
            with path.open("ab") as file:
                file.write(line.encode("utf-8"))
        return result


#: Memos by folder, kind and key, so ``mkdocs serve`` keeps them loaded across rebuilds.
_memos: dict[tuple[Path | None, str, str], Memo] = {}


def memo(kind: str, file_key: str) -> Memo:
    """The process's memo of ``kind`` for ``file_key`` (read from disk once)."""
    where = (cache_root(), kind, file_key)
    if where not in _memos:
        _memos[where] = Memo(kind, file_key)
    return _memos[where]


def call(kind: str, function: Callable[..., str], *args: Any) -> str:
    """``function(*args)``, stored under ``kind`` and kept until its inputs change.

    The key is the arguments (JSON: strings, numbers, lists, dicts), the
    function's name and the source file it is defined in, and the environment.
    For a function whose result depends on nothing else.
    """
    source = Path(inspect.getfile(function)).read_bytes()
    arguments = json.dumps(args, sort_keys=True, ensure_ascii=False)
    entry = key(kind, function.__qualname__, source, arguments)
    return Store(kind, ".html").text(entry, lambda: function(*args))
