"""The from-scratch engine against torch.autograd, on random expressions and by hand."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import matplotlib.pyplot as plt
import pytest
import torch
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from autograd_guide.diagram import draw_graph
from autograd_guide.engine import (
    Value,
    neuron,
    neuron_figure,
    seed_example,
    seed_graph_figure,
    to_graph,
)
from autograd_guide.graph import format_graph

# --- random expressions --------------------------------------------------------
#
# An expression is a tree whose leaves are variable indices and whose inner
# nodes are operations. It is evaluated twice by the same Python code: once on
# Values, once on float64 tensors. Domains are kept valid by construction:
# log, division and non-integer powers are applied to ``e * e + c`` with c > 0.

N_VARIABLES = 3


@dataclass(frozen=True)
class Expr:
    op: str
    args: tuple[Expr | int, ...]
    constant: float = 0.0


def positive(e: object, c: float) -> object:
    """e² + c: a strictly positive operand built from supported operations."""
    return e * e + c


UNARY: dict[str, Callable[[object, float], object]] = {
    "neg": lambda a, c: -a,
    "exp": lambda a, c: a.exp(),
    "log": lambda a, c: positive(a, c).log(),
    "tanh": lambda a, c: a.tanh(),
    "relu": lambda a, c: a.relu(),
    "square": lambda a, c: a**2,
    "cube": lambda a, c: a**3,
    "zeroth": lambda a, c: a**0,
    "sqrt": lambda a, c: positive(a, c) ** 0.5,
    "pow-1.5": lambda a, c: positive(a, c) ** -1.5,
    "inverse": lambda a, c: positive(a, c) ** -1,
    "radd": lambda a, c: c + a,
    "rsub": lambda a, c: c - a,
    "rmul": lambda a, c: c * a,
    "rdiv": lambda a, c: c / positive(a, c),
    "add-const": lambda a, c: a + c,
    "sub-const": lambda a, c: a - c,
    "mul-const": lambda a, c: a * c,
    "div-const": lambda a, c: a / c,
}

BINARY: dict[str, Callable[[object, object, float], object]] = {
    "add": lambda a, b, c: a + b,
    "sub": lambda a, b, c: a - b,
    "mul": lambda a, b, c: a * b,
    "div": lambda a, b, c: a / positive(b, c),
}

constants = st.floats(min_value=0.25, max_value=2.0)
leaves = st.integers(min_value=0, max_value=N_VARIABLES - 1)


def extend(children: st.SearchStrategy) -> st.SearchStrategy:
    unary = st.builds(
        lambda op, a, c: Expr(op, (a,), c), st.sampled_from(sorted(UNARY)), children, constants
    )
    binary = st.builds(
        lambda op, a, b, c: Expr(op, (a, b), c),
        st.sampled_from(sorted(BINARY)),
        children,
        children,
        constants,
    )
    return unary | binary


expressions = st.recursive(leaves, extend, max_leaves=10).filter(lambda e: isinstance(e, Expr))
inputs = st.lists(st.floats(min_value=-2.0, max_value=2.0, allow_nan=False), min_size=3, max_size=3)


def evaluate(expr: Expr | int, variables: list, results: list) -> object:
    """Compute *expr* from *variables*; append every operation's result to *results*."""
    if isinstance(expr, int):
        return variables[expr]
    args = [evaluate(a, variables, results) for a in expr.args]
    ops = UNARY if len(args) == 1 else BINARY
    out = ops[expr.op](*args, expr.constant)
    results.append(out)
    return out


def close(ours: float, theirs: float) -> bool:
    return math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-9)


def grad_of(t: torch.Tensor) -> float:
    """torch leaves ``.grad`` at None for a variable the expression does not use."""
    return 0.0 if t.grad is None else t.grad.item()


