import math

import pytest
import torch

from autograd_guide.numerical import (
    GradientCheck,
    check_gradient,
    finite_difference_grad,
    max_abs_error,
)


def seed_g(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
    return (x + y) * z


def test_seed_example_matches_the_hand_computed_gradient() -> None:
    inputs = [torch.tensor(1.0), torch.tensor(3.0), torch.tensor(-3.0)]
    grads = finite_difference_grad(seed_g, inputs)
    assert [round(g.item(), 6) for g in grads] == [-3.0, -3.0, 4.0]
    assert all(g.dtype == torch.float64 and g.shape == () for g in grads)


def test_known_derivatives_of_one_variable() -> None:
    x = torch.linspace(-2.0, 2.0, 9, dtype=torch.float64)
    (sin_grad,) = finite_difference_grad(lambda t: t.sin().sum(), x)
    assert torch.allclose(sin_grad, x.cos(), atol=1e-9)
    (cube_grad,) = finite_difference_grad(lambda t: (t**3).sum(), x)
    assert torch.allclose(cube_grad, 3 * x**2, atol=1e-8)
    (exp_grad,) = finite_difference_grad(lambda t: t.exp().sum(), x)
    assert torch.allclose(exp_grad, x.exp(), atol=1e-8)


def test_single_tensor_input_gives_a_one_element_tuple_of_its_shape() -> None:
    x = torch.arange(6, dtype=torch.float64).reshape(2, 3)
    grads = finite_difference_grad(lambda t: (t**2).sum(), x)
    assert isinstance(grads, tuple) and len(grads) == 1
    assert grads[0].shape == (2, 3)
    assert torch.allclose(grads[0], 2 * x, atol=1e-8)


def test_matches_torch_autograd_on_several_inputs() -> None:
    gen = torch.Generator().manual_seed(0)
    w = torch.randn(3, 2, generator=gen, dtype=torch.float64, requires_grad=True)
    b = torch.randn(2, generator=gen, dtype=torch.float64, requires_grad=True)
    x = torch.randn(4, 3, generator=gen, dtype=torch.float64)

    def loss(w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return torch.tanh(x @ w + b).pow(2).mean()

    expected = torch.autograd.grad(loss(w, b), (w, b))
    got = finite_difference_grad(loss, (w, b))
    assert max_abs_error(expected, got) < 1e-9


def test_inputs_are_left_untouched_and_float32_is_computed_in_float64() -> None:
    x = torch.tensor([0.5, -1.25], requires_grad=True)
    before = x.detach().clone()
    (grad,) = finite_difference_grad(lambda t: (t**3).sum(), x)
    assert torch.equal(x.detach(), before) and x.grad is None
    assert grad.dtype == torch.float64
    assert torch.allclose(grad, 3 * before.double() ** 2, atol=1e-8)


def test_a_function_that_mutates_its_argument_does_not_corrupt_the_result() -> None:
    def mutating(t: torch.Tensor) -> torch.Tensor:
        out = (t**2).sum()
        t.zero_()
        return out

    (grad,) = finite_difference_grad(mutating, torch.tensor([1.0, 2.0], dtype=torch.float64))
    assert torch.allclose(grad, torch.tensor([2.0, 4.0], dtype=torch.float64), atol=1e-8)


def test_unused_input_has_zero_gradient() -> None:
    result = check_gradient(lambda a, b: (a * 2).sum(), [torch.ones(2), torch.ones(3)])
    assert result.ok
    assert torch.equal(result.autograd[1], torch.zeros(3, dtype=torch.float64))
    assert torch.equal(result.numerical[1], torch.zeros(3, dtype=torch.float64))


def test_one_element_output_of_any_shape_is_a_scalar() -> None:
    (grad,) = finite_difference_grad(lambda t: (t * 3).sum().reshape(1, 1), torch.ones(2))
    assert torch.allclose(grad, torch.full((2,), 3.0, dtype=torch.float64))
    assert check_gradient(lambda t: (t * 3).sum().reshape(1), torch.ones(2)).ok


def test_check_gradient_passes_for_correct_autograd() -> None:
    result = check_gradient(lambda x, y: (x.sin() * y**2).sum(), [torch.ones(3), torch.ones(3)])
    assert isinstance(result, GradientCheck)
    assert result.ok
    assert result.max_error < 1e-8
    assert len(result.autograd) == len(result.numerical) == 2


class WrongSquare(torch.autograd.Function):
    """x² with a backward that forgets the factor 2."""

    @staticmethod
    def forward(ctx, x: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        ctx.save_for_backward(x)
        return x**2

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        (x,) = ctx.saved_tensors
        return grad * x


def test_check_gradient_catches_a_wrong_backward() -> None:
    result = check_gradient(lambda x: WrongSquare.apply(x).sum(), torch.tensor([1.0, 2.0]))
    assert not result.ok
    assert result.autograd[0].tolist() == [1.0, 2.0]
    assert [round(v, 6) for v in result.numerical[0].tolist()] == [2.0, 4.0]
    assert result.max_error == pytest.approx(2.0, abs=1e-6)


def test_tolerances_decide() -> None:
    result = check_gradient(lambda x: (x**3).sum(), torch.tensor([1.0]), eps=1e-2)
    # The central difference of x³ is off by eps² = 1e-4 exactly.
    assert result.max_error == pytest.approx(1e-4, rel=1e-6)
    assert check_gradient(lambda x: (x**3).sum(), torch.tensor([1.0]), eps=1e-2, atol=0.0).ok
    assert not check_gradient(
        lambda x: (x**3).sum(), torch.tensor([1.0]), eps=1e-2, atol=0.0, rtol=0.0
    ).ok


def test_max_abs_error() -> None:
    assert max_abs_error(torch.tensor([1.0, 2.0]), torch.tensor([1.5, 1.0])) == 1.0
    assert max_abs_error([torch.ones(2), torch.zeros(())], [torch.ones(2), torch.ones(())]) == 1.0
    assert max_abs_error(torch.empty(0), torch.empty(0)) == 0.0


def test_check_gradient_refuses_a_function_that_leaves_the_graph() -> None:
    with pytest.raises(ValueError, match="no grad_fn"):
        check_gradient(lambda x: (x.detach() ** 2).sum(), torch.ones(2))


@pytest.mark.parametrize("dtype", [torch.int64, torch.int32, torch.bool, torch.complex64])
def test_non_real_floating_inputs_are_refused(dtype: torch.dtype) -> None:
    with pytest.raises(TypeError, match=r"inputs\[0\] must be a real floating-point tensor"):
        finite_difference_grad(lambda t: t.sum(), torch.ones(2, dtype=dtype))
    with pytest.raises(TypeError, match=str(dtype).replace(".", r"\.")):
        check_gradient(lambda t: t.sum(), [torch.ones(2, dtype=dtype)])


@pytest.mark.parametrize(
    ("f", "inputs", "kwargs", "error", "message"),
    [
        (42, torch.ones(1), {}, TypeError, "f must be callable, got int"),
        (torch.sum, [1.0, 2.0], {}, TypeError, r"inputs\[0\] must be a Tensor, got float"),
        (torch.sum, 3.0, {}, TypeError, "Tensor or a sequence of Tensors, got float"),
        (torch.sum, "ab", {}, TypeError, "Tensor or a sequence of Tensors, got str"),
        (torch.sum, [], {}, ValueError, "at least one Tensor"),
        (torch.sum, torch.ones(1), {"eps": 0.0}, ValueError, "eps must be a finite number > 0"),
        (torch.sum, torch.ones(1), {"eps": -1e-6}, ValueError, "eps must be a finite number > 0"),
        (torch.sum, torch.ones(1), {"eps": math.nan}, ValueError, "eps must be a finite"),
        (torch.sum, torch.ones(1), {"eps": "1e-6"}, TypeError, "eps must be a real number"),
        (torch.sum, torch.ones(1), {"eps": True}, TypeError, "eps must be a real number"),
        (lambda t: t * 2, torch.ones(3), {}, ValueError, r"scalar.*got shape \(3,\)"),
        (lambda t: float(t.sum()), torch.ones(3), {}, TypeError, "must return a Tensor"),
        (lambda t: t.sum().long(), torch.ones(3), {}, TypeError, "got torch.int64"),
        (lambda t: t.sum() / 0, torch.ones(3), {}, ValueError, "returned inf"),
    ],
)
def test_bad_inputs_of_finite_difference_grad(f, inputs, kwargs, error, message) -> None:
    with pytest.raises(error, match=message):
        finite_difference_grad(f, inputs, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"atol": -1.0}, ValueError, "atol must be a finite number >= 0"),
        ({"rtol": math.inf}, ValueError, "rtol must be a finite number >= 0"),
        ({"atol": None}, TypeError, "atol must be a real number, got NoneType"),
        ({"eps": 0}, ValueError, "eps must be a finite number > 0"),
    ],
)
def test_bad_tolerances_of_check_gradient(kwargs, error, message) -> None:
    with pytest.raises(error, match=message):
        check_gradient(torch.sum, torch.ones(2), **kwargs)


def test_bad_inputs_of_max_abs_error() -> None:
    with pytest.raises(ValueError, match=r"shapes must match, got \(3,\) and \(3, 1\)"):
        max_abs_error(torch.ones(3), torch.ones(3, 1))
    with pytest.raises(ValueError, match="as many tensors, got 2 and 1"):
        max_abs_error([torch.ones(1), torch.ones(1)], [torch.ones(1)])
    with pytest.raises(TypeError, match="expected must be a Tensor"):
        max_abs_error(None, torch.ones(1))  # type: ignore[arg-type]
