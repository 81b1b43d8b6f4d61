"""The shared input checks: what each accepts, returns and refuses, and with which message."""

import math

import numpy as np
import pytest
import torch

from autograd_guide import checks

# --- tensor ----------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float32, torch.float64])
def test_tensor_returns_a_floating_tensor_unchanged(dtype: torch.dtype) -> None:
    value = torch.ones(2, 3, dtype=dtype)
    assert checks.tensor("x", value) is value
    assert checks.tensor("x", value, nonempty=True, finite=True) is value


def test_tensor_accepts_what_is_not_asked_about() -> None:
    # By default emptiness and nan are the caller's business, not the check's.
    empty = torch.zeros(0, 2)
    assert checks.tensor("x", empty) is empty
    with_nan = torch.tensor([1.0, math.nan])
    assert checks.tensor("x", with_nan) is with_nan
    # floating=False lets integer and bool tensors through.
    for value in (torch.arange(3), torch.tensor([True, False])):
        assert checks.tensor("x", value, floating=False) is value


def test_tensor_keeps_requires_grad_and_the_graph() -> None:
    w = torch.ones(2, requires_grad=True)
    assert checks.tensor("w", w).requires_grad
    y = w * 2
    assert checks.tensor("y", y).grad_fn is y.grad_fn


@pytest.mark.parametrize(
    ("value", "kwargs", "error", "message"),
    [
        ([1.0, 2.0], {}, TypeError, "x must be a torch.Tensor, got list"),
        (np.zeros(2), {}, TypeError, "x must be a torch.Tensor, got ndarray"),
        (3.0, {"floating": False}, TypeError, "x must be a torch.Tensor, got float"),
        (None, {}, TypeError, "x must be a torch.Tensor, got NoneType"),
        (
            torch.arange(3),
            {},
            TypeError,
            r"x must have a floating dtype, got torch.int64; convert it with \.double\(\) or "
            r"\.float\(\)",
        ),
        (torch.tensor([True]), {}, TypeError, "x must have a floating dtype, got torch.bool"),
        (torch.ones(2, dtype=torch.complex64), {}, TypeError, "got torch.complex64"),
        (
            torch.zeros(0, 2),
            {"nonempty": True},
            ValueError,
            r"x must not be empty, got shape \(0, 2\)",
        ),
        (torch.zeros(3, 0), {"nonempty": True}, ValueError, r"got shape \(3, 0\)"),
        (
            torch.tensor([1.0, math.nan]),
            {"finite": True},
            ValueError,
            r"x must hold only finite numbers \(no nan or inf\)",
        ),
        (torch.tensor([-math.inf]), {"finite": True}, ValueError, "x must hold only finite"),
    ],
)
def test_tensor_refuses(value: object, kwargs: dict, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        checks.tensor("x", value, **kwargs)


def test_tensor_checks_the_type_before_the_contents() -> None:
    # An integer tensor is a TypeError even when the contents checks are asked for too.
    with pytest.raises(TypeError, match="floating dtype"):
        checks.tensor("x", torch.zeros(0, dtype=torch.int64), nonempty=True, finite=True)


# --- positive_number -------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [(0.1, 0.1), (3, 3.0), (1e-300, 1e-300)])
def test_positive_number_returns_a_float(value: float, expected: float) -> None:
    result = checks.positive_number("lr", value)
    assert result == expected
    assert type(result) is float


def test_positive_number_allows_zero_only_when_asked() -> None:
    assert checks.positive_number("atol", 0, allow_zero=True) == 0.0
    assert checks.positive_number("atol", 0.0, allow_zero=True) == 0.0
    with pytest.raises(ValueError, match="atol must be a finite number > 0, got 0"):
        checks.positive_number("atol", 0)


@pytest.mark.parametrize(
    ("value", "kwargs", "error", "message"),
    [
        ("0.1", {}, TypeError, "lr must be a real number, got str"),
        (True, {}, TypeError, "lr must be a real number, got bool"),
        (False, {"allow_zero": True}, TypeError, "lr must be a real number, got bool"),
        (None, {}, TypeError, "lr must be a real number, got NoneType"),
        (1j, {}, TypeError, "lr must be a real number, got complex"),
        (torch.tensor(0.1), {}, TypeError, "lr must be a real number, got Tensor"),
        (0.0, {}, ValueError, "lr must be a finite number > 0, got 0.0"),
        (-0.1, {}, ValueError, "lr must be a finite number > 0, got -0.1"),
        (-1, {"allow_zero": True}, ValueError, "lr must be a finite number >= 0, got -1"),
        (math.nan, {}, ValueError, "lr must be a finite number > 0, got nan"),
        (math.inf, {"allow_zero": True}, ValueError, "lr must be a finite number >= 0, got inf"),
        (-math.inf, {}, ValueError, "lr must be a finite number > 0, got -inf"),
    ],
)
def test_positive_number_refuses(value: object, kwargs: dict, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        checks.positive_number("lr", value, **kwargs)


# --- integer ---------------------------------------------------------------------------------


def test_integer_returns_the_int_within_bounds() -> None:
    assert checks.integer("steps", 1, 1) == 1
    assert checks.integer("steps", 10**6, 1) == 10**6
    assert checks.integer("seed", 0, 0, 2**32 - 1) == 0
    assert checks.integer("seed", 2**32 - 1, 0, 2**32 - 1) == 2**32 - 1
    assert checks.integer("shift", -3, -5) == -3


@pytest.mark.parametrize(
    ("value", "bounds", "error", "message"),
    [
        (10.0, (1,), TypeError, "n must be an int, got float"),
        (True, (0,), TypeError, "n must be an int, got bool"),
        ("3", (1,), TypeError, "n must be an int, got str"),
        (None, (1,), TypeError, "n must be an int, got NoneType"),
        (np.int64(3), (1,), TypeError, "n must be an int, got int64"),
        (0, (1,), ValueError, "n must be >= 1, got 0"),
        (-5, (1,), ValueError, "n must be >= 1, got -5"),
        (-1, (0, 9), ValueError, "n must be >= 0 and <= 9, got -1"),
        (10, (0, 9), ValueError, "n must be >= 0 and <= 9, got 10"),
    ],
)
def test_integer_refuses(value: object, bounds: tuple, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        checks.integer("n", value, *bounds)


# --- float_dtype -----------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float32, torch.float64])
def test_float_dtype_returns_a_floating_dtype(dtype: torch.dtype) -> None:
    assert checks.float_dtype("dtype", dtype) is dtype


@pytest.mark.parametrize(
    ("value", "given"),
    [
        (torch.int64, "torch.int64"),
        (torch.bool, "torch.bool"),
        (torch.complex128, "torch.complex128"),
        ("float64", "'float64'"),
        (np.float64, "<class 'numpy.float64'>"),
        (None, "None"),
    ],
)
def test_float_dtype_refuses(value: object, given: str) -> None:
    message = f"dtype must be a floating torch.dtype such as torch.float64, got {given}"
    with pytest.raises(TypeError, match=message.replace("(", r"\(").replace(".", r"\.")):
        checks.float_dtype("dtype", value)
