"""The site's languages are listed once, in mkdocs.yml (hooks/languages.py).

Three kinds of check: the module reads the i18n plugin's languages and the suffix
layout right, and says clearly what is wrong with a bad configuration; every
file that keeps words per language has them for every language mkdocs.yml lists
(and a hook stops the build naming the file where one is missing); and no file
of hooks/, tools/, overrides/ or tests/docharness spells a locale in its code
outside those word tables, so a hard-coded language list cannot come back.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
from jinja2 import nodes

from repo_modules import ROOT, load

languages = load("hooks/languages.py")

MKDOCS_YML = """\
site_name: Test
site_url: !ENV [SITE_URL, "http://127.0.0.1:8000/"]
markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
plugins:
  - search
  - i18n:
      docs_structure: suffix
      languages:
{languages}
"""

THREE = """\
        - locale: en
          name: English
          default: true
        - locale: zh-TW
          name: 繁體中文
        - locale: zh-Hans
          name: 简体中文
"""


def write_config(tmp_path: Path, languages_yaml: str) -> Path:
    path = tmp_path / "mkdocs.yml"
    path.write_text(MKDOCS_YML.format(languages=languages_yaml.rstrip("\n")), encoding="utf-8")
    return path


# ------------------------------------------------------------------ the module


def test_the_repository_lists_english_and_traditional_chinese() -> None:
    assert languages.locales() == ["en", "zh-TW"]
    assert languages.default_locale() == "en"
    assert languages.translations() == ["zh-TW"]
    assert languages.locales(ROOT / "mkdocs.yml") == ["en", "zh-TW"]


def test_locales_are_read_from_a_given_mkdocs_yml(tmp_path: Path) -> None:
    config = write_config(tmp_path, THREE)
    assert languages.locales(config) == ["en", "zh-TW", "zh-Hans"]
    assert languages.locales(str(config)) == ["en", "zh-TW", "zh-Hans"]
    assert languages.default_locale(config) == "en"
    assert languages.translations(config) == ["zh-TW", "zh-Hans"]
    assert languages.suffix("zh-Hans", config) == ".zh-Hans"
    assert languages.suffix("en", config) == ""
    assert languages.site_prefix("zh-Hans", config) == "zh-Hans/"
    assert languages.site_prefix("en", config) == ""


def test_mkdocs_yml_is_read_without_the_environment_or_mkdocs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPO_URL", "https://example.com/elsewhere")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        'repo_url: !ENV [REPO_URL, "https://github.com/o/n"]\n'
        "site_url: !ENV SITE_URL\n"
        "emoji: !!python/name:material.extensions.emoji.twemoji\n",
        encoding="utf-8",
    )
    assert languages.read_config(config) == {
        "repo_url": "https://github.com/o/n",
        "site_url": None,
        "emoji": None,
    }
    config.write_text("nav: [unclosed\n", encoding="utf-8")
    with pytest.raises(languages.LanguageError, match=r"mkdocs\.yml: not valid YAML"):
        languages.read_config(config)


def test_the_default_need_not_come_first(tmp_path: Path) -> None:
    config = write_config(
        tmp_path,
        "        - locale: zh-TW\n          name: 中文\n"
        "        - locale: en\n          name: English\n          default: true\n",
    )
    assert languages.locales(config) == ["zh-TW", "en"]
    assert languages.default_locale(config) == "en"
    assert languages.page_locale("a.md", config) == "en"
    assert languages.page_locale("a.zh-TW.md", config) == "zh-TW"


def test_a_mkdocs_config_is_read_through_its_i18n_plugin(tmp_path: Path) -> None:
    """In a hook: the plugin's validated languages, else the config's own file."""

    class Language:
        def __init__(self, locale: str, default: bool = False) -> None:
            self.locale, self.default = locale, default

    class Plugin:
        config = type("C", (), {"languages": [Language("en", True), Language("fr")]})()

    config = SimpleNamespace(plugins={"i18n": Plugin()})
    assert languages.locales(config) == ["en", "fr"]
    without_plugin = SimpleNamespace(
        plugins={}, config_file_path=str(write_config(tmp_path, THREE))
    )
    assert languages.translations(without_plugin) == ["zh-TW", "zh-Hans"]


@pytest.mark.parametrize(
    ("src_uri", "locale"),
    [
        ("a.md", "en"),
        ("a.zh-TW.md", "zh-TW"),
        ("labs/x.zh-TW.ipynb", "zh-TW"),
        ("labs/x.ipynb", "en"),
        ("assets/figures/descent-path.zh-TW.svg", "zh-TW"),
        ("a.b.md", "en"),  # a dot that is no locale
        ("zh-TW.md", "en"),  # a page named like a locale has no suffix
    ],
)
def test_page_locale_follows_the_suffix_layout(src_uri: str, locale: str) -> None:
    assert languages.page_locale(src_uri) == locale


def test_page_locale_knows_only_the_listed_languages(tmp_path: Path) -> None:
    config = write_config(tmp_path, THREE)
    assert languages.page_locale("a.zh-Hans.md", config) == "zh-Hans"
    assert languages.page_locale("a.zh-Hans.md") == "en"  # not a language of the site
    assert languages.split_locale("labs/x.zh-Hans.ipynb", config) == ("zh-Hans", "labs/x.ipynb")
    assert languages.split_locale("x.md", config) == (None, "x.md")


@pytest.mark.parametrize(
    ("languages_yaml", "message"),
    [
        ("        - locale: en\n          name: English\n", "exactly one i18n language needs"),
        (
            "        - locale: en\n          default: true\n"
            "        - locale: fr\n          default: true\n",
            r"found 2 \(en, fr\)",
        ),
        ("        - name: English\n          default: true\n", "needs a locale"),
        (
            "        - locale: en\n          default: true\n        - locale: en\n",
            "'en' is listed twice",
        ),
        ("        []\n", "needs a list of languages"),
    ],
)
def test_a_bad_configuration_says_what_is_wrong(
    tmp_path: Path, languages_yaml: str, message: str
) -> None:
    config = write_config(tmp_path, languages_yaml)
    with pytest.raises(ValueError, match=message) as caught:
        languages.locales(config)
    assert str(config.resolve()) in str(caught.value)


def test_a_site_without_the_plugin_has_its_themes_language(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Test\nplugins:\n  - search\n", encoding="utf-8")
    assert (languages.locales(config), languages.translations(config)) == (["en"], [])
    (tmp_path / "zh").mkdir()
    config = tmp_path / "zh" / "mkdocs.yml"
    config.write_text("site_name: Test\ntheme:\n  name: material\n  language: zh-TW\n")
    assert languages.locales(config) == languages.default_locale(config).split() == ["zh-TW"]


def test_a_missing_configuration_or_language_says_so(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="found no file"):
        languages.locales(tmp_path / "missing.yml")
    with pytest.raises(ValueError, match="expected a language among"):
        languages.suffix("fr")


def test_words_for_names_the_language_and_the_file() -> None:
    table = {"en": "Output", "zh-TW": "輸出"}
    assert languages.words_for(table, "zh-TW", "hooks/x.py (T)") == "輸出"
    with pytest.raises(ValueError, match=r"hooks/x\.py \(T\) has no words for .*'zh-Hans'"):
        languages.words_for(table, "zh-Hans", "hooks/x.py (T)")


def test_require_words_lists_every_missing_language(tmp_path: Path) -> None:
    config = write_config(tmp_path, THREE)
    languages.require_words({"en": 1, "zh-TW": 2, "zh-Hans": 3}, "t", config)
    languages.require_words({"zh-TW": 2, "zh-Hans": 3}, "t", config, only="translations")
    with pytest.raises(ValueError, match=r"hooks/x\.py has no words for 'zh-Hans'"):
        languages.require_words({"en": 1, "zh-TW": 2}, "hooks/x.py", config)
    assert languages.missing_words({"en": 1}, config) == ["zh-TW", "zh-Hans"]


# ------------------------------------------------------------------ word tables

stepper = load("hooks/stepper.py")
labs = load("hooks/labs.py")
page_versions = load("hooks/page_versions.py")
ui_strings = load("hooks/ui_strings.py")
notebooks_tool = load("tools/notebooks.py")

#: Every table of words per language in Python: (table, where, which languages).
PYTHON_TABLES = {
    "hooks/stepper.py (LABELS)": (stepper.LABELS, "all"),
    "src/autograd_guide/stepper.py (LANGUAGES: the step captions)": (
        dict.fromkeys(stepper.CAPTION_LANGUAGES),
        "all",
    ),
    "hooks/labs.py (OUTPUT_TITLE)": (labs.OUTPUT_TITLE, "all"),
    "hooks/page_versions.py (VERSIONS_LINE)": (page_versions.VERSIONS_LINE, "all"),
    "hooks/page_versions.py (STALE_NOTICE)": (page_versions.STALE_NOTICE, "translations"),
    "hooks/ui_strings.py (STRINGS)": (ui_strings.STRINGS, "translations"),
    "tools/notebooks.py (WORDS)": (notebooks_tool.WORDS, "all"),
}

#: The templates that pick words with words_for(table, locale, where).
TEMPLATE_TABLES = ("overrides/partials/notebook-links.html", "overrides/404.html")

ENV = jinja2.Environment()


def parse(relative: str) -> nodes.Template:
    return ENV.parse((ROOT / relative).read_text(encoding="utf-8"))


def template_tables(tree: nodes.Template, relative: str) -> list[nodes.Dict]:
    """The tables a template passes to words_for (a literal, or a name set to one)."""
    assigned = {
        node.target.name: node.node
        for node in tree.find_all(nodes.Assign)
        if isinstance(node.target, nodes.Name)
    }
    tables = []
    for call in tree.find_all(nodes.Call):
        if not (isinstance(call.node, nodes.Name) and call.node.name == "words_for"):
            continue
        table = call.args[0]
        if isinstance(table, nodes.Name):
            table = assigned[table.name]
        assert isinstance(table, nodes.Dict), f"{relative}: words_for needs a table literal"
        tables.append(table)
    return tables


def locales_of(table: nodes.Dict) -> dict[str, nodes.Node]:
    return {pair.key.value: pair.value for pair in table.items}


@pytest.mark.parametrize("where", PYTHON_TABLES)
def test_every_language_has_its_words_in_python(where: str) -> None:
    table, only = PYTHON_TABLES[where]
    assert languages.missing_words(table, only=only) == [], f"add them to {where}"


@pytest.mark.parametrize("relative", TEMPLATE_TABLES)
def test_every_language_has_its_words_in_templates(relative: str) -> None:
    tables = template_tables(parse(relative), relative)
    assert tables, f"{relative} picks no words with words_for"
    for table in tables:
        assert languages.missing_words(locales_of(table)) == [], f"add them to {relative}"


def test_a_language_without_words_stops_the_build(tmp_path: Path) -> None:
    """Each hook's on_config names the language and the file to add its words to."""
    config = write_config(tmp_path, THREE)
    for hook, where in (
        (stepper, r"hooks/stepper\.py \(LABELS\)"),
        (labs, r"hooks/labs\.py \(OUTPUT_TITLE\)"),
        (page_versions, r"hooks/page_versions\.py \(VERSIONS_LINE\)"),
        (ui_strings, r"hooks/ui_strings\.py \(STRINGS\)"),
    ):
        with pytest.raises(ValueError, match=rf"{where} has no words for 'zh-Hans'"):
            hook.on_config(config)
    site = SimpleNamespace(
        plugins={}, config_file_path=str(ROOT / "mkdocs.yml"), docs_dir=str(ROOT / "docs")
    )
    for hook in (stepper, labs, page_versions, ui_strings):
        assert hook.on_config(site) is site  # the site's own languages have them all


