"""The seed's linear regression: its data, its training loop, and the exact answer.

The lecture notes train ``y ≈ w·x + b`` by gradient descent on 100 noisy points
of ``y = 2x + 1``. Their program has a silent bug: with ``w`` of shape ``(1,)``
the prediction has shape ``(100,)`` while ``y`` has shape ``(100, 1)``, so
``y_pred - y`` broadcasts to ``(100, 100)`` and the loss compares every
prediction with every target. PyTorch raises nothing; the model just learns the
wrong thing. [`train`][] therefore refuses any prediction whose shape differs
from the target's, and [`least_squares`][] gives the exact answer gradient
descent should approach, so a page (or a test) can tell "converged" from
"converged to the wrong place".

Nothing here prints: the functions return values and histories, and the pages
decide what to show.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure

from . import checks
from .figures import figure

__all__ = ["History", "draw_fit", "draw_loss", "least_squares", "make_data", "train"]

#: The seed's hyperparameters: learning rate 0.1, 100 epochs.
SEED_LEARNING_RATE = 0.1
SEED_EPOCHS = 100


@dataclass(frozen=True)
class History:
    """What a training run leaves behind.

    ``losses[i]`` is the loss computed in epoch ``i``, *before* that epoch's
    update, exactly what the seed's loop appends; so ``losses[0]`` is the loss
    of the starting parameters. ``w`` and ``b`` are the parameters after the
    last update, detached from the graph.
    """

    losses: tuple[float, ...]
    w: torch.Tensor
    b: torch.Tensor

    @property
    def final_loss(self) -> float:
        """The loss of the last epoch (measured before its update, as the seed prints it)."""
        return self.losses[-1]


def make_data(n: int = 100, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Return the seed's data set ``X`` (shape ``(n, 1)``) and ``y`` (``(n, 1)``), float32.

    The numbers are exactly those of the seed's numpy code:

    ```python
    np.random.seed(0)
    X = np.random.rand(100, 1)
    y = 2 * X + 1 + np.random.randn(100, 1) * 0.1
    ```

    A private ``RandomState`` draws the same stream as ``np.random.seed`` would,
    without touching numpy's global generator, so calling this function does
    not change the random numbers a reader's own code draws next.
    """
    checks.integer("n", n, 1)
    checks.integer("seed", seed, 0, 2**32 - 1)
    rng = np.random.RandomState(seed)
    X = rng.rand(n, 1)
    y = 2 * X + 1 + rng.randn(n, 1) * 0.1
    return torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)


def _data_tensor(name: str, value: object) -> torch.Tensor:
    """A tensor fit to train on: floating, with at least one element, all finite."""
    return checks.tensor(name, value, nonempty=True, finite=True)


def _check_data(X: object, y: object) -> tuple[torch.Tensor, torch.Tensor]:
    """*X* (n, k) and *y* (n, 1) on one dtype and device: the seed's data layout."""
    X = _data_tensor("X", X)
    y = _data_tensor("y", y)
    if X.dim() != 2:
        raise ValueError(
            f"X must be 2-D, shape (n_samples, n_features), got shape {tuple(X.shape)}"
        )
    if y.dim() != 2 or y.shape[1] != 1:
        raise ValueError(f"y must have shape (n_samples, 1), got shape {tuple(y.shape)}")
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X and y must have the same number of rows, got {X.shape[0]} and {y.shape[0]}"
        )
    if X.dtype != y.dtype:
        raise TypeError(f"X and y must have the same dtype, got {X.dtype} and {y.dtype}")
    if X.device != y.device:
        raise ValueError(f"X and y must be on the same device, got {X.device} and {y.device}")
    return X, y


def _descend(
    X: torch.Tensor, y: torch.Tensor, w: torch.Tensor, b: torch.Tensor, lr: float, epochs: int
) -> History:
    """The seed's loop, unchecked: the one place the update rule is written.

    Kept private because it accepts the seed's broken shapes too: the figures use
    it to draw what the seed's program really did.
    """
    w = w.detach().clone().requires_grad_(True)
    b = b.detach().clone().requires_grad_(True)
    losses = []
    for _ in range(epochs):
        y_pred = torch.matmul(X, w) + b
        loss = torch.mean((y_pred - y) ** 2)
        loss.backward()
        losses.append(loss.item())
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
            w.grad.zero_()
            b.grad.zero_()
    return History(losses=tuple(losses), w=w.detach(), b=b.detach())


