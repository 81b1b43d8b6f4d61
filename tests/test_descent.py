"""Gradient descent on the housing MSE, feature scaling, and the descent-path figure."""

from __future__ import annotations

import math

import pytest
import torch
from matplotlib import pyplot as plt
from matplotlib.figure import Figure

from autograd_guide.descent import (
    PARABOLA_RATES,
    History,
    descent_path_figure,
    gradient_descent,
    parabola_descent,
    parabola_steps_figure,
    standardize,
)
from autograd_guide.figures import FIGURES
from autograd_guide.housing import housing_data, mse, predict


def scaled_with_bias() -> tuple[torch.Tensor, torch.Tensor]:
    features, prices = housing_data()
    z, _, _ = standardize(features)
    return torch.cat([z, torch.ones(3, 1, dtype=z.dtype)], dim=1), prices


def test_history_shapes_and_start() -> None:
    features, prices = housing_data()
    history = gradient_descent(features, prices, lr=1e-7, steps=5)
    assert isinstance(history, History)
    assert history.weights.shape == (6, 2)
    assert history.losses.shape == (6,)
    assert history.steps == 5
    assert history.weights[0].tolist() == [0.0, 0.0]
    assert history.losses[0].item() == pytest.approx((300_000**2 + 400_000**2 + 250_000**2) / 3)
    assert not history.converged
    assert not history.diverged


