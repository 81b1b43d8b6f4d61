"""The engine's run recorded by its own hooks: order, shares, sums, and the figure drawn from it."""

import gc
import weakref

import matplotlib.pyplot as plt
import pytest
import torch
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from autograd_guide.diagram import draw_graph, seed_example
from autograd_guide.graph import trace
from autograd_guide.mechanics import (
    START,
    backward_steps_figure,
    dependencies,
    format_run,
    record_backward,
    step_notes,
    two_path_example,
)


def _values(shares):  # type: ignore[no-untyped-def]
    return [(s.source, s.value.item()) for s in shares]


def test_example_values_and_gradients() -> None:
    loss, names = two_path_example()
    assert [names[n].item() for n in ("x", "y", "u", "v", "L")] == [2.0, 3.0, 6.0, 5.0, 30.0]
    assert loss is names["L"]
    loss.backward()
    # Each leaf sums two chain-rule paths: dL/dx = v*y + u, dL/dy = v*x + u.
    assert names["x"].grad.item() == 5.0 * 3.0 + 6.0
    assert names["y"].grad.item() == 5.0 * 2.0 + 6.0


def test_seed_example_order_and_values() -> None:
    # x = 1, y = 3, z = -3, p = x + y, g = p * z: what PyTorch 2.13's engine did.
    g, names = seed_example()
    run = record_backward(g, names)
    assert [s.node.label for s in run.steps] == [
        "g: MulBackward0",
        "z: AccumulateGrad",
        "p: AddBackward0",
        "x: AccumulateGrad",
        "y: AccumulateGrad",
    ]
    assert [s.called_with[0].item() for s in run.steps] == [1.0, 4.0, -3.0, -3.0, -3.0]
    assert run.dependencies == (0, 1, 1, 1, 1)
    assert _values(run.step_of("g").shares) == [(START, 1.0)]
    assert [(n.name, v.item()) for n, v in run.step_of("g").sent] == [("p", -3.0), ("z", 4.0)]
    assert [names[n].grad.item() for n in "xyz"] == [-3.0, -3.0, 4.0]


def test_leaf_used_twice_is_called_once_with_the_sum() -> None:
    loss, names = two_path_example()
    run = record_backward(loss, names)
    assert [s.node.name for s in run.steps] == ["L", "v", "u", "x", "y"]
    assert run.dependencies == (0, 1, 1, 2, 2)
    x_step = run.step_of("x: AccumulateGrad")
    # Two shares arrive (from v, then from u); the node is called once, with their sum.
    assert _values(x_step.shares) == [("v: AddBackward0", 6.0), ("u: MulBackward0", 15.0)]
    assert [g.item() for g in x_step.called_with] == [21.0]
    assert x_step.sent == ()
    assert _values(run.step_of("y").shares) == [("v: AddBackward0", 6.0), ("u: MulBackward0", 10.0)]
    assert names["x"].grad.item() == 21.0 and names["y"].grad.item() == 16.0
    assert [n.label for n in run.graph.nodes] == [n.label for n in trace(loss, names).nodes]


def test_every_node_waits_for_all_its_shares() -> None:
    # The engine's rule, checked on three graphs: a node runs once, after every
    # edge into it has delivered, and is called with exactly the sum.
    a = torch.tensor(3.0, requires_grad=True)
    b = torch.tensor([1.0, -2.0], requires_grad=True)
    outputs = [two_path_example()[0], seed_example()[0], a * a + a, (b.exp() * b).sum() * b[0]]
    for output in outputs:
        run = record_backward(output)
        assert len(run.steps) == len(run.graph.nodes)
        seen: set[int] = set()
        for step in run.steps:
            expected = run.dependencies[step.node.index] or 1  # the output: backward()'s 1
            assert len(step.shares) == expected
            total = sum(s.value for s in step.shares)
            assert torch.equal(total, step.called_with[0])
            senders = [s.source for s in step.shares if s.source != START]
            seen.add(step.node.index)
            for source in senders:  # every share came from a node that already ran
                assert any(run.graph.nodes[i].label == source for i in seen)


def test_dependencies_count_edges_not_consumers() -> None:
    a = torch.tensor(3.0, requires_grad=True)
    q = a * a + a
    graph = trace(q, {"a": a, "q": q})
    assert [n.label for n in graph.nodes] == [
        "q: AddBackward0",
        "MulBackward0",
        "a: AccumulateGrad",
    ]
    assert dependencies(graph) == [0, 1, 3]
    run = record_backward(q, {"a": a, "q": q})
    assert _values(run.step_of("a").shares) == [
        ("q: AddBackward0", 1.0),
        ("MulBackward0", 3.0),
        ("MulBackward0", 3.0),
    ]
    assert a.grad.item() == 7.0  # d/da (a² + a) = 2a + 1


