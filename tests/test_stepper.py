"""The steppers' frames are recorded from real runs: order, values, gradients, sums."""

import html

import matplotlib.pyplot as plt
import pytest
import torch
from matplotlib.patches import FancyBboxPatch

from autograd_guide.diagram import draw_graph, seed_example
from autograd_guide.engine import Value
from autograd_guide.figures import registered
from autograd_guide.graph import trace
from autograd_guide.mechanics import record_backward, two_path_example
from autograd_guide.stepper import (
    LANGUAGES,
    STEPPERS,
    ForwardRun,
    backward_frames,
    draw_frame,
    engine_frames,
    forward_frames,
    frame_file,
    frames,
    record_engine_backward,
    record_forward,
    shared_use_example,
    still_file,
)
from repo_modules import load


def test_forward_recorder_on_the_seed_example() -> None:
    # x = 1, y = 3, z = -3, p = x + y, g = p * z: the tensors in the order PyTorch made them.
    run = record_forward(seed_example)
    assert [(s.node.name, s.node.op, s.value.item()) for s in run.steps] == [
        ("x", "AccumulateGrad", 1.0),
        ("y", "AccumulateGrad", 3.0),
        ("z", "AccumulateGrad", -3.0),
        ("p", "AddBackward0", 4.0),
        ("g", "MulBackward0", -12.0),
    ]
    assert [s.number for s in run.steps] == [1, 2, 3, 4, 5]


def test_forward_order_is_the_creation_order_not_the_names_order() -> None:
    def example() -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        b = torch.tensor(2.0, requires_grad=True)
        a = torch.tensor(5.0, requires_grad=True)
        c = a * b
        return c, {"c": c, "a": a, "b": b}

    assert [s.node.name for s in record_forward(example).steps] == ["b", "a", "c"]


def test_forward_values_are_copies_taken_when_created() -> None:
    def example() -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        a = torch.tensor(2.0, requires_grad=True)
        b = a * 3
        c = b * 1
        with torch.no_grad():
            b.add_(100)  # later change: the recording keeps what was made
        return c, {"a": a, "b": b, "c": c}

    values = {s.node.name: s.value.item() for s in record_forward(example).steps}
    assert values == {"a": 2.0, "b": 6.0, "c": 6.0}


def test_forward_frames_of_the_seed() -> None:
    seed = forward_frames(record_forward(seed_example))
    assert [f.node for f in seed] == ["x", "y", "z", "p", "g"]
    assert seed[3].notes == {"x": "= 1", "y": "= 3", "z": "= \u22123", "p": "= 4"}
    assert seed[3].faded == {"g"}
    assert seed[0].faded == {"y", "z", "p", "g"}
    assert seed[4].notes["g"] == "= \u221212" and not seed[4].faded
    assert "p = 4" in seed[3].captions["en"] and "x and y" in seed[3].captions["en"]
    assert "p = 4" in seed[3].captions["zh-TW"] and "x、y" in seed[3].captions["zh-TW"]


def test_backward_frames_of_the_seed() -> None:
    g, names = seed_example()
    seed = backward_frames(record_backward(g, names))
    assert [f.node for f in seed] == ["g", "z", "p", "x", "y"]
    # dg/dz = p = 4, dg/dp = z = -3, and p passes -3 on to x and to y.
    final = seed[-1].notes
    assert final == {
        "g": "∂g/∂g = 1",
        "z": "∂g/∂z = 4",
        "p": "∂g/∂p = \u22123",
        "x": "∂g/∂x = \u22123",
        "y": "∂g/∂y = \u22123",
    }
    # After g runs, p and z hold their gradient, waiting for their turn.
    assert seed[0].notes == {"g": "∂g/∂g = 1", "p": "∂g/∂p: \u22123", "z": "∂g/∂z: 4"}
    assert "sends \u22123 to p and 4 to z" in seed[0].captions["en"]
    assert "送出 \u22123 給 p、4 給 z" in seed[0].captions["zh-TW"]
    assert "z.grad" in seed[1].captions["en"] and "z.grad" in seed[1].captions["zh-TW"]


