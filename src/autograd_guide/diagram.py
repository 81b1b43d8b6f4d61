"""Draw a :class:`~autograd_guide.graph.Graph` with matplotlib, as the pages show it.

A layered drawing is enough for the small graphs a reader meets: leaves on the
left, the output on the right, so the picture reads in the direction the data
flowed during the forward pass. No Graphviz binary and no JavaScript: the SVG
it makes loads with the page and needs nothing else.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from collections.abc import Mapping

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from .figures import figure
from .graph import Graph, trace

__all__ = ["draw_graph", "layers"]

LEAF_COLOR = "#cfe8fc"
FUNCTION_COLOR = "#ffe0cc"
BOX_WIDTH, BOX_HEIGHT = 2.4, 0.9


def layers(graph: Graph) -> list[int]:
    """For each node, its distance from the output along the longest path."""
    if not isinstance(graph, Graph):
        raise TypeError(f"graph must be a Graph from trace(), got {type(graph).__name__}")
    depth = [0] * len(graph.nodes)
    changed = True
    while changed:  # longest path in a DAG; graphs here are small
        changed = False
        for src, dst in graph.edges:
            if depth[src] < depth[dst] + 1:
                depth[src] = depth[dst] + 1
                changed = True
    return depth


def draw_graph(
    graph: Graph, title: str | None = None, notes: Mapping[str, str] | None = None
) -> Figure:
    """Return a figure of *graph*: leaf tensors in blue, backward functions in orange.

    *notes* maps a node's name to an extra line drawn under it, such as its value
    and gradient (``{"p": "4.0 | grad -3.0"}``), to teach what each node holds.
    """
    notes = dict(notes or {})
    named = {n.name for n in graph.nodes if n.name} if isinstance(graph, Graph) else set()
    unknown = set(notes) - named
    if unknown:
        raise ValueError(f"notes name nodes the graph does not have: {sorted(unknown)}")
    depth = layers(graph)
    deepest = max(depth)
    columns: dict[int, list[int]] = {}
    for node in graph.nodes:
        columns.setdefault(depth[node.index], []).append(node.index)
    tallest = max(len(c) for c in columns.values())
    position: dict[int, tuple[float, float]] = {}
    box_height = BOX_HEIGHT * (1.4 if notes else 1.0)
    for level, members in columns.items():
        for row, index in enumerate(members):
            y = (len(members) - 1) / 2 - row
            position[index] = ((deepest - level) * (BOX_WIDTH + 1.2), y * (box_height + 0.6))

    fig, ax = plt.subplots(
        figsize=(2.1 * (deepest + 1) + 0.5, 1.1 * tallest * (box_height / BOX_HEIGHT) + 0.6)
    )
    for node in graph.nodes:
        x, y = position[node.index]
        ax.add_patch(
            FancyBboxPatch(
                (x - BOX_WIDTH / 2, y - box_height / 2),
                BOX_WIDTH,
                box_height,
                boxstyle="round,pad=0.05,rounding_size=0.15",
                facecolor=LEAF_COLOR if node.is_leaf else FUNCTION_COLOR,
                edgecolor="#333333",
            )
        )
        text = f"{node.name}\n{node.op}" if node.name else node.op
        if node.name in notes:
            text += f"\n{notes[node.name]}"
        ax.text(x, y, text, ha="center", va="center", fontsize=9, color="#111111")
    for src, dst in graph.edges:
        (x0, y0), (x1, y1) = position[src], position[dst]
        ax.add_patch(
            FancyArrowPatch(
                (x0 + BOX_WIDTH / 2, y0),
                (x1 - BOX_WIDTH / 2, y1),
                arrowstyle="-|>",
                mutation_scale=14,
                color="#444444",
                shrinkA=2,
                shrinkB=2,
            )
        )
    xs = [p[0] for p in position.values()]
    ys = [p[1] for p in position.values()]
    ax.set_xlim(min(xs) - BOX_WIDTH / 2 - 0.2, max(xs) + BOX_WIDTH / 2 + 0.2)
    ax.set_ylim(min(ys) - box_height, max(ys) + box_height)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return fig


def seed_example() -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """The lecture notes' example: x = 1, y = 3, p = x + y, z = -3, g = p * z."""
    x = torch.tensor(1.0, requires_grad=True)
    y = torch.tensor(3.0, requires_grad=True)
    z = torch.tensor(-3.0, requires_grad=True)
    p = x + y
    g = p * z
    return g, {"x": x, "y": y, "z": z, "p": p, "g": g}


@figure("computation-graph.svg")
def computation_graph_figure() -> Figure:
    g, names = seed_example()
    return draw_graph(trace(g, names=names))
