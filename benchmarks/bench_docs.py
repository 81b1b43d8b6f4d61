"""Issue 13's table: build, live preview, doc-tests and tests, as ratios to a torch import.

Wall times are noisy on a shared machine, so every time is also printed as a
ratio to a bare ``python -c "import torch"`` measured in the same run, back to
back with the row (the mean of one import before and one after it), and each
row says whether its target is met:

* ``mkdocs build --strict``, cold (an empty build cache): at most 3x;
* the same build again with the cache the cold build filled: at most 3x;
* the same without executing the lab (no target; shows what the lab costs);
* live preview: one edit saved while ``make serve`` runs, until the server
  sends the new page; for a chapter in each language and for a docstring of
  the package (the API reference): at most 1x. Also reported: whether the
  print page and the search index still hold the edited text afterwards;
* doc-tests, one process per core (``make unit``'s way): at most 4x;
* the whole test run (``make unit``): one site build shared by every test
  that needs a site (tests/conftest.py), counted.

The builds and the live preview run in a temporary copy of the repository
(the files git tracks or would track), so editing it disturbs no one; the
copy uses this checkout's virtual environment.

    python benchmarks/bench_docs.py [--repeat N] [--skip ROW ...]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

#: Rows that can be left out with --skip, and what each one runs.
ROWS = ("cold", "warm", "no-lab", "preview", "doctests", "make-test")

#: The cache variable of hooks/build_cache.py.
CACHE_ENV = "AUTOGRAD_GUIDE_CACHE"

#: Longest wait for one live-preview edit to show, in seconds.
PREVIEW_TIMEOUT = 600.0


def wall(
    command: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None, check: bool = True
) -> float:
    """Seconds ``command`` takes; a failure stops the benchmark when ``check``, else is printed."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode != 0 and not check:
        print(f"(failed, timed anyway: {' '.join(command[:3])} ...)\n{result.stdout[-1500:]}")
    elif result.returncode != 0:
        raise SystemExit(
            f"{' '.join(command)} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
        )
    return elapsed


