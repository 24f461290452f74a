"""Folders of notes: every Markdown file below a folder, in natural order (`2.x` before `10.x`)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import SourceError
from .model import Diagnostic, Document, FrozenMap, Section, Span, Term
from .text import slugify

if TYPE_CHECKING:
    from .config import Config

_SKIP = {".git", ".venv", "node_modules", "dist", "__pycache__"}


def natural_key(text: str) -> list[object]:
    return [int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", text)]


def markdown_files(folder: Path, skip_readme: bool = False) -> list[Path]:
    """Every note below `folder`; `skip_readme`: not the README at its top (the notes
    repository's own README, when the folder is the root)."""
    found = [
        p
        for p in folder.rglob("*")
        if p.suffix.lower() in (".md", ".markdown")
        and p.is_file()
        and not any(part in _SKIP or part.startswith(".") for part in p.relative_to(folder).parts)
        and not (skip_readme and p.parent == folder and p.stem.lower() == "readme")
    ]
    outside = [p for p in found if not p.resolve().is_relative_to(folder.resolve())]
    if outside:
        raise SourceError(
            [
                Diagnostic(
                    "error",
                    Span(str(p), 0),
                    f"a link to {p.resolve()}, outside the notes folder: it is not read "
                    "(copy the file into the folder, or build it on its own)",
                )
                for p in outside
            ]
        )
    return sorted(found, key=lambda p: [natural_key(x) for x in p.relative_to(folder).parts])


def file_prefix(folder: Path, path: Path) -> str:
    """What a file's keys are prefixed with in its folder's deck: `file~key`."""
    return slugify(str(path.relative_to(folder).with_suffix("")))


def merge_documents(
    folder: Path, docs: list[Document], paths: list[Path], config: Config | None = None
) -> Document:
    """One document for a folder: each file's sections, keys prefixed with the file.

    Keys become `file~key` so they stay unique across files, while `Card.local_key` and
    `Card.namespace` keep each note's Anki GUID the same as when the file is built alone.
    """
    sections: list[Section] = []
    glossary: dict[str, Term] = {}
    for doc, path in zip(docs, paths, strict=True):
        rel = path.relative_to(folder)
        prefix = file_prefix(folder, path)
        folders = rel.parent.parts
        part = (*folders, doc.title)
        part_deck = (*folders, str(doc.options.get("deck") or doc.title))
        part_en = (*folders, str(doc.options.get("title_en") or doc.title))
        for s in doc.sections:
            cards = tuple(replace(c, key=f"{prefix}~{c.key}") for c in s.cards)
            sections.append(
                replace(
                    s,
                    cards=cards,
                    part=part,
                    part_deck=part_deck,
                    part_en=part_en,
                    slug=f"{prefix}--{s.slug}",
                )  # fmt: skip
            )
        for t in doc.glossary:
            glossary.setdefault(t.zh or t.abbr or t.en.casefold(), t)
    return Document(
        path=str(folder),
        name=folder.resolve().name,
        title=(config.title if config and config.title else folder.resolve().name),
        options=FrozenMap(config.folder_options() if config else {}),
        sections=tuple(sections),
        glossary=tuple(glossary.values()),
        warnings=tuple(w for d in docs for w in d.warnings),
        decisions=tuple(x for d in docs for x in d.decisions),
        lang=docs[0].lang if docs else "zh",
    )
