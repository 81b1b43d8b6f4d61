"""The registry of the site's figures and the one way they are written to disk.

Every picture on the site is made by a function in this package and registered
here with [`figure`][]. ``python -m autograd_guide.figures DIR`` writes them
all; a test draws them again and compares what a reader sees (both rasterised,
matplotlib's RMS with a tolerance), so a figure can never go stale. Not bytes:
the data come from numpy and torch, whose last bits differ between CPUs, and
one bit can change an SVG's bytes but not its picture. On one machine the SVG
is still reproducible byte for byte (fixed hash salt, no date).
"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text

__all__ = [
    "CJK_FAMILY",
    "FIGURES",
    "LANGUAGES",
    "cjk_font",
    "draw",
    "drawn_texts",
    "figure",
    "figure_file",
    "language_of",
    "registered",
    "render",
    "render_all",
    "save_svg",
    "smallest_text",
]

FigureFactory = Callable[..., Figure]

#: File name → function that draws it. Filled by the ``figure`` decorator. A
#: figure with words is drawn once per language: its file names all map to the
#: same function, which takes the language (see ``figure``).
FIGURES: dict[str, FigureFactory] = {}

#: The site's languages. English figures keep the bare name (``descent-path.svg``);
#: another language's copy puts the language before the suffix
#: (``descent-path.zh-TW.svg``), as MkDocs' i18n plugin names the pages.
LANGUAGES = ("en", "zh-TW")

#: The functions registered with ``translated=True``: they take ``lang``.
_TRANSLATED: set[FigureFactory] = set()

#: Chinese text is drawn in Noto Sans CJK TC (Debian's ``fonts-noto-cjk``;
#: ``.ci/run`` installs it): the Taiwan glyph forms. Latin letters and digits stay
#: in DejaVu Sans, as in the English figures; matplotlib takes each glyph from the
#: first family that has it.
CJK_FAMILY = "Noto Sans CJK TC"
CJK_PACKAGE = "fonts-noto-cjk"

#: Matplotlib's warning for a character no font has: drawn as an empty box (tofu).
#: Drawing and saving a figure turn it into an error, so a missing glyph never ships.
MISSING_GLYPH = r"Glyph \d+ .* missing from font"

#: White figures read the same on Material's light and dark backgrounds.
STYLE = {
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "svg.hashsalt": "autograd-guide",
    "svg.fonttype": "path",
    "font.size": 11,
}

#: What a language adds to STYLE.
LANGUAGE_STYLE: dict[str, dict[str, object]] = {
    "en": {},
    "zh-TW": {"font.family": ["DejaVu Sans", CJK_FAMILY]},
}


def figure_file(filename: str, lang: str) -> str:
    """The file of *filename*'s copy in *lang*: ``x.svg`` in English, ``x.zh-TW.svg``."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, got {lang!r}")
    return filename if lang == "en" else f"{filename.removesuffix('.svg')}.{lang}.svg"


def language_of(filename: str) -> str:
    """The language a figure file is drawn in: the one its name carries, else English."""
    return next((lang for lang in LANGUAGES[1:] if filename.endswith(f".{lang}.svg")), "en")


def figure(filename: str, *, translated: bool = False) -> Callable[[FigureFactory], FigureFactory]:
    """Register a function that draws the figure stored as *filename*.

    A figure with words in it (a title, axis labels, a legend, notes in prose) is
    *translated*: the function takes ``lang``, one of ``LANGUAGES``, and writes
    every word in it, and each language gets its own file (``figure_file``). A
    figure whose text is only code, numbers and formulas is drawn once, by a
    function without arguments, and serves every page.
    """
    if not isinstance(filename, str) or not filename.endswith(".svg") or "/" in filename:
        raise ValueError(f"filename must be a bare name ending in .svg, got {filename!r}")
    if language_of(filename) != "en":
        raise ValueError(f"register the English name; got the {language_of(filename)} file")
    files = [figure_file(filename, lang) for lang in LANGUAGES] if translated else [filename]

    def register(factory: FigureFactory) -> FigureFactory:
        for file in files:
            if file in FIGURES and FIGURES[file] is not factory:
                raise ValueError(f"two functions draw {file!r}")
        for file in files:
            FIGURES[file] = factory
        if translated:
            _TRANSLATED.add(factory)
        return factory

    return register


