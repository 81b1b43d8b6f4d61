"""Check a gradient the slow, obvious way: nudge each input and watch the output.

Autograd applies the chain rule exactly, but only to the operations it saw.
A hand-written ``backward`` with a mistake in it, or a function that leaves the
graph halfway (``.item()``, ``.detach()``, a detour through NumPy), gives wrong
or missing gradients without raising anything. A finite difference needs
nothing but the ability to evaluate the function, so when the two agree, the
gradient is right; this is the standard test for any new gradient code.

The central difference

$$
f'(x) \\approx \\frac{f(x + h) - f(x - h)}{2h}
$$

is exact for polynomials of degree two and has an error that shrinks like
$h^2$ otherwise, against $h$ for the one-sided difference. Every
evaluation here runs in float64: with float32's seven significant digits,
``f(x + h) - f(x - h)`` for ``h = 1e-6`` is mostly rounding noise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure

from . import checks
from .figures import figure

__all__ = ["GradientCheck", "check_gradient", "finite_difference_grad", "max_abs_error"]

#: What the functions accept as inputs: one tensor, or several for a function of several.
Inputs = torch.Tensor | Sequence[torch.Tensor]
ScalarFunction = Callable[..., torch.Tensor]


def _as_tensors(inputs: Inputs, name: str = "inputs") -> tuple[torch.Tensor, ...]:
    """One tensor or a sequence of tensors, as a tuple; anything else is refused."""
    if isinstance(inputs, torch.Tensor):
        return (inputs,)
    if not isinstance(inputs, Sequence) or isinstance(inputs, str | bytes):
        raise TypeError(
            f"{name} must be a Tensor or a sequence of Tensors, got {type(inputs).__name__}"
        )
    if len(inputs) == 0:
        raise ValueError(f"{name} must hold at least one Tensor, got an empty sequence")
    for i, item in enumerate(inputs):
        if not isinstance(item, torch.Tensor):
            raise TypeError(f"{name}[{i}] must be a Tensor, got {type(item).__name__}")
    return tuple(inputs)


def _float64_copies(f: object, inputs: Inputs) -> list[torch.Tensor]:
    """Detached float64 copies of *inputs*, after checking *f* and every dtype.

    Integer and bool tensors are refused rather than converted: they cannot be
    nudged by a small ``eps``, and autograd does not differentiate them either,
    so a silent conversion would check a function the caller never wrote.
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    tensors = _as_tensors(inputs)
    for i, tensor in enumerate(tensors):
        if tensor.is_complex() or not tensor.is_floating_point():
            raise TypeError(
                f"inputs[{i}] must be a real floating-point tensor (torch.float64 is best), "
                f"got {tensor.dtype}; create it with dtype=torch.float64 or call .double()"
            )
    return [
        t.detach().to(torch.float64).clone(memory_format=torch.contiguous_format) for t in tensors
    ]


def _scalar_output(f: ScalarFunction, args: Sequence[torch.Tensor]) -> torch.Tensor:
    """Call *f* and insist on one real floating-point number, as a tensor.

    A gradient is defined for a scalar function (a loss); a vector output would
    need a choice of weights for its elements, as ``backward(gradient=...)`` does.
    """
    out = f(*args)
    if not isinstance(out, torch.Tensor):
        raise TypeError(f"f must return a Tensor with one element, got {type(out).__name__}")
    if out.numel() != 1:
        raise ValueError(
            f"f must return a scalar (a tensor with one element), got shape {tuple(out.shape)}; "
            "reduce it first, e.g. with .sum() or .mean()"
        )
    if out.is_complex() or not out.is_floating_point():
        raise TypeError(f"f must return a real floating-point tensor, got {out.dtype}")
    return out.reshape(())


