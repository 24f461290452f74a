"""Folders of notes: every Markdown file below a folder, in natural order (`2.x` before `10.x`)."""

from __future__ import annotations

import re
from pathlib import Path

_SKIP = {".git", ".venv", "node_modules", "dist", "__pycache__"}


def natural_key(text: str) -> list[object]:
    return [int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", text)]


def markdown_files(folder: Path) -> list[Path]:
    found = [
        p
        for p in folder.rglob("*")
        if p.suffix.lower() in (".md", ".markdown")
        and p.is_file()
        and not any(part in _SKIP or part.startswith(".") for part in p.relative_to(folder).parts)
    ]
    return sorted(found, key=lambda p: [natural_key(x) for x in p.relative_to(folder).parts])
