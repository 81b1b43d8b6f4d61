"""The registry of the site's figures and the one way they are written to disk.

Every picture on the site is made by a function in this package and registered
here with [`figure`][]. ``python -m autograd_guide.figures DIR`` writes them
all; a test draws them again and compares what a reader sees (both rasterised,
matplotlib's RMS with a tolerance), so a figure can never go stale. Not bytes:
the data come from numpy and torch, whose last bits differ between CPUs, and
one bit can change an SVG's bytes but not its picture. On one machine the SVG
is still reproducible byte for byte (fixed hash salt, no date).
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

__all__ = ["FIGURES", "draw", "figure", "registered", "render", "render_all", "save_svg"]

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


def registered() -> list[str]:
    """The file names of every figure the package draws, sorted.

    Importing a module registers its figures, so all are imported first: a figure
    is known before the module that draws it has been used.
    """
    _load_all_modules()
    return sorted(FIGURES)


def _out_dir(out_dir: Path | str) -> Path:
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ValueError(f"out_dir must be a directory, got the file {str(out_dir)!r}")
    out_dir.mkdir(parents=True, exist_ok=True)
    return out_dir


def draw(name: str) -> Figure:
    """The registered figure *name*, drawn in the site's style but not saved.

    Apart from saving, so that a test can change a figure before it is written.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a figure's file name (str), got {type(name).__name__}")
    if name not in registered():
        raise ValueError(f"no figure is registered as {name!r}; registered: {registered()}")
    with matplotlib.rc_context(STYLE):
        return FIGURES[name]()


def render(name: str, out_dir: Path | str) -> Path:
    """Draw the registered figure *name* into *out_dir*; return the path written."""
    out_dir = _out_dir(out_dir)
    return save_svg(draw(name), out_dir / name)


def render_all(out_dir: Path | str) -> list[Path]:
    """Draw every registered figure into *out_dir*; return the paths written."""
    out_dir = _out_dir(out_dir)
    return [render(name, out_dir) for name in registered()]


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
