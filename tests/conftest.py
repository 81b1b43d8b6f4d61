"""One strict build of the site per test run, shared by every test that needs a site.

The browser tests, the built-HTML checks and the 404 tests all read the same
build. Under pytest-xdist each worker has its own session, so the build is kept
in the run's shared temporary folder behind a file lock: the first worker to
ask builds it, the others wait and reuse it. A later run builds again, so a
test never looks at a stale site.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock

ROOT = Path(__file__).resolve().parent.parent
#: Written into the build folder once the build succeeded, so a failed or
#: interrupted build is never mistaken for a finished one.
BUILT_MARK = ".build-complete"


def build_site(out: Path) -> Path:
    """Run ``mkdocs build --strict`` into *out*; a failure stops with mkdocs' own output."""
    mkdocs = Path(sys.executable).parent / "mkdocs"
    result = subprocess.run(
        [str(mkdocs), "build", "--strict", "--quiet", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stderr[-6000:]}", pytrace=False)
    (out / BUILT_MARK).write_text("", encoding="utf-8")
    return out


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The folder of this run's strict build of the whole site."""
    if worker_id == "master":  # not under xdist: this session is the whole run
        return build_site(tmp_path_factory.mktemp("site"))
    shared = tmp_path_factory.getbasetemp().parent  # the same folder for every worker
    out = shared / "site"
    with FileLock(str(shared / "site.lock")):
        if not (out / BUILT_MARK).exists():
            build_site(out)
    return out