def test_a_leaf_used_twice_shows_its_sum_at_its_own_step() -> None:
    loss, names = two_path_example()
    steps = backward_frames(record_backward(loss, names))
    assert [f.node for f in steps] == ["L", "v", "u", "x", "y"]
    # v's share reaches x first; more is due, so the buffer says so.
    assert steps[1].notes["x"] == "∂L/∂x: 6 + …"
    # u's share arrives: both in the buffer, x not called yet.
    assert steps[2].notes["x"] == "∂L/∂x: 6 + 15"
    # x's own step: called once, with the sum.
    assert steps[3].notes["x"] == "∂L/∂x = 6 + 15 = 21"
    assert "6 from v and 15 from u" in steps[3].captions["en"]
    assert "sum 21" in steps[3].captions["en"]
    assert "總和 21" in steps[3].captions["zh-TW"] and "只呼叫一次" in steps[3].captions["zh-TW"]
    assert steps[4].notes["y"] == "∂L/∂y = 6 + 10 = 16"


def test_every_caption_is_in_every_language() -> None:
    for name in STEPPERS:
        for frame in frames(name):
            assert set(frame.captions) == set(LANGUAGES)
            assert all(frame.captions[lang].strip() for lang in LANGUAGES)
            # A zh-TW reader meets Chinese, not an English sentence.
            assert not any(w in frame.captions["zh-TW"] for w in (" the ", " to ", " is "))


def test_frames_are_registered_figures_of_one_size() -> None:
    names = set(registered())
    for name in STEPPERS:
        count = len(frames(name))
        assert {frame_file(name, n) for n in range(1, count + 1)} <= names
        assert frame_file(name, count + 1) not in names
        numbers: list[int | None] = list(range(1, count + 1))
        if STEPPERS[name].still:  # the still figure: the last frame, nothing outlined
            assert still_file(name) in names
            numbers.append(None)
        sizes = set()
        for n in numbers:
            fig = draw_frame(name, n)
            sizes.add(tuple(fig.get_size_inches()))
            plt.close(fig)
        assert len(sizes) == 1, f"{name}: frames of different sizes {sizes}"


def test_the_still_figure_outlines_no_node() -> None:
    def border_widths(number: int | None) -> list[float]:
        fig = draw_frame("backward-seed", number)
        return sorted(
            p.get_linewidth() for p in fig.axes[0].patches if isinstance(p, FancyBboxPatch)
        )

    last = border_widths(len(frames("backward-seed")))
    still = border_widths(None)
    assert last[-1] > last[0] and still[-1] == still[0]
    assert still_file("backward-seed") == "steps-backward-seed.svg"


def test_highlight_and_faded_are_drawn() -> None:
    fig = draw_frame("forward-seed", 3)  # z is made; p and g do not exist yet
    texts = {t.get_text().split("\n")[0]: t for t in fig.axes[0].texts}
    assert texts["g"].get_color() != texts["x"].get_color()
    boxes = [p for p in fig.axes[0].patches if isinstance(p, FancyBboxPatch)]
    widths = sorted(p.get_linewidth() for p in boxes)
    assert widths[-1] > 2 * widths[0]


def test_inputs_are_checked() -> None:
    with pytest.raises(TypeError, match="function returning"):
        record_forward(seed_example())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must return"):
        record_forward(lambda: 3)  # type: ignore[arg-type, return-value]
    with pytest.raises(TypeError, match="ForwardRun"):
        forward_frames("run")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="BackwardRun"):
        backward_frames("run")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no stepper"):
        frames("nope")
    with pytest.raises(TypeError, match="stepper's name"):
        frames(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="frame number"):
        frame_file("forward-seed", 0)
    with pytest.raises(ValueError, match="has 5 frames"):
        draw_frame("forward-seed", 6)
    a = torch.tensor(1.0, requires_grad=True)
    out = (a * 2) * 3  # the middle tensor has no name
    with pytest.raises(ValueError, match="needs a name"):
        backward_frames(record_backward(out, {"a": a, "out": out}))
    run = record_forward(lambda: (out, {"a": a, "out": out}))
    with pytest.raises(ValueError, match="needs a name"):
        forward_frames(run)
    g, names = seed_example()
    with pytest.raises(ValueError, match="never saw"):
        forward_frames(ForwardRun(trace(g, names), ()))


