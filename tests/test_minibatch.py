"""Tests for autograd_guide.minibatch: the page's mini-batch loop, its checks and its figure."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pytest
import torch
from matplotlib.figure import Figure
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from autograd_guide.minibatch import Curve, _figure_runs, loss_curve, training_curves_figure
from autograd_guide.regression import make_data


def page_loop(
    X: torch.Tensor, y: torch.Tensor, batch_size: int, lr: float, epochs: int, momentum: float
) -> list[float]:
    """The loop the page writes out, line for line."""
    torch.manual_seed(0)
    model = nn.Linear(X.shape[1], 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    loss_fn = nn.MSELoss()
    batches = DataLoader(
        TensorDataset(X, y),
        batch_size=batch_size,
        shuffle=True,
        generator=torch.Generator().manual_seed(0),
    )
    with torch.no_grad():
        losses = [loss_fn(model(X), y).item()]
    for _ in range(epochs):
        for xb, yb in batches:
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
        with torch.no_grad():
            losses.append(loss_fn(model(X), y).item())
    return losses


@pytest.mark.parametrize(
    ("batch_size", "lr", "momentum"), [(100, 0.1, 0.0), (10, 0.1, 0.0), (7, 0.05, 0.9)]
)
def test_matches_the_page_loop_exactly(batch_size: int, lr: float, momentum: float) -> None:
    X, y = make_data()
    curve = loss_curve(X, y, batch_size=batch_size, lr=lr, epochs=5, momentum=momentum)
    assert list(curve.losses) == page_loop(X, y, batch_size, lr, 5, momentum)
    assert curve.steps_per_epoch == math.ceil(100 / batch_size)
    assert (curve.batch_size, curve.lr, curve.momentum) == (batch_size, lr, momentum)
    assert curve.final_loss == curve.losses[-1] and len(curve.losses) == 6


def test_leaves_the_global_random_state_alone() -> None:
    X, y = make_data()
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    loss_curve(X, y, batch_size=10, lr=0.1, epochs=1)
    assert torch.equal(torch.rand(3), expected)


def test_same_seed_same_run_and_the_seed_matters() -> None:
    X, y = make_data()
    a = loss_curve(X, y, batch_size=10, lr=0.1, epochs=3)
    b = loss_curve(X, y, batch_size=10, lr=0.1, epochs=3)
    c = loss_curve(X, y, batch_size=10, lr=0.1, epochs=3, seed=1)
    assert a == b and a.losses != c.losses


def test_learns_and_the_trade_off_the_page_shows() -> None:
    X, y = make_data()
    final = {
        (size, lr): loss_curve(X, y, batch_size=size, lr=lr, epochs=20).final_loss
        for size in (100, 10)
        for lr in (0.01, 0.1, 0.5)
    }
    # smaller batches get further per epoch at one learning rate
    assert final[10, 0.1] < final[100, 0.1] < final[100, 0.01]
    # full batch wants the largest learning rate of the three
    assert final[100, 0.5] == min(final[100, lr] for lr in (0.01, 0.1, 0.5))
    # a learning rate far too large diverges: the curve keeps the overflow
    diverged = loss_curve(X, y, batch_size=10, lr=1.0, epochs=20)
    assert not math.isfinite(diverged.final_loss)


def test_accepts_several_features_and_float64() -> None:
    torch.manual_seed(0)
    X = torch.rand(50, 3, dtype=torch.float64)
    y = X @ torch.tensor([[1.0], [-2.0], [0.5]], dtype=torch.float64) + 0.3
    curve = loss_curve(X, y, batch_size=50, lr=0.5, epochs=200)
    assert curve.final_loss < 1e-3 < curve.losses[0]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"X": [[1.0]]}, TypeError, "X must be a torch.Tensor, got list"),
        ({"X": torch.ones(100, 1, dtype=torch.int64)}, TypeError, "X must have a floating dtype"),
        ({"y": torch.ones(100)}, ValueError, r"y must have shape \(n_samples, 1\)"),
        ({"y": torch.ones(99, 1)}, ValueError, "same number of rows, got 100 and 99"),
        ({"batch_size": 10.0}, TypeError, "batch_size must be an int, got float"),
        ({"batch_size": 0}, ValueError, "batch_size must be >= 1, got 0"),
        ({"batch_size": 101}, ValueError, "at most the number of samples, 100, got 101"),
        ({"lr": "0.1"}, TypeError, "lr must be a real number, got str"),
        ({"lr": 0.0}, ValueError, "lr must be a finite number > 0, got 0.0"),
        ({"lr": math.inf}, ValueError, "lr must be a finite number > 0, got inf"),
        ({"epochs": 0}, ValueError, "epochs must be >= 1, got 0"),
        ({"epochs": True}, TypeError, "epochs must be an int, got bool"),
        ({"momentum": -0.1}, ValueError, "momentum must be a finite number >= 0, got -0.1"),
        ({"momentum": 1.0}, ValueError, r"momentum must be >= 0 and < 1, got 1.0"),
        ({"seed": -1}, ValueError, "seed must be >= 0"),
    ],
)
def test_bad_inputs(kwargs: dict[str, object], error: type[Exception], match: str) -> None:
    X, y = make_data()
    args: dict[str, object] = {"X": X, "y": y, "batch_size": 10, "lr": 0.1}
    args.update(kwargs)
    with pytest.raises(error, match=match):
        loss_curve(args.pop("X"), args.pop("y"), **args)  # type: ignore[arg-type]


def test_figure_draws_the_runs_it_names() -> None:
    best, n, top, bottom = _figure_runs()
    assert n == 100 and 0.009 < best < 0.011
    assert [c.batch_size for c in top] == [100, 10, 1] and {c.lr for c in top} == {0.1}
    assert [c.lr for c in bottom] == [0.01, 0.1, 0.5] and {c.batch_size for c in bottom} == {1}
    assert all(isinstance(c, Curve) and len(c.losses) == 21 for c in (*top, *bottom))
    # what the page says about it: batch size 1 at learning rate 0.5 ends above 0.1's
    assert bottom[2].final_loss > bottom[1].final_loss > best
    for lang in ("en", "zh-TW"):
        fig = training_curves_figure(lang)
        assert isinstance(fig, Figure) and len(fig.axes) == 2
        plt.close(fig)
