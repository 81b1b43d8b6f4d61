"""Two moons: a small 2-D data set that no straight line can classify.

The from-scratch chapter trains a multilayer perceptron with the package's
scalar engine ([`autograd_guide.engine`][autograd_guide.engine]). A linear
model would do on data that a line separates, so the data here are two
interleaved half circles (the "two moons" that scikit-learn also makes): the
network has to bend its decision boundary around the tip of each moon.

The points are plain Python floats, not tensors: the engine works on floats,
and drawing the noise from [`random.Random`][random.Random] with a seed makes
the set the same on every machine without touching torch's or Python's global
random state. [`to_tensors`][] gives the same points to PyTorch.

[random.Random]: https://docs.python.org/3/library/random.html#random.Random
"""

from __future__ import annotations

import math
import random

import torch

from . import checks

__all__ = ["make_moons", "to_tensors"]


def make_moons(
    n: int = 60, noise: float = 0.1, seed: int = 0
) -> tuple[list[tuple[float, float]], list[int]]:
    """*n* points on two interleaved half circles, and each point's class, 0 or 1.

    Class 0 lies on the upper half of the unit circle, class 1 on a lower half
    circle shifted right by 1 and down by 0.5 (scikit-learn's ``make_moons``),
    so that each moon's tip reaches into the other's hollow. The first
    ``n // 2`` points are class 0, evenly spread over their half circle, the
    rest class 1; each coordinate then moves by Gaussian noise of standard
    deviation *noise* drawn from ``random.Random(seed)``, so that the classes
    are not perfectly regular, yet the same *seed* always gives the same set.

    Returns ``(points, labels)``: a list of ``(x1, x2)`` pairs and a list of
    ints, in the same order.
    """
    n = checks.integer("n", n, minimum=2)
    if isinstance(noise, bool) or not isinstance(noise, int | float):
        raise TypeError(f"noise must be a real number, got {type(noise).__name__}")
    if not math.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    seed = checks.integer("seed", seed, minimum=0)
    rng = random.Random(seed)
    upper, lower = n // 2, n - n // 2
    points: list[tuple[float, float]] = []
    labels: list[int] = []
    for label, count in ((0, upper), (1, lower)):
        for i in range(count):
            angle = math.pi * i / (count - 1) if count > 1 else math.pi / 2
            if label == 0:
                x1, x2 = math.cos(angle), math.sin(angle)
            else:
                x1, x2 = 1.0 - math.cos(angle), 0.5 - math.sin(angle)
            points.append((x1 + rng.gauss(0.0, noise), x2 + rng.gauss(0.0, noise)))
            labels.append(label)
    return points, labels


def to_tensors(
    points: list[tuple[float, float]], labels: list[int], dtype: torch.dtype = torch.float64
) -> tuple[torch.Tensor, torch.Tensor]:
    """The same data for PyTorch: points of shape (N, 2) and labels of shape (N,).

    Both in *dtype*, ``float64`` by default so that PyTorch computes with the
    precision of the engine's Python floats: the labels are floats too, because
    a loss such as ``binary_cross_entropy_with_logits`` wants float targets.
    """
    dtype = checks.float_dtype("dtype", dtype)
    if not isinstance(points, list | tuple) or not isinstance(labels, list | tuple):
        raise TypeError(
            "points and labels must be lists, as make_moons returns them, got "
            f"{type(points).__name__} and {type(labels).__name__}"
        )
    if len(points) != len(labels) or not points:
        raise ValueError(
            "points and labels must be non-empty and of the same length, got "
            f"{len(points)} points and {len(labels)} labels"
        )
    X = torch.tensor(points, dtype=dtype)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"each point must be a pair (x1, x2), got shape {tuple(X.shape)}")
    return X, torch.tensor(labels, dtype=dtype)
