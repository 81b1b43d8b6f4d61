"""Figures are drawn from code: the committed SVGs must be what the code draws now."""

from pathlib import Path

import matplotlib.pyplot as plt
import pytest

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
