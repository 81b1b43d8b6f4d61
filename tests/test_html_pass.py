"""tools/html_pass.py turns a site built without the HTML-only hooks into one built with them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from repo_modules import ROOT, load

html_pass = load("tools/html_pass.py")

#: The hooks the pass stands in for, in mkdocs.yml's order.
HTML_ONLY_HOOKS = ["katex_render", "a11y", "code_spans", "page_weight", "ui_strings"]

PAGE = r"""# 公式與表格

When $x = 1$, the slope is $2x$, and $$\frac{\partial L}{\partial w} = 2x.$$

| $x$ | $\partial L/\partial x$ | three | four |
|---|---|---|---|
| 1 | 2 | 3 | 4 |

```python
for step in range(3):
    print(step, "done")
```

![a figure](figure.svg)
"""

FIGURE = '<svg xmlns="http://www.w3.org/2000/svg" width="300pt" height="150pt"></svg>'


def build(project: Path, hooks: list[str]) -> Path:
    docs = project / "docs"
    (docs / "assets" / "javascripts").mkdir(parents=True)
    (docs / "assets" / "javascripts" / "katex.js").write_text("")
    (docs / "index.md").write_text(PAGE, encoding="utf-8")
    (docs / "plain.md").write_text("# No math here\n\nJust text.\n", encoding="utf-8")
    (docs / "figure.svg").write_text(FIGURE)
    hook_lines = "".join(f"  - {ROOT / 'hooks' / name}.py\n" for name in hooks)
    (project / "mkdocs.yml").write_text(
        "site_name: t\n"
        "theme:\n  name: material\n  language: zh-TW\n"
        "extra_javascript: [assets/javascripts/katex.js]\n"
        "markdown_extensions:\n  - tables\n  - attr_list\n  - toc:\n      permalink: true\n"
        "  - pymdownx.arithmatex:\n      generic: true\n  - pymdownx.highlight\n"
        "  - pymdownx.superfences\n" + (f"hooks:\n{hook_lines}" if hooks else ""),
        encoding="utf-8",
    )
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml")],
        check=True,
        cwd=project,
        timeout=300,  # a hung build fails here instead of holding up the whole run
    )
    return project / "site"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    with_hooks = build(tmp_path_factory.mktemp("hooks"), HTML_ONLY_HOOKS)
    without = build(tmp_path_factory.mktemp("plain"), [])
    return with_hooks, without


def test_the_pass_gives_the_pages_the_hooks_give(sites: tuple[Path, Path]) -> None:
    with_hooks, without = sites
    pages = ["404.html", "index.html", "plain/index.html"]
    assert html_pass.run(without) == pages
    for page in pages:
        assert (without / page).read_text(encoding="utf-8") == (with_hooks / page).read_text(
            encoding="utf-8"
        )
    built = (with_hooks / "index.html").read_text(encoding="utf-8")
    # What each hook did is there: typeset formulas, a card table, a sized figure,
    # no KaTeX on the page without math, the heading link's title in Chinese.
    assert "<template>" in built and "data-cards" in built and 'width="400"' in built
    assert "本節的永久連結" in built
    assert "katex.js" not in (with_hooks / "plain" / "index.html").read_text(encoding="utf-8")


def test_a_site_built_with_the_hooks_is_refused(sites: tuple[Path, Path]) -> None:
    with_hooks, _ = sites
    with pytest.raises(ValueError, match="built with the hooks"):
        html_pass.run(with_hooks)


def test_a_folder_without_a_site_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="expected a built site"):
        html_pass.run(tmp_path)
