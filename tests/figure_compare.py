"""Compare figures as a reader sees them, and make the noise a CPU adds to their data.

The figures are drawn from numpy and torch results, and vectorised code rounds
the last bits differently from one CPU to another. One bit is enough to change
the SVG's bytes (a contour line gains or loses its closing ``z``) while the
picture stays the same, so bytes are no test of a figure. Matplotlib's own test
suite compares images instead: :func:`compare_svgs` rasterises both SVGs with
one renderer (resvg, without system fonts: matplotlib writes text as paths) and
compares the pixels with matplotlib's RMS and a tolerance.

:func:`perturbed` draws figures with their data changed by a relative 1e-12 (or
one unit in the last place of float32 data, which is larger), the noise another
CPU adds, so that a test can show the comparison lets it through.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import resvg_py
import torch
from matplotlib.axes import Axes
from matplotlib.patches import (
    Ellipse,
    FancyArrowPatch,
    FancyBboxPatch,
    Patch,
    PathPatch,
    Polygon,
    Rectangle,
)
from matplotlib.path import Path as MplPath
from matplotlib.testing.compare import ImageComparisonFailure, compare_images

#: Pixels per inch of the rasters: a CSS pixel, what a browser draws the SVG with.
RENDER_DPI = 96

#: Largest RMS (matplotlib's, in 0-255 colour steps over every pixel and channel)
#: between a committed figure and a fresh drawing that still counts as the same
#: picture. Measured at RENDER_DPI:
#:
#: * noise: descent-path.svg as committed before this check, drawn on another CPU
#:   than the committer's: six contour paths with a ``z`` more or less, RMS 0.000.
#:   Every figure under ``perturbed(1e-12)``, random noise with seeds 0-9: at most
#:   0.069 (descent-path: a contour line redrawn from another start point and
#:   simplified a little differently), 0.060 (computation-graph: 2 pixels), 0.036,
#:   0.028, the others 0.000; outward and inward noise: at most 0.060.
#: * real changes, the smallest: one digit of an annotation ("Var(y) = 0.340" ->
#:   "0.346") 0.78, of a graph note ("0.8005" -> "0.8006") 0.84; the descent path
#:   moved by 0.1 pt 0.70. The changes of test_figures.py, one letter of a label or
#:   a curve moved by 1 pt, on every figure: 1.48 to 12.1.
#:
#: 0.25 lies between them: 3.6 times the largest noise, a third of the smallest change.
TOLERANCE = 0.25


def rasterise(svg: Path, png: Path) -> Path:
    """Draw *svg* into the PNG file *png* on white, at :data:`RENDER_DPI`."""
    if "<text" in svg.read_text(encoding="utf-8"):
        # Without system fonts resvg draws no text, and a changed label would pass.
        raise ValueError(f"{svg} has <text> elements: draw with svg.fonttype 'path'")
    data = resvg_py.svg_to_bytes(
        svg_path=str(svg), background="white", skip_system_fonts=True, dpi=RENDER_DPI
    )
    png.write_bytes(bytes(data))
    return png


@dataclass(frozen=True)
class Mismatch:
    """Two drawings that a reader would tell apart."""

    rms: float
    diff_image: Path | None
    reason: str

    def __str__(self) -> str:
        where = f", difference image {self.diff_image}" if self.diff_image else ""
        return f"{self.reason}{where}"


def compare_svgs(
    expected: Path, actual: Path, out_dir: Path, tol: float = TOLERANCE
) -> Mismatch | None:
    """None when *actual* looks like *expected*, else what differs.

    Both are rasterised into *out_dir* (``<stem>-expected.png`` and
    ``<stem>-actual.png``); when they differ, matplotlib writes
    ``<stem>-actual-failed-diff.png`` beside them.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = actual.stem
    expected_png = rasterise(expected, out_dir / f"{stem}-expected.png")
    actual_png = rasterise(actual, out_dir / f"{stem}-actual.png")
    try:
        result = compare_images(str(expected_png), str(actual_png), tol, in_decorator=True)
    except ImageComparisonFailure as err:  # the sizes differ: no pixel-wise RMS
        return Mismatch(float("inf"), None, f"{err} ({expected_png} vs {actual_png})")
    if result is None:
        return None
    return Mismatch(
        result["rms"],
        Path(result["diff"]),
        f"RMS {result['rms']:.3f} > tolerance {tol}",
    )


def stale(committed: Path, drawn: list[Path], out_dir: Path) -> list[str]:
    """One line per drawing in *drawn* that a reader can tell from its copy in *committed*.

    The rasters and difference images are written under *out_dir*, and each line
    says where the difference image is.
    """
    problems = []
    for path in drawn:
        if not (committed / path.name).is_file():
            problems.append(f"{path.name}: not in {committed}")
            continue
        mismatch = compare_svgs(committed / path.name, path, out_dir)
        if mismatch is not None:
            problems.append(f"{path.name}: {mismatch}")
    return problems


# ------------------------------------------------------------------ perturbation

