"""MkDocs hook: highlighted code with fewer elements and the same colours.

Pygments wraps every token in a ``<span>``: each name, each run of spaces, each
bracket. On the pitfalls chapter 1,991 of the page's 2,860 elements were such
spans. The browser restyles every element each time the whole page's style is
invalidated, and Material's start-up does that several times (its colour
palette alone four times), so on the longest chapters those spans were a good
part of Lighthouse's Total Blocking Time (benchmarks/lighthouse.py).

Material's stylesheet paints many token classes with one colour variable and
gives others no rule at all. So inside each ``<pre>`` block:

* a token whose class the theme does not colour (``w`` whitespace, ``fm``
  magic names, ...) or colours like plain code (``n`` names, ``kc``
  constants: ``--md-code-hl-name-color`` is ``--md-code-fg-color``) loses its span;
* classes that share a colour variable become one class (``s1``, ``s2`` and
  ``si`` become ``s``);
* neighbouring spans of one class, with nothing but whitespace between, become one.

The text, and so what the copy button copies, is unchanged, and the page looks
the same in both palettes. ``SAME_COLOUR`` is read off Material's stylesheet;
tests/test_code_spans.py checks it against the installed theme, so a theme
update that recolours a token fails the tests instead of the page.
"""

from __future__ import annotations

import re

#: Material's token classes, grouped by the colour variable they are painted with
#: (``.highlight .<class>`` rules of its main stylesheet); the first of each group
#: stands for the group. ``gd``/``gi`` (diff backgrounds) and ``hll`` (highlighted
#: lines) have rules of their own.
SAME_COLOUR: tuple[tuple[str, ...], ...] = (
    ("o", "ow"),  # operator
    ("p",),  # punctuation
    ("s", "cpf", "l", "s1", "s2", "sb", "sc", "si", "ss"),  # string
    ("se", "cp", "sh", "sr", "sx"),  # special
    ("m", "il", "mb", "mf", "mh", "mi", "mo"),  # number
    ("k", "kd", "kn", "kp", "kr", "kt", "nd", "ni", "nl", "nt"),  # keyword
    ("nb", "bp", "no"),  # constant
    ("nf", "nc", "ne", "nn"),  # function
    ("c", "c1", "ch", "cm", "cs", "sd"),  # comment
    ("na", "nv", "vc", "vg", "vi"),  # variable
    ("ge", "gh", "go", "gp", "gr", "gs", "gt", "gu"),  # generic
    ("gd",),
    ("gi",),
    ("hll",),
)
#: Painted with ``--md-code-hl-name-color``, which is the colour of the code itself.
PLAIN: frozenset[str] = frozenset({"n", "kc"})
#: Token class -> the class it is written with; a class missing here loses its span.
CLASS_FOR: dict[str, str] = {name: group[0] for group in SAME_COLOUR for name in group}

PRE = re.compile(r"<pre\b[^>]*>.*?</pre>", re.S)
#: A token: a span with one class and text only.
TOKEN = re.compile(r'<span class="([\w-]+)">([^<]*)</span>')
#: Two spans of one class with at most whitespace between.
NEIGHBOURS = re.compile(r'<span class="([\w-]+)">([^<]*)</span>(\s*)<span class="\1">')


def token(match: re.Match[str]) -> str:
    name, text = match.groups()
    kept = CLASS_FOR.get(name)
    if kept is None:
        return text
    return f'<span class="{kept}">{text}</span>'


def merge_neighbours(block: str) -> str:
    # Each pass joins pairs; a run of n spans needs about log2(n) passes.
    while True:
        joined = NEIGHBOURS.sub(r'<span class="\1">\2\3', block)
        if joined == block:
            return block
        block = joined


def slim_block(block: str) -> str:
    """One ``<pre>`` block with its token spans reduced as described above."""
    return merge_neighbours(TOKEN.sub(token, block))


def slim_code(html: str) -> str:
    """Every ``<pre>`` block of a page's HTML slimmed; the rest is left as it is."""
    return PRE.sub(lambda match: slim_block(match.group(0)), html)


def on_page_content(html: str, **_: object) -> str:
    return slim_code(html)
