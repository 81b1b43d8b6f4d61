"""The step-through diagrams, as a reader drives them: keys, clicks, captions, phones, print."""

from __future__ import annotations

import pytest
from test_site import open_page

from autograd_guide.stepper import frames

SEED = frames("backward-seed")


def _state(page) -> tuple[str, str, str, str]:
    box = page.locator("figure.stepper").first
    return (
        box.get_attribute("data-node"),
        box.locator(".stepper-caption").inner_text(),
        box.locator(".stepper-count").inner_text(),
        box.locator(".stepper-frame img").get_attribute("src").rsplit("/", 1)[1],
    )


def _expected(number: int, lang: str) -> tuple[str, str, str, str]:
    frame = SEED[number - 1]
    return (
        frame.node,
        frame.captions[lang],
        f"{number} / {len(SEED)}",
        f"steps-backward-seed-{number}.svg",
    )


@pytest.mark.parametrize(
    ("path", "lang", "labels"),
    [
        ("backward-pass/", "en", ("Previous step", "Play the steps", "Next step")),
        ("zh-TW/backward-pass/", "zh-TW", ("上一步", "自動播放各步驟", "下一步")),
    ],
)
def test_step_with_clicks_and_keys(browser, base_url: str, path: str, lang: str, labels) -> None:
    context, page, visit = open_page(browser, base_url, path)
    try:
        box = page.locator("figure.stepper").first
        # The script took over: the still figure and the caption list are hidden.
        assert box.locator(".stepper-ui").is_visible()
        assert not box.locator(".stepper-still").is_visible()
        assert not box.locator(".stepper-captions").is_visible()
        assert _state(page) == _expected(1, lang)
        assert box.locator(".stepper-caption").get_attribute("aria-live") == "polite"
        previous, play, next_ = (box.get_by_role("button", name=name) for name in labels)
        assert play.is_visible()
        next_.click()
        next_.click()
        assert _state(page) == _expected(3, lang)  # p runs: -3 from g, sent on to x and y
        previous.click()
        assert _state(page) == _expected(2, lang)
        # Keys act where the focus is: on a button of the stepper.
        next_.focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        assert _state(page) == _expected(4, lang)
        page.keyboard.press("ArrowLeft")
        assert _state(page) == _expected(3, lang)
        page.keyboard.press("End")
        assert _state(page) == _expected(len(SEED), lang)
        page.keyboard.press("ArrowRight")  # past the end: stays on the last step
        assert _state(page) == _expected(len(SEED), lang)
        assert next_.get_attribute("aria-disabled") == "true"
        page.keyboard.press("Home")
        assert _state(page) == _expected(1, lang)
        assert previous.get_attribute("aria-disabled") == "true"
        # The focused button shows its focus.
        next_.focus()
        outline = next_.evaluate("b => getComputedStyle(b).outlineStyle")
        assert outline != "none"
        assert visit.external == [] and visit.failed == [] and visit.console_errors == []
    finally:
        context.close()


def test_play_walks_to_the_end_and_stops(browser, base_url: str) -> None:
    context, page, _ = open_page(browser, base_url, "backward-pass/")
    try:
        page.clock.install()
        page.reload(wait_until="networkidle")
        box = page.locator("figure.stepper").first
        box.get_by_role("button", name="Play the steps").click()
        assert box.get_by_role("button", name="Pause").is_visible()
        page.clock.run_for(2600)
        assert _state(page) == _expected(2, "en")
        page.clock.run_for(2500 * len(SEED))
        assert _state(page) == _expected(len(SEED), "en")
        assert box.get_by_role("button", name="Play the steps").is_visible()
    finally:
        context.close()


def test_nothing_plays_by_itself(browser, base_url: str) -> None:
    context, page, _ = open_page(browser, base_url, "backward-pass/", reduced_motion="reduce")
    try:
        page.wait_for_timeout(3000)
        assert _state(page) == _expected(1, "en")
    finally:
        context.close()


@pytest.mark.parametrize("path", ["backward-pass/", "zh-TW/backward-pass/"])
def test_stepper_fits_a_phone_and_keeps_its_size(browser, base_url: str, path: str) -> None:
    context, page, _ = open_page(browser, base_url, path, viewport={"width": 375, "height": 800})
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        box = page.locator("figure.stepper").first
        frame = box.locator(".stepper-frame img")
        sizes = set()
        for number in range(1, len(SEED) + 1):
            if number > 1:
                box.locator('[data-go="1"]').click()
            page.wait_for_function("img => img.complete", arg=frame.element_handle())
            sizes.add((round(frame.bounding_box()["width"]), round(box.bounding_box()["height"])))
        assert len(sizes) == 1, f"the stepper changed size while stepping: {sizes}"
        assert next(iter(sizes))[0] <= 375
    finally:
        context.close()


def test_without_script_the_still_figure_and_captions_show(browser, base_url: str) -> None:
    context, page, _ = open_page(browser, base_url, "backward-pass/", java_script_enabled=False)
    try:
        box = page.locator("figure.stepper").first
        assert box.locator(".stepper-still img").is_visible()
        assert not box.locator(".stepper-ui").is_visible()
        items = box.locator(".stepper-captions li").all_inner_texts()
        assert items == [f.captions["en"] for f in SEED]
    finally:
        context.close()


@pytest.mark.parametrize("path", ["backward-pass/", "print/"])
def test_print_shows_the_still_figure(browser, base_url: str, path: str) -> None:
    context, page, _ = open_page(browser, base_url, path)
    try:
        if path == "print/":  # on the print page, even on screen
            box = page.locator("#backward-pass figure.stepper")
            assert box.locator(".stepper-still img").is_visible()
            assert not box.locator(".stepper-ui").is_visible()
        page.emulate_media(media="print")
        box = page.locator("figure.stepper").first
        assert box.locator(".stepper-still img").is_visible()
        assert box.locator(".stepper-captions li").first.is_visible()
        assert not box.locator(".stepper-ui").is_visible()
    finally:
        context.close()


@pytest.mark.parametrize(
    ("path", "name", "lang"),
    [
        ("forward-pass/", "forward-seed", "en"),
        ("zh-TW/forward-pass/", "forward-seed", "zh-TW"),
        ("autograd-mechanics/", "backward-two-paths", "en"),
        ("zh-TW/autograd-mechanics/", "backward-two-paths", "zh-TW"),
        ("autograd-from-scratch/", "engine-shared-use", "en"),
        ("zh-TW/autograd-from-scratch/", "engine-shared-use", "zh-TW"),
    ],
)
def test_every_step_is_the_recorded_one(browser, base_url: str, path: str, name: str, lang: str):
    recorded = frames(name)
    context, page, visit = open_page(
        browser, base_url, path, viewport={"width": 375, "height": 800}
    )
    try:
        box = page.locator(f'figure.stepper[data-steps="{name}"]')
        seen = []
        for number in range(1, len(recorded) + 1):
            if number > 1:
                box.locator('[data-go="1"]').click()
            seen.append(
                (
                    box.get_attribute("data-node"),
                    box.locator(".stepper-caption").inner_text(),
                    box.locator(".stepper-count").inner_text(),
                )
            )
        assert seen == [
            (f.node, f.captions[lang], f"{f.number} / {len(recorded)}") for f in recorded
        ]
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert visit.external == [] and visit.failed == [] and visit.console_errors == []
    finally:
        context.close()