#: Axes methods that take the data a figure plots. Their float arguments (positional,
#: and the keyword arguments in _DATA_KEYWORDS) are perturbed.
_DATA_METHODS = (
    "annotate",
    "arrow",
    "axhline",
    "axhspan",
    "axline",
    "axvline",
    "axvspan",
    "bar",
    "barh",
    "contour",
    "contourf",
    "errorbar",
    "fill",
    "fill_between",
    "fill_betweenx",
    "hist",
    "hlines",
    "imshow",
    "loglog",
    "pcolor",
    "pcolormesh",
    "plot",
    "quiver",
    "scatter",
    "semilogx",
    "semilogy",
    "set_xlim",
    "set_ylim",
    "stairs",
    "stem",
    "step",
    "text",
    "tricontour",
    "tricontourf",
    "vlines",
)
_DATA_KEYWORDS = frozenset(
    {"x", "y", "xy", "xytext", "X", "Y", "Z", "C", "y1", "y2", "x1", "x2", "levels"}
    | {"xerr", "yerr", "height", "width", "bottom", "left", "xmin", "xmax", "ymin", "ymax"}
)


#: How the noise is drawn: u uniform in [-1, 1] for each number, or u = 1 for all
#: (every value a little further from 0: a span of data grows), or u = -1 for all
#: (it shrinks). Random noise moves contours; the two others are the worst case
#: for what depends on the data's extent, autoscaled limits and the ticks chosen.
NOISES = ("random", "outward", "inward")


class Perturbation:
    """Multiplies every float it is given by ``1 + r * u``, u as *noise* says.

    ``r`` is *relative*, or the machine epsilon of the value's own dtype when that
    is larger: a float32 result from another CPU differs by a float32 last bit.
    ``changed`` counts the numbers that came out different.
    """

    def __init__(self, relative: float, noise: str, seed: int) -> None:
        self.relative = relative
        self.noise = noise
        self.changed = 0
        self._rng = np.random.default_rng(seed)

    def _array(self, value: np.ndarray) -> np.ndarray:
        scale = max(self.relative, float(np.finfo(value.dtype).eps))
        if self.noise == "random":
            noise = self._rng.uniform(-1.0, 1.0, value.shape)
        else:
            noise = np.full(value.shape, 1.0 if self.noise == "outward" else -1.0)
        out = value * (1.0 + scale * noise)  # float64 now: the noise is not rounded away
        self.changed += int(np.count_nonzero(np.asarray(out != value)))
        return out

    def __call__(self, value: Any) -> Any:
        if isinstance(value, torch.Tensor):
            return self(value.detach().cpu().numpy()) if value.is_floating_point() else value
        if isinstance(value, np.ndarray):
            return self._array(value) if np.issubdtype(value.dtype, np.floating) else value
        if isinstance(value, float | np.floating):
            return float(self._array(np.asarray(value))[()])
        if type(value) in (list, tuple):  # not named tuples or other sequences
            return type(value)(self(item) for item in value)
        return value

    def patch(self, patch: Patch) -> None:
        """Move the geometry of a patch added to the axes by the same noise."""
        if isinstance(patch, Rectangle | FancyBboxPatch):
            bounds = (patch.get_x(), patch.get_y(), patch.get_width(), patch.get_height())
            patch.set_bounds(*self(bounds))
        elif isinstance(patch, Polygon):
            patch.set_xy(self(patch.get_xy()))
        elif isinstance(patch, Ellipse):
            patch.set_center(self(tuple(patch.get_center())))
        elif isinstance(patch, PathPatch):
            path = patch.get_path()
            patch.set_path(MplPath(self(path.vertices), path.codes))
        elif isinstance(patch, FancyArrowPatch):
            # Matplotlib keeps the arrow's own path only in a private attribute.
            ends = getattr(patch, "_posA_posB", None)
            if ends is not None:
                patch.set_positions(*self(tuple(ends)))
            else:
                path = patch._path_original
                patch._path_original = MplPath(self(path.vertices), path.codes)

    def wrap(self, method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def perturbed_method(axes: Axes, *args: Any, **kwargs: Any) -> Any:
            args = tuple(self(a) for a in args)
            kwargs = {k: self(v) if k in _DATA_KEYWORDS else v for k, v in kwargs.items()}
            return method(axes, *args, **kwargs)

        return perturbed_method

    def wrap_add_patch(self, method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def add_perturbed_patch(axes: Axes, patch: Patch) -> Any:
            self.patch(patch)
            return method(axes, patch)

        return add_perturbed_patch


@contextmanager
def perturbed(
    relative: float = 1e-12, noise: str = "random", *, seed: int = 0
) -> Iterator[Perturbation]:
    """Inside, every float handed to matplotlib's plotting methods carries noise.

    This is where a figure's numbers meet the drawing, wherever they were
    computed, so it perturbs every registered figure without its help: lines,
    scatter points, contour grids and levels, text and annotation positions,
    axis limits, and patches added with ``add_patch``.
    """
    if not (isinstance(relative, float) and 0.0 < relative < 1e-3):
        raise ValueError(f"relative must be a small positive float, got {relative!r}")
    if noise not in NOISES:
        raise ValueError(f"noise must be one of {NOISES}, got {noise!r}")
    perturbation = Perturbation(relative, noise, seed)
    originals = {name: getattr(Axes, name) for name in (*_DATA_METHODS, "add_patch")}
    try:
        for name in _DATA_METHODS:
            setattr(Axes, name, perturbation.wrap(originals[name]))
        Axes.add_patch = perturbation.wrap_add_patch(originals["add_patch"])
        yield perturbation
    finally:
        for name, method in originals.items():
            setattr(Axes, name, method)
