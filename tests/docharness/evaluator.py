"""Run one documentation block as a reader would and compare what it prints."""

from __future__ import annotations

import contextlib
import difflib
import io
import traceback
from dataclasses import dataclass

import pytest
from sybil import Example

from . import fresh

#: Key under which a document keeps the namespace of its last block, for continuations.
LAST_NAMESPACE = "__docharness_last_namespace__"


@dataclass(frozen=True)
class CodeExample:
    """A Python block, the output block after it (or ``None``), and how to run it."""

    source: str
    expected: str | None
    continuation: bool = False
    skip_reason: str | None = None
    #: Where the output fence sits in the page (start, end offsets), for ``update``.
    output_span: tuple[int, int] | None = None


def run_block(source: str, namespace: dict, filename: str) -> str:
    """Execute *source* in *namespace* and return what it printed to stdout."""
    buffer = io.StringIO()
    code = compile(source, filename, "exec")
    with contextlib.redirect_stdout(buffer):
        exec(code, namespace)
    return buffer.getvalue()


def compare_output(expected: str | None, got: str) -> str | None:
    """Return a readable diff when *got* differs from *expected*, else ``None``."""
    if expected is None:
        if got:
            return (
                "this block printed output but no ```text block follows it:\n"
                + got
                + "\nadd the output block, or make the block print nothing"
            )
        return None
    if expected.rstrip("\n") == got.rstrip("\n"):
        return None
    diff = difflib.unified_diff(
        expected.rstrip("\n").splitlines(),
        got.rstrip("\n").splitlines(),
        fromfile="output block on the page",
        tofile="what the code printed",
        lineterm="",
    )
    return "the printed output differs from the ```text block:\n" + "\n".join(diff)


class BlockError(Exception):
    """A block that could not run: the message says why, as the test report shows it."""


def execute(block: CodeExample, store: dict, filename: str) -> str:
    """Run *block* as a reader would and return what it printed.

    *store* is the page's namespace store (Sybil's ``document.namespace``): a
    continuation block runs in the namespace the previous block left there; any
    other block runs in a new one, after the interpreter's global state is reset.
    The doc-tests and ``docharness.update`` both run blocks through here, so the
    outputs written by an update are the outputs the tests compare.
    """
    if block.continuation:
        namespace = store.get(LAST_NAMESPACE)
        if namespace is None:
            raise BlockError("a continuation block needs a Python block before it on the same page")
    else:
        fresh.reset()
        namespace = {"__name__": "__main__"}
    store[LAST_NAMESPACE] = None  # a failed block must not be continued
    try:
        got = run_block(block.source, namespace, filename)
    except Exception as err:
        raise BlockError("the block raised an exception:\n" + traceback.format_exc()) from err
    store[LAST_NAMESPACE] = namespace
    return got


def evaluate_code(example: Example) -> str | None:
    """Sybil evaluator: a fresh namespace (or the previous one, for a continuation)."""
    block: CodeExample = example.parsed
    if block.skip_reason is not None:
        pytest.skip(block.skip_reason)
    try:
        got = execute(block, example.document.namespace, f"{example.path}:{example.line}")
    except BlockError as err:
        return str(err)
    return compare_output(block.expected, got)


def report_bad_fence(example: Example) -> str:
    """Sybil evaluator for a fence the harness refuses to run."""
    return str(example.parsed)
