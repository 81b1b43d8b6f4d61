"""MkDocs hook: the whole guide on one page per language, to print or save as PDF.

``docs/print.md`` (and its zh-TW twin) holds a short introduction. When that
page is rendered, every other page of the navigation in the same language has
already been turned into HTML (MkDocs renders all Markdown before it applies
any template), so the hook appends those pages, in navigation order, each as a
``<section>`` that starts on a new sheet of paper.

Why not mkdocs-print-site-plugin: it must be the last plugin, which under
mkdocs-static-i18n (it builds the other languages from its own post-build step)
gave no zh-TW print page, and it adds its script to every page of the site.

A page's HTML is written for its own address, so it is adjusted on the way:

* ids get the page's name as prefix (``gradients--exercises``), since every
  chapter has an "Exercises" heading and Material's content tabs number their
  radio buttons from 1 on every page; ``href="#…"``, ``for`` and radio-group
  ``name`` follow;
* every code block gets an id of its own (``gradients--code-3``): Material names
  a block's copy-button target after the nearest element with an id, which here
  would be the chapter's ``<section>``, the same for all its blocks, so every
  button copied the chapter's first block;
* a link to another page of the guide becomes a link within the print page,
  and any other relative link or image is re-pointed from the print page's
  address;
* collapsed blocks (exercise solutions) are opened, since paper cannot click.

Pages kept out of search because they repeat others are left out: the labs
(each is a chapter again, as a notebook) and the print page itself.
"""

from __future__ import annotations

import posixpath
from typing import Any
from urllib.parse import urljoin, urlsplit

import build_cache  # hooks/build_cache.py: MkDocs puts hooks/ on sys.path
from bs4 import BeautifulSoup
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import get_relative_url

#: The print page's source in docs/, without the language suffix.
PRINT_PAGE = "print.md"

#: Attributes that hold the id of another element of the same page.
ID_REFERENCES = ("for", "aria-controls", "aria-labelledby", "aria-describedby")


def _source(page: Any) -> str:
    """The page's source as written in the nav: without static-i18n's language suffix."""
    return getattr(page.file, "norm_src_uri", page.file.src_uri)


def is_print_page(page: Any) -> bool:
    return _source(page) == PRINT_PAGE


def page_slug(page: Any) -> str:
    """A page's name in the print page's ids: ``gradients``, ``index``, ``labs-x``."""
    return posixpath.splitext(_source(page))[0].replace("/", "-")


def repeats_another_page(page: Any) -> bool:
    """Pages kept out of search because they repeat others (labs, this page) stay out."""
    return bool(page.meta.get("search", {}).get("exclude"))


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """Keep the print page out of search and edits: it repeats every other page.

    Its formulas are typeset in place (hooks/katex_render.py), not swapped in a
    few a frame after loading: it is printed, or jumped through, at once.
    """
    if is_print_page(page):
        page.meta.setdefault("search", {"exclude": True})
        page.meta["formulas_in_place"] = True
        page.edit_url = None
    return markdown


def on_page_context(context: dict[str, Any], page: Any, nav: Any, **_: Any) -> dict[str, Any]:
    """Append every page of this language to the print page, and list them in its contents."""
    if not is_print_page(page):
        return context
    chapters = [
        (other, page_slug(other))
        for other in nav.pages
        if other is not page and other.content and not repeats_another_page(other)
    ]
    page_urls = {other.url: slug for other, slug in chapters}
    sections = [
        # Kept in the build cache (hooks/build_cache.py) until the page or this file changes.
        build_cache.call(
            "print", whole_page_section, other.content, slug, other.url, page.url, page_urls
        )
        for other, slug in chapters
    ]
    page.content = (page.content or "") + "\n".join(sections)
    # Level 2: Material's sidebar shows the children of a level-1 entry instead.
    page.toc = TableOfContents(
        [AnchorLink(other.title or slug, slug, 2) for other, slug in chapters]
    )
    return context


def whole_page_section(
    html: str, slug: str, page_url: str, print_url: str, page_urls: dict[str, str]
) -> str:
    """One page's HTML as a section of the print page (see the module's docstring).

    ``page_urls`` maps the address of every page on the print page to its slug.
    """
    if not slug:
        raise ValueError("expected a page slug such as 'gradients', got an empty one")
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(id=True):
        tag["id"] = f"{slug}--{tag['id']}"
    for attribute in ID_REFERENCES:
        for tag in soup.find_all(attrs={attribute: True}):
            tag[attribute] = " ".join(f"{slug}--{ref}" for ref in tag[attribute].split())
    for radio in soup.find_all("input", attrs={"type": "radio", "name": True}):
        radio["name"] = f"{slug}--{radio['name']}"
    for number, code in enumerate(soup.select("pre > code")):
        if not code.parent.get("id"):
            code.parent["id"] = f"{slug}--code-{number}"
    for link in soup.find_all("a", href=True):
        link["href"] = _relink(link["href"], slug, page_url, print_url, page_urls)
    for image in soup.find_all("img", src=True):
        image["src"] = _relink(image["src"], slug, page_url, print_url, {})
    for details in soup.find_all("details"):
        details["open"] = ""
    section = soup.new_tag("section", attrs={"class": "print-chapter", "id": slug})
    for child in list(soup.contents):
        section.append(child.extract())
    return str(section)


def _relink(
    target: str, slug: str, page_url: str, print_url: str, page_urls: dict[str, str]
) -> str:
    """Where a link or image of the page at ``page_url`` points from the print page."""
    if target.startswith("#"):
        return f"#{slug}--{target[1:]}"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("/"):
        return target  # another site, or an address from the site's root
    resolved = urlsplit(urljoin(f"http://site/{page_url}", target))
    path = resolved.path.removeprefix("/")
    if path in page_urls:
        other = page_urls[path]
        return f"#{other}--{resolved.fragment}" if resolved.fragment else f"#{other}"
    fragment = f"#{resolved.fragment}" if resolved.fragment else ""
    return get_relative_url(path or ".", print_url) + fragment
