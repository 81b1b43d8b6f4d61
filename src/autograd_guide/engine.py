"""A reverse-mode automatic differentiation engine for scalars, from scratch.

This is autograd with everything but the idea taken away, in the spirit of
Andrej Karpathy's *micrograd*: no tensors, no GPU, only Python floats. Each
[`Value`][] remembers the values it was computed from (its *parents*) and,
for each parent, the *local derivative* of the operation at that point: for
``p * z`` those are ``z`` and ``p``. [`Value.backward`][] then applies the
chain rule from the output to the leaves, in reverse topological order, adding
``local derivative × gradient of the result`` into every input.

The engine needs nothing but [`math`][math]. The package's graph tools (and so
torch) are imported only by [`to_graph`][], which turns a Value graph into the
[`Graph`][autograd_guide.graph.Graph] that the pages print and draw.

[math]: https://docs.python.org/3/library/math.html
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from numbers import Real
from typing import TYPE_CHECKING, NoReturn

from .figures import figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .graph import Graph

__all__ = ["Value", "neuron", "seed_example", "to_graph"]


def _number(value: object, what: str) -> float:
    """*value* as a float, or a TypeError that says what was expected."""
    if type(value) is float:  # the common case, without the slow check against Real
        return value
    # bool is an int to Python, but True + x is almost always a mistake.
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{what} must be an int or float, got {type(value).__name__}")
    return float(value)


class Value:
    """One scalar of a computation, with the gradient ``backward()`` gives it.

    ``data`` is the number; ``grad`` is d(output)/d(this value), summed over
    every ``backward()`` call since the last [`zero_grad`][], as PyTorch sums
    into ``.grad``. ``parents`` and ``local_grads`` are the graph: the inputs of
    the operation that made this value, and d(this value)/d(each input).
    A leaf (a value you create) has neither.

    A new operation needs nothing more than its result and one local
    derivative per input: ``Value(s, parents=(v,), local_grads=(s * (1 - s),))``
    is a sigmoid node.
    """

    # A deep graph holds many thousands of Values: slots keep each one small.
    __slots__ = ("_local_grads", "_parents", "data", "grad", "name", "op")

    def __init__(
        self,
        data: float,
        parents: tuple[Value, ...] = (),
        local_grads: tuple[float, ...] = (),
        op: str = "",
        name: str | None = None,
    ) -> None:
        self.data = _number(data, "data")
        if not isinstance(parents, tuple) or not all(isinstance(p, Value) for p in parents):
            raise TypeError(f"parents must be a tuple of Value, got {parents!r}")
        if not isinstance(local_grads, tuple):
            raise TypeError(f"local_grads must be a tuple of numbers, got {local_grads!r}")
        if len(local_grads) != len(parents):
            raise ValueError(
                "local_grads needs one derivative per parent: got "
                f"{len(local_grads)} for {len(parents)} parent(s)"
            )
        if not isinstance(op, str):
            raise TypeError(f"op must be a str, got {type(op).__name__}")
        if name is not None and (not isinstance(name, str) or not name):
            raise TypeError(f"name must be a non-empty str or None, got {name!r}")
        self._parents = parents
        self._local_grads = tuple(_number(d, "each local gradient") for d in local_grads)
        self.op = op
        self.name = name
        self.grad = 0.0

    @property
    def parents(self) -> tuple[Value, ...]:
        """The values this one was computed from; empty for a leaf."""
        return self._parents

    @property
    def local_grads(self) -> tuple[float, ...]:
        """d(this value)/d(parent), one per parent, evaluated during the forward pass."""
        return self._local_grads

    @property
    def is_leaf(self) -> bool:
        """True for a value no operation produced: where a graph starts."""
        return not self._parents

    def __repr__(self) -> str:
        name = f", name={self.name!r}" if self.name else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{name})"

    # --- operations: the result, and the local derivative for each input ----

    @staticmethod
    def _wrap(other: object, op: str) -> Value:
        """A plain number becomes a leaf, so ``x * 2`` and ``2 * x`` both work."""
        if isinstance(other, Value):
            return other
        if isinstance(other, bool) or not isinstance(other, Real):
            raise TypeError(
                f"unsupported operand for {op}: expected a Value, int or float, "
                f"got {type(other).__name__}"
            )
        return Value(float(other), op="const")

    def __add__(self, other: Value | float) -> Value:
        other = self._wrap(other, "+")
        return Value(self.data + other.data, (self, other), (1.0, 1.0), "+")

    def __radd__(self, other: float) -> Value:  # 2 + x
        return self._wrap(other, "+") + self

    def __sub__(self, other: Value | float) -> Value:
        other = self._wrap(other, "-")
        return Value(self.data - other.data, (self, other), (1.0, -1.0), "-")

    def __rsub__(self, other: float) -> Value:  # 2 - x
        return self._wrap(other, "-") - self

    def __mul__(self, other: Value | float) -> Value:
        other = self._wrap(other, "*")
        return Value(self.data * other.data, (self, other), (other.data, self.data), "*")

    def __rmul__(self, other: float) -> Value:  # 2 * x
        return self._wrap(other, "*") * self

    def __truediv__(self, other: Value | float) -> Value:
        other = self._wrap(other, "/")
        if other.data == 0.0:
            raise ZeroDivisionError(f"division by zero: {self.data!r} / {other.data!r}")
        inverse = 1.0 / other.data
        local = (inverse, -self.data * inverse * inverse)  # d(a/b)/da, d(a/b)/db
        return Value(self.data * inverse, (self, other), local, "/")

    def __rtruediv__(self, other: float) -> Value:  # 2 / x
        return self._wrap(other, "/") / self

    def __neg__(self) -> Value:
        return Value(-self.data, (self,), (-1.0,), "neg")

    def __pow__(self, exponent: float) -> Value:
        if isinstance(exponent, Value):
            raise TypeError(
                "the exponent must be a constant int or float, got a Value; "
                "write (k * x.log()).exp() for x ** k with a variable k"
            )
        k = _number(exponent, "the exponent")
        x = self.data
        if x < 0.0 and not k.is_integer():
            raise ValueError(
                f"a negative number to a non-integer power is not real: {x!r} ** {k!r}"
            )
        if x == 0.0 and k < 0.0:
            raise ZeroDivisionError(f"0.0 cannot be raised to a negative power: 0.0 ** {k!r}")
        try:
            result = x**k
        except OverflowError:
            raise OverflowError(f"{x!r} ** {k!r} is too large for a float") from None
        if k == 0.0:
            local = 0.0  # x ** 0 is the constant 1
        elif x == 0.0 and k < 1.0:
            local = math.inf  # the slope of x ** 0.5 at 0 is vertical, as in PyTorch
        else:
            local = k * x ** (k - 1.0)
        return Value(result, (self,), (local,), f"**{k:g}")

    def __rpow__(self, base: object) -> NoReturn:  # 2 ** x
        raise TypeError(
            f"{type(base).__name__} ** Value is not supported, only Value ** constant; "
            "write (x * math.log(base)).exp() for base ** x"
        )

    def exp(self) -> Value:
        try:
            e = math.exp(self.data)
        except OverflowError:
            raise OverflowError(f"exp({self.data!r}) is too large for a float") from None
        return Value(e, (self,), (e,), "exp")

    def log(self) -> Value:
        if self.data <= 0.0:
            raise ValueError(f"log needs a positive number, got {self.data!r}")
        return Value(math.log(self.data), (self,), (1.0 / self.data,), "log")

    def tanh(self) -> Value:
        t = math.tanh(self.data)
        return Value(t, (self,), (1.0 - t * t,), "tanh")

    def relu(self) -> Value:
        # The slope at exactly 0 is taken to be 0, as PyTorch does.
        positive = self.data > 0.0
        return Value(self.data if positive else 0.0, (self,), (1.0 if positive else 0.0,), "relu")

    # --- the backward pass ---------------------------------------------------

    def topological_order(self) -> list[Value]:
        """Every value this one depends on, each listed after all of its inputs.

        An iterative depth-first search: an explicit stack instead of recursion,
        so that a graph ten thousand operations deep does not hit Python's
        recursion limit. A value is appended only when it is popped the second
        time, after all of its parents have been appended.
        """
        order: list[Value] = []
        visited: set[Value] = set()
        stack: list[tuple[Value, bool]] = [(self, False)]
        while stack:
            node, inputs_done = stack.pop()
            if inputs_done:
                order.append(node)  # every input of node is in order already
            elif node not in visited:
                visited.add(node)
                stack.append((node, True))  # come back to it after its inputs
                stack.extend((parent, False) for parent in node._parents)
        return order

    def backward(self, gradient: float = 1.0) -> None:
        """Add d(self)/d(v) × *gradient* to ``v.grad`` for every value ``v`` in the graph.

        Reverse topological order guarantees that when a value is reached, every
        value that used it has already passed its share back: its gradient is
        complete and can be handed on to its own inputs. The shares of one pass
        are summed in ``pending`` and only then added to ``.grad``, so that a
        second ``backward()`` adds the same amounts again, as in PyTorch.
        """
        pending: dict[Value, float] = {self: _number(gradient, "gradient")}
        for node in reversed(self.topological_order()):
            upstream = pending.pop(node)
            node.grad += upstream
            for parent, local in zip(node._parents, node._local_grads, strict=True):
                # The chain rule, one edge at a time; += because a value used
                # twice receives a share along each use.
                pending[parent] = pending.get(parent, 0.0) + local * upstream

    def zero_grad(self) -> None:
        """Set ``grad`` to 0 for this value and every value it was computed from."""
        for node in self.topological_order():
            node.grad = 0.0


# --- drawing the graph ---------------------------------------------------------


def to_graph(output: Value, names: Mapping[str, Value] | None = None) -> Graph:
    """The graph that ends in *output*, as a [`Graph`][autograd_guide.graph.Graph].

    Nodes come in breadth-first order from the output, like
    [`trace`][autograd_guide.graph.trace]; edges run ``(input, consumer)``, one per
    use, so ``a + a`` has two edges from ``a``. A node's name is its key in
    *names*, else its ``Value.name``; its op is the operation's symbol,
    ``"input"`` for a leaf you created, ``"const"`` for a number an operation
    wrapped (the 2 in ``x * 2``).
    """
    from .graph import Graph, Node  # torch is needed only to draw, not to differentiate

    if not isinstance(output, Value):
        raise TypeError(f"output must be a Value, got {type(output).__name__}")
    if names is None:
        names = {}
    if not isinstance(names, Mapping):
        raise TypeError(f"names must be a mapping of str to Value, got {type(names).__name__}")
    by_id: dict[int, str] = {}
    for key, value in names.items():
        if not isinstance(key, str) or not key:
            raise TypeError(f"names must have non-empty str keys, got {key!r}")
        if not isinstance(value, Value):
            raise TypeError(f"names[{key!r}] must be a Value, got {type(value).__name__}")
        by_id[id(value)] = key

    index: dict[Value, int] = {}
    nodes: list[Node] = []
    edges: list[tuple[int, int]] = []
    queue, head = [output], 0
    index[output] = 0
    while head < len(queue):
        node = queue[head]
        head += 1
        name = by_id.get(id(node), node.name)
        nodes.append(Node(index[node], node.op or "input", name, is_leaf=node.is_leaf))
        for parent in node._parents:
            if parent not in index:
                index[parent] = len(index)
                queue.append(parent)
            edges.append((index[parent], index[node]))
    return Graph(nodes=tuple(nodes), edges=tuple(edges))


def seed_example() -> dict[str, Value]:
    """The lecture notes' graph after ``backward()``: x = 1, y = 3, p = x + y, z = -3, g = p·z."""
    x, y, z = Value(1.0, name="x"), Value(3.0, name="y"), Value(-3.0, name="z")
    p = x + y
    p.name = "p"
    g = p * z
    g.name = "g"
    g.backward()
    return {"x": x, "y": y, "z": z, "p": p, "g": g}


