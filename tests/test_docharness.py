"""The doc-test harness itself: each rule, shown failing on a bad example."""

from __future__ import annotations

from pathlib import Path

import pytest
from _pytest.outcomes import Skipped
from sybil import Sybil
from sybil.example import SybilFailure

from docharness import DocBlockParser
from docharness.fences import FenceError, parse_info

FENCE = "```"


def run_page(tmp_path: Path, text: str) -> list[str | None]:
    """Evaluate every example of a page in order; return None per pass, else the failure."""
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    sybil = Sybil(parsers=[DocBlockParser()], pattern="*.md", path=str(tmp_path))
    document = sybil.parse(page)
    results: list[str | None] = []
    for example in document.examples():
        try:
            example.evaluate()
        except SybilFailure as failure:
            results.append(str(failure))
        else:
            results.append(None)
    return results


def block(code: str, output: str | None = None, info: str = "python") -> str:
    text = f"{FENCE}{info}\n{code}\n{FENCE}\n\n"
    if output is not None:
        text += f'{FENCE}text title="Output"\n{output}\n{FENCE}\n\n'
    return text


def test_matching_output_passes(tmp_path: Path) -> None:
    assert run_page(tmp_path, block("print(1 + 1)", "2")) == [None]


def test_mismatch_fails_with_diff_file_and_line(tmp_path: Path) -> None:
    page = "# Title\n\n" + block("print(1 + 1)", "3")
    [failure] = run_page(tmp_path, page)
    assert failure is not None
    assert "page.md, line 3" in failure
    assert "-3" in failure and "+2" in failure


def test_output_without_output_block_fails(tmp_path: Path) -> None:
    [failure] = run_page(tmp_path, block("print('hi')"))
    assert failure is not None and "no ```text block follows" in failure


def test_silent_block_without_output_passes(tmp_path: Path) -> None:
    assert run_page(tmp_path, block("x = 1")) == [None]


def test_output_block_must_follow_directly(tmp_path: Path) -> None:
    page = f"{FENCE}python\nprint(2)\n{FENCE}\n\nSome prose.\n\n{FENCE}text\n2\n{FENCE}\n"
    [failure] = run_page(tmp_path, page)
    assert failure is not None and "no ```text block follows" in failure


def test_exception_fails_with_traceback(tmp_path: Path) -> None:
    [failure] = run_page(tmp_path, block("1 / 0"))
    assert failure is not None and "ZeroDivisionError" in failure


@pytest.mark.parametrize(
    "info",
    ["py", "pycon", "python3", "Python", "ipython", 'python foo="bar"', "{.python .weird}"],
)
def test_python_lookalike_fences_fail(tmp_path: Path, info: str) -> None:
    [failure] = run_page(tmp_path, block("print(1)", "1", info=info))
    assert failure is not None and "python" in failure.lower()


def test_other_languages_are_ignored(tmp_path: Path) -> None:
    assert run_page(tmp_path, block("make test", info="bash") + block("x", info="text")) == []


def test_skip_needs_visible_reason(tmp_path: Path) -> None:
    [failure] = run_page(tmp_path, block("print(1)", info="{.python .skip}"))
    assert failure is not None and "visible reason" in failure


def test_skip_with_reason_is_reported_as_skipped(tmp_path: Path) -> None:
    page = block("import nothing_here", info='{.python .skip title="Not run: needs CUDA"}')
    with pytest.raises(Skipped, match="needs CUDA"):
        run_page(tmp_path, page)


def test_blocks_do_not_share_names(tmp_path: Path) -> None:
    page = block("x = 41") + block("print(x + 1)", "42")
    first, second = run_page(tmp_path, page)
    assert first is None
    assert second is not None and "NameError" in second


def test_continuation_sees_previous_block(tmp_path: Path) -> None:
    page = block("x = 41") + block("print(x + 1)", "42", info="{.python .continuation}")
    assert run_page(tmp_path, page) == [None, None]


def test_continuation_needs_a_block_before(tmp_path: Path) -> None:
    [failure] = run_page(tmp_path, block("print(1)", "1", info="{.python .continuation}"))
    assert failure is not None and "needs a Python block before it" in failure


def test_random_state_is_not_inherited(tmp_path: Path) -> None:
    """A block that forgot its seed must not pass by luck of the block before."""
    seeded = "import torch\ntorch.manual_seed(0)\nprint(torch.randn(2))"
    expected = "tensor([ 1.5410, -0.2934])"
    unseeded = "import torch\nprint(torch.randn(2))"
    page = block("import torch\ntorch.manual_seed(0)") + block(unseeded, expected)
    assert run_page(tmp_path, block(seeded, expected)) == [None]
    first, second = run_page(tmp_path, page)
    assert first is None and second is not None


def test_print_options_and_grad_mode_are_reset(tmp_path: Path) -> None:
    changer = (
        "import torch, numpy\n"
        "torch.set_printoptions(precision=1)\n"
        "numpy.set_printoptions(precision=1)\n"
        "torch.set_grad_enabled(False)\n"
        "torch.set_default_dtype(torch.float64)"
    )
    reader = (
        "import torch, numpy\n"
        "print(torch.tensor([1 / 3]))\n"
        "print(numpy.array([1 / 3]))\n"
        "print(torch.is_grad_enabled(), torch.get_default_dtype())"
    )
    expected = "tensor([0.3333])\n[0.33333333]\nTrue torch.float32"
    assert run_page(tmp_path, block(changer) + block(reader, expected)) == [None, None]


def test_warning_shown_again_in_a_later_block(tmp_path: Path) -> None:
    code = (
        "import warnings\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.warn('careful')\n"
        "print(len(caught))"
    )
    assert run_page(tmp_path, block(code, "1") + block(code, "1")) == [None, None]


def test_fence_info_is_read() -> None:
    info = parse_info('{.python .continuation title="Step 2"}')
    assert info.language == "python"
    assert info.classes == {"continuation"}
    assert info.attributes == {"title": "Step 2"}
    assert parse_info('text title="Output"').attributes == {"title": "Output"}
    with pytest.raises(FenceError):
        parse_info('python title="unclosed')