def test_draw_graph_checks_the_frame_arguments() -> None:
    g, names = seed_example()
    graph = trace(g, names=names)
    with pytest.raises(ValueError, match="highlight names nodes"):
        draw_graph(graph, highlight="q")
    with pytest.raises(ValueError, match="faded names nodes"):
        draw_graph(graph, faded=["q"])
    with pytest.raises(ValueError, match="reserve names nodes"):
        draw_graph(graph, reserve={"q": ["1"]})
    with pytest.raises(TypeError, match="faded must be"):
        draw_graph(graph, faded="xy")


# The hook that places a stepper on a page (hooks/stepper.py).
HOOK = load("hooks/stepper.py")
STILL = '<p><img alt="the graph" src="../assets/figures/steps-backward-seed-5.svg" /></p>'
MARKER = f'<p>before</p>\n<div class="stepper" data-steps="backward-seed">\n{STILL}\n</div>'


@pytest.mark.parametrize("lang", LANGUAGES)
def test_hook_places_still_figure_captions_and_controls(lang: str) -> None:
    page = HOOK.replace_markers(MARKER, lang)
    assert page.startswith("<p>before</p>") and '<div class="stepper"' not in page
    seed = frames("backward-seed")
    # Without the script: the still figure (loaded only when shown) and every caption, in order.
    assert 'loading="lazy"' in page and "steps-backward-seed-5.svg" in page
    positions = [page.index(html.escape(f.captions[lang])) for f in seed]
    assert positions == sorted(positions)
    for f in seed:
        assert f'data-frame="../assets/figures/steps-backward-seed-{f.number}.svg"' in page
        assert f'data-node="{f.node}"' in page
    # The frame's box is reserved: the SVG's size in CSS pixels (252 pt = 336 px).
    assert 'width="336" height="326"' in page
    assert f"1 / {len(seed)}" in page and 'aria-live="polite"' in page
    for word in HOOK.LABELS[lang].values():
        assert html.escape(word) in page


def test_hook_checks_its_markers() -> None:
    with pytest.raises(ValueError, match="no-such"):
        HOOK.replace_markers(MARKER.replace("backward-seed", "no-such"), "en")
    with pytest.raises(ValueError, match="needs its still figure"):
        HOOK.stepper_html("backward-seed", "<p>no image</p>", "en")
    with pytest.raises(ValueError, match="lang must be"):
        HOOK.replace_markers(MARKER, "fr")
    assert HOOK.page_language("backward-pass.zh-TW.md") == "zh-TW"
    assert HOOK.page_language("backward-pass.md") == "en"


def test_engine_recorder_logs_the_engines_own_order() -> None:
    # a = 2, m = 3a, n = m + 1, out = m * n: m is used twice, so it must wait for n.
    out, names = shared_use_example()
    steps = record_engine_backward(out)
    by_id = {id(v): k for k, v in names.items()}
    assert [(by_id[id(s.value)], s.gradient) for s in steps] == [
        ("out", 1.0),
        ("n", 6.0),
        ("m", 13.0),
        ("a", 39.0),
        ("3", 26.0),
        ("1", 6.0),
    ]
    # The engine itself ran: the gradients are stored, and every Value is a Value again.
    assert names["a"].grad == 39.0 and type(names["m"]) is Value
    assert [s.value for s in steps] == list(reversed(out.topological_order()))


def test_engine_frames_show_the_sum_when_m_is_reached() -> None:
    steps = frames("engine-shared-use")
    assert [f.node for f in steps] == ["out", "n", "m", "a", "3", "1"]
    assert steps[0].notes["m"] == "∂out/∂m: 7 + …"  # from out; n's share still due
    assert steps[1].notes["m"] == "∂out/∂m: 7 + 6"
    assert steps[2].notes["m"] == "∂out/∂m = 7 + 6 = 13"
    assert "out and n" in steps[2].captions["en"] and "39 to a" in steps[2].captions["en"]
    assert "out、n" in steps[2].captions["zh-TW"] and "39 給 a" in steps[2].captions["zh-TW"]
    with pytest.raises(TypeError, match="engine Value"):
        record_engine_backward(torch.tensor(1.0))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="engine Value"):
        engine_frames(3, {})  # type: ignore[arg-type]
