"""What must match between a page and its zh-TW twin: code (less comments) and outputs."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

from .fences import Block, blocks_of

#: ``name.zh-TW.md`` and other suffixed translations of ``name.md``.
TRANSLATION_SUFFIX = re.compile(r"\.[a-z]{2}(-[A-Za-z]{2,4})?\.md$")


def code_without_comments(source: str) -> str:
    """Python source with comments and blank lines removed, for comparison."""
    try:
        tokens = [
            t
            for t in tokenize.generate_tokens(io.StringIO(source).readline)
            if t.type != tokenize.COMMENT
        ]
        source = tokenize.untokenize(tokens)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return "\n".join(line.rstrip() for line in source.splitlines() if line.strip())


def comparable(block: Block) -> tuple[str, frozenset[str], str]:
    """The parts of a block that translation must not change."""
    language = block.info.language
    body = code_without_comments(block.source) if language == "python" else block.source.strip()
    return language, block.info.classes, body


def english_pages(docs: Path) -> list[Path]:
    return sorted(p for p in docs.rglob("*.md") if not TRANSLATION_SUFFIX.search(p.name))


def twin_of(page: Path, locale: str = "zh-TW") -> Path:
    return page.with_name(f"{page.stem}.{locale}.md")


def parity_problems(english: Path, chinese: Path) -> list[str]:
    """Differences between the blocks of two pages, as readable sentences."""
    if not chinese.exists():
        return [f"{english} has no zh-TW twin {chinese.name}"]
    ours, theirs = blocks_of(english), blocks_of(chinese)
    problems = []
    for index, (a, b) in enumerate(zip(ours, theirs, strict=False), start=1):
        if comparable(a) != comparable(b):
            problems.append(
                f"block {index} differs: {english.name} line {a.line} vs "
                f"{chinese.name} line {b.line}"
            )
    if len(ours) != len(theirs):
        problems.append(f"{english.name} has {len(ours)} blocks, {chinese.name} has {len(theirs)}")
    return problems
