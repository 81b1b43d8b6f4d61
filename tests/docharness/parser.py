"""A Sybil parser that pairs each ```python block with the ```text block after it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sybil import Document, Region

from .evaluator import CodeExample, evaluate_code, report_bad_fence
from .fences import ALL_FENCES, CONTINUATION, SKIP, FenceError, check_python_fence, parse_info


class DocBlockParser:
    """Yield one region per Python block (with its output block, if any).

    Regions for fences that look like Python but cannot be run are yielded too,
    with an evaluator that fails: nothing that a reader takes for code goes
    untested silently.
    """

    def __call__(self, document: Document) -> Iterable[Region]:
        fences = list(ALL_FENCES(document))
        consumed: set[int] = set()
        for index, region in enumerate(fences):
            if index in consumed:
                continue
            raw_info = str(region.lexemes["info"])
            try:
                info = parse_info(raw_info)
            except FenceError as err:
                yield Region(region.start, region.end, str(err), report_bad_fence)
                continue
            if not info.looks_like_python:
                continue
            try:
                check_python_fence(info)
            except FenceError as err:
                yield Region(region.start, region.end, str(err), report_bad_fence)
                continue
            output, output_span, end = None, None, region.end
            following = fences[index + 1] if index + 1 < len(fences) else None
            if following is not None and _directly_follows(document.text, region, following):
                try:
                    next_info = parse_info(str(following.lexemes["info"]))
                except FenceError:
                    next_info = None
                if next_info is not None and next_info.language == "text":
                    output, end = str(following.lexemes["source"]), following.end
                    output_span = (following.start, following.end)
                    consumed.add(index + 1)
            example = CodeExample(
                source=str(region.lexemes["source"]),
                expected=output,
                continuation=CONTINUATION in info.classes,
                skip_reason=info.attributes.get("title") if SKIP in info.classes else None,
                output_span=output_span,
            )
            yield Region(region.start, end, example, evaluate_code)


def _directly_follows(text: str, first: Region, second: Region) -> bool:
    """True when only blank lines separate two fences."""
    return not text[first.end : second.start].strip()


def iter_examples(document: Document) -> Iterator[CodeExample]:
    """The runnable examples of a document, for tools outside pytest."""
    for region in DocBlockParser()(document):
        if isinstance(region.parsed, CodeExample):
            yield region.parsed
