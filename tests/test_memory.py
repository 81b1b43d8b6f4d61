"""Saved tensors counted by their storages, and forward calls counted through checkpointing."""

import gc

import pytest
import torch
from torch import nn
from torch.utils.checkpoint import checkpoint

from autograd_guide.memory import OWNERS, ForwardCounter, SavedTensor, SavedTensorLog


def _mlp() -> nn.Sequential:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))


def test_saves_of_a_small_mlp_by_owner() -> None:
    model = _mlp()
    x = torch.randn(5, 4)
    with SavedTensorLog(model.parameters(), inputs=[x]) as log:
        out = model(x).pow(2).sum()
    # Linear 1 saves x (no weight: x needs no gradient); ReLU saves its output,
    # Linear 2 saves it again and its transposed weight; pow saves its input.
    assert [s.shape for s in log.saved] == [(5, 4), (5, 8), (5, 8), (8, 3), (5, 3)]
    assert [s.owner for s in log.saved] == ["input", "forward", "forward", "parameter", "forward"]
    assert [s.storage for s in log.saved] == [0, 1, 1, 2, 3]
    assert all(s.dtype == torch.float32 for s in log.saved)
    assert len(log) == 5
    assert log.total_bytes == 4 * (20 + 40 + 40 + 24 + 15)
    assert log.storages() == 4
    assert log.storage_bytes() == 4 * (20 + 40 + 24 + 15)
    assert log.storage_bytes("forward") == 4 * (40 + 15)
    assert log.storage_bytes("parameter") == 4 * 24
    assert log.storage_bytes("input") == 4 * 20
    assert sum(log.storages(o) for o in OWNERS) == log.storages()
    out.backward()  # the detached saves still give gradients
    assert model[0].weight.grad is not None


def test_forward_bytes_grow_with_the_batch() -> None:
    model = _mlp()
    made = []
    for batch in (1, 2, 10):
        x = torch.randn(batch, 4)
        with SavedTensorLog(model.parameters(), inputs=[x]) as log:
            model(x).sum()
        made.append(log.storage_bytes("forward"))
    assert made == [4 * 8 * b for b in (1, 2, 10)]  # the ReLU's output: 8 floats a sample


def test_alive_bytes_follow_the_graph() -> None:
    model = _mlp()
    x = torch.randn(5, 4)
    with SavedTensorLog(model.parameters(), inputs=[x]) as log:
        loss = model(x).pow(2).sum()
        assert log.alive_bytes() == log.storage_bytes()
    assert log.alive_bytes("forward") == 4 * (40 + 15)
    loss.backward()
    assert log.alive_bytes("forward") == 0
    assert log.alive_bytes("parameter") == 4 * 24  # the model still holds its weight

    with SavedTensorLog(model.parameters(), inputs=[x]) as log:
        out = model(x).exp().sum()  # exp saves its own output
    assert log.alive_bytes("forward") > 0
    del out  # no backward(): the log itself must not keep the graph alive
    gc.collect()
    assert log.alive_bytes("forward") == 0


def test_no_grad_and_inference_mode_save_nothing() -> None:
    model = _mlp()
    x = torch.randn(5, 4)
    for mode in (torch.no_grad, torch.inference_mode):
        with mode(), SavedTensorLog(model.parameters(), inputs=[x]) as log:
            model(x)
        assert len(log) == 0
        assert log.storage_bytes() == 0


def test_saved_tensor_is_a_frozen_record() -> None:
    s = SavedTensor(shape=(2,), dtype=torch.float32, nbytes=8, storage=0, owner="forward")
    with pytest.raises(AttributeError):
        s.nbytes = 4  # type: ignore[misc]


def test_table_lists_every_save() -> None:
    model = _mlp()
    x = torch.randn(5, 4)
    with SavedTensorLog(model.parameters(), inputs=[x]) as log:
        model(x).pow(2).sum()
    lines = log.table().splitlines()
    assert lines[0].split() == ["#", "shape", "dtype", "bytes", "storage", "owner"]
    assert lines[1].split() == ["0", "(5,", "4)", "float32", "80", "0", "input"]
    assert len(lines) == 1 + len(log)
    assert len(log.table(limit=2).splitlines()) == 3


def test_checkpoint_saves_less_and_runs_forward_twice() -> None:
    torch.manual_seed(0)
    block = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU())
    params = list(block.parameters())
    x = torch.randn(3, 8)
    grads, made = [], []
    for checkpointed in (False, True):
        for p in params:
            p.grad = None
        with ForwardCounter(block) as counter:
            with SavedTensorLog(params, inputs=[x]) as log:
                h = checkpoint(block, x, use_reentrant=False) if checkpointed else block(x)
                loss = h.pow(2).sum()
            assert counter.calls == (1,)
            loss.backward()
        assert counter.calls == ((2,) if checkpointed else (1,))
        grads.append([p.grad.clone() for p in params])
        made.append(log.storage_bytes("forward"))
    assert made == [4 * 3 * 8 * 2, 4 * 3 * 8]  # two ReLU outputs, then only the block's output
    assert all(torch.equal(a, b) for a, b in zip(*grads, strict=True))


def test_forward_counter_stops_counting_after_the_block() -> None:
    a, b = nn.Linear(2, 2), nn.Linear(2, 2)
    with ForwardCounter(a, b) as counter:
        b(a(torch.ones(1, 2)))
        a(torch.ones(1, 2))
    a(torch.ones(1, 2))
    assert counter.calls == (2, 1)
    assert not a._forward_pre_hooks


def test_log_errors() -> None:
    with pytest.raises(TypeError, match="parameters must be an iterable of tensors"):
        SavedTensorLog(torch.ones(2))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="inputs must be an iterable"):
        SavedTensorLog(inputs=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"inputs\[1\] must be a torch.Tensor, got list"):
        SavedTensorLog(inputs=[torch.ones(1), [1.0]])  # type: ignore[list-item]
    log = SavedTensorLog()
    with pytest.raises(ValueError, match="owner must be None or one of"):
        log.storage_bytes("activation")
    with pytest.raises(ValueError, match="owner must be None or one of"):
        log.alive_bytes("weights")
    with pytest.raises(ValueError, match="owner must be None or one of"):
        log.storages("x")
    with pytest.raises(TypeError, match="limit must be an int"):
        log.table(limit=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="limit must be >= 0"):
        log.table(limit=-1)
    with log:
        pass
    with pytest.raises(RuntimeError, match="records one block"), log:
        pass


def test_counter_errors() -> None:
    with pytest.raises(ValueError, match="at least one module"):
        ForwardCounter()
    with pytest.raises(TypeError, match=r"modules\[1\] must be a torch.nn.Module, got function"):
        ForwardCounter(nn.ReLU(), lambda t: t)  # type: ignore[arg-type]
    counter = ForwardCounter(nn.ReLU())
    with counter, pytest.raises(RuntimeError, match="already counting"), counter:
        pass
