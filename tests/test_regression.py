"""Tests for autograd_guide.regression: the seed's data, its loop, its bug and the exact answer."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

from autograd_guide import figures
from autograd_guide.regression import (
    History,
    _descend,
    _seed_runs,
    draw_fit,
    draw_loss,
    least_squares,
    make_data,
    train,
)


def seed_numpy_data(n: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """The seed's own lines, verbatim."""
    np.random.seed(0)
    X = np.random.rand(n, 1)
    y = 2 * X + 1 + np.random.randn(n, 1) * 0.1
    return X, y


def seed_start(w_shape: tuple[int, ...] = (1, 1)) -> tuple[torch.Tensor, torch.Tensor]:
    torch.manual_seed(0)
    return torch.randn(*w_shape), torch.randn(1)


def seed_loop(w_shape: tuple[int, ...], epochs: int = 100) -> tuple[list[float], float, float]:
    """The page's program (seed's loop, torch seeded) written out by hand."""
    X_np, y_np = seed_numpy_data()
    X = torch.tensor(X_np, dtype=torch.float32)
    y = torch.tensor(y_np, dtype=torch.float32)
    torch.manual_seed(0)
    w = torch.randn(*w_shape, requires_grad=True)
    b = torch.randn(1, requires_grad=True)
    losses = []
    for _ in range(epochs):
        y_pred = torch.matmul(X, w) + b
        loss = torch.mean((y_pred - y) ** 2)
        loss.backward()
        losses.append(loss.item())
        with torch.no_grad():
            w -= 0.1 * w.grad
            b -= 0.1 * b.grad
            w.grad.zero_()
            b.grad.zero_()
    return losses, w.item(), b.item()


# --- make_data -------------------------------------------------------------------------------


def test_make_data_reproduces_the_seed_exactly() -> None:
    X, y = make_data()
    X_np, y_np = seed_numpy_data()
    assert X.dtype == y.dtype == torch.float32
    assert X.shape == y.shape == (100, 1)
    assert torch.equal(X, torch.tensor(X_np, dtype=torch.float32))
    assert torch.equal(y, torch.tensor(y_np, dtype=torch.float32))


def test_make_data_other_sizes_and_seeds() -> None:
    X, y = make_data(n=7, seed=3)
    assert X.shape == y.shape == (7, 1)
    assert not torch.equal(make_data(seed=1)[0], make_data(seed=0)[0])
    assert torch.equal(make_data(n=1)[0], make_data()[0][:1])


def test_make_data_leaves_numpy_global_state_alone() -> None:
    np.random.seed(123)
    expected = np.random.rand(3)
    np.random.seed(123)
    make_data()
    assert np.array_equal(np.random.rand(3), expected)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n": 0}, ValueError, "n must be >= 1, got 0"),
        ({"n": -5}, ValueError, "n must be >= 1"),
        ({"n": 2.0}, TypeError, "n must be an int, got float"),
        ({"n": True}, TypeError, "n must be an int, got bool"),
        ({"seed": -1}, ValueError, "seed must be >= 0 and <= 4294967295, got -1"),
        ({"seed": 2**32}, ValueError, "seed must be >= 0"),
        ({"seed": "0"}, TypeError, "seed must be an int, got str"),
    ],
)
def test_make_data_rejects_bad_input(kwargs: dict, error: type, message: str) -> None:
    with pytest.raises(error, match=message.replace("(", r"\(")):
        make_data(**kwargs)


# --- the bug and the fix -------------------------------------------------------------------


def test_train_is_the_pages_fixed_loop_digit_for_digit() -> None:
    losses, w, b = seed_loop((1, 1))
    X, y = make_data()
    w0, b0 = seed_start((1, 1))
    history = train(X, y, w0, b0, lr=0.1, epochs=100)
    assert list(history.losses) == losses
    assert history.w.item() == w
    assert history.b.item() == b
    assert history.final_loss == losses[-1]
    # The numbers the page and BRIEF quote.
    assert history.w.item() == pytest.approx(2.04, abs=0.005)
    assert history.b.item() == pytest.approx(1.00, abs=0.005)
    assert history.final_loss == pytest.approx(0.010, abs=0.0005)


def test_train_defaults_are_the_seeds_hyperparameters() -> None:
    X, y = make_data()
    w0, b0 = seed_start()
    default = train(X, y, w0, b0)
    assert default.losses == train(X, y, w0, b0, lr=0.1, epochs=100).losses
    assert len(default.losses) == 100


def test_train_leaves_the_callers_tensors_alone() -> None:
    X, y = make_data()
    w0, b0 = seed_start()
    w0.requires_grad_(True)
    before = (w0.clone(), b0.clone())
    history = train(X, y, w0, b0, epochs=5)
    assert torch.equal(w0, before[0]) and torch.equal(b0, before[1])
    assert w0.grad is None
    assert not history.w.requires_grad and not history.b.requires_grad
    assert history.w.shape == (1, 1) and history.b.shape == (1,)


