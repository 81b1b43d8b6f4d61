import pytest
import torch

from autograd_guide.diagram import seed_example
from autograd_guide.graph import format_graph, trace


def test_seed_example_graph() -> None:
    g, names = seed_example()
    graph = trace(g, names=names)
    assert [n.label for n in graph.nodes] == [
        "g: MulBackward0",
        "p: AddBackward0",
        "z: AccumulateGrad",
        "x: AccumulateGrad",
        "y: AccumulateGrad",
    ]
    assert graph.edges == ((1, 0), (2, 0), (3, 1), (4, 1))
    assert graph.root.op == "MulBackward0"
    assert [n.name for n in graph.inputs_of(graph.root)] == ["p", "z"]
    assert [n.is_leaf for n in graph.nodes] == [False, False, True, True, True]


def test_reused_input_is_one_node_with_two_edges() -> None:
    a = torch.tensor(2.0, requires_grad=True)
    graph = trace(a * a, names={"a": a})
    assert len(graph.nodes) == 2
    assert graph.edges == ((1, 0), (1, 0))


def test_inputs_without_grad_are_left_out() -> None:
    w = torch.tensor(2.0, requires_grad=True)
    graph = trace(w * torch.tensor(3.0))
    assert [n.op for n in graph.nodes] == ["MulBackward0", "AccumulateGrad"]
    assert graph.nodes[1].name is None


def test_leaf_that_requires_grad_is_a_one_node_graph() -> None:
    w = torch.tensor(1.0, requires_grad=True)
    assert format_graph(trace(w, names={"w": w})) == "w: AccumulateGrad  (leaf)"


def test_format_graph() -> None:
    g, names = seed_example()
    assert format_graph(trace(g, names=names)).splitlines()[:2] == [
        "g: MulBackward0 <- p: AddBackward0, z: AccumulateGrad",
        "p: AddBackward0 <- x: AccumulateGrad, y: AccumulateGrad",
    ]


def test_bad_inputs() -> None:
    with pytest.raises(TypeError, match="must be a torch.Tensor, got float"):
        trace(1.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no grad_fn and does not require grad"):
        trace(torch.tensor(1.0))
    w = torch.tensor(1.0, requires_grad=True)
    with pytest.raises(TypeError, match="mapping of str to Tensor, got list"):
        trace(w * 2, names=[w])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="non-empty str keys"):
        trace(w * 2, names={"": w})
    with pytest.raises(TypeError, match=r"names\['w'\] must be a Tensor, got int"):
        trace(w * 2, names={"w": 3})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="must be a Graph"):
        format_graph("graph")  # type: ignore[arg-type]
