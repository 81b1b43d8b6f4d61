"""Draw a [`Graph`][autograd_guide.graph.Graph] with matplotlib, as the pages show it.

A layered drawing is enough for the small graphs a reader meets: leaves on the
left, the output on the right, so the picture reads in the direction the data
flowed during the forward pass. No Graphviz binary and no JavaScript: the SVG
it makes loads with the page and needs nothing else.

The layout is the classic layered (Sugiyama) one, kept small. Each node's column
comes from [`layers`][]. An edge that skips columns gets an invisible waypoint
in every column it crosses, with a slot of its own between the boxes, so its
arrow runs through the gaps and never over a box. Each box is as wide as the
longest text in its column, measured by matplotlib's renderer, so a note never
spills over its edge. The same input used twice (``a * a``) is drawn as two arrows
bent apart, so both uses stay visible.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

from .figures import figure
from .graph import Graph, trace

__all__ = ["draw_graph", "layers"]

LEAF_COLOR = "#cfe8fc"
FUNCTION_COLOR = "#ffe0cc"
FADED_COLOR, FADED_TEXT = "#f2f2f2", "#8a8a8a"  # a node that does not exist yet
HIGHLIGHT_COLOR, HIGHLIGHT_WIDTH = "#bf360c", 3.5  # the node a step is about
FONT_SIZE = 9
# Every length below is in inches: the axes fill the figure and one data unit is
# one inch, so text measured in points and boxes drawn in data units agree.
PAD_X, PAD_Y = 0.14, 0.1  # between a box's text and its border
MIN_BOX_WIDTH = 1.0
COLUMN_GAP = 0.75  # horizontal room for the arrows between two columns
ROW_GAP = 0.3  # vertical room between two boxes of one column
COMPACT_PAD_X, COMPACT_ROW_GAP, COMPACT_MIN_BOX_WIDTH = 0.08, 0.1, 0.5  # compact drawings
WAYPOINT_HEIGHT = 0.12  # the slot a skipping edge takes in a column it crosses
PARALLEL_STEP = 0.08  # arrows of one input used twice: how far apart their ends sit
PARALLEL_BEND = 0.08  # ... and how much further apart their middles bow
ARROW_GAP = 2 / 72  # arrows stop two points short of the boxes they join
MARGIN = 0.1
TITLE_HEIGHT = 0.4  # room above the drawing for a title, so no save crops it
LEVEL_GAP_TB = 0.45  # top to bottom: vertical room for the arrows between two rows
DIRECTIONS = ("LR", "TB")
ARROWS = {"forward": "-|>", "backward": "<|-"}


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


@dataclass(frozen=True)
class _Slot:
    """One place in column ``level``: a node's box, or a waypoint of edge ``edge`` (no node)."""

    level: int
    node: int | None
    edge: int = -1


def _columns(graph: Graph, depth: list[int]) -> tuple[list[list[_Slot]], list[list[_Slot]]]:
    """Order each column top to bottom; return the columns and each edge's chain of slots.

    Columns are indexed by depth, so column 0 holds the output. A chain runs from
    the edge's input to its consumer, through one waypoint per skipped column.
    Columns are ordered from the output leftwards: each slot sorts by the mean
    row of what it feeds in the column to its right (the barycenter heuristic),
    ties kept in breadth-first order, so the picture follows the graph's shape.
    """
    deepest = max(depth)
    columns: list[list[_Slot]] = [[] for _ in range(deepest + 1)]
    for node in graph.nodes:
        columns[depth[node.index]].append(_Slot(depth[node.index], node.index))
    chains: list[list[_Slot]] = []
    feeds: dict[_Slot, list[_Slot]] = {}
    for k, (src, dst) in enumerate(graph.edges):
        chain = [_Slot(depth[src], src)]
        for level in range(depth[src] - 1, depth[dst], -1):
            waypoint = _Slot(level, None, k)
            columns[level].append(waypoint)
            chain.append(waypoint)
        chain.append(_Slot(depth[dst], dst))
        chains.append(chain)
        for a, b in pairwise(chain):
            feeds.setdefault(a, []).append(b)
    for level in range(1, deepest + 1):
        row = {slot: i for i, slot in enumerate(columns[level - 1])}

        def barycenter(slot: _Slot, row: dict[_Slot, int] = row) -> float:
            targets = feeds.get(slot, [])
            return sum(row[t] for t in targets) / len(targets) if targets else 0.0

        columns[level].sort(key=barycenter)  # stable: ties keep their order
    return columns, chains


def _label(node_name: str | None, op: str, note: str | None) -> str:
    text = f"{node_name}\n{op}" if node_name else op
    return f"{text}\n{note}" if note is not None else text


def _round_up(value: float, step: float = 0.05) -> float:
    """Round a measured size up to a step, so tiny font-metric changes move nothing."""
    return math.ceil(round(value / step, 6)) * step


