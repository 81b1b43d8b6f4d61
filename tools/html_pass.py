"""The build's HTML-only steps as a pass over a finished site, for any builder.

Most of what hooks/ do to a page needs nothing from MkDocs but its HTML:
typesetting formulas (katex_render), fewer code spans (code_spans), figure
sizes and KaTeX only where there is math (page_weight), punctuation kept with
its formula, tables as cards, named math headers (a11y), Chinese UI strings
(ui_strings). MkDocs runs them as hooks; this runs the same functions, in the
same order, over every page of a ``site/`` that another builder made
(PLATFORM.md: the exit from MkDocs). ``tests/test_html_pass.py`` builds a page
with the hooks and without, and checks that this pass turns the second into
the first.

    python tools/html_pass.py site/
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

HOOKS = Path(__file__).resolve().parent.parent / "hooks"
sys.path.insert(0, str(HOOKS))  # as MkDocs loads them: hooks import hooks/build_cache.py

import a11y  # noqa: E402
import code_spans  # noqa: E402
import katex_render  # noqa: E402
import page_weight  # noqa: E402
import ui_strings  # noqa: E402

#: The print page gets KaTeX's HTML in place (hooks/print_page.py says why).
PRINT_PAGE = re.compile(r"(^|/)print/index\.html$")
#: A page this pass, or the hooks, already went over: its formulas are typeset.
TYPESET = re.compile(r'class="arithmatex"><(?:span class="katex|template>)|class="katex')


def transform(page_html: str, page: str, site: Path) -> str:
    """One page of *site* (at the site-relative path *page*) as the hooks would leave it."""
    if TYPESET.search(page_html):
        raise ValueError(f"{page} has typeset formulas already: built with the hooks?")
    folder = (site / page).parent

    def locate(src: str) -> Path | None:
        path = (folder / src.split("#")[0]).resolve()
        return path if path.is_file() else None

    page_html = a11y.cards_for_wide_tables(a11y.keep_punctuation_with_math(page_html))
    page_html = code_spans.slim_code(page_html)
    page_html = page_weight.size_figures(page_html, locate)
    page_html = katex_render.typeset(page_html, in_place=bool(PRINT_PAGE.search(page)))
    page_html = a11y.katex_break_points(a11y.name_math_headers(page_html))
    page_html = page_weight.drop_unused_katex(page_html)
    return ui_strings.localize(page_html)


def run(site: Path | str) -> list[str]:
    """Rewrite every page of *site* in place; the site-relative paths of those it changed."""
    site = Path(site)
    if not (site / "index.html").is_file():
        raise ValueError(f"expected a built site with an index.html, got {str(site)!r}")
    changed = []
    for path in sorted(site.rglob("*.html")):
        page = path.relative_to(site).as_posix()
        before = path.read_text(encoding="utf-8")
        after = transform(before, page, site)
        if after != before:
            path.write_text(after, encoding="utf-8")
            changed.append(page)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the folder a builder wrote the site to")
    changed = run(parser.parse_args(argv).site)
    print(f"{len(changed)} pages rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
