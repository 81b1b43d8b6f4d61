"""Figures are drawn from code: the committed SVGs must show what the code draws now.

"Show", not "be": the data come from numpy and torch, whose last bits differ
between CPUs, so the committed and fresh SVGs are compared as a reader sees them
(rasterised, with a tolerance; ``figure_compare``), never byte for byte.
"""

import itertools
import re
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Affine2D, Bbox

from autograd_guide.diagram import draw_graph, layers, seed_example
from autograd_guide.figures import (
    FIGURES,
    LANGUAGES,
    draw,
    drawn_texts,
    figure,
    figure_file,
    language_of,
    registered,
    render,
    render_all,
    save_svg,
    smallest_text,
)
from autograd_guide.graph import trace
from figure_compare import NOISES, TOLERANCE, perturbed, stale

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "docs" / "assets" / "figures"
REDRAW = "run `make figures` and commit docs/assets/figures"


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Every registered figure, drawn now as `make figures` draws it."""
    return render_all(tmp_path_factory.mktemp("drawn"))


def test_committed_figures_are_the_registered_ones() -> None:
    committed = {p.name for p in COMMITTED.glob("*.svg")}
    missing = sorted(set(registered()) - committed)
    unknown = sorted(committed - set(registered()))
    assert not missing and not unknown, (
        f"not committed: {missing}; committed but drawn by no function: {unknown}. "
        f"{REDRAW}, and delete the files no function draws"
    )


def _committed(paths: list[Path]) -> list[Path]:
    """The drawings that have a committed copy (the test above reports the others)."""
    return [path for path in paths if (COMMITTED / path.name).is_file()]


def test_committed_figures_are_up_to_date(drawn: list[Path], tmp_path: Path) -> None:
    problems = stale(COMMITTED, _committed(drawn), tmp_path)
    assert not problems, "\n".join(
        ["stale figures, a reader sees the difference:", *problems, REDRAW]
    )


@pytest.mark.parametrize("noise", NOISES)
def test_last_bit_noise_in_the_data_does_not_make_a_figure_stale(
    noise: str, drawn: list[Path], tmp_path: Path
) -> None:
    """Another CPU rounds the data differently: the check must let that through."""
    noisy, reached = [], {}
    for name in registered():
        with perturbed(1e-12, noise) as perturbation:
            noisy.append(render(name, tmp_path / "noisy"))
        reached[name] = perturbation.changed
    # Every figure's data went through the noise ...
    assert all(reached.values()), f"data not perturbed: {[n for n, c in reached.items() if not c]}"
    # ... which changes the bytes, as another CPU does (a byte comparison would fail) ...
    clean = {path.name: path.read_bytes() for path in drawn}
    assert (tmp_path / "noisy" / "descent-path.svg").read_bytes() != clean["descent-path.svg"]
    # ... and not the picture.
    problems = stale(COMMITTED, _committed(noisy), tmp_path / "compare")
    assert not problems, "\n".join(
        [
            f"data changed by a relative 1e-12 ({noise}) changed what a reader sees:",
            *problems,
            "a figure must not depend on the last bits of its data (fix its axis ticks and"
            " limits rather than letting them be chosen from the data's extent)",
        ]
    )


def _move_a_curve(fig: Figure) -> None:
    """Moves the first line (or, in a graph drawing, box) of the first axes up by 1 pt."""
    ax = fig.axes[0]
    artist = next(a for a in (*ax.lines, *ax.patches) if a.get_visible())
    artist.set_transform(artist.get_transform() + Affine2D().translate(0, 1))


def _change_a_label(fig: Figure) -> None:
    """Changes the last Latin letter of the first title, axis label or text that has one.

    A zh-TW figure may have none: then the last Chinese character of the first text
    with one (written in the same font, so no glyph goes missing).
    """
    texts = [t for ax in fig.axes for t in (ax.title, ax.xaxis.label, ax.yaxis.label, *ax.texts)]
    for kind, swap in ((str.isascii, "xy"), (CJK.match, "口日")):
        for text in texts:
            old = text.get_text()
            letters = [i for i, c in enumerate(old) if c.isalpha() and kind(c)]
            if letters:
                i = letters[-1]
                new = swap[1] if old[i] == swap[0] else swap[0]
                text.set_text(old[:i] + new + old[i + 1 :])
                return
    raise AssertionError("the figure has no text with a letter to change")


@pytest.mark.parametrize("change", [_move_a_curve, _change_a_label], ids=["move", "label"])
@pytest.mark.parametrize("name", registered())
def test_a_change_a_reader_sees_makes_the_figure_stale(
    name: str, change, drawn: list[Path], tmp_path: Path
) -> None:
    fig = draw(name)
    change(fig)
    changed = save_svg(fig, tmp_path / name)
    reference = next(path for path in drawn if path.name == name).parent
    problems = stale(reference, [changed], tmp_path / "compare")
    assert len(problems) == 1 and problems[0].startswith(f"{name}: RMS "), problems
    assert f"> tolerance {TOLERANCE}" in problems[0]
    diff_image = tmp_path / "compare" / f"{changed.stem}-actual-failed-diff.png"
    assert diff_image.is_file() and str(diff_image) in problems[0]


def test_a_figure_of_another_size_is_stale(drawn: list[Path], tmp_path: Path) -> None:
    fig = draw("slope-tangent.svg")
    fig.set_size_inches(fig.get_size_inches() * 1.1)
    changed = save_svg(fig, tmp_path / "slope-tangent.svg")
    reference = drawn[0].parent
    [problem] = stale(reference, [changed], tmp_path / "compare")
    assert "Image sizes do not match" in problem
    [missing] = stale(tmp_path / "nowhere", [changed], tmp_path / "compare")
    assert missing.startswith("slope-tangent.svg: not in ")


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
    with pytest.raises(ValueError, match="must be a directory"):
        render("slope-tangent.svg", tmp_path / "file")
    with pytest.raises(TypeError, match=r"file name \(str\), got int"):
        draw(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no figure is registered as 'plot.svg'"):
        draw("plot.svg")
    with pytest.raises(ValueError, match="small positive float"):
        perturbed(0.1).__enter__()
    with pytest.raises(ValueError, match="noise must be one of"):
        perturbed(1e-12, "sideways").__enter__()


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


# --- languages -----------------------------------------------------------------------

#: The zh-TW copies of the figures that have words.
TRANSLATED = [name for name in registered() if language_of(name) == "zh-TW"]
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
MATHTEXT = re.compile(r"\$[^$]*\$")
#: Latin words a zh-TW figure may show: the abbreviations its page's formulas use.
CODE_WORDS = {"MSE", "Var"}


def test_the_figures_with_words_have_a_zh_tw_copy() -> None:
    assert TRANSLATED == [
        "decision-boundary.zh-TW.svg",
        "descent-path.zh-TW.svg",
        "regression-fit.zh-TW.svg",
        "regression-loss.zh-TW.svg",
        "saved-bytes.zh-TW.svg",
        "slope-tangent.zh-TW.svg",
        "training-curves.zh-TW.svg",
    ]
    for name in TRANSLATED:
        english = name.replace(".zh-TW.svg", ".svg")
        assert english in registered() and FIGURES[english] is FIGURES[name]
        assert figure_file(english, "zh-TW") == name and figure_file(english, "en") == english


@pytest.mark.parametrize("name", TRANSLATED)
def test_zh_tw_figures_are_written_in_chinese(name: str) -> None:
    fig = draw(name)  # raises if a glyph is missing from the fonts
    texts = drawn_texts(fig)
    english = {
        text.get_text(): words
        for text in texts
        if (
            words := set(re.findall(r"[A-Za-z]{2,}", MATHTEXT.sub("", text.get_text())))
            - CODE_WORDS
        )
    }
    assert not english, f"English words in {name}: {english}"
    # The words a reader reads first are Chinese: every title, and every label,
    # legend entry or note that is more than a symbol or a formula.
    titles = [ax.title for ax in fig.axes] + ([fig._suptitle] if fig._suptitle else [])
    titles = [t.get_text() for t in titles if t.get_text()]
    assert titles and all(CJK.search(t) for t in titles), titles
    labels = [ax.xaxis.label for ax in fig.axes] + [ax.yaxis.label for ax in fig.axes]
    labels += [t for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
    labels += [t for ax in fig.axes for t in ax.texts]
    worded = [t.get_text() for t in labels if len(MATHTEXT.sub("", t.get_text())) > 6]
    assert worded and all(CJK.search(t) for t in worded), worded
    plt.close(fig)


def test_a_missing_glyph_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def tofu():
        fig, ax = plt.subplots()
        ax.set_title("\U0001fbf0 雜訊")  # English figures have no CJK font: tofu
        return fig

    monkeypatch.setitem(FIGURES, "tofu.svg", tofu)
    with pytest.raises(UserWarning, match=r"Glyph \d+ .* missing from font"):
        draw("tofu.svg")
    fig, ax = plt.subplots()
    ax.set_title("雜訊")
    with pytest.raises(UserWarning, match="missing from font"):
        save_svg(fig, tmp_path / "tofu.svg")
    assert not plt.fignum_exists(fig.number)  # closed all the same


def test_the_registry_takes_languages() -> None:
    assert language_of("a.zh-TW.svg") == "zh-TW" and language_of("a.svg") == "en"
    assert figure_file("a.svg", "zh-TW") == "a.zh-TW.svg"
    assert LANGUAGES == ("en", "zh-TW")
    with pytest.raises(ValueError, match="lang must be one of"):
        figure_file("a.svg", "fr")
    with pytest.raises(ValueError, match="register the English name"):
        figure("a.zh-TW.svg", translated=True)


FIGURE_LINK = re.compile(r"\(assets/figures/([^)\s]+\.svg)\)")


def test_each_page_shows_the_figures_of_its_language() -> None:
    seen = set()
    for page in sorted((ROOT / "docs").glob("*.md")):
        lang = "zh-TW" if page.name.endswith(".zh-TW.md") else "en"
        for name in FIGURE_LINK.findall(page.read_text(encoding="utf-8")):
            english = name.replace(".zh-TW.svg", ".svg")
            own = figure_file(english, lang)
            expected = own if own in registered() else english
            assert name == expected, f"{page.name} shows {name}: link {expected}"
            seen.add(name)
    assert set(TRANSLATED) <= seen


# --- phones ----------------------------------------------------------------------------

#: Where a 375 px phone shows a figure: the article is 343 px wide (Material keeps
#: 16 px on either side), and a wider figure is shrunk to it.
PHONE_CONTENT_PX = 343
#: The smallest text a reader can read there, in CSS pixels.
MIN_TEXT_PX = 9
SVG_WIDTH = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)pt"')


def phone_text_px(svg: Path, smallest_pt: float) -> float:
    """The height in CSS px of a figure's smallest text, shown on a 375 px phone."""
    width_px = float(SVG_WIDTH.search(svg.read_text(encoding="utf-8")[:4096]).group(1)) * 4 / 3
    return min(1.0, PHONE_CONTENT_PX / width_px) * smallest_pt * 4 / 3


@pytest.mark.parametrize("name", registered())
def test_text_is_legible_on_a_phone(name: str, drawn: list[Path]) -> None:
    """The browser test (tests/browser/test_phone_figures.py) measures it on the pages too."""
    fig = draw(name)
    smallest = smallest_text(fig)
    plt.close(fig)
    px = phone_text_px(next(p for p in drawn if p.name == name), smallest)
    assert px >= MIN_TEXT_PX, (
        f"{name}: its smallest text ({smallest:g} pt) is {px:.1f} px on a 375 px phone;"
        " draw it narrower (panels one above the other) or its text larger"
    )


def test_drawn_texts_are_the_ones_shown() -> None:
    fig, ax = plt.subplots()
    ax.set_xlim(0, 1)
    ax.set_xticks([0, 0.5, 1, 2])  # 2 lies outside the axes: not drawn
    ax.set_title("shown", fontsize=20)
    ax.text(0.5, 0.5, "hidden", fontsize=3, visible=False)
    ax.set_ylabel("")
    texts = [t.get_text() for t in drawn_texts(fig)]
    assert "shown" in texts and "hidden" not in texts and "2" not in texts
    assert smallest_text(fig) > 3  # not the hidden text's size
    plt.close(fig)
