"""What autograd keeps on each node, so a page can show values and gradients together.

The autograd-mechanics chapter teaches from one small expression in which a
leaf reaches the output along two paths. Seeing the value *and* the gradient of
every named tensor on the real graph explains two things at once: gradients
flow backwards along the recorded edges, and the leaf's ``AccumulateGrad`` node
adds up what arrives from every path.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import torch
from matplotlib.figure import Figure

from .diagram import draw_graph
from .figures import figure
from .graph import trace

__all__ = ["grad_or_none", "two_path_example", "value_grad_notes"]


def two_path_example() -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """Build ``x = 2, y = 3, u = x·y, v = x + y, L = u·v``; return ``L`` and the names.

    Each leaf is used twice (in ``u`` and in ``v``), so its gradient is the sum
    of two chain-rule paths: ``dL/dx = v·y + u = 21`` and ``dL/dy = v·x + u = 16``.
    Only the forward pass runs here; the caller decides whether to keep
    non-leaf gradients and when to call ``backward()``.
    """
    x = torch.tensor(2.0, requires_grad=True)
    y = torch.tensor(3.0, requires_grad=True)
    u = x * y
    v = x + y
    loss = u * v
    return loss, {"x": x, "y": y, "u": u, "v": v, "L": loss}


def grad_or_none(tensor: torch.Tensor) -> torch.Tensor | None:
    """Return ``tensor.grad`` where autograd keeps one, else ``None``, without a warning.

    Reading ``.grad`` of a non-leaf that did not call ``retain_grad()`` returns
    ``None`` *and* warns, because it is almost always a mistake. Code that
    inspects every tensor of a graph on purpose asks first whether a gradient
    can be there at all: leaves keep theirs, non-leaves only when retained.
    """
    if not isinstance(tensor, torch.Tensor):
        raise TypeError(f"tensor must be a torch.Tensor, got {type(tensor).__name__}")
    if tensor.is_leaf or tensor.retains_grad:
        return tensor.grad
    return None


def _format_number(value: float) -> str:
    text = f"{value:.4g}"
    return "0" if text == "-0" else text


def value_grad_notes(tensors: Mapping[str, torch.Tensor]) -> dict[str, str]:
    """Return ``{name: "value | grad g"}`` for one-element tensors, for ``draw_graph(notes=…)``.

    A gradient autograd did not keep reads ``grad None``; the notes never touch
    a non-leaf's ``.grad`` unless it was retained, so drawing a graph raises no
    warning.
    """
    if not isinstance(tensors, Mapping):
        raise TypeError(f"tensors must be a mapping of str to Tensor, got {type(tensors).__name__}")
    if not tensors:
        raise ValueError("tensors must name at least one tensor, got an empty mapping")
    notes: dict[str, str] = {}
    for name, tensor in tensors.items():
        if not isinstance(name, str) or not name:
            raise TypeError(f"tensors must have non-empty str keys, got {name!r}")
        if not isinstance(tensor, torch.Tensor):
            raise TypeError(f"tensors[{name!r}] must be a Tensor, got {type(tensor).__name__}")
        if tensor.numel() != 1:
            raise ValueError(
                f"tensors[{name!r}] must hold one number to fit on a node, "
                f"got shape {tuple(tensor.shape)}"
            )
        grad = grad_or_none(tensor)
        grad_text = "None" if grad is None else _format_number(grad.item())
        notes[name] = f"{_format_number(tensor.item())} | grad {grad_text}"
    return notes


@figure("autograd-mechanics.svg")
def autograd_mechanics_figure() -> Figure:
    """The two-path example after ``backward()``: value | gradient on every named node."""
    loss, names = two_path_example()
    for name in ("u", "v", "L"):
        names[name].retain_grad()
    loss.backward()
    graph = trace(loss, names=names)  # backward frees saved tensors, not the nodes and edges
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning here would mean a non-leaf .grad was read
        notes = value_grad_notes(names)
    return draw_graph(graph, notes=notes)
