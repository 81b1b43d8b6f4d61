from pathlib import Path

from repo_modules import load

page_weight = load("hooks/page_weight.py")

HEAD = (
    '    <link rel="stylesheet" href="../assets/stylesheets/main.css">\n'
    '      <link rel="stylesheet" href="../assets/vendor/katex/katex.min.css">\n'
    '      <link rel="stylesheet" href="../assets/stylesheets/extra.css">\n'
)
SCRIPTS = (
    '      <script src="../assets/javascripts/bundle.js"></script>\n'
    '        <script src="../assets/vendor/katex/katex.min.js"></script>\n'
    '        <script src="../assets/vendor/katex/contrib/auto-render.min.js"></script>\n'
    '        <script src="../assets/javascripts/katex.js"></script>\n'
)


def test_page_without_math_loses_exactly_the_katex_tags() -> None:
    html = HEAD + "<p>No formulas here.</p>\n" + SCRIPTS
    assert page_weight.drop_unused_katex(html) == (
        '    <link rel="stylesheet" href="../assets/stylesheets/main.css">\n'
        '      <link rel="stylesheet" href="../assets/stylesheets/extra.css">\n'
        "<p>No formulas here.</p>\n"
        '      <script src="../assets/javascripts/bundle.js"></script>\n'
    )


def test_deferred_katex_scripts_go_too() -> None:
    html = "<p>No formulas.</p>\n" + SCRIPTS.replace("<script src=", "<script defer src=")
    assert page_weight.drop_unused_katex(html) == (
        '<p>No formulas.</p>\n      <script defer src="../assets/javascripts/bundle.js"></script>\n'
    )


def test_page_with_math_keeps_katex() -> None:
    html = HEAD + '<p><span class="arithmatex">\\(x^2\\)</span></p>\n' + SCRIPTS
    assert page_weight.drop_unused_katex(html) == html


def test_math_shown_as_code_is_not_math() -> None:
    # A page that shows arithmatex's markup in a code block has it escaped.
    html = HEAD + "<code>&lt;span class=&quot;arithmatex&quot;&gt;</code>\n" + SCRIPTS
    assert "katex" not in page_weight.drop_unused_katex(html)


def test_svg_size_in_points_and_pixels(tmp_path: Path) -> None:
    points = tmp_path / "points.svg"
    points.write_text('<?xml version="1.0"?>\n<svg width="432pt" height="216pt" viewBox="0 0 4 2">')
    pixels = tmp_path / "pixels.svg"
    pixels.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120px">')
    assert page_weight.svg_size(points) == (576, 288)
    assert page_weight.svg_size(pixels) == (300, 120)


def test_svg_without_size_or_file_gives_none(tmp_path: Path) -> None:
    relative = tmp_path / "relative.svg"
    relative.write_text('<svg viewBox="0 0 10 10" width="100%">')
    assert page_weight.svg_size(relative) is None
    assert page_weight.svg_size(tmp_path / "missing.svg") is None


def test_figures_get_their_size_and_async_decoding(tmp_path: Path) -> None:
    figure = tmp_path / "fit.svg"
    figure.write_text('<svg width="75pt" height="30pt">')
    seen: list[str] = []

    def locate(src: str) -> Path:
        seen.append(src)
        return figure

    html = '<p><img alt="A line" src="../assets/figures/fit.svg" /></p>'
    assert page_weight.size_figures(html, locate) == (
        '<p><img alt="A line" src="../assets/figures/fit.svg" width="100" height="40"'
        ' decoding="async"/></p>'
    )
    assert seen == ["../assets/figures/fit.svg"]


def test_other_images_and_given_sizes_are_left_alone(tmp_path: Path) -> None:
    def locate(src: str) -> None:
        raise AssertionError(f"should not look up {src}")

    untouched = (
        '<img src="photo.png">'
        '<img src="https://example.org/remote.svg">'
        '<img src="sized.svg" width="10" height="10" decoding="async">'
    )
    assert page_weight.size_figures(untouched, locate) == untouched


def test_unknown_figure_still_decodes_async() -> None:
    html = '<img alt="x" src="gone.svg">'
    assert page_weight.size_figures(html, lambda src: None) == (
        '<img alt="x" src="gone.svg" decoding="async">'
    )


def test_a_figure_in_the_pages_language_is_found_where_it_is_written(tmp_path: Path) -> None:
    """The i18n plugin writes docs/assets/figures/x.zh-TW.svg as zh-TW/assets/figures/x.svg."""
    from types import SimpleNamespace

    locate_file = page_weight.locate_file
    shared = SimpleNamespace(
        src_uri="assets/figures/g.svg", dest_uri="assets/figures/g.svg", abs_src_path="/d/g.svg"
    )
    own = SimpleNamespace(
        src_uri="assets/figures/x.zh-TW.svg",
        dest_uri="zh-TW/assets/figures/x.svg",
        abs_src_path="/d/x.zh-TW.svg",
    )

    class Files(list):
        def get_file_from_path(self, path: str):
            return next((f for f in self if f.src_uri == path), None)

    files = Files([shared, own])
    page = "zh-TW/linear-regression/"
    assert locate_file(files, page, "../assets/figures/x.svg") == Path("/d/x.zh-TW.svg")
    assert locate_file(files, page, "../../assets/figures/g.svg") == Path("/d/g.svg")
    assert locate_file(files, "linear-regression/", "../assets/figures/g.svg") == Path("/d/g.svg")
    assert locate_file(files, page, "../assets/figures/none.svg") is None