def copy_repository(target: Path) -> Path:
    """The working tree's files that git tracks or would track, copied to ``target``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (entry.decode() for entry in listed)):
        source = ROOT / name
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the working tree
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination, follow_symlinks=False)
    return target


def build_env(cache: Path | None) -> dict[str, str]:
    return {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        CACHE_ENV: str(cache) if cache is not None else "off",
    }


def build(repo: Path, cache: Path | None, site: Path) -> float:
    command = [str(BIN / "mkdocs"), "build", "--strict", "--quiet", "--site-dir", str(site)]
    return wall(command, cwd=repo, env=build_env(cache))


def differing_files(one: Path, other: Path) -> list[str]:
    """Files of two builds that differ (the sitemap carries the build's date)."""
    names = {path.relative_to(one) for path in one.rglob("*") if path.is_file()}
    names |= {path.relative_to(other) for path in other.rglob("*") if path.is_file()}
    return sorted(
        str(name)
        for name in names
        if name.name != "sitemap.xml.gz"
        and (
            not (one / name).is_file()
            or not (other / name).is_file()
            or (one / name).read_bytes() != (other / name).read_bytes()
        )
    )


def serve_flags() -> list[str]:
    """The flags ``make serve`` gives ``mkdocs serve`` (the Makefile's SERVE_FLAGS)."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(r"^SERVE_FLAGS\s*[?:]?=[ \t]*(.*)$", makefile, re.M)
    return match[1].split() if match else []


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(check: Callable[[], bool], timeout: float) -> float | None:
    """Seconds until ``check()`` holds (polled every 0.1 s), or None after ``timeout``."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if check():
            return time.perf_counter() - start
        time.sleep(0.1)
    return None


def append_paragraph(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n\n{text}\n", encoding="utf-8")


def insert_in_docstring(path: Path, text: str) -> None:
    """Add a sentence to a module's docstring, after its first line."""
    source = path.read_text(encoding="utf-8")
    first_line_end = source.index("\n")
    path.write_text(f"{source[:first_line_end]}\n\n{text}{source[first_line_end:]}", "utf-8")


def live_preview(repo: Path, cache: Path) -> dict[str, object]:
    """Edits saved while ``mkdocs serve`` (as ``make serve`` runs it) serves the copy."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    command = [str(BIN / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}", *serve_flags()]
    log = (repo / "serve.log").open("w")
    server = subprocess.Popen(command, cwd=repo, env=build_env(cache), stdout=log, stderr=log)
    found: dict[str, object] = {"flags": " ".join(serve_flags()) or "(none)"}
    try:
        started = wait_for(lambda: fetch(base + "zh-TW/gradients/") is not None, PREVIEW_TIMEOUT)
        if started is None:
            raise SystemExit(f"mkdocs serve did not start:\n{(repo / 'serve.log').read_text()}")
        found["first build"] = started
        time.sleep(3)  # let the watcher settle after the first build
        index = fetch(base + "search/search_index.json") or ""
        edits = [
            ("chapter edit, English", repo / "docs/gradients.md", "gradients/", append_paragraph),
            (
                "chapter edit, zh-TW",
                repo / "docs/gradients.zh-TW.md",
                "zh-TW/gradients/",
                append_paragraph,
            ),
            (
                "package docstring edit",
                repo / "src/autograd_guide/checks.py",
                "reference/",
                insert_in_docstring,
            ),
        ]
        for label, path, page, edit in edits:
            marker = f"benchmarkmarker{int(time.time() * 1000)}"
            edit(path, f"Edited for the benchmark: {marker}.")
            url = base + page

            def shows(marker: str = marker, url: str = url) -> bool:
                return marker in (fetch(url) or "")

            found[label] = wait_for(shows, PREVIEW_TIMEOUT)
            if label == "chapter edit, English":
                print_page = fetch(base + "print/") or ""
                found["print page shows the edit"] = marker in print_page
                after = fetch(base + "search/search_index.json") or ""
                found["search index kept"] = (
                    f"{len(after) * 100 // max(len(index), 1)}% of its size"
                )
            time.sleep(3)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    return found


def count_site_builds(basetemp: Path) -> int:
    return sum(1 for _ in basetemp.rglob(".build-complete"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="torch imports to take the median of")
    parser.add_argument("--skip", nargs="*", default=[], choices=ROWS, help="rows to leave out")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error(f"--repeat must be at least 1, got {args.repeat}")
    skip = set(args.skip)

    def torch_now() -> float:
        return wall([sys.executable, "-c", "import torch"])

    imports = [torch_now() for _ in range(args.repeat)]
    torch_import = statistics.median(imports)
    #: (label, seconds, target, the torch import measured around this row)
    rows: list[tuple[str, float | None, float | None, float]] = []
    notes: list[str] = []

    def row(label: str, seconds: float | None, target: float | None) -> None:
        """A row, as a ratio to the torch imports just before and just after it.

        The load of a shared machine changes within a run, so each row is
        compared with an import measured back to back with it.
        """
        imports.append(torch_now())
        rows.append((label, seconds, target, (imports[-2] + imports[-1]) / 2))

    with tempfile.TemporaryDirectory(prefix="bench-docs-") as tmp_name:
        tmp = Path(tmp_name)
        repo = copy_repository(tmp / "repo")
        cache = tmp / "cache"
        site = tmp / "site"
        if "cold" not in skip:
            row("mkdocs build --strict, cold (empty cache)", build(repo, cache, site), 3)
        if "warm" not in skip:
            row("mkdocs build --strict, warm cache", build(repo, cache, tmp / "warm"), 3)
            if site.exists():
                differ = differing_files(site, tmp / "warm")
                notes.append(f"files of the warm build that differ from the cold one: {differ}")
        if "no-lab" not in skip:
            config = repo / "mkdocs.yml"
            original = config.read_text(encoding="utf-8")
            config.write_text(original.replace("execute: true", "execute: false"), "utf-8")
            row("same, lab not executed, no cache", build(repo, None, tmp / "no-lab"), None)
            config.write_text(original, "utf-8")
        if "preview" not in skip:
            found = live_preview(repo, cache)
            notes.append(f"make serve flags: {found.pop('flags')}")
            row("make serve, first build", found.pop("first build"), None)  # type: ignore[arg-type]
            for label in ("chapter edit, English", "chapter edit, zh-TW", "package docstring edit"):
                row(f"live preview: {label}", found.pop(label), 1)  # type: ignore[arg-type]
            notes += [f"live preview: {key}: {value}" for key, value in found.items()]

        if "doctests" not in skip:
            doctests = [str(BIN / "pytest"), "-q", "docs", "README.md", "-p", "no:cacheprovider"]
            seconds = wall([*doctests, "-n", "auto", "--dist", "loadfile"], check=False)
            row("doc-tests, one process per core", seconds, 4)
        if "make-test" not in skip:
            basetemp = tmp / "pytest"
            command = [str(BIN / "pytest"), "-q", "-n", "auto", "--dist", "loadfile"]
            seconds = wall([*command, f"--basetemp={basetemp}"], check=False)
            row("make unit (the whole test run)", seconds, None)
            notes.append(f"site builds in the whole test run: {count_site_builds(basetemp)}")

    print(f"conditions: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end")
    print(f"{'measurement':<46} {'seconds':>8} {'ratio':>7}  target")
    print(f"{'bare python -c import torch (median)':<46} {torch_import:8.2f} {1:7.2f}")
    print(f"  (imports around the rows: {', '.join(f'{t:.1f}' for t in imports)} s)")
    for label, seconds, target, around in rows:
        if seconds is None:
            print(f"{label:<46} {'-':>8} {'-':>7}  not shown in {PREVIEW_TIMEOUT:.0f} s: NOT met")
            continue
        ratio = seconds / around
        verdict = (
            "" if target is None else f"<= {target}x: {'met' if ratio <= target else 'NOT met'}"
        )
        print(f"{label:<46} {seconds:8.2f} {ratio:7.2f}  {verdict}")
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
