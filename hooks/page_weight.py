"""MkDocs hook: pages carry only what they use, and figures reserve their space.

Two changes to each page's HTML, both found with Lighthouse
(benchmarks/lighthouse.py):

* KaTeX only where there is math. mkdocs.yml lists KaTeX's stylesheet and
  ``assets/javascripts/katex.js`` (which shows the formulas typeset at build,
  hooks/katex_render.py) for every page; a page without an ``arithmatex``
  element (the API reference) needs neither, so their tags are removed there.
* Figures get ``width``/``height`` from their SVG. With the size known the
  browser keeps the figure's box free while it downloads, so the text below
  does not jump (layout shift), and ``decoding="async"`` keeps decoding off the
  main thread. (No ``loading="lazy"``: the figures are small SVGs, and the
  browser tests check that every image on a page has loaded.)
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: The tags mkdocs.yml adds for KaTeX: its stylesheet and our katex.js (or its own script).
KATEX_TAG = re.compile(
    r'[ \t]*<(?:script|link)\b[^>]*?\s(?:src|href)="[^"]*'
    r'(?:assets/vendor/katex/[^"]*|assets/javascripts/katex\.js)"[^>]*>(?:</script>)?\n?'
)
MATH = re.compile(r'class="arithmatex"')
IMG = re.compile(r"<img\b[^>]*>")
SRC = re.compile(r'\ssrc="([^"]+)"')
#: The root element's size in an SVG file, as matplotlib writes it (pt) or in px.
SVG_SIZE = re.compile(
    r'<svg\b[^>]*?\swidth="([\d.]+)(pt|px)?"[^>]*?\sheight="([\d.]+)(pt|px)?"', re.S
)
PX_PER_UNIT = {"pt": 4 / 3, "px": 1.0, None: 1.0}


def drop_unused_katex(html: str) -> str:
    """Remove KaTeX's tags from a page that has no formula to typeset."""
    if MATH.search(html):
        return html
    return KATEX_TAG.sub("", html)


def svg_size(svg: Path) -> tuple[int, int] | None:
    """Width and height of an SVG in CSS pixels, or None if its root gives none."""
    try:
        head = svg.read_text(encoding="utf-8", errors="replace")[:4096]
    except OSError:
        return None
    match = SVG_SIZE.search(head)
    if match is None:
        return None
    width, width_unit, height, height_unit = match.groups()
    return (
        round(float(width) * PX_PER_UNIT[width_unit]),
        round(float(height) * PX_PER_UNIT[height_unit]),
    )


def size_figures(html: str, locate: Callable[[str], Path | None]) -> str:
    """Give each local SVG <img> its size and asynchronous decoding.

    ``locate`` maps an image's ``src`` (relative to the built page) to the SVG
    file, or None when it is not a file of the site.
    """

    def rewrite(match: re.Match[str]) -> str:
        tag = match.group(0)
        src = SRC.search(tag)
        if src is None or not src.group(1).endswith(".svg") or "://" in src.group(1):
            return tag
        extra = []
        if " width=" not in tag and " height=" not in tag:
            svg = locate(src.group(1))
            size = svg_size(svg) if svg is not None else None
            if size is not None:
                extra.append(f'width="{size[0]}" height="{size[1]}"')
        if " decoding=" not in tag:
            extra.append('decoding="async"')
        if not extra:
            return tag
        end = -2 if tag.endswith("/>") else -1
        return f"{tag[:end].rstrip()} {' '.join(extra)}{tag[end:]}"

    return IMG.sub(rewrite, html)


def locate_file(files: Any, page_url: str, src: str) -> Path | None:
    """The source file of the image *src* on the page at *page_url*, or None.

    By now MkDocs has made image paths relative to the page's URL; undo that to
    find the source file (zh-TW pages live one folder deeper but share assets/).
    A figure drawn in the page's language (``x.zh-TW.svg``) is written by the
    i18n plugin as ``zh-TW/assets/figures/x.svg``: that path is where it goes, not
    where it comes from, so it is looked up among the files' destinations.
    """
    page_dir = page_url.rstrip("/") if page_url.endswith("/") else posixpath.dirname(page_url)
    path = posixpath.normpath(posixpath.join(page_dir, src))
    file = files.get_file_from_path(path)
    if file is None:
        file = next((f for f in files if f.dest_uri == path), None)
    return Path(file.abs_src_path) if file is not None and file.abs_src_path else None


def on_page_content(html: str, page: Any, files: Any, **_: object) -> str:
    return size_figures(html, lambda src: locate_file(files, page.url, src))


def on_post_page(output: str, **_: object) -> str:
    return drop_unused_katex(output)


def on_post_template(output_content: str, template_name: str, **_: object) -> str:
    # The 404 page is rendered from a template, not a page, and has no math.
    if template_name.endswith(".html"):
        return drop_unused_katex(output_content)
    return output_content