@settings(
    max_examples=400,
    deadline=None,
    derandomize=True,  # the same expressions on every run: CI cannot flake
    database=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(expr=expressions, numbers=inputs)
def test_values_and_gradients_match_torch(expr: Expr, numbers: list[float]) -> None:
    ours = [Value(x) for x in numbers]
    ours_results: list = []
    try:
        out = evaluate(expr, ours, ours_results)
    except OverflowError:
        assume(False)  # exp of exp of exp…: too large for a float in both engines
    assume(all(abs(v.data) < 1e8 for v in ours_results))

    theirs = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in numbers]
    theirs_results: list = []
    expected = evaluate(expr, theirs, theirs_results)
    for t in theirs_results:
        t.retain_grad()  # keep the gradients of intermediate results to compare them too

    out.backward()
    expected.backward()

    assert close(out.data, expected.item())
    for v, t in zip(ours + ours_results, theirs + theirs_results, strict=True):
        assert close(v.data, t.item()), (v.data, t.item())
        assert close(v.grad, grad_of(t)), (v.grad, grad_of(t))


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(expr=expressions, numbers=inputs)
def test_second_backward_adds_the_same_gradient_again(expr: Expr, numbers: list[float]) -> None:
    variables = [Value(x) for x in numbers]
    try:
        out = evaluate(expr, variables, [])
    except OverflowError:
        assume(False)
    out.backward()
    first = [v.grad for v in variables]
    out.backward()
    assert all(
        math.isclose(v.grad, 2 * g, rel_tol=1e-12, abs_tol=0.0)
        for v, g in zip(variables, first, strict=True)
    )
    out.zero_grad()
    assert all(v.grad == 0.0 for v in variables)


# --- the chapter's examples ------------------------------------------------------


def test_seed_example() -> None:
    v = seed_example()
    assert {k: x.data for k, x in v.items()} == {"x": 1, "y": 3, "z": -3, "p": 4, "g": -12}
    assert {k: x.grad for k, x in v.items()} == {"x": -3, "y": -3, "z": 4, "p": -3, "g": 1}


def test_neuron_matches_torch() -> None:
    v = neuron()
    t = {k: torch.tensor(x.data, dtype=torch.float64, requires_grad=True) for k, x in v.items()}
    o = torch.tanh(t["w1"] * t["x1"] + t["w2"] * t["x2"] + t["b"])
    o.backward()
    assert close(v["o"].data, o.item())
    for key in ("x1", "w1", "x2", "w2", "b"):
        assert close(v[key].grad, t[key].grad.item())


# --- the backward pass ------------------------------------------------------------


def test_reused_node_gets_both_shares() -> None:
    a = Value(3.0)
    b = a + a
    b.backward()
    assert a.grad == 2.0
    c = Value(3.0)
    (c * c).backward()  # d(c²)/dc = 2c
    assert c.grad == 6.0


def test_diamond_waits_for_every_consumer() -> None:
    x = Value(2.0)
    m = x * 3  # used twice: directly and through n
    n = m + 1
    out = m * n  # d out/d m = n + m = 13, d out/d x = 39
    out.backward()
    assert (m.grad, x.grad) == (13.0, 39.0)


def test_topological_order_puts_inputs_first() -> None:
    x = Value(2.0)
    m = x * 3
    n = m + 1
    out = m * n
    order = out.topological_order()
    assert len(order) == 6  # x, 3, m, 1, n, out: each value once
    position = {id(v): i for i, v in enumerate(order)}
    for v in order:
        assert all(position[id(p)] < position[id(v)] for p in v.parents)
    assert order[-1] is out


def test_deep_graph_needs_no_recursion() -> None:
    x = Value(0.5)
    y = x
    for _ in range(10_000):
        y = y + 1.0
    y.backward()
    assert x.grad == 1.0
    assert y.data == 10_000.5
    assert len(to_graph(y).nodes) == 20_001  # 10,000 sums, 10,000 constants, x
    y.zero_grad()
    assert x.grad == 0.0