def neuron(
    x1: float = 1.0,
    x2: float = -2.0,
    w1: float = 0.5,
    w2: float = -0.25,
    b: float = 0.1,
) -> dict[str, Value]:
    """One tanh neuron, o = tanh(w1·x1 + w2·x2 + b), after ``backward()``.

    Every value is named (``w1x1`` is w1·x1, ``s`` the sum of the two products,
    ``n`` the neuron's input to tanh), so that a drawing can label each node.
    """
    v = {k: Value(x, name=k) for k, x in dict(x1=x1, w1=w1, x2=x2, w2=w2, b=b).items()}
    v["w1x1"] = v["w1"] * v["x1"]
    v["w2x2"] = v["w2"] * v["x2"]
    v["s"] = v["w1x1"] + v["w2x2"]
    v["n"] = v["s"] + v["b"]
    v["o"] = v["n"].tanh()
    for key in ("w1x1", "w2x2", "s", "n", "o"):
        v[key].name = key
    v["o"].backward()
    return v


def _notes(values: Mapping[str, Value]) -> dict[str, str]:
    # One line for the value, one for the gradient; four significant digits are plenty.
    return {k: f"data {v.data:.4g}\ngrad {v.grad:.4g}" for k, v in values.items()}


@figure("engine-seed-graph.svg")
def seed_graph_figure() -> Figure:
    """The seed's graph as the from-scratch engine sees it after ``backward()``.

    Output on top, so that the figure stays narrow enough for a phone. Its text
    is names, operators and the ``data`` and ``grad`` attributes: one file serves
    both languages.
    """
    from .diagram import draw_graph

    values = seed_example()
    return draw_graph(to_graph(values["g"]), notes=_notes(values), direction="TB")


@figure("engine-neuron.svg")
def neuron_figure() -> Figure:
    """A tanh neuron after ``backward()``: every node with its data and gradient.

    Output on top and compact (four leaves side by side), so that the figure
    stays narrow enough for a phone; one file serves both languages, as for the
    seed's graph.
    """
    from .diagram import draw_graph

    values = neuron()
    return draw_graph(to_graph(values["o"]), notes=_notes(values), direction="TB", compact=True)
