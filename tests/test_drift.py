"""make drift: the version it accepts, the pins it keeps, and the clear refusal."""

from __future__ import annotations

import pytest

from repo_modules import load

drift = load("tools/drift.py")


@pytest.mark.parametrize("version", ["2.14.0", "2.13", "2.15.0rc1", "2.16.0.dev20270101"])
def test_versions_pip_can_pin_are_accepted(version: str) -> None:
    assert drift.check_version(version) == version


@pytest.mark.parametrize("text", ["", "latest", "2.14; rm -rf /", "==2.14.0", "2"])
def test_anything_else_is_refused_with_what_was_given(text: str) -> None:
    with pytest.raises(ValueError, match=f"got {text!r}"):
        drift.check_version(text)


def test_a_non_string_version_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="got float"):
        drift.check_version(2.14)


def test_every_pin_but_torch_is_kept() -> None:
    pins = "numpy==2.3.1\ntorch==2.13.0\ntorchvision==0.28.0\n"
    assert drift.constraints_without_torch(pins) == "numpy==2.3.1\ntorchvision==0.28.0\n"


@pytest.mark.slow
def test_an_uninstallable_version_says_so_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """Needs pip's index: 0.0.1 has no wheel for any current Python."""
    assert drift.main(["0.0.1"]) == 2
    assert "torch==0.0.1 is not installable here: ERROR:" in capsys.readouterr().err
