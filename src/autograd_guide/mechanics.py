"""Watch PyTorch's autograd engine run ``backward()``, node by node.

The engine's work is invisible from the outside: it counts how many gradients
each node must wait for, buffers and adds the gradients that arrive for a
node, and calls every node once, with the sum. A chapter that claims this
should show it, so [`record_backward`][] hangs a pre-hook and a hook on every
node of a real graph, runs the real ``backward()``, and returns what the
hooks saw: the order of the calls, every share sent along an edge, and what
each node was finally called with. The figure of the chapter is drawn from
that record, so the picture cannot drift from what PyTorch does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import torch
from matplotlib.figure import Figure

from .diagram import draw_graph
from .figures import figure
from .graph import Graph, Node, trace

__all__ = [
    "BackwardRun",
    "Share",
    "Step",
    "dependencies",
    "format_run",
    "record_backward",
    "step_notes",
    "two_path_example",
]

#: Where the gradient of the output comes from: ``backward()`` itself, not a node.
START = "backward()"


def two_path_example() -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """Build ``x = 2, y = 3, u = x·y, v = x + y, L = u·v``; return ``L`` and the names.

    Each leaf is used twice (in ``u`` and in ``v``), so its gradient is the sum
    of two chain-rule paths, ``dL/dx = v·y + u = 21`` and ``dL/dy = v·x + u = 16``,
    and the engine has two shares to add before it calls the leaf's node.
    Only the forward pass runs here; the caller decides when to call
    ``backward()``.
    """
    x = torch.tensor(2.0, requires_grad=True)
    y = torch.tensor(3.0, requires_grad=True)
    u = x * y
    v = x + y
    loss = u * v
    return loss, {"x": x, "y": y, "u": u, "v": v, "L": loss}


@dataclass(frozen=True)
class Share:
    """One gradient sent to a node: by the node ``source`` (a label), or by ``backward()``."""

    source: str
    value: torch.Tensor


@dataclass(frozen=True)
class Step:
    """One call of a node by the engine, as its hooks saw it.

    ``shares`` are the gradients that arrived for the node, in the order they
    arrived; ``called_with`` is what the node's pre-hook received, one entry
    per output of the node: the shares, added up. ``sent`` pairs each input's
    node with the gradient this node returned for it.
    """

    number: int
    node: Node
    shares: tuple[Share, ...]
    called_with: tuple[torch.Tensor | None, ...]
    sent: tuple[tuple[Node, torch.Tensor], ...]


@dataclass(frozen=True)
class BackwardRun:
    """A recorded ``backward()``: the graph, each node's dependency count, the calls in order."""

    graph: Graph
    dependencies: tuple[int, ...]
    steps: tuple[Step, ...]

    def step_of(self, label: str) -> Step:
        """The call of the node whose label (``"x: AccumulateGrad"``) or name (``"x"``) is given."""
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__}")
        for step in self.steps:
            if label in (step.node.label, step.node.name):
                return step
        known = [step.node.label for step in self.steps]
        raise ValueError(f"no node {label!r} ran in this backward pass; it ran {known}")


def dependencies(graph: Graph) -> list[int]:
    """For each node, how many gradients the engine waits for before calling it.

    The engine counts edges, not consumers: before it runs anything, it walks
    the graph from the output and, for every ``next_functions`` entry, adds one
    to the count of the node the entry points to. ``a * a`` therefore makes
    ``a``'s node wait for two gradients from one consumer. The output's node
    waits for none: ``backward()`` hands it the starting gradient.
    """
    if not isinstance(graph, Graph):
        raise TypeError(f"graph must be a Graph from trace(), got {type(graph).__name__}")
    counts = [0] * len(graph.nodes)
    for src, _ in graph.edges:
        counts[src] += 1
    return counts


def _walk(output: torch.Tensor) -> list[Any]:
    """The backward functions in the order of [`trace`][autograd_guide.graph.trace]."""
    order = {output.grad_fn: 0}
    queue = [output.grad_fn]
    while queue:
        fn = queue.pop(0)
        for parent, _ in fn.next_functions:
            if parent is not None and parent not in order:
                order[parent] = len(order)
                queue.append(parent)
    return list(order)