def test_gradients_accumulate_until_zeroed() -> None:
    v = seed_example()  # backward() ran once
    v["g"].backward()
    assert (v["x"].grad, v["z"].grad, v["p"].grad) == (-6.0, 8.0, -6.0)
    v["g"].zero_grad()
    assert all(x.grad == 0.0 for x in v.values())
    v["g"].backward(2.0)  # the gradient of a downstream loss with respect to g
    assert (v["x"].grad, v["z"].grad, v["g"].grad) == (-6.0, 8.0, 2.0)


def test_backward_of_a_leaf() -> None:
    w = Value(5.0)
    w.backward()
    assert w.grad == 1.0


@pytest.mark.parametrize(
    ("make", "data", "grad"),
    [
        (lambda x: x - 1, 1.0, 1.0),
        (lambda x: 1 - x, -1.0, -1.0),
        (lambda x: x / 4, 0.5, 0.25),
        (lambda x: 4 / x, 2.0, -1.0),  # d(4/x)/dx = -4/x²
        (lambda x: -x, -2.0, -1.0),
        (lambda x: x**3, 8.0, 12.0),
        (lambda x: x**0, 1.0, 0.0),
        (lambda x: x.exp(), math.exp(2.0), math.exp(2.0)),
        (lambda x: x.log(), math.log(2.0), 0.5),
        (lambda x: x.tanh(), math.tanh(2.0), 1 - math.tanh(2.0) ** 2),
        (lambda x: x.relu(), 2.0, 1.0),
        (lambda x: (-x).relu(), 0.0, 0.0),
        (lambda x: (x - 2).relu(), 0.0, 0.0),  # at exactly 0 the slope is 0, as in torch
    ],
)
def test_each_operation_at_x_equals_2(make: Callable, data: float, grad: float) -> None:
    x = Value(2.0)
    out = make(x)
    out.backward()
    assert math.isclose(out.data, data, rel_tol=1e-15)
    assert math.isclose(x.grad, grad, rel_tol=1e-15)


def test_power_edge_cases_match_torch() -> None:
    for base, k in [(0.0, 0.5), (0.0, 2.0), (0.0, 1.0), (-2.0, 3.0), (-2.0, -2.0), (0.0, 0.0)]:
        x = Value(base)
        (x**k).backward()
        t = torch.tensor(base, dtype=torch.float64, requires_grad=True)
        (t**k).backward()
        assert x.grad == t.grad.item(), (base, k)


def test_a_new_operation_needs_only_its_local_derivative() -> None:
    x = Value(0.3)
    s = 1 / (1 + math.exp(-x.data))
    Value(s, parents=(x,), local_grads=(s * (1 - s),), op="sigmoid").backward()
    t = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
    torch.sigmoid(t).backward()
    assert close(x.grad, t.grad.item())


def test_repr() -> None:
    assert repr(Value(2)) == "Value(data=2.0, grad=0.0)"
    assert repr(Value(-1.5, name="w")) == "Value(data=-1.5, grad=0.0, name='w')"


# --- the graph for drawing ---------------------------------------------------------


def test_to_graph_of_the_seed_example() -> None:
    v = seed_example()
    graph = to_graph(v["g"])
    assert format_graph(graph).splitlines() == [
        "g: * <- p: +, z: input",
        "p: + <- x: input, y: input",
        "z: input  (leaf)",
        "x: input  (leaf)",
        "y: input  (leaf)",
    ]
    assert graph.edges == ((1, 0), (2, 0), (3, 1), (4, 1))


def test_to_graph_names_and_reuse() -> None:
    a = Value(2.0)
    b = a + a
    graph = to_graph(b, names={"a": a, "b": b})
    assert [n.label for n in graph.nodes] == ["b: +", "a: input"]
    assert graph.edges == ((1, 0), (1, 0))
    assert [n.op for n in to_graph(a * 2).nodes] == ["*", "input", "const"]


