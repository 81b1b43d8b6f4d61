"""Mini-batch training of the linear-regression model, and its loss curves.

The gradient-descent and linear-regression chapters take one step per epoch,
from the gradient of the whole data set. With mini-batches an epoch is many
steps, and two knobs decide how a run goes: the batch size (how many steps an
epoch makes, and how noisy each one is) and the learning rate (how far each
step goes). They are not independent: the learning rate that works best grows
with the batch size, and a large one with small batches stops at a floor set
by the noise. [`loss_curve`][] runs the page's loop and records the loss on
the *whole* data set after every epoch, so that runs with different batch
sizes are compared on the same measure; [`training_curves_figure`][] draws the
trade-off.

The loop is exactly the page's: ``nn.Linear`` initialised after
``torch.manual_seed(seed)``, ``torch.optim.SGD``, and a ``DataLoader(...,
shuffle=True, generator=torch.Generator().manual_seed(seed))``, so its numbers
match the page's to the last digit. The caller's global random state is left as
it was.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, NullLocator
from torch.utils.data import DataLoader, TensorDataset

from . import checks
from .figures import figure
from .regression import _check_data, least_squares, make_data

__all__ = ["Curve", "loss_curve", "training_curves_figure"]


@dataclass(frozen=True)
class Curve:
    """The losses of one mini-batch run, measured on the whole data set.

    ``losses[0]`` is the loss of the starting weights and ``losses[e]`` the loss
    after epoch ``e``: measured on every sample, not on the last mini-batch,
    whose loss is noisy and differs from batch to batch. A run that diverged
    holds ``inf`` or ``nan`` from the epoch where it overflowed.
    """

    batch_size: int
    lr: float
    momentum: float
    steps_per_epoch: int
    losses: tuple[float, ...]

    @property
    def final_loss(self) -> float:
        """The loss on the whole data set after the last epoch."""
        return self.losses[-1]


def loss_curve(
    X: torch.Tensor,
    y: torch.Tensor,
    *,
    batch_size: int,
    lr: float,
    epochs: int = 20,
    momentum: float = 0.0,
    seed: int = 0,
) -> Curve:
    """Train ``nn.Linear`` on ``(X, y)`` with mini-batch SGD; return the loss per epoch.

    Each epoch deals the samples out in a new random order, *batch_size* at a
    time (the last batch holds what is left), and takes one
    ``torch.optim.SGD(lr=lr, momentum=momentum)`` step per batch on the mean
    squared error of that batch. *X* has shape ``(n_samples, n_features)`` and
    *y* ``(n_samples, 1)``, the layout of [`make_data`][autograd_guide.regression.make_data].

    *batch_size* must be at most the number of samples: a larger one would
    silently mean full-batch descent, which is not what the caller asked to see.
    The weights start where ``torch.manual_seed(seed); nn.Linear(...)`` puts
    them, so runs with the same *seed* start from the same point and differ only
    in what the caller varies; the global random state is restored afterwards.
    """
    X, y = _check_data(X, y)
    n = X.shape[0]
    batch_size = checks.integer("batch_size", batch_size, 1)
    if batch_size > n:
        raise ValueError(f"batch_size must be at most the number of samples, {n}, got {batch_size}")
    lr = checks.positive_number("lr", lr)
    epochs = checks.integer("epochs", epochs, 1)
    momentum = checks.positive_number("momentum", momentum, allow_zero=True)
    if momentum >= 1:
        raise ValueError(f"momentum must be >= 0 and < 1, got {momentum!r}")
    seed = checks.integer("seed", seed, 0, 2**63 - 1)

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = torch.nn.Linear(X.shape[1], 1).to(dtype=X.dtype, device=X.device)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    loss_fn = torch.nn.MSELoss()
    batches = DataLoader(
        TensorDataset(X, y),
        batch_size=batch_size,
        shuffle=True,
        generator=torch.Generator().manual_seed(seed),
    )

    def whole_loss() -> float:
        with torch.no_grad():
            return loss_fn(model(X), y).item()

    losses = [whole_loss()]
    for _ in range(epochs):
        for xb, yb in batches:
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
        losses.append(whole_loss())
    return Curve(
        batch_size=batch_size,
        lr=lr,
        momentum=momentum,
        steps_per_epoch=len(batches),
        losses=tuple(losses),
    )


# --- figure --------------------------------------------------------------------------------

#: The runs the figure draws: learning rate 0.1 with three batch sizes (top), and
#: batch size 1 with three learning rates (bottom). 20 epochs each.
FIGURE_EPOCHS = 20
TOP_LR = 0.1
TOP_BATCH_SIZES = (100, 10, 1)
BOTTOM_BATCH_SIZE = 1
BOTTOM_LRS = (0.01, 0.1, 0.5)
COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c")
#: The smallest text, in points: 9 CSS pixels or more on a 375 px phone.
SMALLEST_TEXT = 11
#: Fixed limits and ticks, so that the figure does not follow its data's last bits.
Y_LIMITS = (0.005, 10.0)
Y_TICKS = (0.01, 0.1, 1.0, 10.0)

#: The figure's words, in each of the site's languages.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "top": "Learning rate {lr:g}, three batch sizes",
        "bottom": "Batch size {batch_size}, three learning rates",
        "batch": "batch size {batch_size} ({steps} steps per epoch)",
        "batch, one step": "batch size {batch_size} (1 step per epoch)",
        "lr": "learning rate {lr:g}",
        "best": "least squares {best:.4f}",
        "epoch": "Epoch",
        "loss": "MSE on all {n} points (log scale)",
    },
    "zh-TW": {
        "top": "學習率 {lr:g}，三種批次大小",
        "bottom": "批次大小 {batch_size}，三種學習率",
        "batch": "批次大小 {batch_size}（每個訓練週期 {steps} 步）",
        "batch, one step": "批次大小 {batch_size}（每個訓練週期 1 步）",
        "lr": "學習率 {lr:g}",
        "best": "最小平方 {best:.4f}",
        "epoch": "訓練週期",
        "loss": "全部 {n} 個點的 MSE（對數刻度）",
    },
}


@functools.cache
def _figure_runs() -> tuple[float, int, tuple[Curve, ...], tuple[Curve, ...]]:
    """The least-squares loss, the sample count and the figure's two sets of runs.

    Cached: the figure is drawn once per language, and tests draw it again.
    """
    X, y = make_data()
    w, b = least_squares(X, y)
    best = torch.mean((X @ w + b - y) ** 2).item()
    top = tuple(
        loss_curve(X, y, batch_size=size, lr=TOP_LR, epochs=FIGURE_EPOCHS)
        for size in TOP_BATCH_SIZES
    )
    bottom = tuple(
        loss_curve(X, y, batch_size=BOTTOM_BATCH_SIZE, lr=lr, epochs=FIGURE_EPOCHS)
        for lr in BOTTOM_LRS
    )
    return best, X.shape[0], top, bottom


def _panel(ax: Axes, curves: tuple[Curve, ...], labels: list[str], best: float, note: str) -> None:
    epochs = range(FIGURE_EPOCHS + 1)
    for curve, label, color in zip(curves, labels, COLORS, strict=True):
        ax.plot(epochs, curve.losses, color=color, lw=2.2, marker="o", ms=3, label=label)
    ax.axhline(best, color="black", lw=1.0, ls="--", label=note)
    ax.set_yscale("log")
    ax.set_ylim(*Y_LIMITS)
    ax.set_xlim(0, FIGURE_EPOCHS)
    ax.yaxis.set_major_locator(FixedLocator(Y_TICKS))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_locator(FixedLocator(range(0, FIGURE_EPOCHS + 1, 5)))
    ax.legend(loc="upper right", fontsize=SMALLEST_TEXT)
    ax.grid(alpha=0.3)
    ax.tick_params(labelsize=SMALLEST_TEXT)


@figure("training-curves.svg", translated=True)
def training_curves_figure(lang: str = "en") -> Figure:
    """Loss per epoch of mini-batch SGD: batch sizes at one learning rate, and the reverse.

    Top, learning rate 0.1 with batches of 100, 10 and 1: per epoch, smaller
    batches get further, because an epoch makes more steps. Bottom, batches of 1
    with learning rates 0.01, 0.1 and 0.5: the largest one levels off above the
    least-squares loss, held up by the noise of single-sample steps. One panel
    above the other, so that the text stays legible on a phone; words in *lang*.
    """
    words = WORDS[lang]
    best, n, top, bottom = _figure_runs()
    fig, axes = plt.subplots(2, 1, figsize=(5.2, 8.2), sharex=True, layout="constrained")
    note = words["best"].format(best=best)
    _panel(
        axes[0],
        top,
        [
            words["batch" if c.steps_per_epoch > 1 else "batch, one step"].format(
                batch_size=c.batch_size, steps=c.steps_per_epoch
            )
            for c in top
        ],
        best,
        note,
    )
    axes[0].set_title(words["top"].format(lr=TOP_LR))
    _panel(axes[1], bottom, [words["lr"].format(lr=c.lr) for c in bottom], best, note)
    axes[1].set_title(words["bottom"].format(batch_size=BOTTOM_BATCH_SIZE))
    axes[1].set_xlabel(words["epoch"])
    for ax in axes:
        ax.set_ylabel(words["loss"].format(n=n))
    return fig
