"""Reading fence info strings and listing the code blocks of a Markdown file.

Only two spellings are accepted for code the tests run, both of which Material
renders: ```` ```python title="…" ```` and the attribute-list form
```` ```{.python .continuation title="…"} ````. Anything else that looks like
Python is rejected, because Sybil would otherwise skip it without a word.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from sybil import Document
from sybil.parsers.markdown.lexers import RawFencedCodeBlockLexer

#: Languages a reader would take for Python although the tests would not run them.
PYTHON_LOOKALIKES = re.compile(r"^(py|pycon|py3|pyi|python\d*|ipython\d*|python-repl)$", re.I)

#: Attributes Material understands on a code block; any other is a typo to report.
KNOWN_ATTRIBUTES = frozenset({"title", "hl_lines", "linenums"})

#: Classes with a meaning for the harness.
CONTINUATION = "continuation"
SKIP = "skip"
KNOWN_CLASSES = frozenset({CONTINUATION, SKIP})

ALL_FENCES = RawFencedCodeBlockLexer(
    info_pattern=re.compile(r"(?P<info>[^\n]*)$\n", re.MULTILINE),
)


class FenceError(ValueError):
    """An info string that the harness cannot run, with the reason."""


@dataclass(frozen=True)
class FenceInfo:
    """What an info string says: the language, classes and attributes."""

    language: str
    classes: frozenset[str] = field(default_factory=frozenset)
    attributes: dict[str, str] = field(default_factory=dict)

    @property
    def looks_like_python(self) -> bool:
        return self.language == "python" or bool(PYTHON_LOOKALIKES.match(self.language))


def parse_info(info: str) -> FenceInfo:
    """Split an info string such as ``{.python .skip title="x"}`` into its parts.

    Raises :class:`FenceError` when the string is malformed (unbalanced quotes or
    braces), so that a typo cannot hide a block from the tests.
    """
    info = info.strip()
    braced = info.startswith("{")
    if braced:
        if not info.endswith("}"):
            raise FenceError(f"unclosed attribute list {info!r}")
        info = info[1:-1].strip()
    try:
        words = shlex.split(info, posix=True)
    except ValueError as err:
        raise FenceError(f"cannot read info string {info!r}: {err}") from None
    if not words:
        return FenceInfo(language="")
    language, *rest = words
    if braced:
        language = language.removeprefix(".")
    classes: set[str] = set()
    attributes: dict[str, str] = {}
    for word in rest:
        if word.startswith(".") and braced:
            classes.add(word[1:])
        elif "=" in word:
            key, value = word.split("=", 1)
            attributes[key] = value
        else:
            attributes[word] = ""
    return FenceInfo(language=language, classes=frozenset(classes), attributes=attributes)


def check_python_fence(info: FenceInfo) -> None:
    """Raise :class:`FenceError` unless *info* is a Python block the harness runs."""
    if info.language != "python":
        raise FenceError(
            f"fence language {info.language!r} looks like Python but is not run by the tests; "
            "write ```python (plain code, no >>> prompts) or mark it "
            '```{.python .skip title="Not run: <reason>"}'
        )
    unknown = set(info.attributes) - KNOWN_ATTRIBUTES
    if unknown:
        raise FenceError(
            f"unknown attribute(s) {sorted(unknown)} on a python fence; "
            f"expected only {sorted(KNOWN_ATTRIBUTES)}"
        )
    unknown_classes = set(info.classes) - KNOWN_CLASSES
    if unknown_classes:
        raise FenceError(
            f"unknown class(es) {sorted(unknown_classes)} on a python fence; "
            f"expected only {sorted(KNOWN_CLASSES)}"
        )
    if SKIP in info.classes and not info.attributes.get("title", "").strip():
        raise FenceError('a skipped block needs a visible reason: add title="Not run: <reason>"')
    if {SKIP, CONTINUATION} <= info.classes:
        raise FenceError("a block cannot be both skipped and a continuation")


@dataclass(frozen=True)
class Block:
    """One fenced block of a Markdown file, as the parity check compares them."""

    info: FenceInfo
    source: str
    line: int
    start: int
    end: int


def blocks_of(path: Path | str) -> list[Block]:
    """Every fenced block of a Markdown file, in order."""
    text = Path(path).read_text(encoding="utf-8")
    document = Document(text, str(path))
    blocks = []
    for region in ALL_FENCES(document):
        raw_info = str(region.lexemes["info"])
        try:
            info = parse_info(raw_info)
        except FenceError:
            info = FenceInfo(language=raw_info.strip())
        line = text.count("\n", 0, region.start) + 1
        blocks.append(Block(info, str(region.lexemes["source"]), line, region.start, region.end))
    return blocks
