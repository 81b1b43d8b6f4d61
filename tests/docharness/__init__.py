"""Doc-test harness: every Python block in docs/ runs as a reader would paste it.

Composed the way Sybil composes its own parsers: a lexer finds fences
(:mod:`.fences`), a parser pairs code with its output block (:mod:`.parser`),
and an evaluator runs the code in a fresh namespace after resetting global
state (:mod:`.evaluator`, :mod:`.fresh`).
"""

from .fences import Block, FenceError, FenceInfo, blocks_of, parse_info
from .parser import DocBlockParser

__all__ = ["Block", "DocBlockParser", "FenceError", "FenceInfo", "blocks_of", "parse_info"]
