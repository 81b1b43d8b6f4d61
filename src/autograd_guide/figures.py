"""The registry of the site's figures and the one way they are written to disk.

Every picture on the site is made by a function in this package and registered
here with [`figure`][]. ``python -m autograd_guide.figures DIR`` writes them
all; a test writes them again and compares, so a figure can never go stale.
SVG output is made byte-for-byte reproducible (fixed hash salt, no date).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

__all__ = ["FIGURES", "figure", "render_all", "save_svg"]

FigureFactory = Callable[[], Figure]

#: File name → function that draws it. Filled by the ``figure`` decorator.
FIGURES: dict[str, FigureFactory] = {}

#: White figures read the same on Material's light and dark backgrounds.
STYLE = {
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "svg.hashsalt": "autograd-guide",
    "svg.fonttype": "path",
    "font.size": 11,
}


def figure(filename: str) -> Callable[[FigureFactory], FigureFactory]:
    """Register a function that draws the figure stored as *filename*."""
    if not isinstance(filename, str) or not filename.endswith(".svg") or "/" in filename:
        raise ValueError(f"filename must be a bare name ending in .svg, got {filename!r}")

    def register(factory: FigureFactory) -> FigureFactory:
        if filename in FIGURES and FIGURES[filename] is not factory:
            raise ValueError(f"two functions draw {filename!r}")
        FIGURES[filename] = factory
        return factory

    return register


def save_svg(fig: Figure, path: Path | str) -> Path:
    """Write *fig* as a reproducible SVG and close it."""
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    path = Path(path)
    if path.suffix != ".svg":
        raise ValueError(f"path must end in .svg, got {str(path)!r}")
    with matplotlib.rc_context(STYLE):
        fig.savefig(path, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(fig)
    return path


def _load_all_modules() -> None:
    """Import every module of the package, so that each registers its figures."""
    package = sys.modules[__package__]
    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{__package__}.{info.name}")


def render_all(out_dir: Path | str) -> list[Path]:
    """Draw every registered figure into *out_dir*; return the paths written."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ValueError(f"out_dir must be a directory, got the file {str(out_dir)!r}")
    out_dir.mkdir(parents=True, exist_ok=True)
    _load_all_modules()
    written = []
    for name, factory in sorted(FIGURES.items()):
        with matplotlib.rc_context(STYLE):
            fig = factory()
        written.append(save_svg(fig, out_dir / name))
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m autograd_guide.figures OUT_DIR", file=sys.stderr)
        return 2
    # Run as ``python -m``, this file is ``__main__``, a copy with its own empty
    # registry: render through the package's module, where the figures register.
    registry = importlib.import_module(f"{__package__}.figures")
    for path in registry.render_all(args[0]):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
