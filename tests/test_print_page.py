"""The print page: every page of a language on one page (hooks/print_page.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from repo_modules import load

print_page = load("hooks/print_page.py")

#: Pages as static-i18n gives them in the zh-TW build: address and source name.
URLS = {"zh-TW/": "index", "zh-TW/gradients/": "gradients", "zh-TW/backward-pass/": "backward-pass"}

CHAPTER = """<h1 id="梯度">梯度<a class="headerlink" href="#梯度">¶</a></h1>
<p>See <a href="../backward-pass/#chain-rule">the chain rule</a>, <a href="../">home</a>,
<a href="../labs/linear-regression/">the lab</a>, <a href="https://pytorch.org/">PyTorch</a>
and <a href="#exercises">the exercises</a>.</p>
<p><img alt="slope" src="../../assets/figures/slope.svg"></p>
<div class="tabbed-set" data-tabs="1:2">
<input checked id="__tabbed_1_1" name="__tabbed_1" type="radio">
<input id="__tabbed_1_2" name="__tabbed_1" type="radio">
<div class="tabbed-labels"><label for="__tabbed_1_1">A</label>
<label for="__tabbed_1_2">B</label></div></div>
<div class="language-python highlight"><pre><span></span><code>print(1)</code></pre></div>
<div class="language-text highlight"><span class="filename">Output</span><pre><span></span><code>1
</code></pre></div>
<h2 id="exercises">Exercises</h2>
<details class="success"><summary>Solution</summary><p>42</p></details>"""


@pytest.fixture
def section() -> str:
    return print_page.whole_page_section(
        CHAPTER, "gradients", "zh-TW/gradients/", "zh-TW/print/", URLS
    )


def test_a_page_becomes_a_section_named_after_it(section: str) -> None:
    assert section.startswith(
        '<section class="print-chapter" id="gradients"><h1 id="gradients--梯度">'
    )
    assert section.endswith("</details></section>")


def test_ids_and_what_points_at_them_get_the_page_prefix(section: str) -> None:
    assert 'id="gradients--exercises"' in section
    assert 'href="#gradients--exercises"' in section
    assert 'class="headerlink" href="#gradients--梯度"' in section
    assert 'id="gradients--__tabbed_1_2"' in section
    assert 'for="gradients--__tabbed_1_2"' in section
    assert section.count('name="gradients--__tabbed_1"') == 2


def test_every_code_block_has_an_id_of_its_own(section: str) -> None:
    """Material's copy button targets the nearest id: the section's, for every block."""
    assert '<pre id="gradients--code-0"><span></span><code>print(1)' in section
    assert '<pre id="gradients--code-1"><span></span><code>1\n' in section


def test_links_to_guide_pages_stay_on_the_print_page(section: str) -> None:
    assert 'href="#backward-pass--chain-rule"' in section
    assert 'href="#index"' in section


def test_other_links_and_images_are_repointed_from_the_print_page(section: str) -> None:
    assert 'href="../labs/linear-regression/"' in section  # same depth: unchanged
    assert 'href="https://pytorch.org/"' in section
    assert 'src="../../assets/figures/slope.svg"' in section


def test_home_page_links_are_repointed_from_one_level_down() -> None:
    home = '<p><a href="gradients/">g</a> <img alt="" src="../assets/logo.svg"></p>'
    section = print_page.whole_page_section(home, "index", "zh-TW/", "zh-TW/print/", URLS)
    assert 'href="#gradients"' in section
    assert 'src="../../assets/logo.svg"' in section


def test_solutions_are_open_on_paper(section: str) -> None:
    assert '<details class="success" open="">' in section


def test_a_page_needs_a_slug() -> None:
    with pytest.raises(ValueError, match="expected a page slug"):
        print_page.whole_page_section("<p>x</p>", "", "x/", "print/", {})


def _page(src_uri: str, url: str, title: str, content: str = "") -> SimpleNamespace:
    norm = src_uri.replace(".zh-TW", "")
    file = SimpleNamespace(src_uri=src_uri, norm_src_uri=norm)
    return SimpleNamespace(file=file, url=url, title=title, content=content, meta={})


def test_the_print_page_collects_the_other_pages_in_nav_order() -> None:
    intro = _page("print.zh-TW.md", "zh-TW/print/", "整份指南", "<p>intro</p>")
    lab = _page("labs/linear-regression.zh-TW.ipynb", "zh-TW/labs/linear-regression/", "線性迴歸")
    lab.content = "<p>the chapter again</p>"
    lab.meta = {"search": {"exclude": True}}  # as hooks/labs.py marks a lab
    pages = [
        _page("index.zh-TW.md", "zh-TW/", "首頁", "<p>home</p>"),
        _page("gradients.zh-TW.md", "zh-TW/gradients/", "梯度", "<p>slopes</p>"),
        lab,
        intro,
    ]
    context = print_page.on_page_context({}, page=intro, nav=SimpleNamespace(pages=pages))
    assert context == {}
    assert intro.content == (
        "<p>intro</p>"
        '<section class="print-chapter" id="index"><p>home</p></section>\n'
        '<section class="print-chapter" id="gradients"><p>slopes</p></section>'
    )
    assert [(link.title, link.id) for link in intro.toc] == [
        ("首頁", "index"),
        ("梯度", "gradients"),
    ]


def test_other_pages_are_left_alone() -> None:
    chapter = _page("gradients.md", "gradients/", "Gradients", "<p>slopes</p>")
    print_page.on_page_context({}, page=chapter, nav=SimpleNamespace(pages=[chapter]))
    assert chapter.content == "<p>slopes</p>"


def test_the_print_page_is_not_searched_or_edited() -> None:
    intro = _page("print.md", "print/", "The whole guide")
    intro.edit_url = "https://github.com/o/r/edit/main/docs/print.md"
    print_page.on_page_markdown("# The whole guide", page=intro)
    assert intro.meta == {"search": {"exclude": True}, "formulas_in_place": True}
    assert intro.edit_url is None
