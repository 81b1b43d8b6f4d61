"""What a successor builder's site lacks, page by page, against the MkDocs build.

PLATFORM.md's exit is to switch builders when the successor (Zensical) produces the
same site. The non-blocking CI job (``.github/workflows/successor.yml``) builds with
both and runs this to say how far apart they are: the pages only MkDocs made, grouped
by their first folder (``zh-TW/`` is the Chinese half, ``labs/`` the notebooks), and
the pages only the successor made. Exit status 0 when no page is missing, 1 otherwise.

    python tools/successor_report.py site-mkdocs site
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path


def pages(site: Path) -> set[str]:
    """The HTML pages of a built site, as paths relative to it."""
    if not isinstance(site, Path):
        raise TypeError(f"expected a pathlib.Path, got {type(site).__name__}")
    if not site.is_dir():
        raise ValueError(f"expected a built site folder, got {site} (not a folder)")
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def report(reference: Path, candidate: Path) -> tuple[str, int]:
    """The report's text and the number of pages the candidate lacks."""
    ours, theirs = pages(reference), pages(candidate)
    missing, extra = sorted(ours - theirs), sorted(theirs - ours)
    groups = Counter(p.split("/")[0] + "/" if "/" in p else "(root)" for p in missing)
    lines = [
        f"{len(ours)} pages in {reference}, {len(theirs)} in {candidate}, "
        f"{len(missing)} missing, {len(extra)} extra."
    ]
    lines += [f"  missing under {group}: {count}" for group, count in sorted(groups.items())]
    lines += [f"  missing: {page}" for page in missing[:50]]
    lines += [f"  extra: {page}" for page in extra[:20]]
    return "\n".join(lines) + "\n", len(missing)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", type=Path, help="the MkDocs build")
    parser.add_argument("candidate", type=Path, help="the successor's build")
    args = parser.parse_args(argv)
    try:
        text, missing = report(args.reference, args.candidate)
    except ValueError as err:
        parser.error(str(err))
    sys.stdout.write(text)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
