"""Rewrite every output block from what its code prints now (``make update-outputs``).

After a PyTorch upgrade many printed outputs change at once. Editing them by hand
invites typos; this runs each block through the harness's own evaluator
(:func:`.evaluator.execute`, the one the doc-tests use) and writes what it printed
into the ```text block after it, keeping the fence lines, their titles and the
block's indentation. The diff of every changed page is printed for review.

A block that raises, prints without an output block, or stops printing while its
output block remains is reported, not guessed at: those need an author.

    python -m docharness.update [PAGE ...]    # default: docs/**/*.md and README.md
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sybil import Document

from . import fresh
from .evaluator import BlockError, CodeExample, execute
from .parser import DocBlockParser

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class PageUpdate:
    """The new text of one page and what could not be updated automatically."""

    path: Path
    old: str
    new: str
    problems: list[str] = field(default_factory=list)

    @property
    def diff(self) -> str:
        name = str(self.path)
        return "".join(
            difflib.unified_diff(
                self.old.splitlines(keepends=True),
                self.new.splitlines(keepends=True),
                fromfile=f"{name} (before)",
                tofile=f"{name} (updated)",
            )
        )


def replace_fence_body(text: str, start: int, end: int, output: str) -> str:
    """*text* with the body of the fence at ``text[start:end]`` replaced by *output*.

    The opening and closing fence lines stay as they are; the new lines take the
    indentation of the opening line, so a block inside an admonition stays inside.
    """
    if not output.strip():
        raise ValueError("an output block cannot be made empty: remove it instead")
    line_start = text.rfind("\n", 0, start) + 1
    prefix = text[line_start:start]
    if prefix.strip():
        raise ValueError(f"the fence at offset {start} does not start its line")
    fence = text[start:end]
    opening_end = fence.index("\n") + 1
    opening = fence[:opening_end]
    indent = prefix + opening[: len(opening) - len(opening.lstrip())]
    closing_start = fence.rstrip("\n").rfind("\n") + 1
    body = "".join(
        f"{indent}{line}\n" if line else "\n" for line in output.rstrip("\n").split("\n")
    )
    return text[: start + opening_end] + body + text[start + closing_start :]


def update_page(path: Path) -> PageUpdate:
    """Run every block of *path* in order and return the page with fresh outputs."""
    old = path.read_text(encoding="utf-8")
    document = Document(old, str(path))
    store: dict = {}
    replacements: list[tuple[int, int, str]] = []
    problems: list[str] = []
    for region in DocBlockParser()(document):
        where = f"{path}:{old.count(chr(10), 0, region.start) + 1}"
        block = region.parsed
        if not isinstance(block, CodeExample):
            problems.append(f"{where}: {block}")
            continue
        if block.skip_reason is not None:
            continue
        try:
            got = execute(block, store, where)
        except BlockError as err:
            problems.append(f"{where}: {err}")
            continue
        if block.output_span is None:
            if got:
                problems.append(f"{where}: prints output but has no ```text block after it")
            continue
        if got.rstrip("\n") == (block.expected or "").rstrip("\n"):
            continue
        if not got.strip():
            problems.append(f"{where}: prints nothing now; remove its ```text block")
            continue
        replacements.append((*block.output_span, got))
    new = old
    for start, end, got in sorted(replacements, reverse=True):  # from the end: offsets hold
        new = replace_fence_body(new, start, end, got)
    return PageUpdate(path, old, new, problems)


def default_pages(root: Path = ROOT) -> list[Path]:
    docs = root / "docs"
    pages = [p for p in sorted(docs.rglob("*.md")) if "assets" not in p.relative_to(docs).parts]
    return [*pages, root / "README.md"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", type=Path, help="Markdown pages (default: all)")
    args = parser.parse_args(argv)
    pages = args.pages or default_pages()
    missing = [str(p) for p in pages if not p.is_file()]
    if missing:
        parser.error(f"no such page: {', '.join(missing)}")
    fresh.remember_defaults()
    changed, problems = 0, []
    for page in pages:
        update = update_page(page)
        problems += update.problems
        if update.new != update.old:
            page.write_text(update.new, encoding="utf-8")
            sys.stdout.write(update.diff)
            changed += 1
    print(f"\n{changed} of {len(pages)} pages updated.", file=sys.stderr)
    for problem in problems:
        print(f"needs an author: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