def test_figures_draw_values_and_gradients() -> None:
    for make in (seed_graph_figure, neuron_figure):
        fig = make()
        texts = [t.get_text() for t in fig.axes[0].texts]
        assert any("grad" in t for t in texts)
        plt.close(fig)
    fig = seed_graph_figure()
    assert "g\n*\ndata -12\ngrad 1" in [t.get_text() for t in fig.axes[0].texts]
    plt.close(fig)
    plt.close(draw_graph(to_graph(neuron()["o"])))


# --- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "error", "message"),
    [
        (lambda: Value("1"), TypeError, "data must be an int or float, got str"),
        (lambda: Value(True), TypeError, "data must be an int or float, got bool"),
        (lambda: Value(torch.tensor(1.0)), TypeError, "got Tensor"),
        (lambda: Value(1.0) + "2", TypeError, "for \\+: expected a Value, int or float, got str"),
        (lambda: "2" * Value(1.0), TypeError, "for \\*: expected a Value, int or float, got str"),
        (lambda: Value(1.0) - [1], TypeError, "for -: expected a Value, int or float, got list"),
        (lambda: Value(1.0) / None, TypeError, "got NoneType"),
        (lambda: Value(1.0) * True, TypeError, "got bool"),
        (lambda: Value(1.0) ** Value(2.0), TypeError, "exponent must be a constant"),
        (lambda: Value(1.0) ** "2", TypeError, "the exponent must be an int or float, got str"),
        (lambda: 2 ** Value(1.0), TypeError, "int \\*\\* Value is not supported"),
        (lambda: Value(0.0).log(), ValueError, "log needs a positive number, got 0.0"),
        (lambda: Value(-1.0).log(), ValueError, "log needs a positive number, got -1.0"),
        (lambda: Value(1.0) / Value(0.0), ZeroDivisionError, "division by zero: 1.0 / 0.0"),
        (lambda: 1 / Value(0.0), ZeroDivisionError, "division by zero"),
        (lambda: Value(-8.0) ** (1 / 3), ValueError, "negative number to a non-integer power"),
        (lambda: Value(0.0) ** -1, ZeroDivisionError, "0.0 cannot be raised to a negative"),
        (lambda: Value(1000.0).exp(), OverflowError, "exp\\(1000.0\\) is too large"),
        (lambda: Value(10.0) ** 400, OverflowError, "is too large for a float"),
        (lambda: Value(1.0).backward("1"), TypeError, "gradient must be an int or float"),
        (lambda: Value(1.0, parents=[Value(2.0)]), TypeError, "parents must be a tuple"),
        (lambda: Value(1.0, (Value(2.0),), ()), ValueError, "one derivative per parent"),
        (lambda: Value(1.0, (Value(2.0),), [1.0]), TypeError, "local_grads must be a tuple"),
        (lambda: Value(1.0, (Value(2.0),), ("a",)), TypeError, "each local gradient"),
        (lambda: Value(1.0, op=3), TypeError, "op must be a str, got int"),
        (lambda: Value(1.0, name=""), TypeError, "name must be a non-empty str"),
        (lambda: to_graph(1.0), TypeError, "output must be a Value, got float"),
        (lambda: to_graph(Value(1.0), names=[1]), TypeError, "mapping of str to Value"),
        (lambda: to_graph(Value(1.0), names={"": Value(1.0)}), TypeError, "non-empty str keys"),
        (lambda: to_graph(Value(1.0), names={"w": 1.0}), TypeError, "names\\['w'\\] must be"),
    ],
)
def test_bad_input(action: Callable, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        action()


def test_a_wrong_local_derivative_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison with PyTorch has teeth: break tanh's derivative and it fails."""

    def wrong_tanh(self: Value) -> Value:
        t = math.tanh(self.data)
        return Value(t, (self,), (1.0 - t,), "tanh")  # should be 1 - t²

    monkeypatch.setattr(Value, "tanh", wrong_tanh)
    with pytest.raises((AssertionError, ExceptionGroup)):
        test_values_and_gradients_match_torch()
