"""MkDocs hook: turn a stepper marker into a diagram the reader steps through.

A page places a stepper with a marker around its still figure::

    <div class="stepper" data-steps="backward-seed" markdown>

    ![The seed's graph after g.backward() ...](assets/figures/steps-backward-seed-5.svg)

    </div>

The blank lines keep the image Markdown wherever the marker is not understood
(a notebook made from the page shows the still figure). Here the marker becomes
a ``<figure>`` that holds, in this order:

* the still figure and an ordered list of the step captions: what a reader sees
  without JavaScript, on the print page and on paper;
* the stepper itself, hidden until assets/javascripts/stepper.js starts it: one
  frame at a time (``steps-<name>-<n>.svg``, drawn by ``autograd_guide.stepper``
  from a recorded run and committed with the other figures), then a step
  counter and Previous / Play / Next buttons labelled in the page's language
  (they stay put whatever the caption's length), then the step's caption in a
  live region.

The captions come from the same recording as the frames, made when the page is
built, in the page's language. The frame's ``width`` and ``height`` are read
from the SVG, so the browser reserves its box before the image loads and a
step never shifts the page.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import build_cache  # hooks/build_cache.py
import languages  # hooks/languages.py: MkDocs puts hooks/ on sys.path

MARKER = re.compile(
    r'<div class="stepper" data-steps="(?P<name>[a-z0-9-]+)">\s*'
    r"(?P<still>(?:<p>)?\s*<img [^>]*>\s*(?:</p>)?)\s*</div>",
    re.S,
)
SRC = re.compile(r'\bsrc="(?P<src>[^"]+)"')
SVG_SIZE = re.compile(r'<svg[^>]* width="(?P<w>[\d.]+)pt" height="(?P<h>[\d.]+)pt"')
FIGURES = Path(__file__).resolve().parent.parent / "docs" / "assets" / "figures"

#: The package that records the steps; a change to any file in it records them again.
PACKAGE = build_cache.ROOT / "src" / "autograd_guide"
STORE = build_cache.Store("stepper")
_recordings: dict[str, dict[str, Any]] = {}


def recording() -> dict[str, Any]:
    """Every stepper's steps (frame file, node, captions by language) and their languages.

    Recording imports PyTorch and runs every example: 3.5 s of each build (cProfile)
    for steps that stay the same until the package changes. So they are kept in the
    build cache under a key made from the package's files and this hook.
    """
    entry = build_cache.key(
        "stepper", build_cache.files_digest([PACKAGE]), Path(__file__).read_bytes()
    )
    if entry not in _recordings:
        found = STORE.get_json(entry)
        if found is None:
            from autograd_guide import stepper

            found = {
                "languages": list(stepper.LANGUAGES),
                "steppers": {
                    name: [
                        {
                            "file": stepper.frame_file(name, frame.number),
                            "node": frame.node,
                            "captions": dict(frame.captions),
                        }
                        for frame in stepper.frames(name)
                    ]
                    for name in stepper.STEPPERS
                },
            }
            STORE.put_json(entry, found)
        _recordings[entry] = found
    return _recordings[entry]


def __getattr__(name: str) -> Any:
    """``CAPTION_LANGUAGES``: the languages the package writes step captions in."""
    if name == "CAPTION_LANGUAGES":
        return tuple(recording()["languages"])
    raise AttributeError(name)


#: Where the words below live, for the error a language without them gets.
WHERE = "hooks/stepper.py (LABELS)"
#: Where the step captions are written, per language.
CAPTIONS_WHERE = "src/autograd_guide/stepper.py (LANGUAGES and each frame's captions)"

#: The stepper's words, in each language of the site (mkdocs.yml's i18n languages).
LABELS = {
    "en": {
        "group": "Step-through diagram",
        "steps": "The steps",
        "previous": "Previous",
        "previous_aria": "Previous step",
        "next": "Next",
        "next_aria": "Next step",
        "play": "Play",
        "pause": "Pause",
        "play_aria": "Play the steps",
        "pause_aria": "Pause",
    },
    "zh-TW": {
        "group": "逐步圖解",
        "steps": "各步驟",
        "previous": "上一步",
        "previous_aria": "上一步",
        "next": "下一步",
        "next_aria": "下一步",
        "play": "播放",
        "pause": "暫停",
        "play_aria": "自動播放各步驟",
        "pause_aria": "暫停",
    },
}


def page_language(src_uri: str) -> str:
    """The page's locale from its file name (the i18n plugin's suffix layout)."""
    return languages.page_locale(src_uri)


def check_words(lang: str) -> None:
    """A clear error where mkdocs.yml lists *lang* but the stepper has no words for it."""
    languages.words_for(LABELS, lang, WHERE)
    languages.words_for(dict.fromkeys(recording()["languages"]), lang, CAPTIONS_WHERE)


def frame_size(path: Path) -> tuple[int, int]:
    """The frame's size in CSS pixels (matplotlib writes points: 1 pt = 4/3 px)."""
    match = SVG_SIZE.search(path.read_text(encoding="utf-8")[:2000])
    if match is None:
        raise ValueError(f"{path} has no width and height in points")
    return round(float(match["w"]) * 4 / 3), round(float(match["h"]) * 4 / 3)


