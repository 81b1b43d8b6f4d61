"""MkDocs hook: join lines of Chinese prose so browsers add no stray spaces.

Markdown keeps a line break inside a paragraph, and browsers render it as a
space — right between two Chinese characters, where no space belongs. Authors
may still wrap long zh-TW lines in the source; this hook removes the break when
the characters on both sides are CJK. Fenced code is left untouched.
"""

from __future__ import annotations

import re

CJK = r"\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef"
BREAK = re.compile(rf"(?<=[{CJK}])[ \t]*\n[ \t]*(?=[{CJK}])")
FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,}).*?^\1\2[ \t]*$", re.M | re.S)


def join_cjk_lines(markdown: str) -> str:
    """Remove line breaks between two CJK characters, outside fenced code."""
    pieces, last = [], 0
    for fence in FENCE.finditer(markdown):
        pieces.append(BREAK.sub("", markdown[last : fence.start()]))
        pieces.append(fence.group(0))
        last = fence.end()
    pieces.append(BREAK.sub("", markdown[last:]))
    return "".join(pieces)


def on_page_markdown(markdown: str, **_: object) -> str:
    return join_cjk_lines(markdown)
