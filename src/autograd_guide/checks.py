"""Input checks shared by the package's public functions.

The guide's functions are called from the pages by readers who are trying
things out, so a wrong argument is the common case, not the rare one. Left
alone, it surfaces late and far away: an integer tensor fails inside
``backward()``, a negative learning rate makes the loss climb, a tensor of the
wrong shape broadcasts into a wrong answer without any error at all. Each check
here stops such an argument at the door with a message that names the
argument, says what was expected and shows what was given.

The rule for the error type is Python's own: the wrong *kind* of object raises
[`TypeError`][TypeError], the right kind with a wrong *value* raises
[`ValueError`][ValueError]. Each check returns the value it accepted, typed as what it
checked, so a call site reads ``lr = checks.positive_number("lr", lr)``.

Rules that belong to one function (which shapes fit together, which tensors
must share a dtype) stay in that function; only the checks several functions
need live here, so the same mistake gets the same message everywhere.

[TypeError]: https://docs.python.org/3/library/exceptions.html#TypeError
[ValueError]: https://docs.python.org/3/library/exceptions.html#ValueError
"""

from __future__ import annotations

import math

import torch

__all__ = ["float_dtype", "integer", "positive_number", "tensor"]


def _type_name(value: object) -> str:
    return type(value).__name__


def tensor(
    name: str,
    value: object,
    *,
    floating: bool = True,
    nonempty: bool = False,
    finite: bool = False,
) -> torch.Tensor:
    """Return *value* if it is a [`torch.Tensor`][torch.Tensor] that passes the checks asked for.

    *floating* (the default) refuses integer, bool and complex dtypes: autograd
    only differentiates real floating-point tensors, and an integer tensor would
    fail later with an error that does not name the argument. *nonempty*
    refuses a tensor with no elements, whose mean (a loss) is undefined.
    *finite* refuses ``nan`` and ``inf``, which would turn every loss and every
    gradient computed from them into ``nan``.

    [torch.Tensor]: https://pytorch.org/docs/stable/tensors.html
    """
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {_type_name(value)}")
    if floating and not value.is_floating_point():
        raise TypeError(
            f"{name} must have a floating dtype, got {value.dtype}; "
            "convert it with .double() or .float()"
        )
    if nonempty and value.numel() == 0:
        raise ValueError(f"{name} must not be empty, got shape {tuple(value.shape)}")
    if finite and not torch.isfinite(value).all():
        raise ValueError(f"{name} must hold only finite numbers (no nan or inf)")
    return value


def positive_number(name: str, value: object, *, allow_zero: bool = False) -> float:
    """Return *value* as a float if it is a finite real number > 0 (>= 0 with *allow_zero*).

    Step sizes and tolerances are such numbers. ``bool`` is refused although
    Python counts it as an ``int``: ``lr=True`` is a slip, not a learning rate
    of 1. ``nan`` and ``inf`` are refused because every comparison with ``nan``
    is false, so a ``nan`` tolerance would silently never stop a loop.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a real number, got {_type_name(value)}")
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        expected = "a finite number >= 0" if allow_zero else "a finite number > 0"
        raise ValueError(f"{name} must be {expected}, got {value!r}")
    return float(value)


def integer(name: str, value: object, minimum: int, maximum: int | None = None) -> int:
    """Return *value* if it is an ``int`` with ``minimum <= value`` (``<= maximum`` if given).

    Counts (steps, epochs, samples) and seeds are such numbers. A float is
    refused even when whole, because ``range(10.0)`` fails and ``10.5`` epochs
    means nothing; ``bool`` is refused because ``epochs=True`` is a slip.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {_type_name(value)}")
    if value < minimum or (maximum is not None and value > maximum):
        upper = "" if maximum is None else f" and <= {maximum}"
        raise ValueError(f"{name} must be >= {minimum}{upper}, got {value}")
    return value


def float_dtype(name: str, value: object) -> torch.dtype:
    """Return *value* if it is a floating [`torch.dtype`][torch.dtype] such as ``torch.float64``.

    A string such as ``"float64"`` is refused rather than looked up: torch
    itself does not accept one, so the guide should not teach that it works.

    [torch.dtype]: https://pytorch.org/docs/stable/tensor_attributes.html#torch-dtype
    """
    if not isinstance(value, torch.dtype) or not value.is_floating_point:
        raise TypeError(
            f"{name} must be a floating torch.dtype such as torch.float64, got {value!r}"
        )
    return value
