"""Step-by-step figures of a real run: one frame and one caption per thing autograd did.

A still graph shows what autograd built, not the order it worked in. A reader
who steps through the run sees which tensor appears next in the forward pass,
which node the engine calls next in the backward pass, what gradient it got,
and where two shares are added. Every frame comes from a recording, never
from a drawing by hand: [`record_forward`][] logs each tensor as PyTorch
creates it (a ``TorchFunctionMode`` sees every call), and
[`record_backward`][autograd_guide.mechanics.record_backward] logs each node
call from the engine's own hooks. [`frames`][] turns a recording into steps,
each with the node it is about, the notes drawn on the graph so far, and a
caption in English and in Traditional Chinese; the site's stepper
(hooks/stepper.py) shows them one at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

import torch
from matplotlib.figure import Figure
from torch.overrides import TorchFunctionMode

from .diagram import draw_graph, seed_example
from .engine import Value, to_graph
from .figures import figure
from .graph import Graph, Node, trace
from .mechanics import (
    START,
    BackwardRun,
    Step,
    _called_with,
    _tensor,
    record_backward,
    two_path_example,
)

__all__ = [
    "LANGUAGES",
    "STEPPERS",
    "EngineStep",
    "ForwardRun",
    "ForwardStep",
    "Frame",
    "backward_frames",
    "draw_frame",
    "engine_frames",
    "forward_frames",
    "frame_file",
    "frames",
    "record_engine_backward",
    "record_forward",
    "shared_use_example",
    "still_file",
]

#: The languages every caption is written in: the site's.
LANGUAGES = ("en", "zh-TW")

Example = Callable[[], tuple[torch.Tensor, Mapping[str, torch.Tensor]]]


@dataclass(frozen=True)
class ForwardStep:
    """One named tensor, as it came out of the call that created it."""

    number: int
    node: Node
    value: torch.Tensor


@dataclass(frozen=True)
class ForwardRun:
    """A recorded forward pass: the graph it built and the named tensors in creation order."""

    graph: Graph
    steps: tuple[ForwardStep, ...]


class _Log(TorchFunctionMode):
    """Keeps every tensor a torch call returns, in the order the calls ran."""

    def __init__(self) -> None:
        super().__init__()
        self.made: list[tuple[torch.Tensor, torch.Tensor]] = []

    def __torch_function__(
        self,
        func: Any,
        types: Any,
        args: tuple[Any, ...] = (),
        kwargs: dict[str, Any] | None = None,
    ) -> Any:
        result = func(*args, **(kwargs or {}))
        if isinstance(result, torch.Tensor):  # with its value now, before any in-place change
            self.made.append((result, result.detach().clone()))
        return result


def record_forward(example: Example) -> ForwardRun:
    """Run *example* while logging every tensor it creates; return the named ones in order.

    *example* is a function like [`seed_example`][autograd_guide.diagram.seed_example]:
    it builds the tensors and returns the output and a ``{name: tensor}`` map.
    The order is the order PyTorch created the tensors in, seen by a
    ``TorchFunctionMode``, not the order of the map; the values are copies
    taken at that moment, so a later in-place change does not rewrite them.
    """
    if not callable(example):
        raise TypeError(
            "example must be a function returning (output, {name: tensor}), "
            f"got {type(example).__name__}"
        )
    log = _Log()
    with log:
        result = example()
    if not (
        isinstance(result, tuple)
        and len(result) == 2
        and isinstance(result[0], torch.Tensor)
        and isinstance(result[1], Mapping)
    ):
        raise TypeError(f"example must return (output, {{name: tensor}}), it returned {result!r}")
    output, names = result
    graph = trace(output, names=names)
    by_name = {node.name: node for node in graph.nodes if node.name}
    steps: list[ForwardStep] = []
    seen: set[int] = set()
    for tensor, value in log.made:
        name = next((n for n, t in names.items() if t is tensor), None)
        if name is None or name not in by_name or id(tensor) in seen:
            continue
        seen.add(id(tensor))
        steps.append(ForwardStep(len(steps) + 1, by_name[name], value))
    return ForwardRun(graph, tuple(steps))


@dataclass(frozen=True)
class Frame:
    """One step of a stepper: the node it is about, the graph's notes so far, the captions.

    ``faded`` are the nodes that do not exist yet (forward pass); ``captions``
    maps each of [`LANGUAGES`][] to one sentence saying what happened.
    """

    number: int
    node: str
    notes: Mapping[str, str]
    faded: frozenset[str]
    captions: Mapping[str, str]


def _all_named(graph: Graph) -> None:
    unnamed = [node.label for node in graph.nodes if not node.name]
    if unnamed:
        raise ValueError(
            f"every node needs a name to be stepped through; unnamed: {unnamed}. "
            "Pass every tensor of the graph in the names map."
        )


def _minus(text: str) -> str:
    """The typographic minus a reader expects in a caption, not a hyphen."""
    return text.replace("-", "\u2212")


def forward_frames(run: ForwardRun) -> list[Frame]:
    """One frame per tensor created: its value appears and its node is linked in."""
    if not isinstance(run, ForwardRun):
        raise TypeError(f"run must be a ForwardRun from record_forward(), got {type(run).__name__}")
    _all_named(run.graph)
    if len(run.steps) != len(run.graph.nodes):
        missing = {n.name for n in run.graph.nodes} - {s.node.name for s in run.steps}
        raise ValueError(f"the recording never saw these tensors being created: {sorted(missing)}")
    result = []
    notes: dict[str, str] = {}
    for step in run.steps:
        node, value = step.node, _minus(_tensor(step.value))
        notes[node.name] = f"= {value}"  # type: ignore[index]
        inputs = [n.name for n in run.graph.inputs_of(node)]
        if node.is_leaf:
            captions = {
                "en": f"{node.name} = {value} is created with requires_grad=True: a leaf, "
                "drawn as its AccumulateGrad node.",
                "zh-TW": f"建立 {node.name} = {value}，並設定 requires_grad=True："
                "它是葉節點，圖上畫成它的 AccumulateGrad 節點。",
            }
        else:
            en_inputs = _and(inputs)
            captions = {
                "en": f"{node.name} = {value} is computed from {en_inputs}; autograd records "
                f"{node.op} for it, linked to their nodes.",
                "zh-TW": f"由 {'、'.join(inputs)} 算出 {node.name} = {value}；"
                f"autograd 同時記下它的 {node.op}，連到它們的節點。",
            }
        faded = frozenset(n.name for n in run.graph.nodes if n.name not in notes)  # type: ignore[misc]
        result.append(Frame(step.number, node.name, dict(notes), faded, captions))  # type: ignore[arg-type]
    return result


def _and(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _sent(step: Step) -> tuple[str, str]:
    pairs = [(n.name, _minus(_tensor(g))) for n, g in step.sent]
    en = _and([f"{v} to {n}" for n, v in pairs])
    zh = "、".join(f"{v} 給 {n}" for n, v in pairs)
    return en, zh


def backward_frames(run: BackwardRun) -> list[Frame]:
    """One frame per node call: the gradient it was called with, and what it sent on.

    A node that has received some of its shares but has not run yet shows
    them with ``+ …`` while more are due: the engine's buffer, filling.
    """
    if not isinstance(run, BackwardRun):
        raise TypeError(
            f"run must be a BackwardRun from record_backward(), got {type(run).__name__}"
        )
    graph = run.graph
    _all_named(graph)
    out = graph.root.name
    waits = {node.name: count for node, count in zip(graph.nodes, run.dependencies, strict=True)}
    arrived: dict[str, list[torch.Tensor]] = {}
    ran: dict[str, str] = {}
    result = []
    for step in run.steps:
        node = step.node
        name = node.name
        total = _minus(", ".join(_tensor(g) for g in step.called_with))
        ran[name] = _minus(f"∂{out}/∂{name} = {_called_with(step)}")  # type: ignore[index]
        for target, grad in step.sent:
            arrived.setdefault(target.name, []).append(grad)  # type: ignore[arg-type]
        notes = dict(ran)
        for target, grads in arrived.items():
            if target not in ran:
                parts = " + ".join(_minus(_tensor(g)) for g in grads)
                more = " + …" if len(grads) < waits[target] else ""
                notes[target] = f"∂{out}/∂{target}: {parts}{more}"
        sources = [s.source.split(":")[0] for s in step.shares]
        if node.is_leaf:
            did_en = f"it adds it into {name}.grad"
            did_zh = f"它把梯度加進 {name}.grad"
        else:
            sent_en, sent_zh = _sent(step)
            did_en = f"it sends {sent_en}"
            did_zh = f"它送出 {sent_zh}"
        if len(step.shares) > 1:
            values = [_minus(_tensor(s.value)) for s in step.shares]
            parts_en = _and([f"{v} from {src}" for v, src in zip(values, sources, strict=True)])
            parts_zh = "與".join(
                f" {src} 送來的 {v} " for v, src in zip(values, sources, strict=True)
            )
            captions = {
                "en": f"The engine calls {name}'s {node.op} once, after {parts_en} have "
                f"arrived, with their sum {total}; {did_en}.",
                "zh-TW": f"引擎等{parts_zh}都到齊，才以總和 {total} 呼叫 {name} 的 "
                f"{node.op}，只呼叫一次；{did_zh}。",
            }
        else:
            if step.shares[0].source == START:
                got_en = f"the gradient {total} that backward() starts from"
                got_zh = f"backward() 給的起始梯度 {total}"
            else:
                got_en = f"the gradient {total} that {sources[0]} sent"
                got_zh = f"{sources[0]} 送來的梯度 {total}"
            captions = {
                "en": f"The engine calls {name}'s {node.op} with {got_en}; {did_en}.",
                "zh-TW": f"引擎以{' ' if got_zh[0].isascii() else ''}{got_zh} 呼叫 {name} 的 "
                f"{node.op}；{did_zh}。",
            }
        result.append(Frame(step.number, name, notes, frozenset(), captions))  # type: ignore[arg-type]
    return result


@dataclass(frozen=True)
class EngineStep:
    """One value reached by the from-scratch engine's ``backward()``, with the gradient it got."""

    number: int
    value: Value
    gradient: float


