"""Gradient descent on a linear model's MSE, with autograd computing the gradient.

The loop is the lecture notes' four steps: start from some weights, let
``loss.backward()`` compute the gradient of the loss with respect to every
weight, step against it, repeat. [`gradient_descent`][] keeps every iterate
and every loss, because the point of the page is to *look* at the run: a loss
that explodes, one that barely moves, and the path the weights take across the
loss surface ([`descent_path_figure`][]). Before the housing data, the page
meets the same behaviour on one variable, a parabola ([`parabola_descent`][],
drawn by [`parabola_steps_figure`][]), where each step multiplies the distance
to the minimum by ``1 - lr * curvature`` and every regime is easy to see.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.axes import Axes
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from . import checks
from .figures import figure
from .housing import housing_data, mse, predict

__all__ = [
    "History",
    "descent_path_figure",
    "gradient_descent",
    "parabola_descent",
    "parabola_steps_figure",
    "standardize",
]


@dataclass(frozen=True, eq=False)  # tensors do not compare to one bool
class History:
    """Everything a run visited.

    ``weights[t]`` are the weights after ``t`` updates (``weights[0]`` is the
    start) and ``losses[t]`` is the loss at those weights, so both have one row
    more than the number of updates made. ``converged`` says the run stopped
    because the loss changed by less than the tolerance; ``diverged`` says it
    stopped because the loss was no longer a finite number.
    """

    weights: torch.Tensor
    losses: torch.Tensor
    converged: bool = False

    @property
    def steps(self) -> int:
        """How many updates were made (may be fewer than asked if the run stopped early)."""
        return self.losses.shape[0] - 1

    @property
    def diverged(self) -> bool:
        """True when the last loss is inf or nan: the learning rate was too large."""
        return not bool(torch.isfinite(self.losses[-1]))

    @property
    def final_weights(self) -> torch.Tensor:
        return self.weights[-1]

    @property
    def final_loss(self) -> float:
        return float(self.losses[-1])


def _check_data(features: object, target: object) -> tuple[torch.Tensor, torch.Tensor]:
    """*features* (N, k) and *target* (N,): the shapes ``mse(features @ w, target)`` needs."""
    features = checks.tensor("features", features)
    target = checks.tensor("target", target)
    if features.ndim != 2 or features.shape[0] == 0 or features.shape[1] == 0:
        raise ValueError(
            f"features must have shape (N, k) with N, k >= 1, got {tuple(features.shape)}"
        )
    if target.shape != (features.shape[0],):
        raise ValueError(
            f"target must have shape ({features.shape[0]},), one value per row of features, "
            f"got {tuple(target.shape)}"
        )
    if target.dtype != features.dtype:
        raise TypeError(
            f"features and target must share a dtype, got {features.dtype} and {target.dtype}"
        )
    return features, target


def gradient_descent(
    features: torch.Tensor,
    target: torch.Tensor,
    lr: float,
    steps: int,
    *,
    initial: torch.Tensor | None = None,
    tol: float | None = None,
) -> History:
    """Minimise ``mse(features @ w, target)`` by gradient descent; return the whole run.

    Each step is ``w <- w - lr * dMSE/dw``, the gradient coming from autograd.
    The weights start at *initial* (zeros by default, one per feature column).
    The run stops after *steps* updates, or earlier:

    * when *tol* is given and one update changed the loss by at most *tol*
      (in the loss's own units: dollars squared for the housing prices). This
      is the notes' "change in the loss becomes very small"; it detects a
      stall, which is not always the minimum;
    * when the loss stops being finite: after ``inf`` comes ``nan`` and nothing
      useful, so the history ends at the first non-finite loss.

    A bias is not built in: append a column of ones to *features* and its
    weight is the bias.
    """
    features, target = _check_data(features, target)
    lr = checks.positive_number("lr", lr)
    steps = checks.integer("steps", steps, 1)
    if tol is not None:
        tol = checks.positive_number("tol", tol)
    k = features.shape[1]
    if initial is None:
        initial = torch.zeros(k, dtype=features.dtype)
    # Not floating=True: an integer start is refused below, as not features' dtype.
    initial = checks.tensor("initial", initial, floating=False)
    if initial.shape != (k,):
        raise ValueError(
            f"initial must have shape ({k},), one weight per feature column, "
            f"got {tuple(initial.shape)}"
        )
    if initial.dtype != features.dtype:
        raise TypeError(
            f"initial must have the dtype of features ({features.dtype}), got {initial.dtype}"
        )

    # detach().clone(): the caller's tensor is neither changed nor made part of a graph.
    w = initial.detach().clone().requires_grad_(True)
    weights: list[torch.Tensor] = []
    losses: list[torch.Tensor] = []
    converged = False
    for t in range(steps + 1):
        loss = mse(predict(w, features), target)
        weights.append(w.detach().clone())
        losses.append(loss.detach().clone())
        if not torch.isfinite(loss):
            break
        if tol is not None and t > 0 and abs(losses[-2] - losses[-1]) <= tol:
            converged = True
            break
        if t == steps:
            break
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
    return History(torch.stack(weights), torch.stack(losses), converged)


def _finite_real(name: str, value: object) -> float:
    """A position on the parabola: any finite real number (``bool`` is a slip, refused)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return float(value)


def parabola_descent(
    lr: float,
    steps: int,
    *,
    start: float = 0.0,
    minimum: float = 3.0,
    curvature: float = 2.0,
) -> torch.Tensor:
    """Gradient descent on ``f(w) = curvature / 2 * (w - minimum) ** 2``; return every ``w``.

    One variable is where the learning rate can be understood completely: the
    gradient is ``curvature * (w - minimum)``, so each step multiplies the
    distance to the minimum by ``1 - lr * curvature``. The defaults give the
    page's parabola ``(w - 3) ** 2`` (curvature 2): ``lr`` below 0.5 creeps
    towards 3, 0.5 lands on it in one step, between 0.5 and 1 overshoots and
    zigzags in, above 1 (``2 / curvature``) every overshoot is larger than the
    last. The gradient comes from autograd, as in the housing loop, so the
    closed form above is something the tests check rather than assume.

    Returns a float64 tensor of shape ``(steps + 1,)``, ``w`` after 0, 1, ...
    updates; like [`gradient_descent`][], it ends early at the first value
    that is no longer finite.
    """
    lr = checks.positive_number("lr", lr)
    steps = checks.integer("steps", steps, 1)
    start = _finite_real("start", start)
    minimum = _finite_real("minimum", minimum)
    curvature = checks.positive_number("curvature", curvature)

    w = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    path = [w.detach().clone()]
    for _ in range(steps):
        loss = curvature / 2 * (w - minimum) ** 2
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
        path.append(w.detach().clone())
        if not torch.isfinite(path[-1]):
            break
    return torch.stack(path)


def standardize(features: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Return ``(z, mean, std)`` with ``z = (features - mean) / std`` column by column.

    Each column of *z* has mean 0 and standard deviation 1, so square feet and
    bedrooms reach the loss on the same scale and one learning rate suits both.
    The population standard deviation (``correction=0``) is used, as
    scikit-learn's ``StandardScaler`` does. A constant column cannot be scaled
    and raises ``ValueError``. A weight learned on *z* maps back to the
    original units as ``w / std``.
    """
    features = checks.tensor("features", features)
    if features.ndim != 2 or features.shape[0] < 2:
        raise ValueError(
            f"features must have shape (N, k) with N >= 2 rows, got {tuple(features.shape)}"
        )
    mean = features.mean(dim=0)
    std = features.std(dim=0, correction=0)
    constant = [int(i) for i in torch.nonzero(std == 0).flatten()]
    if constant:
        raise ValueError(f"column(s) {constant} of features are constant: std is 0")
    return (features - mean) / std, mean, std


# --- the figure ------------------------------------------------------------

#: Settings the page's examples use, kept here so the picture shows the same runs.
RAW_LR = 1e-7
SCALED_LR = 0.4
FIGURE_STEPS = 2000
#: MSE contour levels, one per factor of sqrt(10): the surface spans six orders of magnitude.
LEVELS = np.logspace(6, 12, 13)
#: Grid points per axis: enough for smooth contours, few enough for a small SVG.
GRID = 120


def _loss_grid(
    features: torch.Tensor,
    target: torch.Tensor,
    w1: np.ndarray,
    w2: np.ndarray,
    fixed: torch.Tensor,
) -> np.ndarray:
    """MSE at every (w1, w2) of a grid, the weights after the first two held at *fixed*."""
    a, b = np.meshgrid(w1, w2)
    weights = [a, b, *(np.full_like(a, float(v)) for v in fixed)]
    x = features.numpy()
    y = target.numpy()
    # Element-wise sums in a fixed order, not a matrix product: BLAS may pick a
    # different summation path from run to run, and the last bit it changes is
    # enough to move a contour line and make the SVG differ.
    total = np.zeros_like(a)
    for i in range(x.shape[0]):
        pred = np.zeros_like(a)
        for j, w in enumerate(weights):
            pred = pred + w * x[i, j]
        total = total + (pred - y[i]) ** 2
    return total / x.shape[0]


def _panel(
    ax: Axes,
    losses: np.ndarray,
    w1: np.ndarray,
    w2: np.ndarray,
    path: np.ndarray,
    minimum: tuple[float, float],
    title: str,
    xlabel: str,
    ylabel: str,
    words: Mapping[str, str],
) -> ContourSet:
    filled = ax.contourf(
        w1, w2, losses, levels=LEVELS, norm="log", cmap="Blues_r", extend="both", rasterized=True
    )
    ax.contour(w1, w2, losses, levels=LEVELS, colors="#1f3b57", linewidths=0.4, alpha=0.6)
    ax.plot(path[:, 0], path[:, 1], "-", color="#e4572e", lw=1.8, label=words["path"])
    marks = path[np.unique(np.geomspace(1, len(path) - 1, 12).astype(int))]
    ax.plot(marks[:, 0], marks[:, 1], "o", color="#e4572e", ms=4)
    ax.plot(*path[0], "s", color="black", ms=7, label=words["start"])
    ax.plot(*path[-1], "o", color="#e4572e", mec="black", ms=8, label=words["end"])
    ax.plot(*minimum, "*", color="gold", mec="black", ms=17, label=words["minimum"])
    ax.set_title(title, fontsize=13)
    ax.set_xlabel(xlabel, fontsize=12)
    ax.set_ylabel(ylabel, fontsize=12)
    ax.tick_params(labelsize=SMALLEST_TEXT)
    thousands = FuncFormatter(lambda value, _: f"{value:,.0f}")
    # Ticks chosen once from the grid's exact ends. Left to a locator, they would be
    # chosen from the drawn data's extent, and a span larger than 40,000 by 1e-8
    # (noise in the data's last bits, which tests/test_figures.py adds) gives
    # 10,000-steps instead of 8,000.
    for axis, grid in ((ax.xaxis, w1), (ax.yaxis, w2)):
        ticks = MaxNLocator(5).tick_values(grid[0], grid[-1])
        axis.set_ticks(ticks[(ticks >= grid[0]) & (ticks <= grid[-1])])
        axis.set_major_formatter(thousands)
    return filled


#: The words of the descent-path figure, in each of the site's languages.
DESCENT_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "raw": f"Raw features, lr = {RAW_LR:g}",
        "raw x": "w1 (dollars per sqft)",
        "raw y": "w2 (dollars per bedroom)",
        "floor": "valley floor, still to crawl",
        "scaled": f"Standardised features + bias, lr = {SCALED_LR:g}",
        "scaled x": "w1 (dollars per std of size)",
        "scaled y": "w2 (dollars per std of bedrooms)",
        "path": "descent path",
        "start": "start (zeros)",
        "end": f"after {FIGURE_STEPS} steps",
        "minimum": "minimum (MSE 0)",
        "colorbar": "MSE (dollars squared)",
    },
    "zh-TW": {
        "raw": f"原始特徵，學習率 = {RAW_LR:g}",
        "raw x": "w1（每平方英尺的美元）",
        "raw y": "w2（每間臥室的美元）",
        "floor": "還要爬的谷底",
        "scaled": f"標準化特徵加偏差，學習率 = {SCALED_LR:g}",
        "scaled x": "w1（面積每個標準差的美元）",
        "scaled y": "w2（臥室數每個標準差的美元）",
        "path": "下降路徑",
        "start": "起點（全為 0）",
        "end": f"走完 {FIGURE_STEPS:,} 步",
        "minimum": "最小值（MSE 為 0）",
        "colorbar": "MSE（美元的平方）",
    },
}
#: The smallest text of the figures in this module, in points: 9 CSS pixels or more
#: where a 375 px phone shrinks the figure to its screen (tests/test_figures.py).
SMALLEST_TEXT = 11


@figure("descent-path.svg", translated=True)
def descent_path_figure(lang: str = "en") -> Figure:
    """Two runs on the housing MSE: raw features crawl, standardised ones arrive.

    Top: the notes' model on raw features, lr 1e-7. The loss surface is a
    valley 59 million times more curved across than along, so the weights drop
    onto its floor within 20 steps and then crawl along it (dashed) towards the
    minimum at (250, -25,000), too slowly to see in 2,000 steps. Bottom: the
    same houses with standardised features and a bias, lr 0.4; the contours are
    drawn with the bias at its best value, the mean price, which does not move
    the path of (w1, w2) because standardised columns have mean 0. One panel
    above the other, so that the figure stays legible on a phone. Its words are
    in *lang*.
    """
    words = DESCENT_WORDS[lang]
    features, prices = housing_data()
    raw = gradient_descent(features, prices, lr=RAW_LR, steps=FIGURE_STEPS)
    z, _, _ = standardize(features)
    z1 = torch.cat([z, torch.ones(3, 1, dtype=z.dtype)], dim=1)
    scaled = gradient_descent(z1, prices, lr=SCALED_LR, steps=FIGURE_STEPS)
    best = torch.linalg.lstsq(z1, prices.unsqueeze(1)).solution.flatten()
    # LAPACK and BLAS may round the last bit differently from run to run (their
    # SIMD paths depend on how the arrays happen to be aligned in memory), and one
    # bit is enough to move a contour line. Micro-dollars are far below a pixel.
    best = best.round(decimals=6)
    raw_path = np.round(raw.weights.numpy(), 6)
    scaled_path = np.round(scaled.weights[:, :2].numpy(), 6)

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(5.2, 9.6), layout="constrained")
    w1 = np.linspace(-20, 320, GRID)
    w2 = np.linspace(-32_000, 8_000, GRID)
    _panel(
        top,
        _loss_grid(features, prices, w1, w2, torch.zeros(0)),
        w1,
        w2,
        raw_path,
        (250.0, -25_000.0),
        words["raw"],
        words["raw x"],
        words["raw y"],
        words,
    )
    # The valley floor the raw run crawls along: from where it lands to the minimum.
    top.plot(
        [raw_path[20, 0], 250.0],
        [raw_path[20, 1], -25_000.0],
        "--",
        color="#e4572e",
        lw=1.4,
        label=words["floor"],
    )
    s1 = np.linspace(-20_000, 140_000, GRID)
    s2 = np.linspace(-60_000, 100_000, GRID)
    filled = _panel(
        bottom,
        _loss_grid(z1, prices, s1, s2, best[2:]),
        s1,
        s2,
        scaled_path,
        (float(best[0]), float(best[1])),
        words["scaled"],
        words["scaled x"],
        words["scaled y"],
        words,
    )
    top.legend(loc="lower left", fontsize=SMALLEST_TEXT, framealpha=0.9)
    bottom.legend(loc="upper right", fontsize=SMALLEST_TEXT, framealpha=0.9)
    bar = fig.colorbar(
        filled,
        ax=[top, bottom],
        location="bottom",
        fraction=0.04,
        pad=0.02,
    )
    bar.set_label(words["colorbar"], fontsize=12)
    bar.ax.tick_params(labelsize=SMALLEST_TEXT)
    return fig


# --- the parabola figure ------------------------------------------------------

#: The four learning rates of the parabola figure: too small, about right, too
#: large but still converging, diverging (the limit is 2 / curvature = 1).
PARABOLA_RATES = (0.05, 0.3, 0.9, 1.1)
#: Steps drawn in every panel: the same count, so the panels compare fairly.
PARABOLA_STEPS = 6


@figure("parabola-steps.svg")
def parabola_steps_figure() -> Figure:
    """Six steps on ``(w - 3) ** 2`` from ``w = 0`` at each of ``PARABOLA_RATES``.

    Two by two rather than four in a row, so that each panel stays large on a
    phone. The labels are symbols and numbers only (``α``, ``1 − 2α``): the
    figure serves the English and the Chinese page alike, and the factor
    ``1 − 2α``, by which each step multiplies the distance to the minimum, is
    what tells the four regimes apart.
    """
    left, right, top = -3.0, 9.0, 30.0
    curve_w = np.linspace(left, right, 241)
    fig, axes = plt.subplots(
        2, 2, figsize=(5.0, 5.4), sharex=True, sharey=True, layout="constrained"
    )
    for ax, lr in zip(axes.flat, PARABOLA_RATES, strict=True):
        path = parabola_descent(lr, PARABOLA_STEPS).numpy().round(9)
        losses = (path - 3.0) ** 2
        ax.plot(curve_w, (curve_w - 3.0) ** 2, color="#6b7b8c", lw=1.6)
        # The steps as straight chords; the axes clip the one that leaves the panel.
        ax.plot(path, losses, "-", color="#e4572e", lw=1.5)
        for k in range(len(path) - 1):
            if left <= path[k + 1] <= right and losses[k + 1] <= top:
                ax.annotate(
                    "",
                    xy=(path[k + 1], losses[k + 1]),
                    xytext=(path[k], losses[k]),
                    arrowprops={"arrowstyle": "-|>", "color": "#e4572e", "lw": 1.5},
                )
        ax.plot(path[1:], losses[1:], "o", color="#e4572e", ms=4.5)
        ax.plot(path[0], losses[0], "s", color="black", ms=8, zorder=4)
        ax.plot(3.0, 0.0, "*", color="gold", mec="black", ms=16, clip_on=False, zorder=5)
        factor = f"{1 - 2 * lr:+.1f}".replace("-", "−")
        ax.set_title(f"α = {lr:g}\n1 − 2α = {factor}", fontsize=14)
        ax.set_xlim(left, right)
        ax.set_ylim(-1.5, top)
        ax.set_xticks([0, 3, 6])
        ax.set_yticks([0, 10, 20, 30])
        ax.tick_params(labelsize=13)
    for ax in axes[1]:
        ax.set_xlabel("w", fontsize=14, style="italic")
    for ax in axes[:, 0]:
        ax.set_ylabel("(w − 3)²", fontsize=14)
    return fig