def test_format_run() -> None:
    loss, names = two_path_example()
    assert format_run(record_backward(loss, names)) == (
        "waits for: L 0, u 1, v 1, x 2, y 2\n"
        "1. L: MulBackward0 called with 1 -> u 5, v 6\n"
        "2. v: AddBackward0 called with 6 -> x 6, y 6\n"
        "3. u: MulBackward0 called with 5 -> x 15, y 10\n"
        "4. x: AccumulateGrad called with 6 + 15 = 21\n"
        "5. y: AccumulateGrad called with 6 + 10 = 16"
    )


def test_format_negative_and_vector_shares() -> None:
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    out = (w * -3.0).sum() + (w * w).sum()
    text = format_run(record_backward(out, {"w": w}))
    assert text.splitlines()[-1] == (
        "6. w: AccumulateGrad called with [1, 2] + [1, 2] + [-3, -3] = [-1, 1]"
    )
    s = torch.tensor(1.0, requires_grad=True)
    text = format_run(record_backward(s * -2.0 + s * 5.0, {"s": s}))
    assert text.splitlines()[-1].endswith("called with 5 + (-2) = 3")


def test_step_notes() -> None:
    loss, names = two_path_example()
    assert step_notes(record_backward(loss, names)) == {
        "L": "① 1",
        "v": "② 6",
        "u": "③ 5",
        "x": "④ 6 + 15 = 21",
        "y": "⑤ 6 + 10 = 16",
    }


def test_hooks_are_removed_after_the_run() -> None:
    x = torch.tensor(2.0, requires_grad=True)
    y = x + 1
    node = y.grad_fn  # kept alive: a hook left on it would keep the record alive too
    run = record_backward(y)
    recorded = weakref.ref(run.steps[0].called_with[0])
    del run
    gc.collect()
    assert recorded() is None
    assert node is y.grad_fn


def test_figure_is_the_recorded_run_top_to_bottom() -> None:
    fig = backward_steps_figure()
    texts = [t.get_text() for t in fig.axes[0].texts]
    boxes = [p for p in fig.axes[0].patches if isinstance(p, FancyBboxPatch)]
    arrows = [p for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch)]
    width, _ = fig.get_size_inches()
    plt.close(fig)
    assert texts == [
        "L\nMulBackward0\n① 1",
        "u\nMulBackward0\n③ 5",
        "v\nAddBackward0\n② 6",
        "x\nAccumulateGrad\n④ 6 + 15 = 21",
        "y\nAccumulateGrad\n⑤ 6 + 10 = 16",
    ]
    tops = [b.get_y() for b in boxes]
    assert tops[0] > tops[1] == tops[2] > tops[3] == tops[4]  # output on top, leaves below
    assert len(arrows) == 6
    assert all(a.get_arrowstyle().__class__.__name__ == "CurveFilledA" for a in arrows)
    # Narrow enough to show at full size on a 375 px phone (about 343 px of text width).
    assert width * 96 < 400


def test_draw_graph_top_to_bottom_keeps_boxes_apart() -> None:
    g, names = seed_example()
    fig = draw_graph(trace(g, names), direction="TB")
    boxes = [p.get_bbox() for p in fig.axes[0].patches if isinstance(p, FancyBboxPatch)]
    plt.close(fig)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a.x1 <= b.x0 or b.x1 <= a.x0 or a.y1 <= b.y0 or b.y1 <= a.y0


def test_bad_inputs() -> None:
    with pytest.raises(TypeError, match="torch.Tensor, got float"):
        record_backward(1.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no grad_fn"):
        record_backward(torch.tensor(1.0, requires_grad=True))
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match=r"one-element output, got shape \(2,\)"):
        record_backward(x * 2)
    with pytest.raises(TypeError, match="mapping of str to Tensor, got list"):
        record_backward((x * 2).sum(), [x])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be a Graph from trace"):
        dependencies([])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="BackwardRun from record_backward"):
        format_run("run")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="BackwardRun from record_backward"):
        step_notes(None)  # type: ignore[arg-type]
    run = record_backward((x * 2).sum(), {"x": x})
    with pytest.raises(ValueError, match=r"no node 'w' ran in this backward pass; it ran \["):
        run.step_of("w")
    with pytest.raises(TypeError, match="label must be a str, got int"):
        run.step_of(1)  # type: ignore[arg-type]
    g, names = seed_example()
    graph = trace(g, names)
    with pytest.raises(ValueError, match=r"direction must be one of \('LR', 'TB'\), got 'up'"):
        draw_graph(graph, direction="up")
    with pytest.raises(ValueError, match="arrows must be one of"):
        draw_graph(graph, arrows="both")
    with pytest.raises(ValueError, match="font_size must be a positive number of points, got 0"):
        draw_graph(graph, font_size=0)