#: The slot that holds a Value's gradient: read and written around the log below.
_GRAD = Value.__dict__["grad"]
_ENGINE_LOG: list[tuple[Value, float]] = []


class _Watched(Value):
    """A Value whose every change of ``grad`` is logged: what ``backward()`` added, when."""

    __slots__ = ()

    @property  # type: ignore[override]
    def grad(self) -> float:
        return _GRAD.__get__(self)  # type: ignore[no-any-return]

    @grad.setter
    def grad(self, new: float) -> None:
        _ENGINE_LOG.append((self, new - _GRAD.__get__(self)))
        _GRAD.__set__(self, new)


def record_engine_backward(output: Value) -> tuple[EngineStep, ...]:
    """Run the from-scratch engine's ``output.backward()``; return each value in the order reached.

    The engine adds each value's complete gradient to its ``.grad`` exactly
    once, when its turn in the reversed topological order comes; every value
    of the graph is watched for that write while ``backward()`` runs (and
    restored after), so the order is the engine's own, not a recomputation.
    """
    if not isinstance(output, Value):
        raise TypeError(f"output must be an engine Value, got {type(output).__name__}")
    nodes = output.topological_order()
    _ENGINE_LOG.clear()
    try:
        for node in nodes:
            node.__class__ = _Watched
        output.backward()
    finally:
        for node in nodes:
            node.__class__ = Value
    steps = tuple(
        EngineStep(n, value, gradient) for n, (value, gradient) in enumerate(_ENGINE_LOG, 1)
    )
    _ENGINE_LOG.clear()
    return steps


