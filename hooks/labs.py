"""MkDocs hook: the notebooks under docs/labs/ become pages in both languages.

mkdocs-jupyter turns a ``.ipynb`` file into a page by wrapping it, in its
``on_files``, in a file object that says "I am a documentation page".
mkdocs-static-i18n runs its own ``on_files`` after it (priority -100) and
rebuilds every file as a plain MkDocs ``File``, which judges by the extension:
``.ipynb`` is not Markdown, so the notebook is treated as an asset and copied
raw, in every language (static-i18n issue 198).

This hook runs after static-i18n and gives the notebooks under ``labs/`` back
their page status, keeping the language, address and alternates static-i18n
worked out for them: ``labs/x.zh-TW.ipynb`` is served at ``zh-TW/labs/x/`` and
the language switcher finds its twin. mkdocs-jupyter then executes and renders
it as for any page.

A lab is a chapter run as a notebook (the files in docs/labs/ are links to
``notebooks/<lang>/``), so its text would also show up in search next to the
chapter it comes from; the hook keeps labs out of the search index.

Last, the rendered notebook is made to look and behave like the other pages.
nbconvert's HTML brings 600 KB of JupyterLab CSS inline, a MathJax tag with an
empty address (the browser fetches the page itself as a script) and a module
that would import Mermaid from a CDN. The hook removes them and rewrites the
cells into the markup Material gives a Markdown page: code in
``.highlight > pre > code`` (Material's colours and copy button), each output
in a block titled "Output", ``$...$`` in Markdown cells as arithmatex spans
that the site's KaTeX typesets, heading anchors as Material's, and links to
the published site (a notebook must work outside it) as links within this
build, so that the lab works offline and on a fork's address.

Every code block, input or output, gets an id of its own: Material names a
block's copy-button target after the nearest element with an id, which in a
notebook is the cell, so an output's button copied the cell's input.

Headings get their chapter's ids (``#the-data`` in both languages, as on the
chapter pages), and the page's table of contents is made from the headings as
they end up. mkdocs-jupyter slugifies a heading in ASCII for the HTML (a
Chinese heading got ``id=""``) and with Python-Markdown for the table of
contents (``_1``), so the zh-TW lab's contents and skip link led nowhere.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from functools import cache
from pathlib import Path
from types import MethodType, SimpleNamespace
from typing import Any

import languages  # hooks/languages.py: MkDocs puts hooks/ on sys.path
import markdown
from bs4 import BeautifulSoup, NavigableString, Tag
from mkdocs.plugins import event_priority
from mkdocs.structure.toc import TableOfContents, get_toc
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data

#: Where the lab notebooks live in docs/.
LABS = "labs/"

#: Title of an output block, per page language (as on the chapters): every
#: language of mkdocs.yml needs its pair here.
OUTPUT_TITLE = {"en": ("Output", "Warnings (stderr)"), "zh-TW": ("輸出", "警告（stderr）")}

#: Where OUTPUT_TITLE lives, for the error a language without its words gets.
WHERE = "hooks/labs.py (OUTPUT_TITLE)"

#: Display math first, so that ``$$x$$`` is not read as two inline formulas.
MATH = re.compile(r"\$\$(?P<display>.+?)\$\$|\$(?P<inline>[^$\n]+?)\$", re.S)

#: The headings of a notebook's Markdown cells, in the order a reader meets them.
HEADINGS = ".jp-RenderedMarkdown :is(h1, h2, h3, h4, h5, h6)"


def is_lab(src_uri: str) -> bool:
    """Whether a file of docs/ is a lab notebook."""
    return src_uri.startswith(LABS) and src_uri.endswith(".ipynb")


@cache
def published_site() -> str | None:
    """The published site's address that tools/notebooks.py writes into notebooks."""
    tool = Path(__file__).resolve().parent.parent / "tools" / "notebooks.py"
    spec = importlib.util.spec_from_file_location("notebooks_tool", tool)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {tool}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module.links_from_mkdocs().site


def chapter_source(src_uri: str) -> str:
    """The Markdown page a lab is made from: ``labs/x.zh-TW.ipynb`` -> ``x.zh-TW.md``."""
    return src_uri.removeprefix(LABS).removesuffix(".ipynb") + ".md"


def _documentation_page(self: Any) -> bool:
    return True


def on_config(config: Any, **_: Any) -> Any:
    """Stop the build at once if a language of mkdocs.yml has no output titles."""
    languages.require_words(OUTPUT_TITLE, WHERE, config)
    return config