def cjk_font() -> str:
    """The path of the font matplotlib draws Chinese with, found by its family name.

    Matplotlib keeps a cache of the system's fonts; one written before the font
    was installed does not know it, so the system's CJK fonts are added then.
    """
    props = FontProperties(family=CJK_FAMILY)
    try:
        return font_manager.findfont(props, fallback_to_default=False)
    except ValueError:
        for path in font_manager.findSystemFonts():
            if "CJK" in Path(path).name:
                font_manager.fontManager.addfont(path)
    try:
        return font_manager.findfont(props, fallback_to_default=False)
    except ValueError:
        raise RuntimeError(
            f"matplotlib finds no font of the family {CJK_FAMILY!r}, which the zh-TW figures"
            f" need: install it (apt-get install {CJK_PACKAGE})"
        ) from None


@contextlib.contextmanager
def _drawing(lang: str) -> Iterator[None]:
    """The site's style in *lang*, with a missing glyph an error."""
    if lang != "en":
        cjk_font()
    with matplotlib.rc_context({**STYLE, **LANGUAGE_STYLE[lang]}), warnings.catch_warnings():
        warnings.filterwarnings("error", message=MISSING_GLYPH, category=UserWarning)
        yield


def save_svg(fig: Figure, path: Path | str) -> Path:
    """Write *fig* as a reproducible SVG and close it."""
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    path = Path(path)
    if path.suffix != ".svg":
        raise ValueError(f"path must end in .svg, got {str(path)!r}")
    try:
        with _drawing(language_of(path.name)):
            fig.savefig(path, format="svg", metadata={"Date": None}, bbox_inches="tight")
    finally:
        plt.close(fig)
    return path


def _load_all_modules() -> None:
    """Import every module of the package, so that each registers its figures."""
    package = sys.modules[__package__]
    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{__package__}.{info.name}")


def registered() -> list[str]:
    """The file names of every figure the package draws, sorted.

    Importing a module registers its figures, so all are imported first: a figure
    is known before the module that draws it has been used.
    """
    _load_all_modules()
    return sorted(FIGURES)


def _out_dir(out_dir: Path | str) -> Path:
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ValueError(f"out_dir must be a directory, got the file {str(out_dir)!r}")
    out_dir.mkdir(parents=True, exist_ok=True)
    return out_dir


def draw(name: str) -> Figure:
    """The registered figure *name*, drawn in the site's style but not saved.

    Apart from saving, so that a test can change a figure before it is written.
    The figure is laid out once, text included: a character that no font has
    raises here (matplotlib's missing-glyph warning is an error while drawing).
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a figure's file name (str), got {type(name).__name__}")
    if name not in registered():
        raise ValueError(f"no figure is registered as {name!r}; registered: {registered()}")
    lang = language_of(name)
    factory = FIGURES[name]
    with _drawing(lang):
        fig = factory(lang) if factory in _TRANSLATED else factory()
        try:
            fig.draw_without_rendering()
        except Exception:
            plt.close(fig)
            raise
    return fig


def drawn_texts(fig: Figure) -> list[Text]:
    """Every text *fig* shows: titles, labels, tick labels, legend entries, notes.

    Those matplotlib draws, found by drawing the figure: not the hidden ones or the
    tick labels outside the axes' limits.
    """
    shown: list[Text] = []
    original = Text.draw

    def record(self: Text, renderer: object) -> None:
        if self.get_visible() and self.get_text().strip():
            shown.append(self)
        original(self, renderer)

    Text.draw = record  # type: ignore[method-assign]
    try:
        fig.draw_without_rendering()
    finally:
        Text.draw = original  # type: ignore[method-assign]
    return list(dict.fromkeys(shown))


def smallest_text(fig: Figure) -> float:
    """The size in points of the smallest text *fig* shows (see ``drawn_texts``)."""
    return min(text.get_fontsize() for text in drawn_texts(fig))


def render(name: str, out_dir: Path | str) -> Path:
    """Draw the registered figure *name* into *out_dir*; return the path written."""
    out_dir = _out_dir(out_dir)
    return save_svg(draw(name), out_dir / name)


def render_all(out_dir: Path | str) -> list[Path]:
    """Draw every registered figure into *out_dir*; return the paths written."""
    out_dir = _out_dir(out_dir)
    return [render(name, out_dir) for name in registered()]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m autograd_guide.figures OUT_DIR", file=sys.stderr)
        return 2
    # Run as ``python -m``, this file is ``__main__``, a copy with its own empty
    # registry: render through the package's module, where the figures register.
    registry = importlib.import_module(f"{__package__}.figures")
    for path in registry.render_all(args[0]):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
