"""The housing data, the model and the MSE of the lecture notes' example."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from autograd_guide.housing import (
    MODEL_A,
    MODEL_B,
    Housing,
    housing_data,
    mse,
    predict,
)


def weights(pair: tuple[float, float], dtype: torch.dtype = torch.float64) -> torch.Tensor:
    return torch.tensor(pair, dtype=dtype)


def test_data_matches_the_notes() -> None:
    data = housing_data()
    assert isinstance(data, Housing)
    assert data.features.tolist() == [[1500.0, 3.0], [2000.0, 4.0], [1200.0, 2.0]]
    assert data.prices.tolist() == [300_000.0, 400_000.0, 250_000.0]
    assert data.features.dtype == data.prices.dtype == torch.float64


def test_data_is_fresh_each_call() -> None:
    first = housing_data()
    first.features[0, 0] = 0.0
    assert housing_data().features[0, 0] == 1500.0


def test_float32_on_request() -> None:
    data = housing_data(torch.float32)
    assert data.features.dtype == data.prices.dtype == torch.float32


@pytest.mark.parametrize(
    ("pair", "expected"),
    [
        (MODEL_A, [180_000.0, 240_000.0, 140_000.0]),
        (MODEL_B, [336_000.0, 448_000.0, 264_000.0]),
    ],
)
def test_predictions_match_the_table(pair: tuple[float, float], expected: list[float]) -> None:
    features, _ = housing_data()
    assert predict(weights(pair), features).tolist() == expected


@pytest.mark.parametrize(
    ("pair", "numerator"),
    [(MODEL_A, 52_100_000_000), (MODEL_B, 3_796_000_000)],
)
def test_mse_matches_the_notes(pair: tuple[float, float], numerator: int) -> None:
    features, prices = housing_data()
    loss = mse(predict(weights(pair), features), prices)
    assert loss.item() == pytest.approx(numerator / 3, rel=1e-15)
    assert loss.item() == pytest.approx(F.mse_loss(predict(weights(pair), features), prices))


def test_mse_printed_values() -> None:
    features, prices = housing_data()
    a = mse(predict(weights(MODEL_A), features), prices).item()
    b = mse(predict(weights(MODEL_B), features), prices).item()
    assert f"{a:,.2f}" == "17,366,666,666.67"
    assert f"{b:,.2f}" == "1,265,333,333.33"


def test_float32_loses_the_digits() -> None:
    """Why the package works in float64: float32 cannot hold 17,366,666,666.67."""
    features, prices = housing_data(torch.float32)
    a = mse(predict(weights(MODEL_A, torch.float32), features), prices).item()
    assert a == 17_366_665_216.0


def test_perfect_fit_exists() -> None:
    features, prices = housing_data()
    assert mse(predict(weights((250.0, -25_000.0)), features), prices).item() == 0.0


def test_mse_gradient_flows() -> None:
    features, prices = housing_data()
    w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    mse(predict(w, features), prices).backward()
    assert w.grad is not None
    expected = -2 / 3 * features.T @ prices
    assert torch.allclose(w.grad, expected)


def test_mse_refuses_broadcasting() -> None:
    _, prices = housing_data()
    column = prices.unsqueeze(1)  # (3, 1): would broadcast to (3, 3)
    with pytest.raises(ValueError, match=r"same shape, got \(3, 1\) and \(3,\)"):
        mse(column, prices)


def test_mse_refuses_empty() -> None:
    empty = torch.zeros(0, dtype=torch.float64)
    with pytest.raises(ValueError, match="empty"):
        mse(empty, empty)


@pytest.mark.parametrize(
    ("pred", "target", "message"),
    [
        ([1.0, 2.0], torch.ones(2), "pred must be a torch.Tensor, got list"),
        (torch.ones(2), (1.0, 2.0), "target must be a torch.Tensor, got tuple"),
        (torch.ones(2, dtype=torch.int64), torch.ones(2), "pred must have a floating dtype"),
        (torch.ones(2), torch.ones(2, dtype=torch.int64), "target must have a floating dtype"),
    ],
)
def test_mse_bad_types(pred: object, target: object, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        mse(pred, target)  # type: ignore[arg-type]


def test_predict_bad_shapes() -> None:
    features, _ = housing_data()
    with pytest.raises(ValueError, match=r"weights must have shape \(2,\).*got shape \(2, 1\)"):
        predict(torch.zeros(2, 1, dtype=torch.float64), features)
    with pytest.raises(ValueError, match=r"weights must have shape \(2,\).*got shape \(3,\)"):
        predict(torch.zeros(3, dtype=torch.float64), features)
    with pytest.raises(ValueError, match=r"features must have shape \(N, k\).*got shape \(3,\)"):
        predict(torch.zeros(2, dtype=torch.float64), features[:, 0])


def test_predict_bad_types() -> None:
    features, _ = housing_data()
    with pytest.raises(TypeError, match="weights must be a torch.Tensor, got list"):
        predict([100.0, 10_000.0], features)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="share a dtype, got torch.float32 and torch.float64"):
        predict(torch.zeros(2), features)
    with pytest.raises(TypeError, match="features must have a floating dtype"):
        predict(torch.zeros(2), torch.ones(3, 2, dtype=torch.int64))


@pytest.mark.parametrize("dtype", [torch.int64, "float64", None])
def test_housing_data_bad_dtype(dtype: object) -> None:
    with pytest.raises(TypeError, match="dtype must be a floating torch.dtype"):
        housing_data(dtype)  # type: ignore[arg-type]