@event_priority(-110)  # after mkdocs-static-i18n (-100)
def on_files(files: Any, config: Any) -> Any:
    """Make the current language's lab notebooks pages again, with their twins."""
    i18n = config.plugins.get("i18n")
    for file in files:
        if is_lab(file.src_uri) and not file.is_documentation_page():
            file.is_documentation_page = MethodType(_documentation_page, file)
            if file.dest_uri.endswith(".ipynb"):
                file.dest_uri = file.dest_uri.removesuffix(".ipynb") + "/index.html"
                file.url = file._get_url(config.use_directory_urls)
            if i18n is not None:
                _link_twins(file, i18n)
    return files


def _link_twins(file: Any, i18n: Any) -> None:
    """What static-i18n does for a page and skipped for an asset.

    The language switcher reads ``file.alternates`` (an address per language)
    and the sitemap lists the files of each language's build.
    """
    path = getattr(file, "norm_src_uri", file.src_uri).removesuffix(".ipynb") + "/"
    file.alternates = {
        lang: SimpleNamespace(
            url=path if lang == i18n.default_language else f"{lang}/{path}", page=None
        )
        for lang in i18n.build_languages
    }
    i18n.i18n_files_per_language.setdefault(i18n.current_language, []).append(file)


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """Keep labs out of search, and edit their chapter: the notebook is generated."""
    if is_lab(page.file.src_uri):
        page.meta.setdefault("search", {"exclude": True})
        if page.edit_url:
            page.edit_url = page.edit_url.replace(
                page.file.src_uri, chapter_source(page.file.src_uri)
            )
    return markdown


def on_page_content(html: str, page: Any, config: Any, **_: Any) -> str:
    """Give a rendered lab the markup, weight and heading ids of the other pages."""
    if not is_lab(page.file.src_uri):
        return html
    chapter = Path(config.docs_dir) / chapter_source(page.file.src_uri)
    if chapter.exists():
        heading_ids = chapter_heading_ids(chapter.read_text(encoding="utf-8"), config)
    else:  # a notebook of its own: the ids of mkdocs-jupyter's table of contents
        heading_ids = [(link.level, link.id) for link in _walk(page.toc)]
    content = as_material_content(
        html,
        lang=languages.page_locale(page.file.src_uri, config),
        page_url=page.url,
        site=published_site(),
        heading_ids=heading_ids,
    )
    page.toc = table_of_contents(content)
    return content


def chapter_heading_ids(chapter_markdown: str, config: Any) -> list[tuple[int, str]]:
    """Level and id of each heading of a chapter page, in order, as MkDocs gives them."""
    body, _ = get_data(chapter_markdown)
    renderer = markdown.Markdown(
        extensions=config.markdown_extensions, extension_configs=config.mdx_configs
    )
    renderer.convert(body)
    tokens = getattr(renderer, "toc_tokens", None)
    if tokens is None:
        raise ValueError("expected the 'toc' Markdown extension in the site's settings, got none")
    found: list[tuple[int, str]] = []

    def collect(level_tokens: list[dict[str, Any]]) -> None:
        for token in level_tokens:
            found.append((token["level"], token["id"]))
            collect(token["children"])

    collect(tokens)
    return found


def _walk(links: Any) -> Any:
    for link in links:
        yield link
        yield from _walk(link.children)


def table_of_contents(content: str) -> TableOfContents:
    """The contents of a lab page, from its headings as they are in its HTML."""
    soup = BeautifulSoup(content, "html.parser")
    top: list[dict[str, Any]] = []
    open_tokens: list[dict[str, Any]] = []  # the last token of each level above
    for heading in soup.select(HEADINGS):
        name = "".join(
            text
            for text in heading.find_all(string=True)
            if text.find_parent("a", class_="headerlink") is None
        ).strip()
        token = {"level": int(heading.name[1]), "id": heading["id"], "name": name, "children": []}
        while open_tokens and open_tokens[-1]["level"] >= token["level"]:
            open_tokens.pop()
        (open_tokens[-1]["children"] if open_tokens else top).append(token)
        open_tokens.append(token)
    return get_toc(top)  # type: ignore[arg-type]


