"""Figures are drawn from code: the committed SVGs must be what the code draws now."""

import itertools
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Bbox

from autograd_guide.diagram import draw_graph, layers, seed_example
from autograd_guide.figures import FIGURES, figure, render_all, save_svg
from autograd_guide.graph import trace

COMMITTED = Path(__file__).resolve().parent.parent / "docs" / "assets" / "figures"


def test_committed_figures_are_up_to_date(tmp_path: Path) -> None:
    written = render_all(tmp_path)
    names = sorted(p.name for p in written)
    assert names == sorted(p.name for p in COMMITTED.glob("*.svg")), (
        "docs/assets/figures differs from the registered figures: run `make figures`"
    )
    stale = [p.name for p in written if p.read_bytes() != (COMMITTED / p.name).read_bytes()]
    assert stale == [], f"stale figures {stale}: run `make figures` and commit the result"


def test_svg_is_reproducible(tmp_path: Path) -> None:
    g, names = seed_example()
    first = save_svg(draw_graph(trace(g, names=names)), tmp_path / "a.svg").read_bytes()
    second = save_svg(draw_graph(trace(g, names=names)), tmp_path / "b.svg").read_bytes()
    assert first == second


def test_layers_put_leaves_deepest() -> None:
    g, names = seed_example()
    assert layers(trace(g, names=names)) == [0, 1, 1, 2, 2]


def test_bad_inputs(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="bare name ending in .svg"):
        figure("plot.png")
    with pytest.raises(TypeError, match="matplotlib Figure, got str"):
        save_svg("figure", tmp_path / "x.svg")  # type: ignore[arg-type]
    fig = plt.figure()
    with pytest.raises(ValueError, match="must end in .svg"):
        save_svg(fig, tmp_path / "x.png")
    plt.close(fig)
    with pytest.raises(TypeError, match="must be a Graph"):
        layers([])  # type: ignore[arg-type]
    (tmp_path / "file").write_text("")
    with pytest.raises(ValueError, match="must be a directory"):
        render_all(tmp_path / "file")


def test_one_name_one_function() -> None:
    name = next(iter(FIGURES))
    with pytest.raises(ValueError, match="two functions draw"):
        figure(name)(lambda: plt.figure())


def test_notes_are_drawn_and_checked() -> None:
    g, names = seed_example()
    graph = trace(g, names=names)
    fig = draw_graph(graph, notes={"p": "value 4 | grad -3"})
    assert any("value 4 | grad -3" in t.get_text() for t in fig.axes[0].texts)
    plt.close(fig)
    with pytest.raises(ValueError, match=r"does not have: \['q'\]"):
        draw_graph(graph, notes={"q": "?"})


def _skipping_graph():
    """L = (x·y + x)²: x feeds u = x·y, one column away, and s = u + x, two away."""
    x = torch.tensor(2.0, requires_grad=True)
    y = torch.tensor(3.0, requires_grad=True)
    u = x * y
    s = u + x
    loss = s**2
    return trace(loss, names={"x": x, "y": y, "u": u, "s": s, "L": loss})


def _long_skips_graph():
    """d = sin(exp(x·y))·x·x + y: x and y skip up to four columns, x is used twice."""
    x = torch.tensor(2.0, requires_grad=True)
    y = torch.tensor(3.0, requires_grad=True)
    a = x * y
    c = a.exp().sin()
    d = c * x * x + y
    return trace(d, names={"x": x, "y": y, "a": a, "c": c, "d": d})


def _boxes(fig) -> list[Bbox]:
    """The node boxes of a draw_graph figure, in data coordinates (inches)."""
    return [
        Bbox.from_bounds(p.get_x(), p.get_y(), p.get_width(), p.get_height())
        for p in fig.axes[0].patches
        if isinstance(p, FancyBboxPatch)
    ]


def _arrows(fig) -> list[FancyArrowPatch]:
    return [p for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch)]