def _shares(value: Value, gradient: float, names: Mapping[int, str]) -> list[tuple[str, float]]:
    return [
        (names[id(parent)], local * gradient)
        for parent, local in zip(value.parents, value.local_grads, strict=True)
    ]


def engine_frames(output: Value, names: Mapping[str, Value]) -> list[Frame]:
    """One frame per value the from-scratch engine reaches: its complete gradient, then its shares.

    *names* must name every value of the graph, constants included.
    """
    if not isinstance(output, Value):
        raise TypeError(f"output must be an engine Value, got {type(output).__name__}")
    graph = to_graph(output, names)
    _all_named(graph)
    by_id = {id(v): k for k, v in names.items()}
    users: dict[str, list[str]] = {}
    for src, dst in graph.edges:
        users.setdefault(graph.nodes[src].name, []).append(graph.nodes[dst].name)  # type: ignore[arg-type]
    out = graph.root.name
    arrived: dict[str, list[float]] = {}
    done: dict[str, str] = {}
    result = []
    for step in record_engine_backward(output):
        name = by_id[id(step.value)]
        got = arrived.get(name, [])
        total = _minus(_tensor(torch.tensor(step.gradient)))
        parts = [_minus(_tensor(torch.tensor(g))) for g in got]
        expression = f"{' + '.join(parts)} = {total}" if len(parts) > 1 else total
        done[name] = f"∂{out}/∂{name} = {expression}"
        shares = _shares(step.value, step.gradient, by_id)
        for parent, share in shares:
            arrived.setdefault(parent, []).append(share)
        notes = dict(done)
        waits = {n: len(u) for n, u in users.items()}
        for target, grads in arrived.items():
            if target not in done:
                text = " + ".join(_minus(_tensor(torch.tensor(g))) for g in grads)
                more = " + …" if len(grads) < waits[target] else ""
                notes[target] = f"∂{out}/∂{target}: {text}{more}"
        sent = [(n, _minus(_tensor(torch.tensor(g)))) for n, g in shares]
        sent_en = _and([f"{v} to {n}" for n, v in sent]) if sent else ""
        sent_zh = "、".join(f"{v} 給 {n}" for n, v in sent)
        if step.number == 1:
            captions = {
                "en": f"backward() starts at {name} with the gradient {total}; "
                f"it passes {sent_en}.",
                "zh-TW": f"backward() 從 {name} 開始，梯度為 {total}；它送出 {sent_zh}。",
            }
        else:
            used_by = users.get(name, [])
            captions = {
                "en": f"Next in reversed topological order: {name}. Every value that uses it "
                f"({_and(used_by)}) has passed its share, so its gradient {expression} is "
                + (
                    f"complete; it passes {sent_en}."
                    if sent
                    else "complete; a leaf, it passes nothing on."
                ),
                "zh-TW": f"按反向拓撲順序，下一個是 {name}：用到它的值（{'、'.join(used_by)}）"
                f"都已送回自己那一份，所以它的梯度 {expression} 已經完整；"
                + (f"它再送出 {sent_zh}。" if sent else "它是葉節點，不再往下傳。"),
            }
        result.append(Frame(step.number, name, notes, frozenset(), captions))
    return result