def test_train_refuses_the_seeds_broadcast() -> None:
    X, y = make_data()
    w0, b0 = seed_start((1,))
    with pytest.raises(ValueError) as info:
        train(X, y, w0, b0)
    message = str(info.value)
    assert "prediction X @ w + b has shape (100,)" in message
    assert "y has shape (100, 1)" in message
    assert "broadcast to shape (100, 100)" in message
    assert "Give w the shape (1, 1)" in message


def test_train_refuses_a_bias_that_changes_the_prediction_shape() -> None:
    X, y = make_data()
    with pytest.raises(ValueError, match=r"has shape \(1, 100\)"):
        train(X, y, torch.zeros(1), torch.zeros(1, 1))


def test_the_seeds_program_is_reproduced_and_heads_for_the_mean() -> None:
    losses, w, b = seed_loop((1,))
    X, y, buggy, fixed = _seed_runs()
    assert list(buggy.losses) == losses and buggy.w.item() == w and buggy.b.item() == b
    assert losses[0] == pytest.approx(2.8775899410247803)
    assert fixed.w.item() == pytest.approx(2.0378, abs=1e-4)
    # The broadcast loss is minimised by w = 0, b = mean(y), loss = Var(y).
    w0, b0 = seed_start((1,))
    long_run = _descend(X, y, w0, b0, lr=0.1, epochs=1000)
    assert long_run.w.item() == pytest.approx(0.0, abs=1e-4)
    assert long_run.b.item() == pytest.approx(y.mean().item(), abs=1e-4)
    assert long_run.final_loss == pytest.approx(y.var(unbiased=False).item(), abs=1e-4)
    assert y.var(unbiased=False).item() == pytest.approx(0.340, abs=0.001)


def test_broadcast_loss_identity() -> None:
    X, y = make_data()
    for w_value, b_value in [(0.7, 1.3), (2.0, 1.0), (-1.0, 0.0)]:
        pred = X @ torch.tensor([w_value]) + b_value
        broadcast = torch.mean((pred - y) ** 2)
        identity = torch.mean((pred - y.mean()) ** 2) + y.var(unbiased=False)
        assert broadcast.item() == pytest.approx(identity.item(), rel=1e-5)


def test_fixed_training_approaches_the_closed_form() -> None:
    X, y = make_data()
    w_best, b_best = least_squares(X, y)
    w0, b0 = seed_start()
    errors = []
    for epochs in (10, 100, 1000):
        history = train(X, y, w0, b0, epochs=epochs)
        errors.append(abs(history.w.item() - w_best.item()))
    assert errors[0] > errors[1] > errors[2]
    history = train(X, y, w0, b0, epochs=1000)
    assert history.w.item() == pytest.approx(w_best.item(), abs=1e-3)
    assert history.b.item() == pytest.approx(b_best.item(), abs=1e-3)
    best = torch.mean((X @ w_best + b_best - y) ** 2).item()
    assert history.final_loss == pytest.approx(best, rel=1e-3)


def test_train_handles_several_features_and_float64() -> None:
    g = torch.Generator().manual_seed(1)
    X = torch.rand(50, 3, generator=g, dtype=torch.float64)
    y = X @ torch.tensor([[1.0], [-2.0], [0.5]], dtype=torch.float64) + 3.0
    history = train(
        X,
        y,
        torch.zeros(3, 1, dtype=torch.float64),
        torch.zeros(1, dtype=torch.float64),
        lr=0.5,
        epochs=5000,
    )
    assert history.w.dtype == torch.float64
    assert torch.allclose(
        history.w.flatten(), torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64), atol=1e-3
    )
    assert history.b.item() == pytest.approx(3.0, abs=1e-3)


# --- train: bad input ----------------------------------------------------------------------


