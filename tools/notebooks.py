"""Generate one Jupyter notebook per chapter and language, from the page itself.

A notebook copied by hand drifts from its page the first time the page is
edited. These are made from the Markdown every time, by the same fence reading
the doc-tests use (``tests/docharness``), and a test fails when a committed
notebook differs from what this script would write now.

What becomes what:

- the page's title and description: a first Markdown cell, which says where
  the notebook comes from;
- prose: Markdown cells (admonitions as quotes, content tabs as a bold label,
  links and figures pointing at the published site);
- each ```` ```python ```` block: a code cell, comments as on that language's page;
- the ```` ```text ```` block right after it: nothing, the reader runs the cell;
- a skipped block (``{.python .skip title="…"}``): Markdown that shows the code
  and the reason, never a cell that would run;
- a collapsible solution (``??? success "Solution"``): its title as a Markdown
  cell, its code as code cells tagged ``solution`` and shown collapsed;
- where the chapter imports ``autograd_guide``: a setup cell that installs the
  package from the guide's repository when it is missing (on Colab), and never
  touches the PyTorch that is already there.

Usage::

    python tools/notebooks.py          # write notebooks/<lang>/<page>.ipynb
    python tools/notebooks.py --check  # exit 1 if a committed notebook is stale

The script lives outside the package on purpose: it reads ``docs/``, and the
package must not know about the docs.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
NOTEBOOKS = ROOT / "notebooks"

# The fence grammar of the doc-tests, so that a notebook's code cells are the
# blocks the tests run: no second opinion on what a Python block is.
if str(ROOT / "tests") not in sys.path:
    sys.path.append(str(ROOT / "tests"))
from docharness.fences import SKIP, FenceError, FenceInfo, parse_info  # noqa: E402

#: Pages with code that are not chapters: the home page, the glossary, the API reference.
NOT_CHAPTERS = frozenset({"index", "glossary", "reference"})


def _load_languages() -> ModuleType:
    """hooks/languages.py: the site's languages, as mkdocs.yml's i18n plugin lists them."""
    path = ROOT / "hooks" / "languages.py"
    spec = importlib.util.spec_from_file_location("repo_hooks_languages", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    if spec.name not in sys.modules:
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return sys.modules[spec.name]


languages = _load_languages()

#: Languages of the site: the page suffix of each (mkdocs-static-i18n, suffix layout).
LANGUAGES: dict[str, str] = {lang: languages.suffix(lang) for lang in languages.locales()}

#: Where a language's pages live below the site root.
SITE_PREFIX: dict[str, str] = {lang: languages.site_prefix(lang) for lang in languages.locales()}

#: The package the pages import, and its distribution name for pip.
PACKAGE = "autograd_guide"
DISTRIBUTION = "autograd-guide"

FENCE_OPEN = re.compile(r"^(?P<marker>`{3,}|~{3,})(?P<info>.*)$")
ADMONITION = re.compile(
    r'^(?P<kind>!!!|\?\?\?\+?)[ \t]+(?P<type>[\w-]+)(?:[ \t]+"(?P<title>.*)")?[ \t]*$'
)
TAB = re.compile(r'^===\+?[ \t]+"(?P<title>.*)"[ \t]*$')
HEADING_ATTRS = re.compile(r"^(?P<heading>#{1,6}[ \t].*?)[ \t]*\{[^{}]*\}[ \t]*$", re.M)
TITLE = re.compile(r"^#[ \t]+(?P<title>.+?)[ \t]*$", re.M)
FRONT_MATTER = re.compile(r"\A---\n(?P<yaml>.*?)\n---[ \t]*\n", re.S)
PAGE_LINK = re.compile(r"\]\((?P<page>[\w-]+)\.md(?P<anchor>#[^)\s]*)?\)")
ANCHOR_LINK = re.compile(r"\]\((?P<anchor>#[^)\s]+)\)")
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<path>assets/[^)\s]+)\)")
IMPORTS_PACKAGE = re.compile(rf"^\s*(?:from|import)[ \t]+{PACKAGE}\b", re.M)
TORCH_PIN = re.compile(r"^torch==(?P<version>\S+)", re.M)


@dataclass(frozen=True)
class Words:
    """The words of the cells a notebook adds to its page, in one language."""

    #: The first cell's line about where the notebook comes from: {link}, {versions}.
    origin: str
    #: What printed the page's outputs: {torch}.
    versions: str
    #: The chapter, named where no site address is known: {title}, {path}.
    origin_no_site: str
    #: The Markdown cell above the setup cell: {torch}.
    setup: str
    #: The setup cell's comment.
    install_comment: str
    #: The message where the package is missing and no repository is known (two lines).
    no_repository: tuple[str, str]
    #: The line above a skipped block, shown as text: {reason}.
    skipped: str


#: Words of the generated cells, per language of mkdocs.yml (every one needs
#: its entry); the Chinese follows i18n/terms.md.
WORDS: dict[str, Words] = {
    "en": Words(
        origin=(
            "This notebook is generated from the chapter {link} of *Autograd Guide*: "
            "its text and every code block, in the same order. Run the cells from top "
            "to bottom; the page shows what each one prints{versions}."
        ),
        versions=" (PyTorch {torch}, on the CPU)",
        origin_no_site="*{title}* (`{path}` in the guide's repository)",
        setup=(
            "**Setup.** The code uses PyTorch, NumPy and Matplotlib, which Colab already "
            "has, and the guide's small package `autograd_guide`. The next cell installs "
            "that package from the guide's repository only where it is missing; it "
            "leaves your PyTorch as it is. A PyTorch other than {torch} may print a few "
            "digits or messages differently from the page."
        ),
        install_comment="# Install the guide's package only where it is missing (on Colab).",
        no_repository=(
            "autograd_guide is missing: in a clone of the guide's repository,",
            " run: python -m pip install -e .",
        ),
        skipped="{reason} (shown as text, not as a cell)",
    ),
    "zh-TW": Words(
        origin=(
            "本筆記本（notebook）由《Autograd 指南》的章節{link}產生："
            "內容與頁面上的每一段程式碼，順序相同。請由上而下依序執行各個儲存格；"
            "每個儲存格印出什麼，頁面上都有{versions}。"
        ),
        versions="（CPU 上的 PyTorch {torch}）",
        origin_no_site="「{title}」（本指南儲存庫中的 `{path}`）",
        setup=(
            "**準備。** 程式碼用到 PyTorch、NumPy 與 Matplotlib，Colab 都已經裝好了；"
            "另外還需要本指南的小套件 `autograd_guide`。下一個儲存格只在缺少這個套件時，"
            "從本指南的儲存庫安裝它，不會更動你原本的 PyTorch。"
            "PyTorch 版本不是 {torch} 時，印出的少數數字或訊息可能和頁面上不同。"
        ),
        install_comment="# 只在缺少本指南的套件時安裝它（例如在 Colab 上）。",
        no_repository=(
            "缺少 autograd_guide：請在本指南儲存庫的複本裡執行",
            "  python -m pip install -e .",
        ),
        skipped="{reason}（這裡只列出程式碼，不放進儲存格）",
    ),
}


@dataclass(frozen=True)
class Links:
    """Where the guide lives, so that a notebook's links work outside the site.

    ``site`` is the published site's root URL and ``repository`` the GitHub
    ``owner/name``; both come from ``repo_url`` in mkdocs.yml. Without them the
    links point into a clone of the repository, where a notebook sits at
    ``notebooks/<lang>/``.
    """

    site: str | None = None
    repository: str | None = None
    branch: str = "main"

    def page(self, stem: str, lang: str, anchor: str = "") -> str:
        if self.site is None:
            return f"../../docs/{stem}{LANGUAGES[lang]}.md{anchor}"
        path = "" if stem == "index" else f"{stem}/"
        return f"{self.site}{SITE_PREFIX[lang]}{path}{anchor}"

    def asset(self, path: str) -> str:
        if self.site is None:
            return f"../../docs/{path}"
        # The i18n plugin publishes assets/x.zh-TW.svg as zh-TW/assets/x.svg.
        locale, name = languages.split_locale(path)
        return f"{self.site}{SITE_PREFIX[locale] if locale else ''}{name}"

    def install_spec(self) -> str | None:
        if self.repository is None:
            return None
        return f"{DISTRIBUTION} @ git+https://github.com/{self.repository}@{self.branch}"


def links_from_mkdocs(config_file: Path = ROOT / "mkdocs.yml") -> Links:
    """Read ``repo_url`` from mkdocs.yml; a github.com URL also gives the Pages site.

    For ``repo_url: !ENV [REPO_URL, "https://github.com/<owner>/<name>"]`` the
    default is used, whatever the environment says.
    """
    if not config_file.is_file():
        raise FileNotFoundError(f"expected the MkDocs configuration at {config_file}")
    config = languages.read_config(config_file)
    repo_url = (config or {}).get("repo_url")
    if not repo_url:
        return Links()
    match = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?", str(repo_url))
    if match is None:
        raise ValueError(
            f"expected repo_url like https://github.com/<owner>/<name>, got {repo_url!r}"
        )
    owner, name = match.groups()
    return Links(site=f"https://{owner.lower()}.github.io/{name}/", repository=f"{owner}/{name}")


def torch_version(constraints: Path = ROOT / "constraints.txt") -> str | None:
    """The pinned PyTorch that printed every output on the pages."""
    if not constraints.is_file():
        return None
    match = TORCH_PIN.search(constraints.read_text(encoding="utf-8"))
    return match["version"] if match else None


def chapters(docs: Path = DOCS) -> list[str]:
    """The pages that get a notebook: every English page with a Python block, bar a few."""
    if not docs.is_dir():
        raise FileNotFoundError(f"expected a docs folder at {docs}")
    found = []
    for page in sorted(docs.glob("*.md")):
        stem = page.name.removesuffix(".md")
        if "." in stem or stem in NOT_CHAPTERS:
            continue
        if any(cell.kind == "code" for cell in _walk(page.read_text(encoding="utf-8"), "")):
            found.append(stem)
    return found


# --------------------------------------------------------------------------- parsing


@dataclass
class Cell:
    """One cell before it becomes nbformat: kind is "markdown" or "code".

    A ``standalone`` Markdown cell (a solution's title) is never joined with
    the prose before it, so that it stays right above the code it introduces.
    """

    kind: str
    source: str
    solution: bool = False
    standalone: bool = False
    #: What the page says a code cell prints (its ```text block); not written to the file.
    output: str | None = None


def _walk(
    markdown: str, skipped: str, quote: bool = False, solution: bool = False
) -> Iterator[Cell]:
    """Cells of a Markdown text whose containers have already been dedented.

    *skipped* is what the notebook says of a skipped block; *quote* is true
    inside an admonition, *solution* inside a collapsible one.
    """
    lines = markdown.split("\n")
    prose: list[str] = []

    def flush() -> Iterator[Cell]:
        text = "\n".join(prose).strip("\n")
        prose.clear()
        if text.strip():
            yield Cell("markdown", _quoted(text) if quote else text)

    i = 0
    while i < len(lines):
        line = lines[i]
        fence = FENCE_OPEN.match(line)
        admonition = ADMONITION.match(line)
        tab = TAB.match(line)
        if fence:
            end = _fence_end(lines, i, fence["marker"])
            body = "\n".join(lines[i + 1 : end])
            info = _info(fence["info"])
            if info is not None and info.language == "python":
                yield from flush()
                code_end = end
                end, output = _output_after(lines, end)
                if SKIP in info.classes:
                    reason = info.attributes.get("title", "")
                    text = _skipped(body, skipped.format(reason=reason), quote)
                    if output is not None:  # keep what the page shows with it
                        end = code_end
                    yield Cell("markdown", text)
                else:
                    yield Cell("code", body.rstrip("\n"), solution=solution, output=output)
            else:
                # Material's attributes (title="Output") mean nothing to Jupyter.
                language = info.language if info is not None else ""
                prose.append(f"{fence['marker']}{language}")
                prose.extend(lines[i + 1 : end + 1])
            i = end + 1
        elif admonition:
            end = _container_end(lines, i)
            body = _dedent(lines[i + 1 : end])
            title = admonition["title"]
            if title is None:
                title = admonition["type"].capitalize()
            collapsible = admonition["kind"] == "???"  # ???+ is open on the page
            yield from flush()
            inner = list(_walk(body, skipped, quote=True, solution=solution or collapsible))
            if title:
                inner.insert(0, Cell("markdown", _quoted(f"**{title}**")))
            for cell in _join(inner, separator="\n>\n"):
                cell.standalone = collapsible and cell.kind == "markdown"
                yield cell
            i = end
        elif tab:
            end = _container_end(lines, i)
            prose.extend([f"**{tab['title']}**", ""])
            yield from flush()
            yield from _walk(_dedent(lines[i + 1 : end]), skipped, quote, solution)
            i = end
        else:
            prose.append(line)
            i += 1
    yield from flush()


def _join(cells: Sequence[Cell], separator: str = "\n\n") -> list[Cell]:
    """Join neighbouring Markdown cells, except into a standalone one."""
    joined: list[Cell] = []
    for cell in cells:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and cell.kind == previous.kind == "markdown"
            and not cell.standalone
        ):
            previous.source = f"{previous.source}{separator}{cell.source}"
        else:
            joined.append(Cell(cell.kind, cell.source, cell.solution, cell.standalone, cell.output))
    return joined


def _info(raw: str) -> FenceInfo | None:
    try:
        return parse_info(raw)
    except FenceError:
        return None


def _fence_end(lines: Sequence[str], start: int, marker: str) -> int:
    closing = re.compile(rf"^{re.escape(marker[0])}{{{len(marker)},}}[ \t]*$")
    for j in range(start + 1, len(lines)):
        if closing.match(lines[j]):
            return j
    raise ValueError(f"unclosed fence {lines[start]!r} at line {start + 1}")


def _output_after(lines: Sequence[str], end: int) -> tuple[int, str | None]:
    """The ```text block right after a Python block (its output), as the tests pair them.

    Returns the index of the output's closing fence and its text, or *end* and
    None where the block prints nothing.
    """
    j = end + 1
    while j < len(lines) and not lines[j].strip():
        j += 1
    if j < len(lines):
        fence = FENCE_OPEN.match(lines[j])
        if fence:
            info = _info(fence["info"])
            if info is not None and info.language == "text":
                close = _fence_end(lines, j, fence["marker"])
                return close, "\n".join(lines[j + 1 : close]) + "\n"
    return end, None


def _container_end(lines: Sequence[str], start: int) -> int:
    """The first line after an admonition's or tab's indented body."""
    j = start + 1
    last = start
    while j < len(lines):
        line = lines[j]
        if line.strip() and not (line.startswith("    ") or line.startswith("\t")):
            break
        if line.strip():
            last = j
        j += 1
    return last + 1


def _dedent(lines: Sequence[str]) -> str:
    out = []
    for line in lines:
        if line.startswith("\t"):
            out.append(line[1:])
        else:
            out.append(line[4:] if line.startswith("    ") else line.lstrip(" "))
    return "\n".join(out)


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.split("\n"))


def _skipped(code: str, reason: str, quote: bool) -> str:
    text = f"*{reason}*\n\n```python\n{code.rstrip()}\n```"
    return _quoted(text) if quote else text


# ------------------------------------------------------------------------ notebooks


def page_path(stem: str, lang: str, docs: Path = DOCS) -> Path:
    """The Markdown file of a chapter in a language."""
    if lang not in LANGUAGES:
        raise ValueError(f"expected a language among {sorted(LANGUAGES)}, got {lang!r}")
    return docs / f"{stem}{LANGUAGES[lang]}.md"


def page_cells(
    page: Path,
    lang: str,
    links: Links | None = None,
    torch: str | None = None,
) -> list[Cell]:
    """The cells of one page's notebook, code cells with the output the page shows."""
    if lang not in LANGUAGES:
        raise ValueError(f"expected a language among {sorted(LANGUAGES)}, got {lang!r}")
    if not page.is_file():
        raise FileNotFoundError(f"expected a Markdown page at {page}")
    links = links or Links()
    words = languages.words_for(WORDS, lang, "tools/notebooks.py (WORDS)")
    stem = page.name.removesuffix(".md")
    if LANGUAGES[lang]:
        stem = stem.removesuffix(LANGUAGES[lang])
    markdown = page.read_text(encoding="utf-8")

    description = ""
    front = FRONT_MATTER.match(markdown)
    if front:
        description = _description(front["yaml"])
        markdown = markdown[front.end() :]
    title_match = TITLE.search(markdown)
    if title_match is None:
        raise ValueError(f"expected a '# Title' line in {page}")
    title = re.sub(r"[ \t]*\{[^{}]*\}$", "", title_match["title"])  # no { #id }
    markdown = markdown[: title_match.start()] + markdown[title_match.end() :]
    markdown = _join_cjk_lines(markdown)

    body = _join(list(_walk(markdown, skipped=words.skipped)))
    uses_package = any(c.kind == "code" and IMPORTS_PACKAGE.search(c.source) for c in body)

    if links.site is None:
        repo_path = page.relative_to(page.parent.parent).as_posix()
        link = words.origin_no_site.format(title=title, path=repo_path)
    else:
        link = f"[{title}]({links.page(stem, lang)})"
    versions = words.versions.format(torch=torch) if torch else ""
    intro = [f"# {title}"]
    if description:
        intro.append(f"*{description}*")
    intro.append(words.origin.format(link=link, versions=versions))
    cells = [Cell("markdown", "\n\n".join(intro))]
    if uses_package:
        cells.append(Cell("markdown", words.setup.format(torch=torch or "2")))
        cells.append(Cell("code", _install_cell(words, links)))
    cells.extend(body)
    for cell in cells:
        if cell.kind == "markdown":
            cell.source = _rewrite_links(cell.source, stem, lang, links)
    return cells


def build_notebook(
    page: Path,
    lang: str,
    links: Links | None = None,
    torch: str | None = None,
) -> nbformat.NotebookNode:
    """The notebook of one page: see the module docstring for what becomes what."""
    stem = page.name.split(".")[0]
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "colab": {"toc_visible": True},
        "autograd_guide": {"page": f"docs/{page.name}", "generator": "tools/notebooks.py"},
    }
    seen: dict[str, int] = {}
    for cell in page_cells(page, lang, links, torch):
        if cell.kind == "markdown":
            node = nbformat.v4.new_markdown_cell(cell.source)
        else:
            node = nbformat.v4.new_code_cell(cell.source)
            if cell.solution:
                # Collapsed, like the solution on the page, where the front end knows how.
                node.metadata = {"tags": ["solution"], "jupyter": {"source_hidden": True}}
        node.id = _cell_id(stem, cell.kind, cell.source, seen)
        notebook.cells.append(node)
    nbformat.validate(notebook)
    return notebook


def _description(front_matter: str) -> str:
    """The page's description, read as MkDocs reads it (a test keeps it valid YAML)."""
    meta = yaml.safe_load(front_matter)
    return str(meta.get("description", "")).strip() if isinstance(meta, dict) else ""


def _install_cell(words: Words, links: Links) -> str:
    """The setup cell: pip-install the package where it cannot be imported.

    Plain Python rather than ``%pip``, so that it runs in any front end and in
    the tests. The package asks for ``torch>=2.4``, which Colab's PyTorch
    satisfies, so pip leaves that PyTorch alone.
    """
    spec = links.install_spec()
    lines = [words.install_comment, "import importlib.util"]
    if spec is None:
        return "\n".join(
            [
                *lines,
                "",
                f'if importlib.util.find_spec("{PACKAGE}") is None:',
                "    raise ModuleNotFoundError(",
                *(f'        "{part}"' for part in words.no_repository),
                "    )",
            ]
        )
    return "\n".join(
        [
            *lines,
            "import subprocess",
            "import sys",
            "",
            f'PACKAGE = "{spec}"',
            "",
            f'if importlib.util.find_spec("{PACKAGE}") is None:',
            '    subprocess.run([sys.executable, "-m", "pip", "install", PACKAGE], check=True)',
            "    importlib.invalidate_caches()",
        ]
    )


def _rewrite_links(source: str, stem: str, lang: str, links: Links) -> str:
    """Links and figures that work from a notebook, outside the site."""
    source = HEADING_ATTRS.sub(r"\g<heading>", source)
    source = IMAGE.sub(lambda m: f"![{m['alt']}]({links.asset(m['path'])})", source)
    source = PAGE_LINK.sub(
        lambda m: f"]({links.page(m['page'], lang, m['anchor'] or '')})",
        source,
    )
    return ANCHOR_LINK.sub(lambda m: f"]({links.page(stem, lang, m['anchor'])})", source)


def _cell_id(stem: str, kind: str, source: str, seen: dict[str, int]) -> str:
    """A stable id from the cell's content: editing one block changes one id."""
    digest = hashlib.sha256(f"{stem}\n{kind}\n{source}".encode()).hexdigest()[:12]
    seen[digest] = seen.get(digest, 0) + 1
    return digest if seen[digest] == 1 else f"{digest}-{seen[digest]}"


_CJK: ModuleType | None = None


def _join_cjk_lines(markdown: str) -> str:
    """The site's own line joining for Chinese prose (hooks/cjk_linebreaks.py)."""
    global _CJK
    if _CJK is None:
        spec = importlib.util.spec_from_file_location(
            "cjk_linebreaks", ROOT / "hooks" / "cjk_linebreaks.py"
        )
        assert spec is not None and spec.loader is not None
        _CJK = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(_CJK)
    return _CJK.join_cjk_lines(markdown)


def render(notebook: nbformat.NotebookNode) -> str:
    """The file's text: nbformat's layout, one trailing newline, nothing time-dependent."""
    return nbformat.writes(notebook) + "\n"


def expected_files(
    docs: Path = DOCS,
    out: Path = NOTEBOOKS,
    links: Links | None = None,
    torch: str | None = None,
) -> dict[Path, str]:
    """Every notebook this script writes, with its text."""
    links = links if links is not None else links_from_mkdocs()
    torch = torch if torch is not None else torch_version()
    files = {}
    for stem in chapters(docs):
        for lang in LANGUAGES:
            page = page_path(stem, lang, docs)
            notebook = build_notebook(page, lang, links, torch)
            files[out / lang / f"{stem}.ipynb"] = render(notebook)
    return files


def stale(files: dict[Path, str], out: Path = NOTEBOOKS) -> list[str]:
    """What differs on disk from *files*: missing, changed, or left over."""
    problems = []
    for path, text in files.items():
        if not path.is_file():
            problems.append(f"missing: {path.relative_to(out.parent)}")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"out of date: {path.relative_to(out.parent)}")
    for path in sorted(out.glob("*/*.ipynb")):
        if path not in files:
            problems.append(f"no page for: {path.relative_to(out.parent)}")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if a committed notebook is out of date"
    )
    args = parser.parse_args(argv)
    files = expected_files()
    if args.check:
        problems = stale(files)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("run: python tools/notebooks.py", file=sys.stderr)
        return 1 if problems else 0
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    for path in sorted(NOTEBOOKS.glob("*/*.ipynb")):
        if path not in files:
            path.unlink()
    print(f"{len(files)} notebooks in {NOTEBOOKS.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
