"""MkDocs hook: join lines of Chinese prose so browsers add no stray spaces.

Markdown keeps a line break inside a paragraph, and browsers render it as a
space — right between two Chinese characters, where no space belongs. Authors
may still wrap long zh-TW lines in the source; this hook removes the break when
the characters a reader sees on both sides are CJK, looking through the markup
that wraps them: bold (`**`), emphasis (`*`) and links (`[` … `](url)`). A break after full-width
punctuation goes too when the next line starts with code, math or Latin text
(that punctuation already carries its own space). Breaks next to Latin text,
inline code or math after a CJK letter stay: they render as the space the
sources write there anyway. Fenced code is left untouched.
"""

from __future__ import annotations

import re

CJK = r"\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef"
# Full-width punctuation: 、。「」『』（）：；，！？ and the like.
PUNCT = r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
# Markup that may close a line (bold, the end of a link) or open the next one.
CLOSERS = r"(?:\*{1,2}|\]\([^()\s]*\))*"
OPENERS = r"(?:\*{1,2}|\[)*"
BREAK = re.compile(
    rf"(?P<end>[{CJK}]{CLOSERS})[ \t]*\n[ \t]*(?=(?:{OPENERS}[{CJK}]))"
    rf"|(?P<punct>[{PUNCT}]{CLOSERS})[ \t]*\n[ \t]*"
    rf"(?=`|\$(?!\$)|\*\*|\[|[A-Za-z](?![.)]\s))"
)
FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,}).*?^\1\2[ \t]*$", re.M | re.S)


def _join(text: str) -> str:
    return BREAK.sub(lambda m: m["end"] or m["punct"], text)


def join_cjk_lines(markdown: str) -> str:
    """Remove line breaks between two CJK characters, outside fenced code."""
    pieces, last = [], 0
    for fence in FENCE.finditer(markdown):
        pieces.append(_join(markdown[last : fence.start()]))
        pieces.append(fence.group(0))
        last = fence.end()
    pieces.append(_join(markdown[last:]))
    return "".join(pieces)


def on_page_markdown(markdown: str, **_: object) -> str:
    return join_cjk_lines(markdown)