def finite_difference_grad(
    f: ScalarFunction, inputs: Inputs, eps: float = 1e-6
) -> tuple[torch.Tensor, ...]:
    """The gradient of ``f(*inputs)`` by central differences, one element at a time.

    *f* takes the tensors of *inputs* as positional arguments and returns a
    one-element tensor. The result is a tuple with one float64 tensor per input,
    of the same shape, like [`torch.autograd.grad`][torch.autograd.grad]. The inputs are
    not modified: *f* is called on float64 copies, two calls per element, so this
    is meant for checking small examples, not for training.

    [torch.autograd.grad]: https://pytorch.org/docs/stable/generated/torch.autograd.grad.html
    """
    copies = _float64_copies(f, inputs)
    eps = checks.positive_number("eps", eps)
    with torch.no_grad():
        start = _scalar_output(f, [c.clone() for c in copies])
        if not torch.isfinite(start):
            raise ValueError(
                f"f returned {start.item()} at the given inputs; a gradient needs a finite value"
            )
        grads = []
        for tensor in copies:
            flat = tensor.view(-1)
            grad = torch.zeros_like(tensor)
            for j in range(flat.numel()):
                original = flat[j].item()
                flat[j] = original + eps
                upper = flat[j].item()
                plus = _scalar_output(f, [c.clone() for c in copies]).item()
                flat[j] = original - eps
                lower = flat[j].item()
                minus = _scalar_output(f, [c.clone() for c in copies]).item()
                flat[j] = original
                # Divide by the step actually taken: x + eps is rounded, so
                # (x + eps) - (x - eps) is not exactly 2 * eps.
                grad.view(-1)[j] = (plus - minus) / (upper - lower)
            grads.append(grad)
    return tuple(grads)


def _autograd_grad(f: ScalarFunction, inputs: Inputs) -> tuple[torch.Tensor, ...]:
    """What autograd says the gradient of ``f(*inputs)`` is, on float64 copies."""
    copies = [c.requires_grad_(True) for c in _float64_copies(f, inputs)]
    out = _scalar_output(f, copies)
    if out.grad_fn is None:
        raise ValueError(
            "f's result has no grad_fn: autograd recorded no path from the inputs to it. "
            "Does f call .item(), .detach(), .numpy() or torch.tensor() on a result?"
        )
    grads = torch.autograd.grad(out, copies, allow_unused=True)
    # An input that f ignores has a zero gradient; autograd reports it as None.
    return tuple(
        torch.zeros_like(c) if g is None else g.detach() for c, g in zip(copies, grads, strict=True)
    )


def max_abs_error(expected: Inputs, actual: Inputs) -> float:
    """The largest ``|expected - actual|`` over all elements of all tensors.

    Shapes must match exactly: broadcasting would compare every element with
    every other one and could hide precisely the kind of bug a check is for.
    """
    first = _as_tensors(expected, "expected")
    second = _as_tensors(actual, "actual")
    if len(first) != len(second):
        raise ValueError(
            f"expected and actual must hold as many tensors, got {len(first)} and {len(second)}"
        )
    worst = 0.0
    for i, (a, b) in enumerate(zip(first, second, strict=True)):
        if a.shape != b.shape:
            raise ValueError(
                f"tensor {i}: shapes must match, got {tuple(a.shape)} and {tuple(b.shape)}"
            )
        if a.numel():
            diff = (a.detach().to(torch.float64) - b.detach().to(torch.float64)).abs().max()
            worst = max(worst, diff.item())
    return worst


@dataclass(frozen=True)
class GradientCheck:
    """The two gradients side by side and the verdict.

    ``ok`` is true when every element satisfies
    ``|autograd - numerical| <= atol + rtol * |numerical|``, the rule of
    [`torch.allclose`][torch.allclose] and [`torch.autograd.gradcheck`][gradcheck].

    [torch.allclose]: https://pytorch.org/docs/stable/generated/torch.allclose.html
    [gradcheck]: https://pytorch.org/docs/stable/generated/torch.autograd.gradcheck.gradcheck.html
    """

    autograd: tuple[torch.Tensor, ...]
    numerical: tuple[torch.Tensor, ...]
    max_error: float
    ok: bool


