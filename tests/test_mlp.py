"""The from-scratch MLP against its PyTorch twin: same loss, same gradients, same training."""

from __future__ import annotations

import math
import random

import pytest
import torch
import torch.nn.functional as F

from autograd_guide.engine import Value
from autograd_guide.mlp import (
    FIGURE_DATA_SEED,
    FIGURE_LR,
    FIGURE_NET_SEED,
    FIGURE_NOISE,
    FIGURE_POINTS,
    FIGURE_SIZES,
    FIGURE_STEPS,
    MLP,
    Layer,
    Neuron,
    _figure_run,
    accuracy,
    bce_loss,
    bce_with_logits,
    torch_grads,
    torch_values,
    train,
)
from autograd_guide.moons import make_moons, to_tensors

#: float64 on both sides: the same operations in another order differ in the last bits.
RTOL, ATOL = 1e-9, 1e-12


def torch_loss(net: torch.nn.Sequential, points, labels) -> torch.Tensor:
    X, y = to_tensors(points, labels)
    return F.binary_cross_entropy_with_logits(net(X).squeeze(1), y)


# --- building -----------------------------------------------------------------------


def test_shape_order_and_count_of_the_parameters() -> None:
    mlp = MLP(2, [8, 1], seed=0)
    assert repr(mlp) == "MLP(2 -> 8 -> 1, 33 parameters)"
    assert [len(layer.neurons) for layer in mlp.layers] == [8, 1]
    first = mlp.layers[0].neurons[0]
    assert mlp.parameters()[:3] == [*first.weights, first.bias]
    assert len(set(map(id, mlp.parameters()))) == 33
    assert [n.nonlinear for layer in mlp.layers for n in layer.neurons] == [True] * 8 + [False]


def test_the_seed_decides_every_weight() -> None:
    def values(mlp: MLP) -> list[float]:
        return [p.data for p in mlp.parameters()]

    assert values(MLP(2, [4, 1], seed=3)) == values(MLP(2, [4, 1], seed=3))
    assert values(MLP(2, [4, 1], seed=3)) != values(MLP(2, [4, 1], seed=4))
    # uniform in +-1/sqrt(fan_in), as nn.Linear draws its weights
    mlp = MLP(4, [16, 9, 1], seed=0)
    for layer, fan_in in zip(mlp.layers, (4, 16, 9), strict=True):
        assert all(abs(p.data) <= 1 / math.sqrt(fan_in) for p in layer.parameters())


def test_a_neuron_is_one_node_with_the_gradients_of_its_expanded_form() -> None:
    neuron = Neuron(3, random.Random(0))
    inputs = [Value(0.5), Value(-1.5), 2.0]  # two Values and a plain number
    out = neuron(inputs)
    [node] = out.parents
    assert node.op == "w·x+b" and len(node.parents) == 3 + 1 + 2
    out.backward()
    # the same neuron written with the engine's + and *, one node per operation
    ws = [Value(w.data) for w in neuron.weights]
    b = Value(neuron.bias.data)
    xs = [Value(0.5), Value(-1.5), 2.0]
    expanded = (ws[0] * xs[0] + ws[1] * xs[1] + ws[2] * xs[2] + b).tanh()
    expanded.backward()
    assert math.isclose(out.data, expanded.data, rel_tol=1e-15)
    pairs = zip([*neuron.weights, neuron.bias, *inputs[:2]], [*ws, b, *xs[:2]], strict=True)
    for ours, theirs in pairs:
        assert math.isclose(ours.grad, theirs.grad, rel_tol=1e-12, abs_tol=1e-15)


def test_an_output_layer_of_several_neurons_returns_a_list() -> None:
    out = MLP(2, [3, 2], seed=0)([0.1, 0.2])
    assert isinstance(out, list) and len(out) == 2
    assert isinstance(Layer(2, 3, random.Random(0))([1.0, 2.0]), list)


# --- the comparison with PyTorch ----------------------------------------------------


@pytest.mark.parametrize(
    ("sizes", "seed"), [([8, 1], 2), ([4, 1], 0), ([5, 3, 1], 7), ([1], 1)], ids=str
)
def test_same_loss_and_same_gradient_for_every_parameter_as_pytorch(sizes, seed) -> None:
    points, labels = make_moons(24, noise=0.2, seed=seed)
    mlp = MLP(2, sizes, seed=seed)
    net = mlp.to_torch()
    assert torch_values(net) == [p.data for p in mlp.parameters()]  # the very same weights

    loss = bce_loss(mlp, points, labels)
    loss.backward()
    loss_torch = torch_loss(net, points, labels)
    loss_torch.backward()

    assert math.isclose(loss.data, loss_torch.item(), rel_tol=1e-12)
    ours = torch.tensor([p.grad for p in mlp.parameters()], dtype=torch.float64)
    theirs = torch.tensor(torch_grads(net), dtype=torch.float64)
    assert ours.shape == theirs.shape == (len(mlp.parameters()),)
    assert torch.allclose(ours, theirs, rtol=RTOL, atol=ATOL)
    assert ours.abs().max() > 1e-3  # gradients worth comparing, not all zero


def test_a_few_training_steps_stay_equal() -> None:
    points, labels = make_moons(30, noise=0.1, seed=1)
    mlp = MLP(2, [6, 1], seed=5)
    net = mlp.to_torch()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.5)
    losses_torch = []
    for _ in range(5):
        optimizer.zero_grad()
        loss = torch_loss(net, points, labels)
        loss.backward()
        optimizer.step()
        losses_torch.append(loss.item())
    losses = train(mlp, points, labels, steps=5, lr=0.5)
    assert all(math.isclose(a, b, rel_tol=1e-10) for a, b in zip(losses, losses_torch, strict=True))
    ours = torch.tensor([p.data for p in mlp.parameters()], dtype=torch.float64)
    theirs = torch.tensor(torch_values(net), dtype=torch.float64)
    assert torch.allclose(ours, theirs, rtol=RTOL, atol=ATOL)
    assert losses[-1] < losses[0]


