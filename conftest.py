"""Sybil wiring: run every Python block of docs/ (both languages) and README.md."""

from sybil import Sybil

from docharness import DocBlockParser
from docharness.fresh import remember_defaults

remember_defaults()

pytest_collect_file = Sybil(
    parsers=[DocBlockParser()],
    patterns=["*.md"],
    excludes=["docs/assets/*"],
).pytest()
