"""Folders of notes: every Markdown file below a folder, in natural order (`2.x` before `10.x`)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from .errors import SourceError
from .model import Diagnostic, Document, FrozenMap, Section, Span, Term
from .text import slugify

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
    outside = [p for p in found if not p.resolve().is_relative_to(folder.resolve())]
    if outside:
        raise SourceError(
            [
                Diagnostic(
                    "error",
                    Span(str(p), 1, 1),
                    f"a link to {p.resolve()}, outside the notes folder: it is not read "
                    "(copy the file into the folder, or build it on its own)",
                )
                for p in outside
            ]
        )
    return sorted(found, key=lambda p: [natural_key(x) for x in p.relative_to(folder).parts])


def merge_documents(folder: Path, docs: list[Document], paths: list[Path]) -> Document:
    """One document for a folder: each file's sections, keys prefixed with the file.

    Keys become `file~key` so they stay unique across files, while `Card.local_key` and
    `Card.namespace` keep each note's Anki GUID the same as when the file is built alone.
    """
    sections: list[Section] = []
    glossary: dict[str, Term] = {}
    for doc, path in zip(docs, paths, strict=True):
        rel = path.relative_to(folder)
        prefix = slugify(str(rel.with_suffix("")))
        part = (*rel.parent.parts, doc.title)
        for s in doc.sections:
            cards = tuple(replace(c, key=f"{prefix}~{c.key}") for c in s.cards)
            sections.append(replace(s, cards=cards, part=part, slug=f"{prefix}--{s.slug}"))
        for t in doc.glossary:
            glossary.setdefault(t.zh or t.abbr or t.en.casefold(), t)
    return Document(
        path=str(folder),
        name=folder.resolve().name,
        title=folder.resolve().name,
        options=FrozenMap(),
        sections=tuple(sections),
        glossary=tuple(glossary.values()),
        warnings=tuple(w for d in docs for w in d.warnings),
        decisions=tuple(x for d in docs for x in d.decisions),
        lang=docs[0].lang if docs else "zh",
    )