def as_material_content(
    html: str,
    lang: str | None = None,
    page_url: str = "",
    site: str | None = None,
    heading_ids: list[tuple[int, str]] | None = None,
) -> str:
    """Rewrite nbconvert's notebook HTML (a page's content) into Material's markup.

    ``heading_ids`` gives the level and id of each heading, in order (a lab's
    headings are its chapter's); without it the headings keep nbconvert's ids.
    """
    soup = BeautifulSoup(html, "html.parser")
    if soup.select_one(".jupyter-wrapper") is None:
        raise ValueError("expected nbconvert's notebook HTML with a .jupyter-wrapper, got none")
    for tag in soup.find_all(["style", "script"]):
        tag.decompose()
    for tag in soup.select(".zeroclipboard-container, .clipboard-copy-txt, .jp-Collapser"):
        tag.decompose()
    for tag in soup.select("[tabindex]"):
        del tag["tabindex"]
    for cell in soup.select('[id^="cell-id="]'):
        # "=" is not allowed in a CSS #id selector, which Material's copy button uses.
        cell["id"] = "cell-" + cell["id"].removeprefix("cell-id=")
    for anchor in soup.select("a.anchor-link"):
        anchor["class"] = ["headerlink"]
    if site:
        _localize_links(soup, site, page_url)
    for source in soup.select("div.highlight-ipynb"):
        _code_block(soup, source, "python")
    stdout, stderr = languages.words_for(OUTPUT_TITLE, lang or languages.default_locale(), WHERE)
    for output in soup.select(".jp-OutputArea-output"):
        pre = output.find("pre")
        if pre is None:
            continue
        is_stderr = output.get("data-mime-type") == "application/vnd.jupyter.stderr"
        block = soup.new_tag("div")
        pre.wrap(block)
        _code_block(soup, block, "text", title=stderr if is_stderr else stdout)
    for cell in soup.select(".jp-RenderedMarkdown"):
        _typeset_math(soup, cell)
        for shown in cell.select("div.highlight"):  # code quoted in the text
            _code_block(soup, shown, "python")
    _name_code_blocks(soup)
    if heading_ids is not None:
        _name_headings(soup, heading_ids)
    return str(soup)


def _name_code_blocks(soup: BeautifulSoup) -> None:
    """An id for each code block, input or output (``cell-9e2d-0``, ``cell-9e2d-1``)."""
    for number, code in enumerate(soup.select("pre > code")):
        pre = code.parent
        if pre.get("id"):
            continue
        cell = pre.find_parent(id=True)
        if cell is None:
            pre["id"] = f"code-{number}"
        else:
            pre["id"] = f"{cell['id']}-{len(cell.select('pre[id]'))}"


def _name_headings(soup: BeautifulSoup, heading_ids: list[tuple[int, str]]) -> None:
    """Give the headings, in order, the ids listed, and point the links to them there."""
    headings = soup.select(HEADINGS)
    levels = [int(heading.name[1]) for heading in headings]
    if levels != [level for level, _ in heading_ids]:
        raise ValueError(
            "expected the notebook's headings to be its chapter's, levels "
            f"{[level for level, _ in heading_ids]}, got {levels}"
        )
    old_ids = [heading.get("id") or "" for heading in headings]
    renamed = {
        old: new
        for old, (_, new) in zip(old_ids, heading_ids, strict=True)
        if old_ids.count(old) == 1
    }
    for link in soup.select('a[href^="#"]'):
        target = str(link["href"])[1:]
        if target in renamed:
            link["href"] = f"#{renamed[target]}"
    for heading, (_, new_id) in zip(headings, heading_ids, strict=True):
        heading["id"] = new_id
        for anchor in heading.select("a.headerlink"):
            anchor["href"] = f"#{new_id}"


def _localize_links(root: Tag, site: str, page_url: str) -> None:
    """Point links and images at the published site to this build instead."""
    for tag, attribute in [(a, "href") for a in root.find_all("a")] + [
        (img, "src") for img in root.find_all("img")
    ]:
        target = tag.get(attribute)
        if not isinstance(target, str) or not target.startswith(site):
            continue
        path, hash_, anchor = target.removeprefix(site).partition("#")
        tag[attribute] = get_relative_url(path or ".", page_url) + hash_ + anchor


def _code_block(soup: BeautifulSoup, block: Tag, language: str, title: str = "") -> None:
    """Turn ``<div><pre>…</pre></div>`` into Material's highlighted code block."""
    block["class"] = [f"language-{language}", "highlight"]
    pre = block.find("pre")
    if pre is None:
        return
    code = soup.new_tag("code")
    for child in list(pre.contents):
        code.append(child.extract())
    pre.append(code)
    if title:
        label = soup.new_tag("span", attrs={"class": "filename"})
        label.string = title
        block.insert(0, label)


def _typeset_math(soup: BeautifulSoup, root: Tag) -> None:
    """Wrap ``$…$`` and ``$$…$$`` of Markdown cells as arithmatex does."""
    for text in list(root.find_all(string=MATH)):
        if text.find_parent(["code", "pre"]) is not None:
            continue
        pieces: list[Any] = []
        last = 0
        for match in MATH.finditer(text):
            pieces.append(NavigableString(text[last : match.start()]))
            display = match["display"] is not None
            formula = soup.new_tag("div" if display else "span", attrs={"class": "arithmatex"})
            formula.string = f"\\[{match['display']}\\]" if display else f"\\({match['inline']}\\)"
            pieces.append(formula)
            last = match.end()
        pieces.append(NavigableString(text[last:]))
        text.replace_with(*pieces)
