"""hooks/code_spans.py: fewer spans in highlighted code, same text, same colours."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import material
import pytest

from repo_modules import ROOT, load

code_spans = load("hooks/code_spans.py")

STYLESHEETS = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"


def theme_css() -> str:
    css = "".join(p.read_text(encoding="utf-8") for p in sorted(STYLESHEETS.glob("*.css")))
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def token_rules(css: str) -> dict[str, set[str]]:
    """Token class -> the declarations of the theme's ``.highlight .<class>`` rules."""
    rules: dict[str, set[str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        for selector in selectors.split(","):
            match = re.fullmatch(r"\s*\.highlight \.([\w-]+)\s*", selector)
            if match:
                rules.setdefault(match.group(1), set()).update(body.split(";"))
    return rules


def test_groups_are_the_themes_colours() -> None:
    rules = token_rules(theme_css())
    assert len(rules) > 40, "no token rules found: has Material's stylesheet moved?"
    for group in code_spans.SAME_COLOUR:
        assert {frozenset(rules[name]) for name in group} == {frozenset(rules[group[0]])}, group
    styled = set(rules) - code_spans.PLAIN
    assert styled == set(code_spans.CLASS_FOR), "a styled token class would lose its span"


def test_plain_classes_have_the_code_colour_in_both_palettes() -> None:
    css = theme_css()
    rules = token_rules(css)
    for name in code_spans.PLAIN:
        assert rules[name] == {"color:var(--md-code-hl-name-color)"}
    definitions = set(re.findall(r"--md-code-hl-name-color:([^;}]+)", css))
    assert definitions == {"var(--md-code-fg-color)"}
    extra = (ROOT / "docs" / "assets" / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    # The site's own stylesheet recolours some groups for contrast, never names or tokens.
    assert "--md-code-hl-name-color" not in extra and not token_rules(extra)


class Colours(HTMLParser):
    """Each character of the code with the colour group it is painted in."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.painted: list[tuple[str, str]] = []
        self.elements = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements += 1
        names = (dict(attrs).get("class") or "").split()
        group = next((code_spans.CLASS_FOR[n] for n in names if n in code_spans.CLASS_FOR), "")
        self.stack.append(group or (self.stack[-1] if self.stack else ""))

    def handle_endtag(self, tag: str) -> None:
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        colour = self.stack[-1] if self.stack else ""
        # Whitespace shows no colour, so it may move into or out of a span.
        self.painted += [(char, "" if char.isspace() else colour) for char in data]


def painted(fragment: str) -> Colours:
    parser = Colours()
    parser.feed(fragment)
    return parser


def highlighted_doc_blocks() -> list[str]:
    """The site's own Python blocks, highlighted as mkdocs.yml configures it."""
    md = markdown.Markdown(
        extensions=["pymdownx.highlight", "pymdownx.superfences"],
        extension_configs={"pymdownx.highlight": {"pygments_lang_class": True}},
    )
    blocks = []
    for page in sorted((ROOT / "docs").glob("*.md")):
        for source in re.findall(r"^```python\n(.*?)^```", page.read_text("utf-8"), re.M | re.S):
            blocks.append(md.reset().convert(f"```python\n{source}```"))
    return blocks


def test_every_doc_block_keeps_its_text_and_colours() -> None:
    blocks = highlighted_doc_blocks()
    assert len(blocks) > 100
    before = after = 0
    for block in blocks:
        slim = code_spans.slim_code(block)
        old, new = painted(block), painted(slim)
        assert new.painted == old.painted
        before, after = before + old.elements, after + new.elements
    assert after < 0.7 * before, (before, after)


def test_a_small_block_exactly() -> None:
    block = (
        '<pre><span></span><code><span class="n">x</span> <span class="o">=</span> '
        '<span class="o">-</span><span class="mi">1</span><span class="w"> </span>'
        '<span class="c1"># note</span></code></pre>'
    )
    assert code_spans.slim_code(block) == (
        '<pre><span></span><code>x <span class="o">= -</span><span class="m">1</span> '
        '<span class="c"># note</span></code></pre>'
    )


def test_only_code_blocks_change() -> None:
    page = '<p><span class="n">prose</span></p><pre><code><span class="n">x</span></code></pre>'
    assert (
        code_spans.slim_code(page) == '<p><span class="n">prose</span></p><pre><code>x</code></pre>'
    )


@pytest.mark.parametrize("text", ["a &lt; b", "&quot;&#x27;&amp;"])
def test_escaped_text_stays_escaped(text: str) -> None:
    block = f'<pre><code><span class="n">{text}</span><span class="s2">{text}</span></code></pre>'
    slim = code_spans.slim_code(block)
    assert html.unescape(re.sub("<[^>]+>", "", slim)) == html.unescape(text) * 2
    assert "<" not in re.sub(r"</?(?:pre|code|span)\b[^>]*>", "", slim)