def test_matches_a_hand_written_loop() -> None:
    features, prices = housing_data()
    lr = 1e-7
    w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    expected = [w.detach().clone()]
    for _ in range(10):
        loss = ((features @ w - prices) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            w.grad.zero_()
        expected.append(w.detach().clone())
    history = gradient_descent(features, prices, lr=lr, steps=10)
    assert torch.allclose(history.weights, torch.stack(expected), rtol=1e-12, atol=0)


def test_each_loss_is_the_loss_of_its_weights() -> None:
    features, prices = housing_data()
    history = gradient_descent(features, prices, lr=1e-7, steps=20)
    for w, loss in zip(history.weights, history.losses, strict=True):
        assert loss.item() == pytest.approx(mse(predict(w, features), prices).item(), rel=1e-12)


def test_raw_features_land_on_the_valley_floor_then_crawl() -> None:
    """lr 1e-7 reaches (201.56, 0.39) within 20 steps and keeps moving towards (250, -25,000).

    The page once said the run stalls there; it does not: every step brings it
    closer to the minimum, along the flat direction, by a tiny amount.
    """
    features, prices = housing_data()
    history = gradient_descent(features, prices, lr=1e-7, steps=2000)
    assert history.weights[20].tolist() == pytest.approx([201.5596, 0.3862], abs=1e-4)
    assert history.final_loss == pytest.approx(27_091_367.7, abs=1.0)
    distance = (history.weights - torch.tensor([250.0, -25_000.0], dtype=torch.float64)).norm(dim=1)
    assert (distance[21:] < distance[20:-1]).all()  # closer at every step
    assert (history.weights[21:, 1] < history.weights[20:-1, 1]).all()  # w2 heads for -25,000
    assert (history.losses[1:] < history.losses[:-1]).all()


def test_closed_form_after_k_steps_matches_the_loop() -> None:
    """The page extrapolates to 1e8 steps with the eigen-decomposition; check it on real steps."""
    features, prices = housing_data()
    lr = 1e-7
    curvatures, directions = torch.linalg.eigh(2 / 3 * features.T @ features)
    best = torch.linalg.solve(features.T @ features, features.T @ prices)
    history = gradient_descent(features, prices, lr=lr, steps=300)
    for k in (0, 1, 20, 300):
        factor = (1 - lr * curvatures) ** k
        closed = best + directions @ (factor * (directions.T @ -best))
        assert torch.allclose(closed, history.weights[k], rtol=1e-9, atol=1e-9)
    assert curvatures.tolist() == pytest.approx([0.086692349, 5.126685907e6], rel=1e-8)
    assert best.tolist() == pytest.approx([250.0, -25_000.0], rel=1e-12)


def test_large_rate_diverges_and_stops() -> None:
    features, prices = housing_data()
    history = gradient_descent(features, prices, lr=1e-6, steps=1000)
    assert history.diverged
    assert math.isinf(history.final_loss)
    assert history.steps == 242
    assert torch.isfinite(history.losses[:-1]).all()


def test_tiny_rate_barely_moves() -> None:
    features, prices = housing_data()
    history = gradient_descent(features, prices, lr=1e-10, steps=10)
    assert history.losses[-1] / history.losses[0] > 0.98


def test_standardised_reaches_the_exact_fit() -> None:
    features, prices = housing_data()
    z, mean, std = standardize(features)
    z1 = torch.cat([z, torch.ones(3, 1, dtype=z.dtype)], dim=1)
    history = gradient_descent(z1, prices, lr=0.4, steps=2000)
    assert history.final_loss < 1e-6
    w1, w2, b = history.final_weights
    size_weight, bedroom_weight = (w1 / std[0]).item(), (w2 / std[1]).item()
    assert size_weight == pytest.approx(250.0, abs=1e-3)
    assert bedroom_weight == pytest.approx(-25_000.0, abs=0.01)
    assert (b - (history.final_weights[:2] * mean / std).sum()).item() == pytest.approx(0, abs=0.01)


def test_stable_window_for_standardised_features() -> None:
    """The largest stable rate is 2 / (largest Hessian eigenvalue) = 0.5026."""
    z1, prices = scaled_with_bias()
    assert not gradient_descent(z1, prices, lr=0.5, steps=3000).diverged
    assert gradient_descent(z1, prices, lr=0.6, steps=3000).diverged


def test_tol_stops_when_loss_stalls() -> None:
    features, prices = housing_data()
    history = gradient_descent(features, prices, lr=1e-7, steps=100_000, tol=1.0)
    assert history.converged
    assert history.steps == 19
    assert abs(history.losses[-2] - history.losses[-1]) <= 1.0
    assert abs(history.losses[-3] - history.losses[-2]) > 1.0
    assert history.final_loss > 2.7e7  # "converged" is not "at the minimum"


def test_initial_weights_are_used_and_left_alone() -> None:
    features, prices = housing_data()
    start = torch.tensor([250.0, -25_000.0], dtype=torch.float64, requires_grad=True)
    history = gradient_descent(features, prices, lr=1e-7, steps=3, initial=start)
    assert history.final_loss == 0.0
    assert start.grad is None
    assert start.tolist() == [250.0, -25_000.0]
    assert not history.weights.requires_grad


def test_standardize_columns() -> None:
    features, _ = housing_data()
    z, mean, std = standardize(features)
    assert torch.allclose(z.mean(dim=0), torch.zeros(2, dtype=torch.float64), atol=1e-12)
    assert torch.allclose(z.std(dim=0, correction=0), torch.ones(2, dtype=torch.float64))
    assert torch.allclose(mean, torch.tensor([4700.0 / 3, 3.0], dtype=torch.float64))
    assert torch.allclose(z * std + mean, features)


def test_standardize_bad_input() -> None:
    with pytest.raises(ValueError, match=r"column\(s\) \[1\] of features are constant"):
        standardize(torch.tensor([[1.0, 2.0], [3.0, 2.0]]))
    with pytest.raises(ValueError, match=r"N >= 2 rows, got \(1, 2\)"):
        standardize(torch.ones(1, 2))
    with pytest.raises(ValueError, match=r"got \(3,\)"):
        standardize(torch.ones(3))
    with pytest.raises(TypeError, match="features must be a torch.Tensor, got list"):
        standardize([[1.0, 2.0]])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="floating dtype"):
        standardize(torch.ones(3, 2, dtype=torch.int64))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"lr": 0.0}, ValueError, "lr must be a finite number > 0, got 0.0"),
        ({"lr": -0.1}, ValueError, "lr must be a finite number > 0, got -0.1"),
        ({"lr": float("nan")}, ValueError, "lr must be a finite number > 0, got nan"),
        ({"lr": float("inf")}, ValueError, "lr must be a finite number > 0, got inf"),
        ({"lr": "0.1"}, TypeError, "lr must be a real number, got str"),
        ({"lr": True}, TypeError, "lr must be a real number, got bool"),
        ({"steps": 0}, ValueError, "steps must be >= 1, got 0"),
        ({"steps": -5}, ValueError, "steps must be >= 1, got -5"),
        ({"steps": 10.0}, TypeError, "steps must be an int, got float"),
        ({"tol": 0.0}, ValueError, "tol must be a finite number > 0, got 0.0"),
        ({"tol": "small"}, TypeError, "tol must be a real number, got str"),
    ],
)
def test_bad_settings(kwargs: dict, error: type[Exception], message: str) -> None:
    features, prices = housing_data()
    settings = {"lr": 1e-7, "steps": 10} | kwargs
    with pytest.raises(error, match=message):
        gradient_descent(features, prices, **settings)


def test_bad_data() -> None:
    features, prices = housing_data()
    with pytest.raises(ValueError, match=r"target must have shape \(3,\).*got \(3, 1\)"):
        gradient_descent(features, prices.unsqueeze(1), lr=1e-7, steps=1)
    with pytest.raises(ValueError, match=r"features must have shape \(N, k\).*got \(3,\)"):
        gradient_descent(features[:, 0], prices, lr=1e-7, steps=1)
    with pytest.raises(ValueError, match=r"target must have shape \(2,\)"):
        gradient_descent(features[:2], prices, lr=1e-7, steps=1)
    with pytest.raises(TypeError, match="features must be a torch.Tensor, got list"):
        gradient_descent(features.tolist(), prices, lr=1e-7, steps=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="target must have a floating dtype, got torch.int64"):
        gradient_descent(features, prices.long(), lr=1e-7, steps=1)
    with pytest.raises(TypeError, match="share a dtype, got torch.float64 and torch.float32"):
        gradient_descent(features, prices.float(), lr=1e-7, steps=1)


