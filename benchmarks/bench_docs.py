"""How long the doc-tests and the site build take, on this machine.

Wall times are noisy on a shared 2-core machine, so the doc-test time is printed
as a ratio to a bare ``python -c "import torch"`` measured in the same run: the
issue's target is a whole doc-test run under 4x that import.

    python benchmarks/bench_docs.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
#: A typical small block, to estimate what one fresh interpreter per block would cost.
FIRST_BLOCK_PROGRAM = (
    "import torch\n"
    "x = torch.tensor(2.0, requires_grad=True)\n"
    "y = x**3 + 2 * x\n"
    "y.backward()\n"
    "print(y, x.grad)\n"
)


def wall(command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def median_wall(command: list[str], repeat: int) -> float:
    return statistics.median(wall(command) for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error(f"--repeat must be at least 1, got {args.repeat}")

    torch_import = median_wall([sys.executable, "-c", "import torch"], args.repeat)
    doctest_command = [str(BIN / "pytest"), "-q", "docs", "README.md", "-p", "no:cacheprovider"]
    serial = median_wall(doctest_command, args.repeat)
    doctests = median_wall([*doctest_command, "-n", "auto", "--dist", "loadfile"], args.repeat)
    per_block = median_wall([str(BIN / "python"), "-c", FIRST_BLOCK_PROGRAM], args.repeat)
    blocks = subprocess.run(
        [str(BIN / "pytest"), "-q", "--collect-only", "docs", "README.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.count("::line:")

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, TMPDIR=tmp)  # jieba keeps its cache in the temp dir
        site = Path(tmp) / "site"
        build = [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(site)]
        cold = wall(build, env)
        warm = statistics.median(wall(build, env) for _ in range(args.repeat))
        shutil.rmtree(site, ignore_errors=True)

    rows = [
        ("bare python -c 'import torch'", torch_import, 1.0),
        (f"doc-tests, {blocks} blocks, one process", serial, serial / torch_import),
        ("doc-tests, one process per core (make test)", doctests, doctests / torch_import),
        (
            "a fresh python per block instead (estimate)",
            per_block * blocks,
            per_block * blocks / torch_import,
        ),
        ("mkdocs build --strict, cold", cold, None),
        ("mkdocs build --strict, warm", warm, None),
    ]
    print(f"{'measurement':<44} {'seconds':>8} {'ratio':>7}")
    for label, seconds, ratio in rows:
        print(f"{label:<44} {seconds:8.2f} {'' if ratio is None else f'{ratio:7.2f}':>7}")
    verdict = "met" if doctests < 4 * torch_import else "NOT met"
    print(f"\ntarget: doc-tests under 4x the torch import -> {verdict}")


if __name__ == "__main__":
    main()
