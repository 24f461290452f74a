"""Jinja2 set-up shared by renderers: autoescape on, undefined names are errors."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup


def environment(folder: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(folder)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def trusted(fragment: str) -> Markup:
    """HTML our own Markdown renderer produced (already escaped and sanitized)."""
    return Markup(fragment)