def train(
    X: torch.Tensor,
    y: torch.Tensor,
    w: torch.Tensor,
    b: torch.Tensor,
    lr: float = SEED_LEARNING_RATE,
    epochs: int = SEED_EPOCHS,
) -> History:
    """Fit ``y ≈ X @ w + b`` by plain gradient descent on the mean squared error.

    The loop is the seed's, step for step (same loss, same update, same order),
    so its losses match the page's loop to the last digit. Two differences make
    it safe to call:

    * it refuses a prediction ``X @ w + b`` whose shape is not ``y``'s shape,
      with a [`ValueError`][ValueError], instead of letting ``y_pred - y`` broadcast
      (the seed's bug: ``w`` of shape ``(1,)`` gives a ``(100, 100)`` loss);
    * it trains copies of ``w`` and ``b``, so the caller's tensors are left as
      they were and the same start can be reused.

    *w* has shape ``(n_features, 1)``; *b* holds one number (shape ``(1,)`` is
    what the seed uses).

    [ValueError]: https://docs.python.org/3/library/exceptions.html#ValueError
    """
    X, y = _check_data(X, y)
    w = _data_tensor("w", w)
    b = _data_tensor("b", b)
    for name, t in (("w", w), ("b", b)):
        if t.dtype != X.dtype:
            raise TypeError(f"{name} must have X's dtype {X.dtype}, got {t.dtype}")
        if t.device != X.device:
            raise ValueError(f"{name} must be on X's device {X.device}, got {t.device}")
    if w.dim() not in (1, 2) or w.shape[0] != X.shape[1]:
        raise ValueError(
            f"w must have shape ({X.shape[1]}, 1) to multiply X of shape {tuple(X.shape)}, "
            f"got shape {tuple(w.shape)}"
        )
    if b.numel() != 1:
        raise ValueError(f"b must hold a single number, got shape {tuple(b.shape)}")
    pred_shape = torch.broadcast_shapes(torch.Size([X.shape[0], *w.shape[1:]]), b.shape)
    if pred_shape != y.shape:
        raise ValueError(
            f"the prediction X @ w + b has shape {tuple(pred_shape)} but y has shape "
            f"{tuple(y.shape)}: y_pred - y would silently broadcast to shape "
            f"{tuple(torch.broadcast_shapes(pred_shape, y.shape))} and compare every "
            f"prediction with every target. Give w the shape ({X.shape[1]}, 1)."
        )
    lr = checks.positive_number("lr", lr)
    epochs = checks.integer("epochs", epochs, 1)
    return _descend(X, y, w, b, lr, epochs)


def least_squares(X: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Return the ``(w, b)`` that minimise the mean squared error exactly.

    This is the closed-form answer gradient descent is walking towards: the
    least-squares solution of ``[X, 1] @ [w; b] = y``, solved with
    [`torch.linalg.lstsq`][torch.linalg.lstsq] in float64 (then cast back to ``X``'s dtype)
    so that rounding in the solver does not blur the comparison. ``w`` has shape
    ``(n_features, 1)`` and ``b`` shape ``(1,)``, the shapes [`train`][] uses.

    [torch.linalg.lstsq]: https://pytorch.org/docs/stable/generated/torch.linalg.lstsq.html
    """
    X, y = _check_data(X, y)
    if X.shape[0] < X.shape[1] + 1:
        raise ValueError(
            f"X needs at least n_features + 1 = {X.shape[1] + 1} rows for a unique answer, "
            f"got {X.shape[0]}"
        )
    A = torch.cat([X.double(), torch.ones(X.shape[0], 1, dtype=torch.float64, device=X.device)], 1)
    solution = torch.linalg.lstsq(A.cpu(), y.double().cpu()).solution.to(X.device)
    w = solution[:-1].to(X.dtype)
    b = solution[-1].to(X.dtype)
    return w, b


# --- figures -------------------------------------------------------------------------------

BUGGY_COLOR = "#d62728"
FIXED_COLOR = "#1f77b4"
DATA_COLOR = "#7f7f7f"


def _seed_runs() -> tuple[torch.Tensor, torch.Tensor, History, History]:
    """The seed's program (``w`` of shape ``(1,)``) and the fixed one (``(1, 1)``), seed 0."""
    X, y = make_data()
    g = torch.Generator().manual_seed(0)
    w_buggy, b_buggy = torch.randn(1, generator=g), torch.randn(1, generator=g)
    g = torch.Generator().manual_seed(0)
    w_fixed, b_fixed = torch.randn(1, 1, generator=g), torch.randn(1, generator=g)
    buggy = _descend(X, y, w_buggy, b_buggy, SEED_LEARNING_RATE, SEED_EPOCHS)
    fixed = _descend(X, y, w_fixed, b_fixed, SEED_LEARNING_RATE, SEED_EPOCHS)
    return X, y, buggy, fixed


#: The words of the two figures, in each of the site's languages.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "seed": "Seed's program: w of shape (1,)",
        "fixed": "Fixed: w of shape (1, 1)",
        "data": "Data",
        "learned": "Learned: y = {w:.2f}x + {b:.2f}",
        "least squares": "Least squares: y = {w:.2f}x + {b:.2f}",
        "heads": "Where it heads: y = mean(y) = {mean:.2f}",
        "fit title": "Each run's line after {epochs} epochs (learning rate {lr:g})",
        "var": "Var(y) = {var:.3f}: the best the broadcast loss can do",
        "best": "Least-squares loss = {best:.4f}",
        "epoch": "Epoch",
        "loss": "Loss (mean squared error, log scale)",
        "loss title": "Loss per epoch, learning rate {lr:g}",
    },
    "zh-TW": {
        "seed": "講義的程式：w 的形狀是 (1,)",
        "fixed": "修正後：w 的形狀是 (1, 1)",
        "data": "資料",
        "learned": "學到的直線：y = {w:.2f}x + {b:.2f}",
        "least squares": "最小平方：y = {w:.2f}x + {b:.2f}",
        "heads": "正在趨近 y 的平均值：y = {mean:.2f}",
        "fit title": "兩次執行在 {epochs} 個訓練週期學到的直線（學習率 {lr:g}）",
        "var": "Var(y) = {var:.3f}：廣播後的損失最低只能到這裡",
        "best": "最小平方的損失 = {best:.4f}",
        "epoch": "訓練週期",
        "loss": "損失（均方誤差，對數刻度）",
        "loss title": "每個訓練週期的損失，學習率 {lr:g}",
    },
}
#: The smallest text of the two figures, in points: 9 CSS pixels or more where a
#: 375 px phone shrinks the figure to its screen (tests/test_figures.py).
SMALLEST_TEXT = 11


