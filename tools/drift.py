"""What the pages would print with another PyTorch (``make drift TORCH=<version>``).

The pages' outputs are checked against the pinned PyTorch (``constraints.txt``). A new
release can change a message, a repr or a last digit; this tool shows which, before
anyone upgrades the pin. It installs ``torch==<version>`` with the package and the test
tools into a separate virtual environment (``.venv-drift/<version>``, the main ``.venv``
is never touched), runs every block of every page there through the doc-tests' own
evaluator (``docharness.update``, without writing any page), and writes the differences
to ``drift/torch-<version>.diff``. The weekly drift workflow uploads that file.

Exit status: 0 with a report (empty when nothing changed), 2 when that PyTorch cannot
be installed here (no wheel for this Python or platform, no network): said in one line.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSION = re.compile(r"\d+(\.\d+){1,2}([a-z]+\d+)?(\.dev\d+)?")
CPU_INDEX = "https://download.pytorch.org/whl/cpu"

#: Run inside the drift environment: every page through the evaluator, nothing written.
REPORT = """
import sys
from pathlib import Path
from docharness import fresh, update

fresh.remember_defaults()
out = Path(sys.argv[1])
changed, problems, diffs = 0, [], []
pages = [Path(p) for p in sys.argv[2:]] or update.default_pages()
for page in pages:
    result = update.update_page(page)
    problems += result.problems
    if result.new != result.old:
        changed += 1
        diffs.append(result.diff)
out.write_text("".join(diffs), encoding="utf-8")
for problem in problems:
    print(f"needs an author: {problem}")
print(f"{changed} of {len(pages)} pages print differently; differences in {out}")
"""


def check_version(text: str) -> str:
    """A PyTorch version as pip accepts it after ``torch==``."""
    if not isinstance(text, str):
        raise TypeError(f"expected the version as str, got {type(text).__name__}")
    if VERSION.fullmatch(text) is None:
        raise ValueError(f"expected a PyTorch version such as 2.14.0, got {text!r}")
    return text


def constraints_without_torch(text: str) -> str:
    """The pins, less PyTorch's own: the drift run chooses that one."""
    return "".join(
        line for line in text.splitlines(keepends=True) if not re.match(r"torch==", line)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("torch", help="the PyTorch version to try, e.g. 2.14.0")
    parser.add_argument("pages", nargs="*", help="Markdown pages (default: all, and README.md)")
    args = parser.parse_args(argv)
    try:
        version = check_version(args.torch)
    except ValueError as err:
        parser.error(str(err))
    env_dir = ROOT / ".venv-drift" / version
    python = env_dir / "bin" / "python"
    if not python.exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    constraints = env_dir / "constraints-without-torch.txt"
    constraints.write_text(
        constraints_without_torch((ROOT / "constraints.txt").read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    pip = [str(python), "-m", "pip", "install", "--quiet", "--extra-index-url", CPU_INDEX]
    install = subprocess.run(
        [*pip, "-c", str(constraints), f"torch=={version}", "-e", f"{ROOT}[test]"],
        capture_output=True,
        text=True,
        check=False,
    )
    if install.returncode != 0:
        lines = [line for line in install.stderr.splitlines() if line.startswith("ERROR:")]
        reason = lines[0] if lines else f"pip exited with status {install.returncode}"
        print(f"torch=={version} is not installable here: {reason}", file=sys.stderr)
        return 2
    out = ROOT / "drift" / f"torch-{version}.diff"
    out.parent.mkdir(exist_ok=True)
    run = subprocess.run(
        [str(python), "-c", REPORT, str(out), *args.pages],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT / "tests")),
        check=False,
    )
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
