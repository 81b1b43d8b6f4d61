"""The two-moons data set: deterministic, the right shape, and its errors."""

from __future__ import annotations

import math
import random

import pytest
import torch

from autograd_guide.moons import make_moons, to_tensors


def test_same_seed_same_points_other_seed_other_points() -> None:
    assert make_moons(40, noise=0.1, seed=0) == make_moons(40, noise=0.1, seed=0)
    assert make_moons(40, noise=0.1, seed=0)[0] != make_moons(40, noise=0.1, seed=1)[0]


def test_half_of_each_class_first_zeros_then_ones() -> None:
    points, labels = make_moons(41, noise=0.1, seed=3)
    assert len(points) == len(labels) == 41
    assert labels == [0] * 20 + [1] * 21
    assert all(isinstance(x, float) for p in points for x in p)


def test_without_noise_the_points_lie_on_the_two_half_circles() -> None:
    points, labels = make_moons(20, noise=0.0)
    for (x1, x2), label in zip(points, labels, strict=True):
        if label == 0:
            assert math.isclose(math.hypot(x1, x2), 1.0, rel_tol=1e-12) and x2 >= 0.0
        else:
            assert math.isclose(math.hypot(x1 - 1.0, x2 - 0.5), 1.0, rel_tol=1e-12)
            assert x2 <= 0.5 + 1e-12
    # the ends of each moon: (1, 0) to (-1, 0), and (0, 0.5) to (2, 0.5)
    assert points[0] == pytest.approx((1.0, 0.0)) and points[9] == pytest.approx((-1.0, 0.0))
    assert points[10] == pytest.approx((0.0, 0.5)) and points[19] == pytest.approx((2.0, 0.5))


def test_noise_moves_the_points_by_about_its_size() -> None:
    clean, _ = make_moons(400, noise=0.0)
    noisy, _ = make_moons(400, noise=0.1, seed=0)
    moves = [b - a for p, q in zip(clean, noisy, strict=True) for a, b in zip(p, q, strict=True)]
    std = math.sqrt(sum(m * m for m in moves) / len(moves))
    assert 0.09 < std < 0.11


def test_the_global_random_state_is_left_alone() -> None:
    random.seed(5)
    expected = random.random()
    random.seed(5)
    make_moons(10, seed=1)
    assert random.random() == expected


def test_to_tensors() -> None:
    points, labels = make_moons(6, seed=0)
    X, y = to_tensors(points, labels)
    assert X.shape == (6, 2) and y.shape == (6,)
    assert X.dtype == y.dtype == torch.float64
    assert X.tolist() == [list(p) for p in points] and y.tolist() == [0.0] * 3 + [1.0] * 3
    assert to_tensors(points, labels, torch.float32)[0].dtype == torch.float32


def test_bad_arguments() -> None:
    with pytest.raises(TypeError, match="n must be an int, got float"):
        make_moons(10.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="n must be >= 2, got 1"):
        make_moons(1)
    with pytest.raises(TypeError, match="noise must be a real number, got str"):
        make_moons(10, noise="0.1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="noise must be a real number, got bool"):
        make_moons(10, noise=True)
    with pytest.raises(ValueError, match="noise must be a finite number >= 0, got -0.1"):
        make_moons(10, noise=-0.1)
    with pytest.raises(ValueError, match="noise must be a finite number >= 0, got nan"):
        make_moons(10, noise=float("nan"))
    with pytest.raises(ValueError, match="seed must be >= 0, got -1"):
        make_moons(10, seed=-1)
    points, labels = make_moons(4)
    with pytest.raises(TypeError, match="must be lists.*got str and list"):
        to_tensors("points", labels)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="got 4 points and 3 labels"):
        to_tensors(points, labels[:3])
    with pytest.raises(ValueError, match="got 0 points and 0 labels"):
        to_tensors([], [])
    with pytest.raises(ValueError, match=r"a pair \(x1, x2\), got shape \(4, 3\)"):
        to_tensors([(*p, 0.0) for p in points], labels)
    with pytest.raises(TypeError, match="floating torch.dtype"):
        to_tensors(points, labels, torch.int64)