def _edge_path(
    start: tuple[float, float], end: tuple[float, float], bend: float = 0.0
) -> list[tuple[tuple[float, float], int]]:
    """Path segments from *start* to *end*, both on the edges of the same gap.

    A plain edge is straight. With *bend*, it is a quadratic Bézier whose middle
    bows *bend* inches up (or down, if negative) from the straight line. Its
    control point sits midway across the gap, so the curve stays inside the gap,
    as any Bézier stays inside its control points' hull.
    """
    if bend == 0.0:
        return [(end, Path.LINETO)]
    control = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2 + 2 * bend)
    return [(control, Path.CURVE3), (end, Path.CURVE3)]


def _s_curve(
    start: tuple[float, float], end: tuple[float, float]
) -> list[tuple[tuple[float, float], int]]:
    """A cubic Bézier leaving and entering horizontally, inside the gap between them."""
    middle = (start[0] + end[0]) / 2
    return [
        ((middle, start[1]), Path.CURVE4),
        ((middle, end[1]), Path.CURVE4),
        (end, Path.CURVE4),
    ]


def draw_graph(
    graph: Graph,
    title: str | None = None,
    notes: Mapping[str, str] | None = None,
    *,
    direction: str = "LR",
    arrows: str = "forward",
    font_size: float = FONT_SIZE,
    highlight: str | None = None,
    faded: Iterable[str] = (),
    reserve: Mapping[str, Iterable[str]] | None = None,
    compact: bool = False,
) -> Figure:
    """Return a figure of *graph*: leaf tensors in blue, backward functions in orange.

    *notes* maps a node's name to an extra line drawn under it, such as its value
    and gradient (``{"p": "4.0 | grad -3.0"}``), to teach what each node holds.
    Boxes grow to fit their text; an edge that skips a column is routed around
    the boxes in between.

    *direction* ``"TB"`` puts the output on top and the leaves at the bottom:
    two or three boxes side by side stay narrow enough for a phone's width,
    where a left-to-right row of columns would shrink the text.
    *arrows* ``"backward"`` points every arrow from consumer to input, the way
    gradients travel during ``backward()``, for figures about the backward pass.
    *compact* puts the boxes of a column (a row, top to bottom) closer together
    and their text closer to their borders: for a graph with four or more boxes
    side by side, which would otherwise shrink below legible on a phone.
    """
    if not isinstance(compact, bool):
        raise TypeError(f"compact must be a bool, got {type(compact).__name__}")
    pad_x, row_gap, min_width = (
        (COMPACT_PAD_X, COMPACT_ROW_GAP, COMPACT_MIN_BOX_WIDTH)
        if compact
        else (PAD_X, ROW_GAP, MIN_BOX_WIDTH)
    )
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, got {direction!r}")
    if arrows not in ARROWS:
        raise ValueError(f"arrows must be one of {tuple(ARROWS)}, got {arrows!r}")
    if isinstance(font_size, bool) or not isinstance(font_size, int | float) or font_size <= 0:
        raise ValueError(f"font_size must be a positive number of points, got {font_size!r}")
    notes = dict(notes or {})
    named = {n.name for n in graph.nodes if n.name} if isinstance(graph, Graph) else set()
    unknown = set(notes) - named
    if unknown:
        raise ValueError(f"notes name nodes the graph does not have: {sorted(unknown)}")
    if isinstance(faded, str):
        raise TypeError(f"faded must be a collection of node names, got the str {faded!r}")
    faded = set(faded)
    reserve = {name: list(texts) for name, texts in (reserve or {}).items()}
    for what, names in (
        ("highlight", {highlight} - {None}),
        ("faded", faded),
        ("reserve", set(reserve)),
    ):
        if not names <= named:
            raise ValueError(f"{what} names nodes the graph does not have: {sorted(names - named)}")
    depth = layers(graph)
    deepest = max(depth)
    columns, chains = _columns(graph, depth)

    fig = plt.figure()
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    texts = {
        node.index: ax.text(
            0,
            0,
            _label(node.name, node.op, notes.get(node.name) if node.name else None),
            ha="center",
            va="center",
            fontsize=font_size,
            color=FADED_TEXT if node.name in faded else "#111111",
            zorder=3,
        )
        for node in graph.nodes
    }
    size = {}  # measured text width and height, in inches
    for node in graph.nodes:
        text = texts[node.index]
        shown = text.get_text()
        extents = []
        for note in [None, *reserve.get(node.name or "", [])]:
            if note is not None:
                text.set_text(_label(node.name, node.op, note))
            extents.append(text.get_window_extent())
        text.set_text(shown)
        size[node.index] = (
            max(e.width for e in extents) / fig.dpi,
            max(e.height for e in extents) / fig.dpi,
        )
    box_height = _round_up(max(h for _, h in size.values()) + 2 * PAD_Y)
    widths = [
        max(
            [min_width]
            + [_round_up(size[s.node][0] + 2 * pad_x) for s in column if s.node is not None]
        )
        for column in columns
    ]

    # The layout is computed left to right, in (a, b): a runs from the leaves to
    # the output, b across a column, the first slot on top. Top to bottom maps a
    # to y (output on top) and b to -x (first slot on the left) when drawing.
    lr = direction == "LR"
    along = widths if lr else [box_height] * (deepest + 1)  # a column's extent along a
    level_gap = COLUMN_GAP if lr else LEVEL_GAP_TB

    def to_xy(point: tuple[float, float]) -> tuple[float, float]:
        return point if lr else (-point[1], point[0])

    # a: column centers, the output's column last; b: each column centered on 0.
    center_x: list[float] = [0.0] * (deepest + 1)
    x = 0.0
    for level in range(deepest, -1, -1):
        center_x[level] = x + along[level] / 2
        x += along[level] + level_gap
    position: dict[_Slot, tuple[float, float]] = {}
    for level, column in enumerate(columns):
        box_across = box_height if lr else widths[level]
        heights = [box_across if s.node is not None else WAYPOINT_HEIGHT for s in column]
        top = (sum(heights) + row_gap * (len(column) - 1)) / 2
        for slot, height in zip(column, heights, strict=True):
            position[slot] = (center_x[level], top - height / 2)
            top -= height + row_gap

    for node in graph.nodes:
        cx, cy = to_xy(position[_Slot(depth[node.index], node.index)])
        width = widths[depth[node.index]]
        ax.add_patch(
            FancyBboxPatch(
                (cx - width / 2, cy - box_height / 2),
                width,
                box_height,
                boxstyle="round,pad=0,rounding_size=0.1",
                facecolor=FADED_COLOR
                if node.name in faded
                else LEAF_COLOR
                if node.is_leaf
                else FUNCTION_COLOR,
                edgecolor=HIGHLIGHT_COLOR
                if node.name == highlight and highlight
                else FADED_TEXT
                if node.name in faded
                else "#333333",
                linewidth=HIGHLIGHT_WIDTH if node.name == highlight and highlight else 1.0,
                zorder=2,
            )
        )
        texts[node.index].set_position((cx, cy))

    def side(slot: _Slot, sign: int) -> tuple[float, float]:
        """Where an arrow leaves (sign 1, right) or enters (sign -1, left) a slot."""
        cx, cy = position[slot]
        gap = ARROW_GAP if slot.node is not None else 0.0
        return (cx + sign * (along[slot.level] / 2 + gap), cy)

    # One input used n times by a consumer in the next column (a * a): spread the
    # n arrows' ends apart and bow them away from each other, the first one on top.
    uses: dict[tuple[int, int], list[int]] = {}
    for k, edge in enumerate(graph.edges):
        uses.setdefault(edge, []).append(k)
    step = min(PARALLEL_STEP, box_height / 2 / max(map(len, uses.values()), default=1))
    for k, chain in enumerate(chains):
        start = side(chain[0], 1)
        segments: list[tuple[tuple[float, float], int]] = []
        if len(chain) == 2:
            same = uses[graph.edges[k]]
            rank = (len(same) - 1) / 2 - same.index(k)  # 0 for a single arrow
            end = side(chain[1], -1)
            start = (start[0], start[1] + rank * step)
            end = (end[0], end[1] + rank * step)
            segments += [(start, Path.MOVETO), *_edge_path(start, end, rank * PARALLEL_BEND)]
        else:
            segments.append((start, Path.MOVETO))
            for waypoint in chain[1:-1]:  # across a gap, then straight through the column
                segments += _s_curve(segments[-1][0], side(waypoint, -1))
                segments.append((side(waypoint, 1), Path.LINETO))
            segments += _s_curve(segments[-1][0], side(chain[-1], -1))
        vertices, codes = zip(*segments, strict=True)
        ax.add_patch(
            FancyArrowPatch(
                path=Path([to_xy(v) for v in vertices], codes),
                arrowstyle=ARROWS[arrows],
                mutation_scale=14,
                color="#444444",
                zorder=1,
            )
        )

    # The axes span the figure (less a band for the title), one data unit per inch.
    if lr:
        left = -MARGIN
        fig_width = sum(widths) + COLUMN_GAP * deepest + 2 * MARGIN
        ys = [p[1] for p in position.values()]
        bottom, top = min(ys) - box_height / 2 - MARGIN, max(ys) + box_height / 2 + MARGIN
    else:
        half = {
            s: (widths[s.level] if s.node is not None else WAYPOINT_HEIGHT) / 2 for s in position
        }
        xs = [(to_xy(p)[0] - half[s], to_xy(p)[0] + half[s]) for s, p in position.items()]
        left = min(lo for lo, _ in xs) - MARGIN
        fig_width = max(hi for _, hi in xs) + MARGIN - left
        bottom, top = -MARGIN, x - level_gap + MARGIN  # x: where the a axis ended
    title_room = TITLE_HEIGHT if title else 0.0
    fig.set_size_inches(fig_width, top - bottom + title_room)
    ax.set_position((0.0, 0.0, 1.0, (top - bottom) / (top - bottom + title_room)))
    ax.set_xlim(left, left + fig_width)
    ax.set_ylim(bottom, top)
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
    """The seed's graph, output on top: narrow enough to stay legible on a phone.

    No words to translate (names, PyTorch's node names): one file serves both pages.
    """
    g, names = seed_example()
    return draw_graph(trace(g, names=names), direction="TB")
