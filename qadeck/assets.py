"""Where our own templates are: inside the installed package, or the checkout's templates/."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def default_templates() -> Path:
    """`qadeck/templates/` in a wheel (read through importlib.resources); the top-level
    `templates/` in a checkout or an editable install, where it is the source of truth."""
    packaged = files("qadeck") / "templates"
    if packaged.is_dir() and (packaged / "anki").is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "templates"