def check_gradient(
    f: ScalarFunction,
    inputs: Inputs,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> GradientCheck:
    """Compare autograd's gradient of ``f(*inputs)`` with central differences.

    Both run in float64 on copies of *inputs*, so the check is about the
    formula autograd differentiates, not about float32 rounding. The default
    tolerances are those of [`torch.autograd.gradcheck`][gradcheck].

    [gradcheck]: https://pytorch.org/docs/stable/generated/torch.autograd.gradcheck.gradcheck.html
    """
    copies = _float64_copies(f, inputs)
    eps = checks.positive_number("eps", eps)
    atol = checks.positive_number("atol", atol, allow_zero=True)
    rtol = checks.positive_number("rtol", rtol, allow_zero=True)
    numerical = finite_difference_grad(f, copies, eps=eps)
    analytical = _autograd_grad(f, copies)
    ok = all(
        torch.allclose(a, n, rtol=rtol, atol=atol)
        for a, n in zip(analytical, numerical, strict=True)
    )
    return GradientCheck(
        autograd=analytical,
        numerical=numerical,
        max_error=max_abs_error(numerical, analytical),
        ok=ok,
    )


#: The words of the slope figure, in each of the site's languages.
SLOPE_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "slope": "slope at x = {x:g}:\nf'(x) = {slope:g}",
        "title": "The derivative at a point is\nthe slope of the tangent there",
    },
    "zh-TW": {
        "slope": "x = {x:g} 處的斜率：\nf'(x) = {slope:g}",
        "title": "函數在某一點的導數，\n就是該點切線的斜率",
    },
}


@figure("slope-tangent.svg", translated=True)
def slope_tangent_figure(lang: str = "en") -> Figure:
    """f(x) = x² with its tangent at x = -1 and x = 1.5; slopes taken from autograd.

    Narrow, with the notes on two lines, so that its text stays legible on a
    phone. The words are in *lang*.
    """
    words = SLOPE_WORDS[lang]
    points = torch.tensor([-1.0, 1.5], requires_grad=True)
    (points**2).sum().backward()  # each element only feeds its own term: grad = f'(x)
    assert points.grad is not None
    xs = torch.linspace(-2.5, 2.5, 201)
    fig, ax = plt.subplots(figsize=(5.0, 4.4), layout="constrained")
    ax.plot(xs, xs**2, color="#1f77b4", linewidth=2, label="$f(x) = x^2$")
    labels = (("#d62728", -2.4, "left"), ("#2ca02c", 2.4, "right"))
    for x0, slope, (color, text_x, align) in zip(
        points.tolist(), points.grad.tolist(), labels, strict=True
    ):
        y0 = x0**2
        span = torch.linspace(x0 - 1.0, x0 + 1.0, 2)
        ax.plot(span, y0 + slope * (span - x0), color=color, linewidth=1.8, linestyle="--")
        ax.plot([x0], [y0], "o", color=color, markersize=7, zorder=3)
        ax.annotate(
            words["slope"].format(x=x0, slope=slope),
            xy=(x0, y0),
            xytext=(text_x, -1.6),
            ha=align,
            va="center",
            color=color,
            arrowprops={"arrowstyle": "->", "color": color, "shrinkB": 5},
        )
    ax.axhline(0, color="#999999", linewidth=0.8)
    ax.axvline(0, color="#999999", linewidth=0.8)
    ax.set_xlim(-2.5, 2.5)
    ax.set_ylim(-2.5, 6.5)
    # Ticks fixed, not chosen from the limits: noise in their last bit must not move them.
    ax.set_xticks([-2, -1, 0, 1, 2])
    ax.set_yticks([-2, 0, 2, 4, 6])
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    ax.set_title(words["title"])
    ax.legend(loc="upper center")
    return fig