def _crossed_boxes(path: MplPath, boxes: list[Bbox]) -> list[Bbox]:
    """The boxes whose inside some point of *path* (curves flattened, densely sampled) enters."""
    crossed = []
    for polygon in path.to_polygons(closed_only=False):
        for (x0, y0), (x1, y1) in itertools.pairwise(polygon):
            for t in np.linspace(0.0, 1.0, 50):
                x, y = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
                crossed += [
                    b
                    for b in boxes
                    if b.x0 + 1e-6 < x < b.x1 - 1e-6
                    and b.y0 + 1e-6 < y < b.y1 - 1e-6
                    and b not in crossed
                ]
    return crossed


@pytest.mark.parametrize("make", [_skipping_graph, _long_skips_graph])
def test_edges_that_skip_columns_go_around_the_boxes(make, tmp_path: Path) -> None:
    graph = make()
    depth = layers(graph)
    assert max(depth[src] - depth[dst] for src, dst in graph.edges) >= 2  # a skip to route
    fig = draw_graph(graph)
    boxes, arrows = _boxes(fig), _arrows(fig)
    assert len(boxes) == len(graph.nodes) and len(arrows) == len(graph.edges)
    # The check can fail: a line across the first box enters it.
    b = boxes[0]
    across = MplPath([(b.x0 - 0.05, (b.y0 + b.y1) / 2), (b.x1 + 0.05, (b.y0 + b.y1) / 2)])
    assert _crossed_boxes(across, boxes) == [b]
    for arrow in arrows:  # get_path() is the drawn shape, head included, in data units
        assert _crossed_boxes(arrow.get_path(), boxes) == []
    first = save_svg(fig, tmp_path / "a.svg").read_bytes()
    assert first == save_svg(draw_graph(make()), tmp_path / "b.svg").read_bytes()


def test_an_input_used_twice_draws_two_distinct_arrows() -> None:
    a = torch.tensor(2.0, requires_grad=True)
    b = a * a
    graph = trace(b, names={"a": a, "b": b})
    assert graph.edges == ((1, 0), (1, 0))
    fig = draw_graph(graph)
    first, second = (arrow.get_path() for arrow in _arrows(fig))
    # Not one arrow drawn over the other: the first, heads included, lies wholly above the second.
    lowest_of_first = min(y for poly in first.to_polygons(closed_only=False) for _, y in poly)
    highest_of_second = max(y for poly in second.to_polygons(closed_only=False) for _, y in poly)
    assert lowest_of_first > highest_of_second
    assert _crossed_boxes(first, _boxes(fig)) == _crossed_boxes(second, _boxes(fig)) == []
    plt.close(fig)


def test_boxes_grow_to_fit_long_notes() -> None:
    g, names = seed_example()
    notes = {
        "x": "data -0.25 | grad -0.7184",
        "p": "a much longer note than any box of the old fixed width could hold",
        "g": "three\nlines\nof note",
    }
    fig = draw_graph(trace(g, names=names), notes=notes, title="Notes")
    fig.draw_without_rendering()
    ax = fig.axes[0]
    boxes = [p.get_window_extent() for p in ax.patches if isinstance(p, FancyBboxPatch)]
    assert len(ax.texts) == len(boxes) == 5
    for text in ax.texts:
        extent = text.get_window_extent()
        home = [b for b in boxes if b.contains(*extent.get_points().mean(axis=0))]
        assert len(home) == 1, text.get_text()
        box = home[0]
        assert box.x0 < extent.x0 and extent.x1 < box.x1, text.get_text()
        assert box.y0 < extent.y0 and extent.y1 < box.y1, text.get_text()
    # The figure holds the title and every box: saving without bbox_inches="tight" crops none.
    figure_box = fig.bbox
    assert all(figure_box.contains(*b.min) and figure_box.contains(*b.max) for b in boxes)
    title = ax.title.get_window_extent()
    assert figure_box.y0 < title.y0 and title.y1 <= figure_box.y1
    plt.close(fig)


def test_a_graph_of_one_leaf_draws() -> None:
    w = torch.tensor(1.0, requires_grad=True)
    fig = draw_graph(trace(w, names={"w": w}), notes={"w": "data 1"})
    assert len(_boxes(fig)) == 1 and _arrows(fig) == []
    plt.close(fig)