def shared_use_example() -> tuple[Value, dict[str, Value]]:
    """The from-scratch chapter's graph: a = 2, m = 3a, n = m + 1, out = m·n; m is used twice.

    The constants 3 and 1 are values of the graph too, named by their number.
    """
    a = Value(2.0, name="a")
    m = a * 3
    n = m + 1
    out = m * n
    return out, {"out": out, "m": m, "n": n, "a": a, "3": m.parents[1], "1": n.parents[1]}


def _engine_frames() -> list[Frame]:
    return engine_frames(*shared_use_example())


def _engine_graph() -> Graph:
    out, names = shared_use_example()
    return to_graph(out, names)


def _seed_graph() -> Graph:
    g, names = seed_example()
    return trace(g, names=names)


def _two_paths_graph() -> Graph:
    loss, names = two_path_example()
    return trace(loss, names=names)


def _seed_forward() -> list[Frame]:
    return forward_frames(record_forward(seed_example))


def _seed_backward() -> list[Frame]:
    g, names = seed_example()
    return backward_frames(record_backward(g, names))


def _two_paths_backward() -> list[Frame]:
    loss, names = two_path_example()
    return backward_frames(record_backward(loss, names))


@dataclass(frozen=True)
class _Stepper:
    frames: Callable[[], list[Frame]]
    graph: Callable[[], Graph]
    direction: str
    arrows: str
    still: bool  # drawn also as a still figure: the last frame with nothing outlined


