"""A multilayer perceptron built on the from-scratch engine, and its PyTorch twin.

The from-scratch chapter ends with an engine for single numbers
([`Value`][autograd_guide.engine.Value]); this module shows that nothing more
is needed to train a neural network. A [`Neuron`][] is a weighted sum and a
``tanh``, a [`Layer`][] is a list of neurons, an [`MLP`][] a list of layers:
Karpathy's *micrograd* design. The loss ([`bce_loss`][]) is built from the
engine's operations, and ``loss.backward()`` fills every weight's ``grad``.

Two choices differ from a plain transcription, and both say why:

* **A neuron is one node.** Its weighted sum $w \\cdot x + b$ is a single
  [`Value`][autograd_guide.engine.Value] whose local derivatives are the inputs
  (for the weights), the weights (for the inputs) and 1 (for the bias), instead
  of $2n$ nodes of products and sums. The gradients are the same; the graph is
  about three times smaller, and training on the page fast enough to test.
* **Every number comes from a seed.** The weights are drawn from
  ``random.Random(seed)``, not from a global generator, with the bound PyTorch's
  ``nn.Linear`` uses by default, so a page prints the same run on every machine.

[`MLP.to_torch`][autograd_guide.mlp.MLP.to_torch] builds the same network in
PyTorch with the same weights, and [`torch_grads`][] lists its gradients in the
order of [`MLP.parameters`][autograd_guide.mlp.MLP.parameters]: that is how the
page and the tests check the engine against ``torch.autograd``.
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Sequence
from numbers import Real

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from torch import nn

from . import checks
from .engine import Value
from .figures import figure
from .moons import make_moons

__all__ = [
    "MLP",
    "Layer",
    "Neuron",
    "accuracy",
    "bce_loss",
    "bce_with_logits",
    "decision_boundary_figure",
    "torch_grads",
    "torch_values",
    "train",
]


def _inputs(inputs: object, n: int) -> list[Value | float]:
    """*inputs* as a list of n Values or floats, or an error that says what was given."""
    if not isinstance(inputs, list | tuple) and (
        isinstance(inputs, str) or not isinstance(inputs, Sequence)
    ):
        raise TypeError(f"inputs must be a sequence of Value or float, got {type(inputs).__name__}")
    if len(inputs) != n:
        raise ValueError(f"expected {n} inputs, got {len(inputs)}")
    checked: list[Value | float] = []
    for x in inputs:
        if type(x) is float or isinstance(x, Value):
            checked.append(x)
        elif isinstance(x, Real) and not isinstance(x, bool):
            checked.append(float(x))
        else:
            raise TypeError(f"each input must be a Value, int or float, got {type(x).__name__}")
    return checked


class Neuron:
    """$\\tanh(w \\cdot x + b)$, or just $w \\cdot x + b$ with ``nonlinear=False``.

    The weights start uniform in $\\pm 1/\\sqrt{n}$ for *n* inputs (what PyTorch's
    ``nn.Linear`` draws), from *rng*, so that a seeded generator gives the same
    neuron everywhere; the bias starts the same way.
    """

    def __init__(self, n_inputs: int, rng: random.Random, *, nonlinear: bool = True) -> None:
        n_inputs = checks.integer("n_inputs", n_inputs, minimum=1)
        if not isinstance(rng, random.Random):
            raise TypeError(f"rng must be a random.Random, got {type(rng).__name__}")
        if not isinstance(nonlinear, bool):
            raise TypeError(f"nonlinear must be a bool, got {type(nonlinear).__name__}")
        bound = 1.0 / math.sqrt(n_inputs)
        self.weights = [Value(rng.uniform(-bound, bound)) for _ in range(n_inputs)]
        self.bias = Value(rng.uniform(-bound, bound))
        self.nonlinear = nonlinear

    def __call__(self, inputs: Sequence[Value | float]) -> Value:
        """The neuron's output for *inputs*, one Value or number per weight.

        The weighted sum is one node: its parents are the weights, the bias and
        the inputs that are Values (a plain number needs no gradient), and its
        local derivatives are, in that order, the inputs, 1 and the weights.
        """
        xs = _inputs(inputs, len(self.weights))
        total = self.bias.data
        parents: list[Value] = [*self.weights, self.bias]
        local: list[float] = []
        for w, x in zip(self.weights, xs, strict=True):
            x_data = x.data if isinstance(x, Value) else x
            total += w.data * x_data
            local.append(x_data)  # d(sum)/dw = x
        local.append(1.0)  # d(sum)/db
        for w, x in zip(self.weights, xs, strict=True):
            if isinstance(x, Value):
                parents.append(x)
                local.append(w.data)  # d(sum)/dx = w
        out = Value(total, tuple(parents), tuple(local), op="w·x+b")
        return out.tanh() if self.nonlinear else out

    def parameters(self) -> list[Value]:
        """The weights, then the bias."""
        return [*self.weights, self.bias]


class Layer:
    """*n_outputs* neurons that all read the same *n_inputs* inputs."""

    def __init__(
        self, n_inputs: int, n_outputs: int, rng: random.Random, *, nonlinear: bool = True
    ) -> None:
        n_outputs = checks.integer("n_outputs", n_outputs, minimum=1)
        self.neurons = [Neuron(n_inputs, rng, nonlinear=nonlinear) for _ in range(n_outputs)]

    def __call__(self, inputs: Sequence[Value | float]) -> list[Value]:
        """Every neuron's output, in order."""
        return [neuron(inputs) for neuron in self.neurons]

    def parameters(self) -> list[Value]:
        """Each neuron's parameters, neuron after neuron."""
        return [p for neuron in self.neurons for p in neuron.parameters()]