@figure("regression-fit.svg", translated=True)
def draw_fit(lang: str = "en") -> Figure:
    """The data with the line each run learned: the seed's (top) and the fixed one (bottom).

    One panel above the other, so that the legends stay legible on a phone. The
    words are in *lang*.
    """
    words = WORDS[lang]
    X, y, buggy, fixed = _seed_runs()
    w_ls, b_ls = least_squares(X, y)
    xs = torch.linspace(0, 1, 2)
    fig, axes = plt.subplots(2, 1, figsize=(5.2, 8.2), sharex=True, layout="constrained")
    panels = (
        (axes[0], buggy, BUGGY_COLOR, words["seed"]),
        (axes[1], fixed, FIXED_COLOR, words["fixed"]),
    )
    for ax, run, color, title in panels:
        w, b = run.w.item(), run.b.item()
        ax.scatter(X, y, s=14, color=DATA_COLOR, alpha=0.7, label=words["data"])
        ax.plot(xs, w * xs + b, color=color, lw=2.5, label=words["learned"].format(w=w, b=b))
        ax.plot(
            xs,
            w_ls.item() * xs + b_ls.item(),
            color="black",
            lw=1.2,
            ls="--",
            label=words["least squares"].format(w=w_ls.item(), b=b_ls.item()),
        )
        if run is buggy:
            mean_y = y.mean().item()
            ax.axhline(
                mean_y,
                color=color,
                lw=1.2,
                ls=":",
                label=words["heads"].format(mean=mean_y),
            )
        ax.set_title(title)
        ax.set_ylabel("y")
        ax.legend(loc="upper left", fontsize=SMALLEST_TEXT)
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=SMALLEST_TEXT)
    axes[1].set_xlabel("X")
    fig.suptitle(words["fit title"].format(epochs=SEED_EPOCHS, lr=SEED_LEARNING_RATE))
    return fig


@figure("regression-loss.svg", translated=True)
def draw_loss(lang: str = "en") -> Figure:
    """Loss per epoch of both runs, with the two floors they approach; words in *lang*."""
    words = WORDS[lang]
    X, y, buggy, fixed = _seed_runs()
    w_ls, b_ls = least_squares(X, y)
    best = torch.mean((X @ w_ls + b_ls - y) ** 2).item()
    var_y = y.var(unbiased=False).item()
    epochs = range(1, len(buggy.losses) + 1)
    fig, ax = plt.subplots(figsize=(5.2, 4.4), layout="constrained")
    ax.plot(epochs, buggy.losses, color=BUGGY_COLOR, lw=2.5, label=words["seed"])
    ax.plot(epochs, fixed.losses, color=FIXED_COLOR, lw=2.5, label=words["fixed"])
    ax.axhline(var_y, color=BUGGY_COLOR, lw=1.2, ls="--")
    ax.axhline(best, color=FIXED_COLOR, lw=1.2, ls="--")
    ax.annotate(
        words["var"].format(var=var_y),
        (len(epochs), var_y),
        xytext=(0, -15),
        textcoords="offset points",
        ha="right",
        color=BUGGY_COLOR,
        fontsize=SMALLEST_TEXT,
    )
    ax.annotate(
        words["best"].format(best=best),
        (len(epochs), best),
        xytext=(0, 6),
        textcoords="offset points",
        ha="right",
        color=FIXED_COLOR,
        fontsize=SMALLEST_TEXT,
    )
    ax.set_yscale("log")
    ax.set_xlabel(words["epoch"])
    ax.set_ylabel(words["loss"])
    ax.set_title(words["loss title"].format(lr=SEED_LEARNING_RATE))
    ax.legend(loc="upper right", fontsize=SMALLEST_TEXT)
    ax.grid(alpha=0.3, which="both")
    ax.tick_params(which="both", labelsize=SMALLEST_TEXT)
    return fig