def record_backward(
    output: torch.Tensor, names: Mapping[str, torch.Tensor] | None = None
) -> BackwardRun:
    """Run ``output.backward()`` with a pre-hook and a hook on every node; return what they saw.

    The pre-hook of a node runs when the engine calls it, with the gradients
    it buffered for the node already added up; the hook runs after the call,
    with what the node returned for each of its inputs. Both are removed again
    before this returns. Like ``backward()``, the run adds into the ``.grad`` of
    the leaves and frees the graph's saved tensors.
    """
    if not isinstance(output, torch.Tensor):
        raise TypeError(f"output must be a torch.Tensor, got {type(output).__name__}")
    if output.grad_fn is None:
        raise ValueError(
            "output has no grad_fn: there is no recorded graph to run backward() on. "
            "Compute it from tensors created with requires_grad=True."
        )
    if output.numel() != 1:
        raise ValueError(
            "backward() without a gradient argument needs a one-element output, "
            f"got shape {tuple(output.shape)}; reduce it first, e.g. with .sum()"
        )
    graph = trace(output, names=names)
    fns = _walk(output)
    if [type(fn).__name__ for fn in fns] != [node.op for node in graph.nodes]:
        raise RuntimeError("the graph changed while it was being walked")  # pragma: no cover
    index = {fn: i for i, fn in enumerate(fns)}
    received: dict[int, list[Share]] = {i: [] for i in range(len(fns))}
    received[0].append(Share(START, torch.ones_like(output).detach()))
    called: dict[int, tuple[torch.Tensor | None, ...]] = {}
    sent: dict[int, list[tuple[Node, torch.Tensor]]] = {i: [] for i in range(len(fns))}
    order: list[int] = []

    def pre_hook(i: int) -> Any:
        def hook(grad_outputs: tuple[torch.Tensor | None, ...]) -> None:
            order.append(i)
            called[i] = tuple(None if g is None else g.detach().clone() for g in grad_outputs)

        return hook

    def post_hook(i: int) -> Any:
        def hook(
            grad_inputs: tuple[torch.Tensor | None, ...],
            grad_outputs: tuple[torch.Tensor | None, ...],
        ) -> None:
            for (target, _), grad in zip(fns[i].next_functions, grad_inputs, strict=True):
                if target is None or grad is None:
                    continue
                value = grad.detach().clone()
                received[index[target]].append(Share(graph.nodes[i].label, value))
                sent[i].append((graph.nodes[index[target]], value))

        return hook

    handles = []
    try:
        for i, fn in enumerate(fns):
            handles.append(fn.register_prehook(pre_hook(i)))
            handles.append(fn.register_hook(post_hook(i)))
        output.backward()
    finally:
        for handle in handles:
            handle.remove()
    steps = tuple(
        Step(n, graph.nodes[i], tuple(received[i]), called[i], tuple(sent[i]))
        for n, i in enumerate(order, start=1)
    )
    return BackwardRun(graph, tuple(dependencies(graph)), steps)


def _number(value: float) -> str:
    text = f"{value:.4g}"
    return "0" if text == "-0" else text


def _tensor(value: torch.Tensor | None) -> str:
    if value is None:
        return "None"
    if value.numel() == 1:
        return _number(value.item())
    return "[" + ", ".join(_number(v) for v in value.flatten().tolist()) + "]"


def _called_with(step: Step) -> str:
    """``6 + 15 = 21`` when several shares were added, else the one gradient."""
    total = ", ".join(_tensor(g) for g in step.called_with)
    if len(step.shares) < 2:
        return total
    parts = [_tensor(s.value) for s in step.shares]
    return " + ".join(f"({p})" if p.startswith("-") else p for p in parts) + " = " + total


def _short(node: Node) -> str:
    return node.name or node.op


def _check_run(run: BackwardRun) -> None:
    if not isinstance(run, BackwardRun):
        raise TypeError(
            f"run must be a BackwardRun from record_backward(), got {type(run).__name__}"
        )


def format_run(run: BackwardRun) -> str:
    """The dependency counts, then one line per call: what the node got and what it sent."""
    _check_run(run)
    counts = ", ".join(
        f"{_short(node)} {count}"
        for node, count in zip(run.graph.nodes, run.dependencies, strict=True)
    )
    lines = [f"waits for: {counts}"]
    for step in run.steps:
        line = f"{step.number}. {step.node.label} called with {_called_with(step)}"
        if step.sent:
            line += " -> " + ", ".join(f"{_short(n)} {_tensor(g)}" for n, g in step.sent)
        lines.append(line)
    return "\n".join(lines)


def _circled(number: int) -> str:
    """①…⑳ for the first twenty steps: a step number that needs no words in any language."""
    return chr(0x2460 + number - 1) if 1 <= number <= 20 else f"({number})"


def step_notes(run: BackwardRun) -> dict[str, str]:
    """``{name: "④ 6 + 15 = 21"}`` for every named node: when it ran, and with what."""
    _check_run(run)
    return {
        step.node.name: f"{_circled(step.number)} {_called_with(step)}"
        for step in run.steps
        if step.node.name
    }


@figure("backward-steps.svg")
def backward_steps_figure() -> Figure:
    """The two-path example's backward pass, drawn from its recorded run, top to bottom."""
    loss, names = two_path_example()
    run = record_backward(loss, names)
    return draw_graph(
        run.graph, notes=step_notes(run), direction="TB", arrows="backward", font_size=11
    )