def good_args() -> dict:
    X, y = make_data(n=10)
    return {"X": X, "y": y, "w": torch.zeros(1, 1), "b": torch.zeros(1)}


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"X": [[1.0]]}, TypeError, "X must be a torch.Tensor, got list"),
        ({"y": np.zeros((10, 1))}, TypeError, "y must be a torch.Tensor, got ndarray"),
        ({"X": torch.zeros(10, 1, dtype=torch.int64)}, TypeError, "X must have a floating dtype"),
        ({"X": torch.zeros(0, 1), "y": torch.zeros(0, 1)}, ValueError, "X must not be empty"),
        ({"X": torch.full((10, 1), math.nan)}, ValueError, "X must hold only finite numbers"),
        ({"y": torch.full((10, 1), math.inf)}, ValueError, "y must hold only finite numbers"),
        ({"X": torch.zeros(10)}, ValueError, r"X must be 2-D.*got shape \(10,\)"),
        (
            {"y": torch.zeros(10)},
            ValueError,
            r"y must have shape \(n_samples, 1\), got shape \(10,\)",
        ),
        ({"y": torch.zeros(10, 2)}, ValueError, r"y must have shape \(n_samples, 1\)"),
        ({"y": torch.zeros(9, 1)}, ValueError, "same number of rows, got 10 and 9"),
        (
            {"y": torch.zeros(10, 1, dtype=torch.float64)},
            TypeError,
            "X and y must have the same dtype",
        ),
        ({"w": torch.zeros(1, 1, dtype=torch.float64)}, TypeError, "w must have X's dtype"),
        ({"w": torch.zeros(2, 1)}, ValueError, r"w must have shape \(1, 1\).*got shape \(2, 1\)"),
        ({"w": torch.zeros(1, 1, 1)}, ValueError, r"w must have shape \(1, 1\)"),
        ({"w": torch.zeros(1, 3)}, ValueError, r"prediction X @ w \+ b has shape \(10, 3\)"),
        ({"b": torch.zeros(2)}, ValueError, r"b must hold a single number, got shape \(2,\)"),
        ({"b": 0.0}, TypeError, "b must be a torch.Tensor, got float"),
        ({"lr": 0}, ValueError, "lr must be a finite number > 0, got 0"),
        ({"lr": -0.1}, ValueError, "lr must be a finite number > 0"),
        ({"lr": math.nan}, ValueError, "lr must be a finite number > 0"),
        ({"lr": "0.1"}, TypeError, "lr must be a real number, got str"),
        ({"lr": True}, TypeError, "lr must be a real number, got bool"),
        ({"epochs": 0}, ValueError, "epochs must be >= 1, got 0"),
        ({"epochs": 10.0}, TypeError, "epochs must be an int, got float"),
    ],
)
def test_train_rejects_bad_input(change: dict, error: type, message: str) -> None:
    args = good_args() | change
    with pytest.raises(error, match=message):
        train(**args)


# --- least_squares ---------------------------------------------------------------------------


def test_least_squares_matches_the_normal_equations_and_numpy() -> None:
    X, y = make_data()
    w, b = least_squares(X, y)
    assert w.shape == (1, 1) and b.shape == (1,)
    assert w.dtype == b.dtype == torch.float32
    A = np.hstack([X.double().numpy(), np.ones((100, 1))])
    theta = np.linalg.solve(A.T @ A, A.T @ y.double().numpy())
    assert w.item() == pytest.approx(theta[0, 0], abs=1e-6)
    assert b.item() == pytest.approx(theta[1, 0], abs=1e-6)
    assert w.item() == pytest.approx(1.9937, abs=1e-4)
    assert b.item() == pytest.approx(1.0222, abs=1e-4)


def test_least_squares_recovers_an_exact_plane() -> None:
    g = torch.Generator().manual_seed(0)
    X = torch.rand(20, 2, generator=g)
    y = X @ torch.tensor([[3.0], [-2.0]]) + 0.5
    w, b = least_squares(X, y)
    assert torch.allclose(w, torch.tensor([[3.0], [-2.0]]), atol=1e-5)
    assert b.item() == pytest.approx(0.5, abs=1e-5)


def test_least_squares_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="at least n_features \\+ 1 = 2 rows"):
        least_squares(torch.zeros(1, 1), torch.zeros(1, 1))
    with pytest.raises(TypeError, match="X must be a torch.Tensor"):
        least_squares(np.zeros((3, 1)), torch.zeros(3, 1))
    with pytest.raises(ValueError, match="same number of rows"):
        least_squares(torch.zeros(3, 1), torch.zeros(4, 1))
    with pytest.raises(ValueError, match=r"y must have shape \(n_samples, 1\)"):
        least_squares(torch.zeros(3, 1), torch.zeros(3))


# --- figures -------------------------------------------------------------------------------


def test_history_is_a_plain_record() -> None:
    history = History(losses=(3.0, 2.0), w=torch.zeros(1, 1), b=torch.zeros(1))
    assert history.final_loss == 2.0


@pytest.mark.parametrize(
    ("name", "draw"), [("regression-fit.svg", draw_fit), ("regression-loss.svg", draw_loss)]
)
def test_figures_are_registered_and_draw(name: str, draw: object) -> None:
    assert figures.FIGURES[name] is draw
    fig = draw()
    assert isinstance(fig, Figure)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    labels = [ax.get_xlabel() for ax in fig.axes]
    assert labels[-1]  # panels one above the other share the x axis: the lowest is labelled
    assert all(ord(ch) < 0x2E80 for text in texts for ch in text)  # no CJK: fonts
    plt.close(fig)
