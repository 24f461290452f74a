"""Jinja2 set-up shared by renderers: autoescape on, undefined names are errors."""

from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup


def environment(folder: Path) -> SandboxedEnvironment:
    """Templates are code: even ours run in Jinja2's sandbox, so a user's template folder
    (named with `--templates`) can lay out the page but never reach Python."""
    env = SandboxedEnvironment(
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


def css_string(text: str) -> str:
    """`text` as a quoted CSS string: every character but letters, digits and spaces as a
    hex escape, so no quote, backslash, newline or `</style>` can leave the string."""
    body = "".join(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):x} " for ch in text)
    return f'"{body}"'
