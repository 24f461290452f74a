"""`qadeck.toml`: the root of a notes repository and what its builds share.

Found by walking up from the sources (as git, ruff and mkdocs find theirs). It holds what
would otherwise be repeated in every file's front matter; front matter still wins per file.
Without one, qadeck behaves as it always did.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import SourceError
from .model import Diagnostic, Span

NAME = "qadeck.toml"
_PDF = {"mode": ("sheet", "quiz"), "lang": ("zh", "en", "both"), "paper": ("a4", "letter")}
_TEXT = ("title", "title_en", "deck", "lang", "out", "templates")
_LISTS = ("languages", "sources", "outputs")


@dataclass(frozen=True)
class Config:
    path: Path  # the qadeck.toml file; its folder is the notes root
    title: str = ""
    title_en: str = ""
    deck: str = ""
    lang: str = ""
    languages: tuple[str, ...] = ("en",)
    sources: tuple[str, ...] = ("notes",)
    outputs: tuple[str, ...] = ()  # empty: every registered output
    out: str = "dist"
    templates: str = ""
    pdf: dict[str, str] = field(default_factory=dict)
    english_cards: bool = False  # Anki: an English practice card per translated question

    @property
    def root(self) -> Path:
        return self.path.parent

    def source_paths(self) -> list[Path]:
        return [self.root / s for s in self.sources]

    def defaults(self) -> dict[str, Any]:
        """Front-matter defaults for every file: what the config sets."""
        out: dict[str, Any] = {"lang": self.lang} if self.lang else {}
        if self.english_cards:
            out["english_cards"] = True
        return out

    def folder_options(self) -> dict[str, str]:
        """What names a folder build as a whole: its top deck and English title."""
        return {k: getattr(self, k) for k in ("deck", "title_en") if getattr(self, k)}


def find(start: Path) -> Path | None:
    """The nearest qadeck.toml in `start` (a file's folder, or a folder) or above it."""
    here = start.resolve()
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / NAME
        if candidate.is_file():
            return candidate
    return None


def load(path: Path) -> Config:
    """Read and check a qadeck.toml; every problem is reported as `qadeck.toml:line: …`."""
    shown = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        line = getattr(e, "lineno", None) or _line_of(str(e))
        raise _error(shown, line, f"not valid TOML: {str(e).split(' (at', 1)[0]}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise _error(shown, 1, f"cannot read: {e}") from None
    problems: list[Diagnostic] = []
    values: dict[str, Any] = {}
    text = path.read_text(encoding="utf-8").split("\n")

    def line(key: str) -> int:
        return next((i for i, x in enumerate(text, 1) if x.strip().startswith(key)), 1)

    for key, value in data.items():
        if key in _TEXT:
            if not isinstance(value, str):
                problems.append(_diag(shown, line(key), f"`{key}` must be text"))
            else:
                values[key] = value
        elif key in _LISTS:
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                problems.append(_diag(shown, line(key), f"`{key}` must be a list of text"))
            else:
                values[key] = tuple(value)
        elif key == "english_cards":
            if isinstance(value, bool):
                values[key] = value
            else:
                problems.append(_diag(shown, line(key), "`english_cards` must be true or false"))
        elif key == "pdf" and isinstance(value, dict):
            for k, v in value.items():
                if k not in _PDF or v not in _PDF[k]:
                    allowed = ", ".join(f"{a}: {'|'.join(b)}" for a, b in _PDF.items())
                    problems.append(_diag(shown, line(k), f"[pdf] {k} = {v!r}: use {allowed}"))
            values["pdf"] = dict(value)
        else:
            problems.append(_diag(shown, line(key), f"unknown setting `{key}`"))
    if problems:
        raise SourceError(problems)
    return Config(path=path, **values)


def _line_of(message: str) -> int:
    import re

    m = re.search(r"line (\d+)", message)
    return int(m.group(1)) if m else 1


def _diag(path: str, line: int, message: str) -> Diagnostic:
    return Diagnostic("error", Span(path, line, 1), message)


def _error(path: str, line: int, message: str) -> SourceError:
    return SourceError([_diag(path, line, message)])


TEMPLATE = """# qadeck settings for this notes repository (https://pypi.org/project/qadeck/).
# Front matter in a note still overrides these for that note.
title = "{title}"
title_en = "{title_en}"
lang = "zh"            # the language the notes are written in
languages = ["en"]     # translations `check --strict` expects
# english_cards = true # Anki: also an English practice card per translated question
sources = ["notes"]    # files or folders, relative to this file
out = "dist"           # where `qadeck all` writes (keep it out of git)
# outputs = ["anki", "pdf", "html"]   # default: every output
# templates = "my-templates"          # your own templates (run in Jinja2's sandbox)

[pdf]
mode = "sheet"         # sheet | quiz
lang = "zh"            # zh | en | both
paper = "a4"           # a4 | letter
"""