class MLP:
    """A multilayer perceptron: layers of ``tanh`` neurons and a linear last layer.

    ``MLP(2, [8, 1], seed=0)`` reads 2 inputs, has a hidden layer of 8 neurons
    and one output neuron. The last layer has no ``tanh``: its output is a
    *score* (a logit) that any real number can be, which [`bce_with_logits`][]
    turns into a loss. All weights come from ``random.Random(seed)``, layer by
    layer, so the same arguments build the same network on every machine.
    """

    def __init__(self, n_inputs: int, layer_sizes: Sequence[int], *, seed: int = 0) -> None:
        n_inputs = checks.integer("n_inputs", n_inputs, minimum=1)
        if isinstance(layer_sizes, str) or not isinstance(layer_sizes, Sequence):
            raise TypeError(
                f"layer_sizes must be a sequence of ints such as [8, 1], "
                f"got {type(layer_sizes).__name__}"
            )
        if not layer_sizes:
            raise ValueError("layer_sizes must name at least one layer, got an empty sequence")
        sizes = [checks.integer("each layer size", s, minimum=1) for s in layer_sizes]
        seed = checks.integer("seed", seed, minimum=0)
        rng = random.Random(seed)
        fan_in = [n_inputs, *sizes[:-1]]
        last = len(sizes) - 1
        self.sizes = (n_inputs, *sizes)
        self.layers = [
            Layer(n_in, n_out, rng, nonlinear=i < last)
            for i, (n_in, n_out) in enumerate(zip(fan_in, sizes, strict=True))
        ]

    def __call__(self, inputs: Sequence[Value | float]) -> Value | list[Value]:
        """The network's output: one Value when the last layer has one neuron, else a list."""
        xs: Sequence[Value | float] = inputs
        for layer in self.layers:
            xs = layer(xs)
        return xs[0] if len(xs) == 1 else list(xs)  # type: ignore[return-value]

    def parameters(self) -> list[Value]:
        """Every weight and bias: layer by layer, neuron by neuron, weights before bias."""
        return [p for layer in self.layers for p in layer.parameters()]

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to 0, as ``optimizer.zero_grad()`` does."""
        for p in self.parameters():
            p.grad = 0.0

    def __repr__(self) -> str:
        shape = " -> ".join(str(n) for n in self.sizes)
        return f"MLP({shape}, {len(self.parameters())} parameters)"

    def to_torch(self) -> nn.Sequential:
        """The same network in PyTorch, with a copy of the current weights, in ``float64``.

        ``nn.Linear`` and ``nn.Tanh`` in turn, no ``Tanh`` after the last layer.
        Row *j* of a ``Linear``'s ``weight`` holds neuron *j*'s weights, so the
        twin computes exactly what the engine computes, with Python's precision.
        """
        modules: list[nn.Module] = []
        for layer in self.layers:
            # nn.Linear draws random weights that are overwritten at once: from a
            # forked generator, so that the caller's random state stays as it was.
            with torch.random.fork_rng(devices=[]):
                linear = nn.Linear(
                    len(layer.neurons[0].weights), len(layer.neurons), dtype=torch.float64
                )
            with torch.no_grad():
                # float64 from the start: a float32 tensor would round the weights first.
                weights = [[w.data for w in n.weights] for n in layer.neurons]
                linear.weight.copy_(torch.tensor(weights, dtype=torch.float64))
                biases = [n.bias.data for n in layer.neurons]
                linear.bias.copy_(torch.tensor(biases, dtype=torch.float64))
            modules.append(linear)
            if layer.neurons[0].nonlinear:
                modules.append(nn.Tanh())
        return nn.Sequential(*modules)


def _linears(net: object) -> list[nn.Linear]:
    if not isinstance(net, nn.Sequential):
        raise TypeError(f"net must be an nn.Sequential from MLP.to_torch, got {type(net).__name__}")
    return [m for m in net if isinstance(m, nn.Linear)]


def torch_values(net: nn.Sequential) -> list[float]:
    """The twin's weights and biases, in the order of ``MLP.parameters()``.

    Equal to ``[p.data for p in mlp.parameters()]`` right after
    [`MLP.to_torch`][autograd_guide.mlp.MLP.to_torch]; after the same training
    steps on both, equal up to rounding.
    """
    return [
        x
        for linear in _linears(net)
        for row, b in zip(linear.weight.tolist(), linear.bias.tolist(), strict=True)
        for x in (*row, b)
    ]


def torch_grads(net: nn.Sequential) -> list[float]:
    """The twin's gradients, in the order of [`MLP.parameters`][autograd_guide.mlp.MLP.parameters].

    So that ``zip(mlp.parameters(), torch_grads(net))`` pairs each engine
    weight with the same weight in PyTorch. A parameter without a gradient yet
    (no ``backward()`` since the twin was built) is an error, not a 0.
    """
    grads = []
    for linear in _linears(net):
        if linear.weight.grad is None or linear.bias.grad is None:
            raise ValueError("the twin has no gradients yet: call backward() on its loss first")
        for row, b in zip(linear.weight.grad.tolist(), linear.bias.grad.tolist(), strict=True):
            grads.extend((*row, b))
    return grads


# --- loss, accuracy, training ------------------------------------------------------


def bce_with_logits(score: Value, label: int) -> Value:
    """Binary cross-entropy of a score (logit) $s$ for a label $t$ of 0 or 1.

    $\\log(1 + e^s) - t\\,s$: minus the log of the probability
    $\\sigma(s) = 1/(1 + e^{-s})$ the model gives the right class, what PyTorch's
    ``binary_cross_entropy_with_logits`` computes. For $s > 0$ it is written
    $s + \\log(1 + e^{-s}) - t\\,s$, the same number, so that ``exp`` never
    overflows.
    """
    if not isinstance(score, Value):
        raise TypeError(f"score must be a Value, got {type(score).__name__}")
    if label not in (0, 1) or isinstance(label, bool) or not isinstance(label, int):
        raise ValueError(f"label must be the int 0 or 1, got {label!r}")
    if score.data > 0:
        return score + (1 + (-score).exp()).log() - label * score
    return (1 + score.exp()).log() - label * score


def _data(points: object, labels: object) -> tuple[Sequence[Sequence[float]], Sequence[int]]:
    if not isinstance(points, Sequence) or not isinstance(labels, Sequence):
        raise TypeError(
            "points and labels must be sequences (as make_moons returns them), got "
            f"{type(points).__name__} and {type(labels).__name__}"
        )
    if len(points) != len(labels) or not points:
        raise ValueError(
            "points and labels must be non-empty and of the same length, got "
            f"{len(points)} points and {len(labels)} labels"
        )
    return points, labels  # type: ignore[return-value]


def _check_mlp(mlp: object) -> MLP:
    if not isinstance(mlp, MLP):
        raise TypeError(f"mlp must be an MLP, got {type(mlp).__name__}")
    if mlp.sizes[-1] != 1:
        raise ValueError(f"the MLP must end in one output (a score), got {mlp.sizes[-1]}")
    return mlp


def bce_loss(mlp: MLP, points: Sequence[Sequence[float]], labels: Sequence[int]) -> Value:
    """The mean of [`bce_with_logits`][] over the data set: one graph, ready for ``backward()``."""
    mlp = _check_mlp(mlp)
    points, labels = _data(points, labels)
    total = sum(
        (bce_with_logits(mlp(x), t) for x, t in zip(points, labels, strict=True)), Value(0.0)
    )
    return total / len(points)


def accuracy(mlp: MLP, points: Sequence[Sequence[float]], labels: Sequence[int]) -> float:
    """The share of points the network puts in the right class: score > 0 means class 1."""
    mlp = _check_mlp(mlp)
    points, labels = _data(points, labels)
    right = sum(int(mlp(x).data > 0) == t for x, t in zip(points, labels, strict=True))
    return right / len(points)


def train(
    mlp: MLP,
    points: Sequence[Sequence[float]],
    labels: Sequence[int],
    *,
    steps: int,
    lr: float,
) -> list[float]:
    """Full-batch gradient descent on [`bce_loss`][]; the loss before each step.

    Each step is the page's loop: the loss of the whole set, ``zero_grad()``,
    ``backward()``, and every parameter moved by ``-lr × grad``. The network is
    changed in place.
    """
    mlp = _check_mlp(mlp)
    steps = checks.integer("steps", steps, minimum=0)
    lr = checks.positive_number("lr", lr)
    losses = []
    for _ in range(steps):
        loss = bce_loss(mlp, points, labels)
        mlp.zero_grad()
        loss.backward()
        for p in mlp.parameters():
            p.data -= lr * p.grad
        losses.append(loss.data)
    return losses


# --- figure --------------------------------------------------------------------------

#: The page's run, which the figure draws: 40 points of two moons, a hidden layer
#: of 8 tanh neurons, 100 steps of gradient descent with learning rate 3.
FIGURE_POINTS = 40
FIGURE_NOISE = 0.1
FIGURE_DATA_SEED = 0
FIGURE_SIZES = (8, 1)
FIGURE_NET_SEED = 2
FIGURE_LR = 3.0
FIGURE_STEPS = 100
#: Fixed limits and ticks, so that the figure does not follow its data's last bits.
X1_LIMITS = (-1.5, 2.5)
X2_LIMITS = (-1.0, 1.5)
X1_TICKS = (-1, 0, 1, 2)
X2_TICKS = (-1, 0, 1)
#: Grid points per axis for the shaded regions.
GRID = 161
#: The smallest text, in points: 9 CSS pixels or more on a 375 px phone.
SMALLEST_TEXT = 11
COLORS = ("#1f77b4", "#ff7f0e")
SHADES = ("#d6e6f4", "#fde3cc")
MARKERS = ("o", "s")

#: The figure's words, in each of the site's languages.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Decision boundary after {steps} steps",
        "class": "class {label}",
        "boundary": "boundary (p = 0.5)",
    },
    "zh-TW": {
        "title": "訓練 {steps} 步後的決策邊界",
        "class": "類別 {label}",
        "boundary": "決策邊界（p = 0.5）",
    },
}


@functools.cache
def _figure_run() -> tuple[MLP, list[tuple[float, float]], list[int]]:
    """The page's network after its training run, and its data.

    Cached: the figure is drawn once per language, and tests draw it again.
    """
    points, labels = make_moons(FIGURE_POINTS, noise=FIGURE_NOISE, seed=FIGURE_DATA_SEED)
    mlp = MLP(2, FIGURE_SIZES, seed=FIGURE_NET_SEED)
    train(mlp, points, labels, steps=FIGURE_STEPS, lr=FIGURE_LR)
    return mlp, points, labels


@figure("decision-boundary.svg", translated=True)
def decision_boundary_figure(lang: str = "en") -> Figure:
    """The two moons and where the trained network puts each class.

    The network of the page after its 100 steps: the shading is the class it
    predicts at each point of the plane, the line where its probability
    $\\sigma(s)$ is 0.5 (score 0), the decision boundary. The plane is scored by
    the network's PyTorch twin (``MLP.to_torch``), which computes the same
    numbers on a grid in one call. Words in *lang*.
    """
    words = WORDS[lang]
    mlp, points, labels = _figure_run()
    x1 = torch.linspace(*X1_LIMITS, GRID, dtype=torch.float64)
    x2 = torch.linspace(*X2_LIMITS, GRID, dtype=torch.float64)
    g1, g2 = torch.meshgrid(x1, x2, indexing="xy")
    with torch.no_grad():
        score = mlp.to_torch()(torch.stack([g1.flatten(), g2.flatten()], dim=1))
    prob = torch.sigmoid(score).reshape(g1.shape).numpy()
    fig, ax = plt.subplots(figsize=(5.0, 4.1), layout="constrained")
    ax.contourf(g1.numpy(), g2.numpy(), prob, levels=[0.0, 0.5, 1.0], colors=SHADES)
    ax.contour(g1.numpy(), g2.numpy(), prob, levels=[0.5], colors="black", linewidths=1.6)
    handles = []
    for label in (0, 1):
        xs = [p for p, t in zip(points, labels, strict=True) if t == label]
        (points_line,) = ax.plot(
            [p[0] for p in xs],
            [p[1] for p in xs],
            linestyle="none",
            marker=MARKERS[label],
            markersize=5.5,
            color=COLORS[label],
            markeredgecolor="white",
            markeredgewidth=0.6,
            zorder=3,
            label=words["class"].format(label=label),
        )
        handles.append(points_line)
    handles.append(Line2D([], [], color="black", lw=1.6, label=words["boundary"]))
    ax.set_xlim(*X1_LIMITS)
    ax.set_ylim(*X2_LIMITS)
    ax.set_xticks(X1_TICKS)
    ax.set_yticks(X2_TICKS)
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(words["title"].format(steps=FIGURE_STEPS))
    # Below the plot, not on it: every point and the whole boundary stay visible.
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.16),
        ncol=3,
        fontsize=SMALLEST_TEXT,
        frameon=False,
        handletextpad=0.3,
        columnspacing=1.2,
    )
    ax.tick_params(labelsize=SMALLEST_TEXT)
    return fig