def test_a_template_without_words_names_itself() -> None:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT / "overrides"))
    env.globals["words_for"] = languages.words_for
    source = (ROOT / "overrides/partials/notebook-links.html").read_text(encoding="utf-8")
    # Only the table's lookup: the buttons' icons come from Material's templates.
    lookup = source[
        source.index("{% set labels") : source.index("%}", source.index("{% set labels")) + 2
    ]
    template = env.from_string(lookup + "{{ labels.download }}")
    assert template.render(chapter_notebook={"lang": "zh-TW"}) == "下載筆記本"
    with pytest.raises(ValueError, match=r"notebook-links\.html has no words for .*'zh-Hans'"):
        template.render(chapter_notebook={"lang": "zh-Hans"})


# ------------------------------------------------------------------ no hard-coded locale

#: The only places outside hooks/languages.py that may spell a locale in code,
#: each with its reason. Python: the names of the module-level tables; templates:
#: the tables given to words_for (found by the test), or the whole file.
ALLOWED_PYTHON = {
    "hooks/stepper.py": {"LABELS"},  # the stepper's button words, per language
    "hooks/labs.py": {"OUTPUT_TITLE"},  # a lab's output titles, per language
    "hooks/page_versions.py": {"VERSIONS_LINE", "STALE_NOTICE"},  # the chapter's lines
    "hooks/ui_strings.py": {"STRINGS"},  # the tools' English, per translation
    "tools/notebooks.py": {"WORDS"},  # the generated cells' words, per language
}
ALLOWED_FILES = {
    # Material's strings for zh-TW with Taiwan's words: mkdocs.yml names it in
    # theme.language, and it imports Material's own zh-TW.html by that name.
    "overrides/partials/languages/zh-TW-guide.html",
    # The one place that knows how locales are listed and spelled (no locale in code).
    "hooks/languages.py",
}

