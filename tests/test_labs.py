"""The lab pages: notebooks rendered by mkdocs-jupyter, made to fit the site (hooks/labs.py)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from bs4 import BeautifulSoup
from mkdocs.structure.toc import get_toc

from repo_modules import ROOT, load

labs = load("hooks/labs.py")
languages = load("hooks/languages.py")

LABS = ROOT / "docs" / "labs"
SITE = "https://example.github.io/guide/"

#: A page as Material wraps it around nbconvert's output (shortened, same structure).
PAGE = """<style type="text/css">.jupyter-wrapper .jp-Cell {{ padding: 0 }}</style>
<script src=""> </script>
<script type="module">import("https://cdnjs.cloudflare.com/mermaid.mjs")</script>
<div class="jupyter-wrapper"><div class="jp-Notebook">
<div class="jp-Cell jp-MarkdownCell"><div class="jp-RenderedHTMLCommon jp-RenderedMarkdown">
<h1 id="Fit">Fit<a class="anchor-link" href="#Fit">¶</a></h1>
<p>The line $y = 2x + 1$, see <a href="{site}zh-TW/gradients/#slope">slopes</a>:</p>
$$w \\leftarrow w - \\alpha g$$
<p>Costs <code>$5</code>.</p>
<div class="highlight"><pre><span class="n">plt</span>.show()</pre></div>
<img alt="fit" src="{site}assets/figures/fit.svg">
</div></div>
<div class="jp-Cell jp-CodeCell" id="cell-id=9e2d"><div class="jp-Cell-inputWrapper" tabindex="0">
<div class="zeroclipboard-container"><clipboard-copy for="cell-1">copy</clipboard-copy></div>
<div class="highlight-ipynb hl-python"><pre><span></span><span class="nb">print</span>(1)</pre>
</div>
<div class="clipboard-copy-txt" id="cell-1">print(1)</div></div>
<div class="jp-OutputArea-output" data-mime-type="text/plain"><pre>1
</pre></div>
<div class="jp-OutputArea-output" data-mime-type="application/vnd.jupyter.stderr"><pre>careful
</pre></div>
</div></div></div>"""


@pytest.fixture
def rendered() -> str:
    return labs.as_material_content(
        PAGE.format(site=SITE), lang="zh-TW", page_url="zh-TW/labs/fit/", site=SITE
    )


def test_nbconvert_styles_and_scripts_go(rendered: str) -> None:
    assert "<style" not in rendered
    assert "<script" not in rendered
    assert "cdnjs" not in rendered
    assert rendered.lstrip().startswith('<div class="jupyter-wrapper">')


def test_code_cells_become_material_code_blocks(rendered: str) -> None:
    assert (
        '<div class="language-python highlight"><pre id="cell-9e2d-0"><code><span></span>'
        '<span class="nb">print</span>(1)</code></pre>\n</div>'
    ) in rendered
    assert "clipboard" not in rendered
    assert 'id="cell-9e2d"' in rendered  # "=" is not allowed in a CSS #id selector
    assert "tabindex" not in rendered


def test_code_quoted_in_markdown_cells_scrolls_in_its_box_too(rendered: str) -> None:
    assert (
        '<div class="language-python highlight"><pre id="code-0"><code>'
        '<span class="n">plt</span>.show()'
    ) in rendered


def test_outputs_are_titled_in_the_page_language(rendered: str) -> None:
    assert (
        '<div class="language-text highlight"><span class="filename">輸出</span>'
        '<pre id="cell-9e2d-1"><code>1\n</code></pre></div>'
    ) in rendered
    assert (
        '<span class="filename">警告（stderr）</span><pre id="cell-9e2d-2"><code>careful'
        in rendered
    )


def test_every_code_block_has_an_id_of_its_own(rendered: str) -> None:
    """Material's copy button targets the nearest id: the cell's, for input and outputs."""
    soup = BeautifulSoup(rendered, "html.parser")
    ids = [code.parent.get("id") for code in soup.select("pre > code")]
    assert ids == ["code-0", "cell-9e2d-0", "cell-9e2d-1", "cell-9e2d-2"]


def test_dollar_math_becomes_arithmatex_but_code_is_left_alone(rendered: str) -> None:
    assert 'The line <span class="arithmatex">\\(y = 2x + 1\\)</span>, see' in rendered
    assert '<div class="arithmatex">\\[w \\leftarrow w - \\alpha g\\]</div>' in rendered
    assert "<code>$5</code>" in rendered


def test_links_to_the_published_site_point_into_this_build(rendered: str) -> None:
    assert 'href="../../gradients/#slope"' in rendered
    assert 'src="../../../assets/figures/fit.svg"' in rendered
    assert SITE not in rendered


def test_heading_anchors_look_like_materials(rendered: str) -> None:
    assert '<a class="headerlink" href="#Fit">¶</a>' in rendered


#: A zh-TW notebook's headings as mkdocs-jupyter renders them: ASCII slugs, so no ids.
CHINESE_HEADINGS = """<div class="jupyter-wrapper"><div class="jp-RenderedMarkdown">
<h1 id="">線性迴歸<a class="anchor-link" href="#">¶</a></h1>
<h2 id="">資料<a class="anchor-link" href="#">¶</a></h2>
<h3 id="">細節<a class="anchor-link" href="#">¶</a></h3>
<h2 id="exercises">練習 <code>x</code><a class="anchor-link" href="#exercises">¶</a></h2>
<p>See <a href="#exercises">the exercises</a>.</p></div></div>"""

CHAPTER_IDS = [(1, "_1"), (2, "the-data"), (3, "details"), (2, "the-exercises")]


def test_headings_get_the_ids_given_and_links_follow() -> None:
    out = labs.as_material_content(CHINESE_HEADINGS, lang="zh-TW", heading_ids=CHAPTER_IDS)
    assert '<h2 id="the-data">資料<a class="headerlink" href="#the-data">¶</a></h2>' in out
    assert '<h3 id="details">細節<a class="headerlink" href="#details">¶</a></h3>' in out
    assert 'See <a href="#the-exercises">the exercises</a>' in out
    assert 'id=""' not in out and 'href="#"' not in out


def test_headings_that_do_not_follow_the_chapter_are_refused() -> None:
    with pytest.raises(ValueError, match=r"levels \[1, 2\], got \[1, 2, 3, 2\]"):
        labs.as_material_content(CHINESE_HEADINGS, heading_ids=[(1, "a"), (2, "b")])


def test_the_table_of_contents_is_made_from_the_headings() -> None:
    out = labs.as_material_content(CHINESE_HEADINGS, lang="zh-TW", heading_ids=CHAPTER_IDS)
    toc = labs.table_of_contents(out)
    [title] = toc
    assert (title.title, title.url) == ("線性迴歸", "#_1")
    assert [(link.title, link.url) for link in title.children] == [
        ("資料", "#the-data"),
        ("練習 x", "#the-exercises"),
    ]
    assert [(link.title, link.url) for link in title.children[0].children] == [("細節", "#details")]


#: Markdown settings enough to read a chapter's headings (the site's are a superset).
MARKDOWN = {"markdown_extensions": ["toc", "attr_list", "fenced_code"], "mdx_configs": {}}


def test_a_chapter_gives_its_heading_ids_as_its_page_has_them() -> None:
    chapter = (
        "---\ndescription: 線性迴歸\n---\n\n# 線性迴歸\n\n## 資料 {#the-data}\n\n"
        "```python\n# a comment, not a heading\n```\n\n### 細節 {#details}\n\n## 練習\n"
    )
    ids = labs.chapter_heading_ids(chapter, SimpleNamespace(**MARKDOWN))
    assert ids == [(1, "_1"), (2, "the-data"), (3, "details"), (2, "_2")]


def _lab_page(src_uri: str, toc: list[dict[str, object]]) -> SimpleNamespace:
    return SimpleNamespace(
        file=SimpleNamespace(src_uri=src_uri), url="zh-TW/labs/x/", toc=get_toc(toc)
    )


@pytest.mark.parametrize(
    ("chapter", "expected"),
    [
        (
            "# 線性迴歸 {#linear-regression}\n\n## 資料 {#the-data}\n",
            ["linear-regression", "the-data"],
        ),
        (None, ["_1", "_2"]),  # a notebook of its own: its contents' ids
    ],
)
def test_a_lab_page_gets_its_chapters_ids_and_contents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chapter: str | None, expected: list[str]
) -> None:
    monkeypatch.setattr(labs, "published_site", lambda: None)
    if chapter is not None:
        (tmp_path / "x.zh-TW.md").write_text(chapter, encoding="utf-8")
    toc = [
        {"level": 1, "id": "_1", "name": "線性迴歸", "children": []},
        {"level": 2, "id": "_2", "name": "資料", "children": []},
    ]
    page = _lab_page("labs/x.zh-TW.ipynb", toc)
    config = SimpleNamespace(docs_dir=str(tmp_path), theme={"language": "zh-TW"}, **MARKDOWN)
    notebook = (
        '<div class="jupyter-wrapper"><div class="jp-RenderedMarkdown">'
        '<h1 id="">線性迴歸<a class="anchor-link" href="#">¶</a></h1>'
        '<h2 id="">資料<a class="anchor-link" href="#">¶</a></h2></div></div>'
    )
    out = labs.on_page_content(notebook, page=page, config=config)
    assert [h["id"] for h in BeautifulSoup(out, "html.parser").select("h1, h2")] == expected
    [title] = page.toc
    assert [title.id, title.children[0].id] == expected
    assert title.title == "線性迴歸"


def test_html_that_is_not_a_notebook_is_refused() -> None:
    with pytest.raises(ValueError, match=r"expected nbconvert's notebook HTML .* got none"):
        labs.as_material_content("<p>no notebook</p>")


def test_only_notebooks_under_labs_are_labs() -> None:
    assert labs.is_lab("labs/linear-regression.ipynb")
    assert labs.is_lab("labs/linear-regression.zh-TW.ipynb")
    assert not labs.is_lab("linear-regression.md")
    assert not labs.is_lab("labs/readme.md")
    assert labs.chapter_source("labs/linear-regression.zh-TW.ipynb") == "linear-regression.zh-TW.md"


def test_lab_files_become_pages_at_their_language_address() -> None:
    made: list[str] = []

    class FakeFile(SimpleNamespace):
        def is_documentation_page(self) -> bool:
            return False

        def _get_url(self, use_directory_urls: bool) -> str:
            made.append(self.dest_uri)
            return self.dest_uri.removesuffix("index.html")

    lab = FakeFile(src_uri="labs/fit.zh-TW.ipynb", dest_uri="zh-TW/labs/fit.ipynb", url="")
    figure = FakeFile(src_uri="assets/fit.svg", dest_uri="assets/fit.svg", url="assets/fit.svg")
    lab.norm_src_uri = "labs/fit.ipynb"  # static-i18n's name without the language
    i18n = SimpleNamespace(
        default_language="en",
        build_languages=["en", "zh-TW"],
        current_language="zh-TW",
        i18n_files_per_language={"zh-TW": []},
    )
    config = SimpleNamespace(use_directory_urls=True, plugins={"i18n": i18n})
    labs.on_files([lab, figure], config)
    assert lab.is_documentation_page()
    assert (lab.dest_uri, lab.url) == ("zh-TW/labs/fit/index.html", "zh-TW/labs/fit/")
    assert not figure.is_documentation_page()
    assert made == ["zh-TW/labs/fit/index.html"]
    # the language switcher and the sitemap
    assert {lang: alt.url for lang, alt in lab.alternates.items()} == {
        "en": "labs/fit/",
        "zh-TW": "zh-TW/labs/fit/",
    }
    assert i18n.i18n_files_per_language == {"zh-TW": [lab]}


ENGLISH_LABS = sorted(p for p in LABS.glob("*.ipynb") if not p.name.endswith(".zh-TW.ipynb"))


@pytest.mark.parametrize("english", ENGLISH_LABS, ids=lambda p: p.name)
def test_every_lab_has_its_twin_and_comes_from_a_chapter_notebook(english: Path) -> None:
    twin = english.with_name(english.name.replace(".ipynb", ".zh-TW.ipynb"))
    assert twin.exists(), f"{english.name} has no zh-TW twin"
    for lab, lang in ((english, "en"), (twin, "zh-TW")):
        assert lab.resolve() == ROOT / "notebooks" / lang / f"{english.stem}.ipynb"


def test_there_is_a_linear_regression_lab() -> None:
    assert LABS / "linear-regression.ipynb" in ENGLISH_LABS


def _lab_site(tmp_path: Path, zh_code: str) -> subprocess.CompletedProcess[str]:
    """Build a two-page bilingual site whose lab runs ``print(1 + 1)`` (zh-TW: ``zh_code``)."""
    docs = tmp_path / "docs"
    (docs / "labs").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (docs / "index.zh-TW.md").write_text("# 首頁\n", encoding="utf-8")
    for name, code in (("lab", "print(1 + 1)"), ("lab.zh-TW", zh_code)):
        notebook = nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_markdown_cell("# Lab"), nbformat.v4.new_code_cell(code)],
            metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        )
        nbformat.write(notebook, docs / "labs" / f"{name}.ipynb")
    config = {
        "site_name": "Lab test",
        "theme": {"name": "material"},
        "hooks": [str(ROOT / "hooks" / "labs.py")],
        # The site's own settings for labs, as they are in mkdocs.yml.
        "plugins": [{"mkdocs-jupyter": site_plugin("mkdocs-jupyter")}, {"i18n": I18N}],
        "nav": [{"Home": "index.md"}, {"Lab": "labs/lab.ipynb"}],
    }
    (tmp_path / "mkdocs.yml").write_text(json.dumps(config), encoding="utf-8")
    mkdocs = Path(sys.executable).parent / "mkdocs"
    return subprocess.run(
        [str(mkdocs), "build", "--strict", "--quiet"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


I18N = {
    "docs_structure": "suffix",
    "languages": [
        {"locale": "en", "name": "English", "default": True},
        {"locale": "zh-TW", "name": "繁體中文"},
    ],
}


def site_plugin(name: str) -> dict[str, object]:
    """A plugin's settings in the site's mkdocs.yml."""
    config = languages.read_config(ROOT / "mkdocs.yml")
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and name in plugin:
            return plugin[name]
    raise LookupError(f"expected plugin {name} in mkdocs.yml")


def test_the_site_executes_labs_and_refuses_errors() -> None:
    settings = site_plugin("mkdocs-jupyter")
    assert settings["execute"] is True
    assert settings["allow_errors"] is False


def test_a_lab_is_run_at_build_and_shown_in_both_languages(tmp_path: Path) -> None:
    build = _lab_site(tmp_path, "print(1 + 1)")
    assert build.returncode == 0, build.stderr
    for page, lang in (("labs/lab/index.html", "en"), ("zh-TW/labs/lab/index.html", "zh-TW")):
        html = (tmp_path / "site" / page).read_text(encoding="utf-8")
        assert f'<html lang="{lang}" class="no-js">' in html
        title = "輸出" if lang == "zh-TW" else "Output"
        output = (
            rf'<span class="filename">{title}</span><pre id="cell-[\w-]+-1"><code>2\n</code></pre>'
        )
        assert re.search(output, html), output


def test_a_failing_cell_fails_the_build(tmp_path: Path) -> None:
    build = _lab_site(tmp_path, "raise RuntimeError('a broken cell')")
    assert build.returncode != 0
    assert "a broken cell" in build.stderr
