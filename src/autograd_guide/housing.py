"""The lecture notes' housing example: three houses, a two-weight model, and its loss.

The notes price a house as ``w1 * size + w2 * bedrooms`` and judge two guesses
of the weights by their mean squared error (MSE). Keeping the data and the two
functions here means the loss-function page, the gradient-descent page and the
tests all use the very same numbers.

Everything defaults to ``float64``: the MSE of the notes' first model is
17,366,666,666.67, eleven digits before the decimal point, and ``float32``
(about seven significant digits) prints 17,366,665,216 instead.
"""

from __future__ import annotations

from typing import NamedTuple

import torch

from . import checks

__all__ = [
    "BEDROOMS",
    "MODEL_A",
    "MODEL_B",
    "PRICES",
    "SIZES_SQFT",
    "Housing",
    "housing_data",
    "mse",
    "predict",
]

#: Floor area of each house in square feet (sqft), as in the notes.
SIZES_SQFT: tuple[float, ...] = (1500.0, 2000.0, 1200.0)
#: Number of bedrooms of each house.
BEDROOMS: tuple[float, ...] = (3.0, 4.0, 2.0)
#: The actual selling price of each house: the target the model should hit.
PRICES: tuple[float, ...] = (300_000.0, 400_000.0, 250_000.0)
#: The notes' first guess: w1 = 100 per sqft, w2 = 10,000 per bedroom.
MODEL_A: tuple[float, float] = (100.0, 10_000.0)
#: The notes' second guess: w1 = 200 per sqft, w2 = 12,000 per bedroom.
MODEL_B: tuple[float, float] = (200.0, 12_000.0)


class Housing(NamedTuple):
    """The data set: one row of ``features`` per house, ``[size, bedrooms]``."""

    features: torch.Tensor
    prices: torch.Tensor


def housing_data(dtype: torch.dtype = torch.float64) -> Housing:
    """Return the three houses as ``Housing(features, prices)``.

    ``features`` has shape (3, 2), columns size (sqft) and bedrooms, so that
    ``features @ weights`` is the model of the notes; ``prices`` has shape (3,).
    Fresh tensors every call, so a reader who edits them changes nothing here.
    """
    dtype = checks.float_dtype("dtype", dtype)
    features = torch.tensor(list(zip(SIZES_SQFT, BEDROOMS, strict=True)), dtype=dtype)
    prices = torch.tensor(PRICES, dtype=dtype)
    return Housing(features, prices)


def predict(weights: torch.Tensor, features: torch.Tensor) -> torch.Tensor:
    """Price every house: ``features @ weights``, i.e. ``w1 * size + w2 * bedrooms``.

    *weights* has shape (k,) and *features* shape (N, k); the result has shape
    (N,), the same shape as the prices, so it can go straight into [`mse`][].
    Shapes are checked rather than left to broadcasting, which would turn a
    (k, 1) weight column into an (N, 1) column that no longer lines up with the
    (N,) targets. Gradients flow through to *weights* when it requires them.
    """
    weights = checks.tensor("weights", weights)
    features = checks.tensor("features", features)
    if features.ndim != 2:
        raise ValueError(
            f"features must have shape (N, k), one row per house, got shape {tuple(features.shape)}"
        )
    if weights.ndim != 1 or weights.shape[0] != features.shape[1]:
        raise ValueError(
            f"weights must have shape ({features.shape[1]},), one weight per feature column, "
            f"got shape {tuple(weights.shape)}"
        )
    if weights.dtype != features.dtype:
        raise TypeError(
            f"weights and features must share a dtype, got {weights.dtype} and {features.dtype}"
        )
    return features @ weights


def mse(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean squared error, ``mean((target - pred) ** 2)``, refusing mismatched shapes.

    With shapes (3, 1) and (3,), plain ``pred - target`` broadcasts to (3, 3)
    and compares every prediction with every target: a wrong loss and no error.
    ``torch.nn.functional.mse_loss`` only warns about it; this function raises
    ``ValueError`` so the bug cannot pass silently.
    """
    pred = checks.tensor("pred", pred)
    target = checks.tensor("target", target)
    if pred.shape != target.shape:
        raise ValueError(
            f"pred and target must have the same shape, got {tuple(pred.shape)} and "
            f"{tuple(target.shape)}; broadcasting them would compare every prediction "
            "with every target"
        )
    if pred.numel() == 0:
        raise ValueError("pred and target are empty: the mean of no errors is undefined")
    return ((target - pred) ** 2).mean()
