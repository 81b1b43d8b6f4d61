"""The autograd-mechanics example, its value | grad notes and its figure."""

import warnings

import matplotlib.pyplot as plt
import pytest
import torch

from autograd_guide.graph import trace
from autograd_guide.mechanics import (
    autograd_mechanics_figure,
    grad_or_none,
    two_path_example,
    value_grad_notes,
)


def test_example_values_and_gradients() -> None:
    loss, names = two_path_example()
    assert [names[n].item() for n in ("x", "y", "u", "v", "L")] == [2.0, 3.0, 6.0, 5.0, 30.0]
    assert loss is names["L"]
    loss.backward()
    # Each leaf sums two chain-rule paths: dL/dx = v*y + u, dL/dy = v*x + u.
    assert names["x"].grad.item() == 5.0 * 3.0 + 6.0
    assert names["y"].grad.item() == 5.0 * 2.0 + 6.0


def test_example_graph_shape() -> None:
    loss, names = two_path_example()
    graph = trace(loss, names=names)
    assert [n.label for n in graph.nodes] == [
        "L: MulBackward0",
        "u: MulBackward0",
        "v: AddBackward0",
        "x: AccumulateGrad",
        "y: AccumulateGrad",
    ]
    assert len(graph.edges) == 6


def test_notes_after_backward_with_retained_grads() -> None:
    loss, names = two_path_example()
    for name in ("u", "v", "L"):
        names[name].retain_grad()
    loss.backward()
    assert value_grad_notes(names) == {
        "x": "2 | grad 21",
        "y": "3 | grad 16",
        "u": "6 | grad 5",
        "v": "5 | grad 6",
        "L": "30 | grad 1",
    }


def test_notes_without_retain_grad_say_none_and_do_not_warn() -> None:
    loss, names = two_path_example()
    loss.backward()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        notes = value_grad_notes(names)
        assert grad_or_none(names["u"]) is None
    assert notes["u"] == "6 | grad None"
    assert notes["x"] == "2 | grad 21"


def test_notes_before_backward() -> None:
    _, names = two_path_example()
    assert value_grad_notes({"x": names["x"]}) == {"x": "2 | grad None"}


def test_numbers_are_short() -> None:
    t = torch.tensor(1 / 3, requires_grad=True)
    (t * -0.0).backward()
    assert value_grad_notes({"t": t}) == {"t": "0.3333 | grad 0"}


def test_grad_or_none_reads_leaves() -> None:
    x = torch.tensor(2.0, requires_grad=True)
    (x * 3).backward()
    assert grad_or_none(x).item() == 3.0
    assert grad_or_none(torch.tensor(1.0)) is None


def test_figure_draws_every_note() -> None:
    fig = autograd_mechanics_figure()
    texts = [t.get_text() for t in fig.axes[0].texts]
    plt.close(fig)
    for note in ("2 | grad 21", "3 | grad 16", "6 | grad 5", "5 | grad 6", "30 | grad 1"):
        assert any(note in text for text in texts), note


def test_bad_inputs() -> None:
    with pytest.raises(TypeError, match="mapping of str to Tensor, got list"):
        value_grad_notes([torch.tensor(1.0)])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="empty mapping"):
        value_grad_notes({})
    with pytest.raises(TypeError, match="non-empty str keys, got 1"):
        value_grad_notes({1: torch.tensor(1.0)})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match=r"tensors\['x'\] must be a Tensor, got float"):
        value_grad_notes({"x": 1.0})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match=r"one number to fit on a node, got shape \(2,\)"):
        value_grad_notes({"x": torch.ones(2)})
    with pytest.raises(TypeError, match="torch.Tensor, got int"):
        grad_or_none(3)  # type: ignore[arg-type]
