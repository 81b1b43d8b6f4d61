"""Count the bytes a forward pass leaves behind for ``backward()``.

Every node of a recorded graph keeps some tensors of the forward pass until
the backward pass has used them (its *saved tensors*). Those are what makes
training need more memory than inference, and they are invisible: nothing in
a model's parameters or its output says how many there are. PyTorch offers a
door, [`torch.autograd.graph.saved_tensors_hooks`][saved-hooks]: a *pack*
hook is called with every tensor a node saves. [`SavedTensorLog`][] hangs one
on a forward pass and writes down each saved tensor's shape, dtype and size.

Adding up those sizes is not yet the memory the graph costs. A node often
saves a tensor that exists anyway (a parameter, the input batch), and two
nodes often save the same tensor (a ``ReLU`` saves its output, the next
``Linear`` saves it as its input). So the log also tells which *storage* (the
block of memory behind a tensor) each saved tensor lives in, whether that
storage belongs to a parameter, to an input or was made by the forward pass,
and it adds up each storage once. [`ForwardCounter`][] counts the calls of a
module's ``forward``, to show what activation checkpointing pays for its
savings: a second forward pass during the backward one.

[saved-hooks]: https://pytorch.org/docs/stable/autograd.html#torch.autograd.graph.saved_tensors_hooks
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Literal

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure
from torch import nn
from torch.utils.checkpoint import checkpoint

from .checks import integer
from .figures import figure

__all__ = ["OWNERS", "ForwardCounter", "SavedTensor", "SavedTensorLog", "saved_bytes_figure"]

#: Who a saved tensor's memory belongs to: it is a parameter's or an input's
#: (it would exist without the graph), or the forward pass made it.
OWNERS = ("parameter", "input", "forward")

Owner = Literal["parameter", "input", "forward"]

#: A storage, told apart from others while it is alive: device and address.
_Key = tuple[str, int]


def _key(storage: torch.UntypedStorage) -> _Key:
    return (str(storage.device), storage.data_ptr())


def _tensors(name: str, values: Iterable[object]) -> tuple[torch.Tensor, ...]:
    if isinstance(values, torch.Tensor) or not isinstance(values, Iterable):
        raise TypeError(
            f"{name} must be an iterable of tensors (a list, or model.parameters()), "
            f"got {type(values).__name__}"
        )
    tensors = tuple(values)
    for i, t in enumerate(tensors):
        if not isinstance(t, torch.Tensor):
            raise TypeError(f"{name}[{i}] must be a torch.Tensor, got {type(t).__name__}")
    return tensors


@dataclass(frozen=True)
class SavedTensor:
    """One tensor a node saved, as the pack hook saw it.

    ``nbytes`` is the size of the tensor's own elements; ``storage`` numbers
    the memory block behind it (0 for the first block seen, 1 for the next…),
    so that two saved tensors with the same number share their memory;
    ``owner`` says whose memory that is: ``"parameter"``, ``"input"`` or ``"forward"``.
    """

    shape: tuple[int, ...]
    dtype: torch.dtype
    nbytes: int
    storage: int
    owner: Owner


class SavedTensorLog:
    """A context manager that records every tensor autograd saves inside it.

    ``parameters`` and ``inputs`` are tensors whose memory exists without the
    graph: a saved tensor that lives in one of their storages (the tensor
    itself, or a view such as the transposed weight a ``Linear`` saves) is
    counted as theirs, not as memory the forward pass made.

    While the block runs, the log holds every saved storage, so that no two
    storages can share an address and be mistaken for one; when the block
    ends it keeps only weak references, so that it keeps nothing alive and
    [`alive_bytes`][autograd_guide.memory.SavedTensorLog.alive_bytes] can
    tell what the graph still holds. A log records one block: enter it once.
    """

    def __init__(
        self,
        parameters: Iterable[torch.Tensor] = (),
        inputs: Iterable[torch.Tensor] = (),
    ) -> None:
        owners: dict[_Key, Owner] = {}
        for t in _tensors("inputs", inputs):
            owners[_key(t.untyped_storage())] = "input"
        for t in _tensors("parameters", parameters):
            owners[_key(t.untyped_storage())] = "parameter"
        self._owners = owners
        self._saved: list[SavedTensor] = []
        self._numbers: dict[_Key, int] = {}
        self._held: list[torch.UntypedStorage] = []
        self._weak: list[weakref.ref[torch.UntypedStorage]] = []
        self._storage_owner: list[Owner] = []
        self._storage_bytes: list[int] = []
        self._hooks: torch.autograd.graph.saved_tensors_hooks | None = None
        self._used = False

    def _pack(self, t: torch.Tensor) -> torch.Tensor:
        storage = t.untyped_storage()
        key = _key(storage)
        number = self._numbers.get(key)
        if number is None:
            number = len(self._held)
            self._numbers[key] = number
            self._held.append(storage)
            self._storage_owner.append(self._owners.get(key, "forward"))
            self._storage_bytes.append(storage.nbytes())
        self._saved.append(
            SavedTensor(
                shape=tuple(t.shape),
                dtype=t.dtype,
                nbytes=t.numel() * t.element_size(),
                storage=number,
                owner=self._storage_owner[number],
            )
        )
        # The same memory, without the tensor's grad_fn: a tensor a node saves
        # from its own output would otherwise hold that node, which holds it
        # back, a reference cycle that keeps the graph alive when backward()
        # never runs (PyTorch's documentation of the hooks asks for detach()).
        return t.detach()

    @staticmethod
    def _unpack(t: torch.Tensor) -> torch.Tensor:
        return t

    def __enter__(self) -> SavedTensorLog:
        if self._used:
            raise RuntimeError("a SavedTensorLog records one block; make a new one")
        self._used = True
        self._hooks = torch.autograd.graph.saved_tensors_hooks(self._pack, self._unpack)
        self._hooks.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._hooks is not None
        self._hooks.__exit__(exc_type, exc, tb)
        self._hooks = None
        self._weak = [weakref.ref(s) for s in self._held]
        self._held = []
        self._numbers = {}  # addresses may be reused once the storages are freed

    @property
    def saved(self) -> tuple[SavedTensor, ...]:
        """Every save, in the order the nodes saved them (a tensor saved twice is here twice)."""
        return tuple(self._saved)

    def __len__(self) -> int:
        return len(self._saved)

    @property
    def total_bytes(self) -> int:
        """The sizes of all saves added up: what a naive count reports, repeats included."""
        return sum(s.nbytes for s in self._saved)

    def _check_owner(self, owner: str | None) -> None:
        if owner is not None and owner not in OWNERS:
            raise ValueError(f"owner must be None or one of {OWNERS}, got {owner!r}")

    def storage_bytes(self, owner: str | None = None) -> int:
        """Bytes of the distinct storages the saves live in, each counted once.

        With ``owner="forward"`` this is the memory the graph keeps that would
        not exist without it: the activations. A storage's whole size counts,
        even where a node saved only a slice of it, because the slice keeps
        all of it alive.
        """
        self._check_owner(owner)
        return sum(
            size
            for size, who in zip(self._storage_bytes, self._storage_owner, strict=True)
            if owner is None or who == owner
        )

    def storages(self, owner: str | None = None) -> int:
        """How many distinct storages the saves live in (of that ``owner``, if given)."""
        self._check_owner(owner)
        return sum(1 for who in self._storage_owner if owner is None or who == owner)

    def alive_bytes(self, owner: str | None = None) -> int:
        """Bytes of the saved storages that still exist now, each counted once.

        Inside the block every one does (the log holds them). After it, a
        storage is alive while anything holds it: the graph until
        ``backward()`` frees it, or a tensor of yours. Call ``gc.collect()``
        first if reference cycles may hold what you dropped.
        """
        self._check_owner(owner)
        if self._hooks is not None:
            return self.storage_bytes(owner)
        return sum(
            size
            for ref, size, who in zip(
                self._weak, self._storage_bytes, self._storage_owner, strict=True
            )
            if ref() is not None and (owner is None or who == owner)
        )

    def table(self, limit: int | None = None) -> str:
        """One line per save: its number, shape, dtype, bytes, storage and owner.

        *limit* keeps the first saves only (a deep model saves hundreds).
        """
        saves = self._saved
        if limit is not None:
            saves = saves[: integer("limit", limit, 0)]
        lines = [f"{'#':<2} {'shape':<12} {'dtype':<8} {'bytes':>7}  storage owner"]
        for i, s in enumerate(saves):
            dtype = str(s.dtype).removeprefix("torch.")
            lines.append(
                f"{i:<2} {s.shape!s:<12} {dtype:<8} {s.nbytes:>7}  {s.storage:>7} {s.owner}"
            )
        return "\n".join(lines)


class ForwardCounter:
    """Count the calls of one or more modules' ``forward``, for as long as the block lasts.

    Activation checkpointing trades memory for time by running a segment's
    forward pass again during ``backward()``. Counting the calls makes that
    second pass visible: keep ``backward()`` inside the block. The count
    comes from a forward pre-hook, removed when the block ends.
    """

    def __init__(self, *modules: nn.Module) -> None:
        if not modules:
            raise ValueError("ForwardCounter needs at least one module")
        for i, m in enumerate(modules):
            if not isinstance(m, nn.Module):
                raise TypeError(f"modules[{i}] must be a torch.nn.Module, got {type(m).__name__}")
        self._modules = modules
        self._calls = [0] * len(modules)
        self._handles: list[torch.utils.hooks.RemovableHandle] = []

    def _hook(self, index: int) -> Callable[[nn.Module, tuple[object, ...]], None]:
        def pre_hook(module: nn.Module, args: tuple[object, ...]) -> None:
            self._calls[index] += 1

        return pre_hook

    def __enter__(self) -> ForwardCounter:
        if self._handles:
            raise RuntimeError("this ForwardCounter is already counting")
        self._handles = [
            m.register_forward_pre_hook(self._hook(i)) for i, m in enumerate(self._modules)
        ]
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles = []

    @property
    def calls(self) -> tuple[int, ...]:
        """The number of forward calls so far, one count per module, in the order given."""
        return tuple(self._calls)


#: The figure's model: 4 blocks of 4 ``Linear(256, 256)`` + ``ReLU``, and a head
#: with 10 outputs, as on the page's checkpointing section.
FIGURE_BLOCKS = 4
FIGURE_LAYERS = 4
FIGURE_WIDTH = 256
FIGURE_BATCHES = (1, 64, 128, 192, 256, 320, 384, 448, 512)
#: The smallest text of the figure, in points: 9 CSS pixels or more where a
#: 375 px phone shrinks the figure to its screen (tests/test_figures.py).
SMALLEST_TEXT = 11
MIB = 2**20

FIGURE_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Memory the graph keeps for backward()",
        "plain": "Activations, no checkpointing",
        "checkpointed": "Activations, each block checkpointed",
        "parameters": "Parameters",
        "batch": "Batch size",
        "bytes": "Bytes kept (MiB)",
    },
    "zh-TW": {
        "title": "計算圖為反向傳播保存的記憶體",
        "plain": "活化值，不用檢查點",
        "checkpointed": "活化值，每個區塊都用檢查點",
        "parameters": "參數",
        "batch": "批次大小",
        "bytes": "保存的大小（單位：2²⁰ 位元組）",
    },
}


def _figure_bytes() -> tuple[int, list[int], list[int]]:
    """Parameter bytes, and activation bytes per batch size without and with checkpointing."""
    torch.manual_seed(0)
    blocks = nn.ModuleList(
        nn.Sequential(
            *[
                m
                for _ in range(FIGURE_LAYERS)
                for m in (nn.Linear(FIGURE_WIDTH, FIGURE_WIDTH), nn.ReLU())
            ]
        )
        for _ in range(FIGURE_BLOCKS)
    )
    head = nn.Linear(FIGURE_WIDTH, 10)
    params = list(blocks.parameters()) + list(head.parameters())
    plain, checkpointed = [], []
    for batch in FIGURE_BATCHES:
        x = torch.randn(batch, FIGURE_WIDTH)
        y = torch.randint(0, 10, (batch,))
        for use, made in ((False, plain), (True, checkpointed)):
            with SavedTensorLog(params, inputs=[x, y]) as log:
                h = x
                for block in blocks:
                    h = checkpoint(block, h, use_reentrant=False) if use else block(h)
                nn.functional.cross_entropy(head(h), y)
            made.append(log.storage_bytes("forward"))
    return sum(p.numel() * p.element_size() for p in params), plain, checkpointed


@figure("saved-bytes.svg", translated=True)
def saved_bytes_figure(lang: str = "en") -> Figure:
    """Activation bytes saved for backward against the batch size, with the parameters' bytes.

    Without checkpointing the 16-layer model keeps every ReLU's output, and by a
    batch of about 256 samples that is as much memory as all its parameters;
    with each block checkpointed it keeps only the blocks' inputs, a quarter of
    it. The numbers come from [`SavedTensorLog`][] on real forward passes. The
    words are in *lang*; axes and ticks are fixed, not taken from the data.
    """
    words = FIGURE_WORDS[lang]
    params, plain, checkpointed = _figure_bytes()
    fig, ax = plt.subplots(figsize=(5.2, 4.4), layout="constrained")
    ax.plot(
        FIGURE_BATCHES,
        [b / MIB for b in plain],
        "o-",
        color="#d84315",
        lw=2.5,
        label=words["plain"],
    )
    ax.plot(
        FIGURE_BATCHES,
        [b / MIB for b in checkpointed],
        "s-",
        color="#1565c0",
        lw=2.5,
        label=words["checkpointed"],
    )
    ax.axhline(params / MIB, color="black", lw=1.2, ls="--", label=words["parameters"])
    ax.set_xlim(0, 520)
    ax.set_ylim(0, 9)
    ax.set_xticks([0, 128, 256, 384, 512])
    ax.set_yticks([0, 2, 4, 6, 8])
    ax.set_xlabel(words["batch"])
    ax.set_ylabel(words["bytes"])
    ax.set_title(words["title"])
    ax.legend(loc="upper left", fontsize=SMALLEST_TEXT)
    ax.grid(alpha=0.3)
    ax.tick_params(labelsize=SMALLEST_TEXT)
    return fig