LOCALE = re.compile(r"zh-TW")


def _python_offences(path: Path, allowed: set[str], root: Path = ROOT) -> list[str]:
    """Strings in *path*'s code that spell a locale, outside the tables named *allowed*.

    Docstrings and comments may name a language; code may not.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    offences = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if not LOCALE.search(node.value) or isinstance(parents.get(node), ast.Expr):
            continue  # no locale, or a docstring
        up, targets = node, set()
        while up in parents:
            up = parents[up]
            if isinstance(up, ast.Assign):
                targets |= {t.id for t in up.targets if isinstance(t, ast.Name)}
            elif isinstance(up, ast.AnnAssign) and isinstance(up.target, ast.Name):
                targets.add(up.target.id)
        if not targets & allowed:
            offences.append(f"{path.relative_to(root)}:{node.lineno}: {node.value!r}")
    return offences


def _template_offences(path: Path, root: Path = ROOT) -> list[str]:
    """A locale in a template's expressions or text, outside the tables of words_for.

    Jinja comments are not in the parsed template, and HTML comments are left out.
    """
    relative = str(path.relative_to(root))
    tree = ENV.parse(path.read_text(encoding="utf-8"))
    allowed = {
        id(const)
        for table in template_tables(tree, relative)
        for const in table.find_all(nodes.Const)
    }
    offences = []
    for node in tree.find_all(nodes.Const):
        if isinstance(node.value, str) and LOCALE.search(node.value) and id(node) not in allowed:
            offences.append(f"{relative}:{node.lineno}: {node.value!r}")
    for node in tree.find_all(nodes.TemplateData):
        text = re.sub(r"<!--.*?-->", "", node.data, flags=re.S)
        if LOCALE.search(text):
            offences.append(f"{relative}:{node.lineno}: {text.strip()[:60]!r}")
    return offences


def test_no_locale_is_spelled_outside_the_word_tables() -> None:
    files = [
        *sorted((ROOT / "hooks").glob("*.py")),
        *sorted((ROOT / "tools").glob("*.py")),
        *sorted((ROOT / "tests" / "docharness").glob("*.py")),
        *sorted((ROOT / "overrides").rglob("*.html")),
    ]
    offences = []
    for path in files:
        relative = str(path.relative_to(ROOT))
        if relative in ALLOWED_FILES:
            continue
        if path.suffix == ".py":
            offences += _python_offences(path, ALLOWED_PYTHON.get(relative, set()))
        else:
            offences += _template_offences(path)
    assert offences == [], (
        "read the languages from mkdocs.yml through hooks/languages.py, or keep the "
        "words in a table of words per language (tests/test_languages.py's allow-list)"
    )


def test_the_locale_check_finds_a_hard_coded_locale(tmp_path: Path) -> None:
    code = tmp_path / "x.py"
    code.write_text(
        '"""A zh-TW docstring is fine."""\n'
        "# so is a zh-TW comment\n"
        'WORDS = {"zh-TW": "字"}\n'
        'lang = "zh-TW" if True else "en"\n',
        encoding="utf-8",
    )
    assert _python_offences(code, {"WORDS"}, tmp_path) == ["x.py:4: 'zh-TW'"]
    template = tmp_path / "t.html"
    template.write_text(
        "{# a zh-TW comment #}<!-- an HTML zh-TW comment -->\n"
        '{% set w = words_for({"zh-TW": 1}, lang, "t") %}\n'
        '{% if lang == "zh-TW" %}<a href="zh-TW/">x</a>{% endif %}\n',
        encoding="utf-8",
    )
    assert _template_offences(template, tmp_path) == [
        "t.html:3: 'zh-TW'",
        "t.html:3: '<a href=\"zh-TW/\">x</a>'",
    ]
