"""The in-process harness gives what a real fresh ``python`` gives.

The doc-tests run every block in one warmed-up interpreter, resetting global
state between blocks (docharness.fresh). This test is the proof that the shortcut
is honest: it pastes a sample of blocks into real new processes — the first
stand-alone block with output of every English page — and compares what they
print with the page.
"""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sybil import Document

from docharness.evaluator import CodeExample, compare_output
from docharness.parity import english_pages
from docharness.parser import iter_examples

DOCS = Path(__file__).resolve().parent.parent / "docs"


def sample() -> list[tuple[str, CodeExample]]:
    picked = []
    for page in english_pages(DOCS):
        document = Document(page.read_text(encoding="utf-8"), str(page))
        for example in iter_examples(document):
            if example.expected is not None and not (example.continuation or example.skip_reason):
                picked.append((page.name, example))
                break
    return picked


def run_fresh(source: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", source],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.slow
def test_sampled_blocks_print_the_same_in_fresh_processes() -> None:
    picked = sample()
    assert len(picked) >= 3
    with ThreadPoolExecutor(max_workers=2) as pool:
        outputs = list(pool.map(run_fresh, [example.source for _, example in picked]))
    problems = {
        name: problem
        for (name, example), got in zip(picked, outputs, strict=True)
        if (problem := compare_output(example.expected, got)) is not None
    }
    assert problems == {}
