"""Walk the graph autograd records, so a page can print it and draw it.

PyTorch stores the graph of a computation backwards: every result points, via
``grad_fn.next_functions``, to the functions that made its inputs. Reading that
chain is the most direct proof that the picture on a page is the graph PyTorch
really built, not a drawing of what we think it built.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import torch

__all__ = ["Graph", "Node", "format_graph", "trace"]


@dataclass(frozen=True)
class Node:
    """One node of a graph: for PyTorch, one backward function.

    ``op`` is the class name PyTorch gives it (``MulBackward0``,
    ``AccumulateGrad``…) or, for other engines, the operation's symbol;
    ``name`` is the reader's name for the value it belongs to, else ``None``.
    ``is_leaf`` marks where gradients are stored: PyTorch's ``AccumulateGrad``.
    """

    index: int
    op: str
    name: str | None = None
    is_leaf: bool = False

    @property
    def label(self) -> str:
        return f"{self.name}: {self.op}" if self.name else self.op


@dataclass(frozen=True)
class Graph:
    """Nodes in the order a breadth-first walk from the output meets them.

    ``edges`` run in the forward direction, ``(input, consumer)``, the way the
    data flowed; autograd follows them in reverse during ``backward()``.
    """

    nodes: tuple[Node, ...]
    edges: tuple[tuple[int, int], ...]

    @property
    def root(self) -> Node:
        """The node of the output tensor: where ``backward()`` starts."""
        return self.nodes[0]

    def inputs_of(self, node: Node) -> list[Node]:
        """The nodes whose results *node* consumed, in ``next_functions`` order."""
        return [self.nodes[src] for src, dst in self.edges if dst == node.index]


def _check_names(names: Mapping[str, torch.Tensor] | None) -> dict[int, str]:
    if names is None:
        return {}
    if not isinstance(names, Mapping):
        raise TypeError(f"names must be a mapping of str to Tensor, got {type(names).__name__}")
    by_id: dict[int, str] = {}
    for key, tensor in names.items():
        if not isinstance(key, str) or not key:
            raise TypeError(f"names must have non-empty str keys, got {key!r}")
        if not isinstance(tensor, torch.Tensor):
            raise TypeError(f"names[{key!r}] must be a Tensor, got {type(tensor).__name__}")
        by_id[id(tensor)] = key
    return by_id


def _tensor_name(fn: Any, tensors: Mapping[str, torch.Tensor], by_id: dict[int, str]) -> str | None:
    """The reader's name for the tensor a backward function belongs to."""
    variable = getattr(fn, "variable", None)  # AccumulateGrad holds its leaf tensor
    if variable is not None:
        return by_id.get(id(variable))
    for name, tensor in tensors.items():
        if tensor.grad_fn is fn:
            return name
    return None


def _node(index: int, fn: Any, name: str | None) -> Node:
    op = type(fn).__name__
    return Node(index, op, name, is_leaf=op == "AccumulateGrad")


def trace(output: torch.Tensor, names: Mapping[str, torch.Tensor] | None = None) -> Graph:
    """Return the backward graph that ends in *output*.

    *names* maps the reader's variable names to tensors (``{"x": x, "p": p}``)
    so that the nodes carry those names. Inputs that do not require a gradient
    appear as ``None`` in ``next_functions`` and are left out, as autograd
    leaves them out.
    """
    if not isinstance(output, torch.Tensor):
        raise TypeError(f"output must be a torch.Tensor, got {type(output).__name__}")
    by_id = _check_names(names)
    tensors = dict(names or {})
    if output.grad_fn is None:
        if not output.requires_grad:
            raise ValueError(
                "output has no grad_fn and does not require grad: autograd recorded no graph "
                "for it. Create its inputs with requires_grad=True."
            )
        leaf = Node(0, "AccumulateGrad", by_id.get(id(output)), is_leaf=True)
        return Graph(nodes=(leaf,), edges=())
    order: dict[Any, int] = {output.grad_fn: 0}
    nodes = [_node(0, output.grad_fn, _tensor_name(output.grad_fn, tensors, by_id))]
    edges: list[tuple[int, int]] = []
    queue = [output.grad_fn]
    while queue:
        fn = queue.pop(0)
        for parent, _ in fn.next_functions:
            if parent is None:
                continue
            if parent not in order:
                order[parent] = len(nodes)
                name = _tensor_name(parent, tensors, by_id)
                nodes.append(_node(len(nodes), parent, name))
                queue.append(parent)
            edges.append((order[parent], order[fn]))
    return Graph(nodes=tuple(nodes), edges=tuple(edges))


def format_graph(graph: Graph) -> str:
    """One line per node: the node, then the nodes it consumed."""
    if not isinstance(graph, Graph):
        raise TypeError(f"graph must be a Graph from trace(), got {type(graph).__name__}")
    lines = []
    for node in graph.nodes:
        inputs = graph.inputs_of(node)
        arrow = " <- " + ", ".join(n.label for n in inputs) if inputs else "  (leaf)"
        lines.append(node.label + arrow)
    return "\n".join(lines)