def stepper_html(name: str, still: str, lang: str) -> str:
    """The figure that replaces one marker (see the module's docstring)."""
    steppers = recording()["steppers"]
    if name not in steppers:
        raise ValueError(f"a stepper marker names {name!r}; the steppers are {sorted(steppers)}")
    src = SRC.search(still)
    if src is None:
        raise ValueError(f"the stepper {name!r} needs its still figure inside the marker")
    folder = src["src"].rsplit("/", 1)[0]
    words = languages.words_for(LABELS, lang, WHERE)
    # Hidden once the script runs: loaded only when shown (no script, print page, paper).
    still = still.replace("<img ", '<img loading="lazy" ', 1)
    steps = steppers[name]
    width, height = frame_size(FIGURES / steps[0]["file"])
    items = "".join(
        f'<li data-frame="{folder}/{step["file"]}" data-node="{step["node"]}">'
        f"{html.escape(step['captions'][lang])}</li>"
        for step in steps
    )
    e = {key: html.escape(value, quote=True) for key, value in words.items()}
    return (
        f'<figure class="stepper" data-steps="{name}" role="group" aria-label="{e["group"]}">'
        f'<div class="stepper-still">{still}</div>'
        f'<ol class="stepper-captions" aria-label="{e["steps"]}">{items}</ol>'
        f'<div class="stepper-ui" hidden>'
        f'<div class="stepper-frame">'
        f'<img src="{folder}/{steps[0]["file"]}" width="{width}" height="{height}"'
        ' alt="">'  # the caption below says what the frame shows
        "</div>"
        f'<div class="stepper-controls">'
        f'<button type="button" class="md-button" data-go="-1" aria-label="{e["previous_aria"]}">'
        f"\u2190 {e['previous']}</button>"
        f'<span class="stepper-count">1 / {len(steps)}</span>'
        f'<button type="button" class="md-button" data-go="play" aria-label="{e["play_aria"]}"'
        f' data-play="{e["play"]}" data-pause="{e["pause"]}" data-play-aria="{e["play_aria"]}"'
        f' data-pause-aria="{e["pause_aria"]}">{e["play"]}</button>'
        f'<button type="button" class="md-button" data-go="1" aria-label="{e["next_aria"]}">'
        f"{e['next']} \u2192</button>"
        "</div>"
        f'<div class="stepper-text"><p class="stepper-caption" aria-live="polite"></p></div>'
        "</div></figure>"
    )


def replace_markers(page_html: str, lang: str) -> str:
    """Every stepper marker of a page replaced by its stepper, in the page's language."""
    if lang not in languages.locales():
        raise ValueError(f"lang must be one of {languages.locales()}, got {lang!r}")
    check_words(lang)
    return MARKER.sub(lambda m: stepper_html(m["name"], m["still"], lang), page_html)


def on_config(config: Any, **_: Any) -> Any:
    """Stop the build at once if a language of mkdocs.yml has no stepper words."""
    for lang in languages.locales(config):
        check_words(lang)
    return config


def on_page_content(html_text: str, page: Any, config: Any = None, **_: Any) -> str:
    if 'class="stepper"' not in html_text:
        return html_text
    result = replace_markers(html_text, languages.page_locale(page.file.src_uri, config))
    if '<div class="stepper"' in result:
        raise ValueError(
            f"{page.file.src_uri}: a stepper marker must hold only its still figure, "
            "with blank lines around it"
        )
    return result