def test_bad_initial() -> None:
    features, prices = housing_data()
    with pytest.raises(ValueError, match=r"initial must have shape \(2,\).*got \(3,\)"):
        gradient_descent(features, prices, lr=1e-7, steps=1, initial=torch.zeros(3))
    with pytest.raises(TypeError, match="initial must have the dtype of features"):
        gradient_descent(features, prices, lr=1e-7, steps=1, initial=torch.zeros(2))
    with pytest.raises(TypeError, match="initial must be a torch.Tensor, got list"):
        gradient_descent(features, prices, lr=1e-7, steps=1, initial=[0.0, 0.0])  # type: ignore[arg-type]


def test_figure_is_registered_and_draws() -> None:
    assert FIGURES["descent-path.svg"] is descent_path_figure
    fig = descent_path_figure()
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 3  # two panels and the colour bar
    plt.close(fig)


@pytest.mark.parametrize("lr", [0.05, 0.3, 0.5, 0.9, 1.1])
def test_parabola_distance_shrinks_by_one_minus_lr_times_curvature(lr: float) -> None:
    """Each step multiplies w - 3 by 1 - 2 lr on (w - 3)**2: the page's four regimes."""
    path = parabola_descent(lr, 8)
    assert path.dtype == torch.float64
    assert path.shape == (9,)
    expected = 3.0 - 3.0 * (1 - 2 * lr) ** torch.arange(9, dtype=torch.float64)
    assert torch.allclose(path, expected, rtol=1e-12, atol=1e-12)


def test_parabola_regimes() -> None:
    slow, right, zigzag, diverging = (parabola_descent(lr, 6) for lr in (0.05, 0.3, 0.9, 1.1))
    assert (slow.diff() > 0).all() and slow[-1] < 1.5  # creeps, never passes 3
    assert abs(right[-1].item() - 3) < 0.02
    assert ((zigzag[1:] - 3).sign() == torch.tensor([1.0, -1.0] * 3, dtype=torch.float64)).all()
    errors = (diverging - 3).abs()
    assert (errors[1:] > errors[:-1]).all()  # every overshoot larger than the last
    assert parabola_descent(0.5, 1).tolist() == [0.0, 3.0]  # lr = 1 / curvature: one step


def test_parabola_other_curvature_and_start() -> None:
    path = parabola_descent(0.1, 3, start=2.0, minimum=-1.0, curvature=10.0)
    assert path.tolist() == pytest.approx([2.0, -1.0, -1.0, -1.0])
    # lr above 2 / curvature = 0.2 diverges; the path ends at the first non-finite value
    blown = parabola_descent(0.5, 5000, curvature=10.0)
    assert blown.shape[0] < 5001
    assert not torch.isfinite(blown[-1])
    assert torch.isfinite(blown[:-1]).all()


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"lr": 0.0}, ValueError, "lr must be a finite number > 0, got 0.0"),
        ({"lr": "0.1"}, TypeError, "lr must be a real number, got str"),
        ({"steps": 0}, ValueError, "steps must be >= 1, got 0"),
        ({"steps": 2.0}, TypeError, "steps must be an int, got float"),
        ({"start": float("nan")}, ValueError, "start must be a finite number, got nan"),
        ({"start": True}, TypeError, "start must be a real number, got bool"),
        ({"minimum": float("-inf")}, ValueError, "minimum must be a finite number, got -inf"),
        ({"minimum": torch.tensor(3.0)}, TypeError, "minimum must be a real number, got Tensor"),
        ({"curvature": -2.0}, ValueError, "curvature must be a finite number > 0, got -2.0"),
        ({"curvature": None}, TypeError, "curvature must be a real number, got NoneType"),
    ],
)
def test_parabola_bad_inputs(kwargs: dict, error: type[Exception], message: str) -> None:
    settings = {"lr": 0.3, "steps": 5} | kwargs
    with pytest.raises(error, match=message):
        parabola_descent(**settings)


def test_parabola_figure_is_registered_and_draws() -> None:
    assert FIGURES["parabola-steps.svg"] is parabola_steps_figure
    fig = parabola_steps_figure()
    assert len(fig.axes) == len(PARABOLA_RATES) == 4
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[0] == "α = 0.05\n1 − 2α = +0.9"
    assert titles[3] == "α = 1.1\n1 − 2α = −1.2"
    plt.close(fig)