@pytest.mark.parametrize("score", [-40.0, -2.5, 0.0, 0.7, 40.0])
@pytest.mark.parametrize("label", [0, 1])
def test_bce_with_logits_is_pytorchs_on_both_branches(score: float, label: int) -> None:
    s = Value(score)
    loss = bce_with_logits(s, label)
    loss.backward()
    t = torch.tensor(score, dtype=torch.float64, requires_grad=True)
    loss_torch = F.binary_cross_entropy_with_logits(t, torch.tensor(float(label), dtype=t.dtype))
    loss_torch.backward()
    # abs_tol: at s = 40, log(1 + e^-40) is 0.0 to the engine (1 + 4e-18 rounds to 1);
    # PyTorch's log1p keeps the 4e-18.
    assert math.isclose(loss.data, loss_torch.item(), rel_tol=1e-12, abs_tol=1e-15)
    assert math.isclose(s.grad, t.grad.item(), rel_tol=1e-12, abs_tol=1e-15)


def test_a_large_score_does_not_overflow() -> None:
    assert bce_with_logits(Value(800.0), 1).data == 0.0
    assert bce_with_logits(Value(-800.0), 0).data == 0.0
    assert bce_with_logits(Value(800.0), 0).data == pytest.approx(800.0)


def test_the_twin_leaves_the_random_state_alone() -> None:
    torch.manual_seed(0)
    expected = torch.rand(3)
    torch.manual_seed(0)
    MLP(2, [3, 1], seed=0).to_torch()
    assert torch.equal(torch.rand(3), expected)


# --- training ----------------------------------------------------------------------


def test_the_pages_run_learns_the_two_moons() -> None:
    points, labels = make_moons(FIGURE_POINTS, noise=FIGURE_NOISE, seed=FIGURE_DATA_SEED)
    untrained = MLP(2, FIGURE_SIZES, seed=FIGURE_NET_SEED)
    assert accuracy(untrained, points, labels) < 0.9
    mlp, fig_points, fig_labels = _figure_run()
    assert (fig_points, fig_labels) == (points, labels)
    assert accuracy(mlp, points, labels) == 1.0
    assert bce_loss(mlp, points, labels).data < 0.1
    assert FIGURE_STEPS == 100 and FIGURE_LR == 3.0


def test_zero_grad_and_zero_steps() -> None:
    points, labels = make_moons(4)
    mlp = MLP(2, [2, 1], seed=0)
    before = [p.data for p in mlp.parameters()]
    assert train(mlp, points, labels, steps=0, lr=0.1) == []
    assert [p.data for p in mlp.parameters()] == before
    bce_loss(mlp, points, labels).backward()
    assert any(p.grad != 0.0 for p in mlp.parameters())
    mlp.zero_grad()
    assert all(p.grad == 0.0 for p in mlp.parameters())


# --- errors ------------------------------------------------------------------------


def test_bad_arguments() -> None:
    rng = random.Random(0)
    with pytest.raises(ValueError, match="n_inputs must be >= 1, got 0"):
        MLP(0, [1])
    with pytest.raises(TypeError, match="layer_sizes must be a sequence of ints.*got int"):
        MLP(2, 8)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one layer"):
        MLP(2, [])
    with pytest.raises(ValueError, match="each layer size must be >= 1, got 0"):
        MLP(2, [0, 1])
    with pytest.raises(TypeError, match="each layer size must be an int, got float"):
        MLP(2, [8.0, 1])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="seed must be an int, got str"):
        MLP(2, [1], seed="0")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="rng must be a random.Random, got int"):
        Neuron(2, 0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="nonlinear must be a bool, got int"):
        Neuron(2, rng, nonlinear=1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="n_outputs must be >= 1, got 0"):
        Layer(2, 0, rng)
    mlp = MLP(2, [3, 1], seed=0)
    with pytest.raises(ValueError, match="expected 2 inputs, got 3"):
        mlp([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="inputs must be a sequence of Value or float, got str"):
        mlp("12")
    with pytest.raises(TypeError, match="each input must be a Value, int or float, got str"):
        mlp([1.0, "2"])
    with pytest.raises(TypeError, match="each input must be a Value, int or float, got bool"):
        mlp([1.0, True])
    with pytest.raises(TypeError, match="score must be a Value, got float"):
        bce_with_logits(0.5, 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="label must be the int 0 or 1, got 2"):
        bce_with_logits(Value(0.5), 2)
    with pytest.raises(ValueError, match="label must be the int 0 or 1, got True"):
        bce_with_logits(Value(0.5), True)
    points, labels = make_moons(4)
    with pytest.raises(TypeError, match="mlp must be an MLP, got Sequential"):
        bce_loss(mlp.to_torch(), points, labels)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="must end in one output .*got 2"):
        accuracy(MLP(2, [2]), points, labels)
    with pytest.raises(ValueError, match="got 4 points and 3 labels"):
        bce_loss(mlp, points, labels[:3])
    with pytest.raises(TypeError, match="must be sequences .*got int and list"):
        accuracy(mlp, 4, labels)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="steps must be >= 0, got -1"):
        train(mlp, points, labels, steps=-1, lr=0.1)
    with pytest.raises(ValueError, match="lr must be a finite number > 0, got 0"):
        train(mlp, points, labels, steps=1, lr=0)
    with pytest.raises(TypeError, match="net must be an nn.Sequential from MLP.to_torch, got MLP"):
        torch_grads(mlp)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no gradients yet"):
        torch_grads(mlp.to_torch())