#: Every stepper a page can show, by the name its marker gives (``data-steps``).
#: All top to bottom: no row is wider than two or three boxes, so a phone shows
#: the frame at full size instead of shrinking its text.
STEPPERS: dict[str, _Stepper] = {
    "forward-seed": _Stepper(_seed_forward, _seed_graph, "TB", "forward", True),
    "backward-seed": _Stepper(_seed_backward, _seed_graph, "TB", "backward", True),
    "backward-two-paths": _Stepper(_two_paths_backward, _two_paths_graph, "TB", "backward", False),
    "engine-shared-use": _Stepper(_engine_frames, _engine_graph, "TB", "backward", True),
}


def _check_name(name: str) -> None:
    if not isinstance(name, str):
        raise TypeError(f"name must be a stepper's name (str), got {type(name).__name__}")
    if name not in STEPPERS:
        raise ValueError(f"no stepper is called {name!r}; there are {sorted(STEPPERS)}")


def frames(name: str) -> list[Frame]:
    """The frames of the stepper *name*, recorded now from a fresh run."""
    _check_name(name)
    return STEPPERS[name].frames()


def frame_file(name: str, number: int) -> str:
    """The figure file of frame *number* (from 1) of the stepper *name*."""
    _check_name(name)
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise ValueError(f"number must be a frame number from 1, got {number!r}")
    return f"steps-{name}-{number}.svg"


def still_file(name: str) -> str:
    """The still figure of the stepper *name*: its last frame, no node outlined."""
    _check_name(name)
    return f"steps-{name}.svg"


def draw_frame(name: str, number: int | None) -> Figure:
    """Frame *number* of the stepper *name*, or its still figure for ``None``.

    Every frame of a stepper, and its still figure, has the same size.
    """
    if number is None:
        _check_name(name)
    else:
        frame_file(name, number)
    stepper = STEPPERS[name]
    all_frames = stepper.frames()
    if number is not None and number > len(all_frames):
        raise ValueError(f"the stepper {name!r} has {len(all_frames)} frames, not {number}")
    frame = all_frames[-1 if number is None else number - 1]
    reserve: dict[str, set[str]] = {}
    for other in all_frames:
        for node, note in other.notes.items():
            reserve.setdefault(node, set()).add(note)
    return draw_graph(
        stepper.graph(),
        notes=frame.notes,
        direction=stepper.direction,
        arrows=stepper.arrows,
        highlight=None if number is None else frame.node,
        faded=frame.faded,
        reserve={node: sorted(notes) for node, notes in reserve.items()},
    )


for _name, _stepper in STEPPERS.items():
    for _number in range(1, len(frames(_name)) + 1):
        figure(frame_file(_name, _number))(partial(draw_frame, _name, _number))
    if _stepper.still:
        figure(still_file(_name))(partial(draw_frame, _name, None))
