"""The render-ready view of a document: built once, read by every output.

It owns what every renderer needs and none should work out again: the walk from sections
through groups to cards (a group header wherever the group changes, even to another group of
the same title), card numbers, the HTML of every question and answer (English too), section
notes rendered with their images resolved, the parts of a folder build, and the media map.
Renderers only lay it out and apply their own fragment rewrites (`fragments.py`).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from ..images import media_name
from ..model import Card, Document, FrozenMap, Group, Image, Section, Term

if TYPE_CHECKING:
    from ..htmlstore import HtmlStore


@dataclass(frozen=True)
class CardView:
    card: Card
    number: int  # 1, 2, … across the document
    question: str  # HTML (inline)
    answer: str  # HTML
    question_en: str
    answer_en: str
    has_en: bool  # an English block exists, even if empty
    stale_en: bool = False  # the card changed after its English was written
    kind: ClassVar[str] = "card"

    @property
    def key(self) -> str:
        return self.card.key

    @property
    def label(self) -> str:
        return self.card.label

    def in_lang(self, lang: str) -> tuple[str, str, str, str]:
        """(question, answer, second question, second answer) for `zh`, `en` (English where
        there is some, else Chinese) or `both` (Chinese, then English)."""
        if lang == "en":
            return self.question_en or self.question, self.answer_en or self.answer, "", ""
        if lang == "both":
            return self.question, self.answer, self.question_en, self.answer_en
        return self.question, self.answer, "", ""


@dataclass(frozen=True)
class Heading:
    """A title in two languages, for sections and groups."""

    title: str
    label: str
    title_en: str

    def in_lang(self, lang: str) -> tuple[str, str]:
        """(title, second title): English alone for `en` where there is one."""
        if lang == "en" and self.title_en:
            return self.title_en, ""
        return self.title, self.title_en if lang == "both" else ""


@dataclass(frozen=True)
class GroupView(Heading):
    group: Group | None = None
    kind: ClassVar[str] = "group"


@dataclass(frozen=True)
class SectionView(Heading):
    section: Section | None = None
    entries: tuple[CardView | GroupView, ...] = ()
    notes: str = ""  # HTML of the section notes, images resolved
    part: str = ""  # folder builds: "sub-folder / file title"
    part_en: str = ""  # the same with the file's English title (or `part`)
    new_part: bool = False  # the first section of its part

    @property
    def cards(self) -> tuple[CardView, ...]:
        return tuple(e for e in self.entries if isinstance(e, CardView))


@dataclass(frozen=True)
class DocumentView:
    doc: Document
    sections: tuple[SectionView, ...]
    cards: tuple[CardView, ...]
    images: FrozenMap[str, Image]  # by `src` as written: cards' and section notes' images
    media: FrozenMap[str, str]  # flat media name → local file, for all of them
    card_media: FrozenMap[str, str]  # the same for the images of cards only
    glossary: tuple[Term, ...]  # terms with an English name or an abbreviation


_VIEWS: dict[int, DocumentView] = {}


def document_view(doc: Document, store: HtmlStore | None = None) -> DocumentView:
    """The view of `doc`, built on first use and kept as long as `doc` lives (a forked
    renderer inherits it)."""
    view = _VIEWS.get(id(doc))
    if view is not None and view.doc is doc:
        return view
    view = _build(doc, store)
    _VIEWS[id(doc)] = view
    weakref.finalize(doc, _VIEWS.pop, id(doc), None)
    return view


def _build(doc: Document, store: HtmlStore | None) -> DocumentView:
    from ..markup import render_inline, render_markdown

    notes_images = _note_images(doc)
    images = FrozenMap({**{i.src.strip(): i for c in doc.cards for i in c.images}, **notes_images})
    card_images = FrozenMap({i.src.strip(): i for c in doc.cards for i in c.images})

    def card_view(card: Card, number: int) -> CardView:
        en = card.translations.get("en")
        q_en, a_en = (en.question, en.answer) if en else ("", "")
        return CardView(
            card=card,
            number=number,
            question=render_inline(card.question, card_images, store),
            answer=render_markdown(card.answer, card_images, store),
            question_en=render_inline(q_en, card_images, store) if q_en else "",
            answer_en=render_markdown(a_en, card_images, store) if a_en else "",
            has_en=en is not None,
            stale_en="en" in card.stale,
        )

    numbered = iter(range(1, len(doc.cards) + 1))
    sections: list[SectionView] = []
    previous: tuple[str, ...] | None = None
    for s in doc.sections:
        entries: list[CardView | GroupView] = []
        current: Group | None = None
        for c in s.cards:
            group = _group_of(c, s)
            if group is not None and group is not current:
                entries.append(_group_view(group))
            current = group
            entries.append(card_view(c, next(numbered)))
        en = s.translations.get("en")
        notes = render_markdown(s.notes, images or None, store) if s.notes else ""
        sections.append(
            SectionView(
                title=s.title,
                label=s.label,
                title_en=en.question if en else "",
                section=s,
                entries=tuple(entries),
                notes=notes,
                part=" / ".join(s.part),
                part_en=" / ".join(s.part_en or s.part),
                new_part=bool(s.part) and s.part != previous,
            )
        )
        previous = s.part
    cards = tuple(e for sv in sections for e in sv.entries if isinstance(e, CardView))
    media = FrozenMap({media_name(i.path): i.path for i in images.values() if i.path})
    card_media = FrozenMap({media_name(i.path): i.path for i in card_images.values() if i.path})
    glossary = tuple(t for t in doc.glossary if t.en or t.abbr)
    return DocumentView(doc, tuple(sections), cards, images, media, card_media, glossary)


def _group_of(card: Card, section: Section) -> Group | None:
    """The group a card sits in: the last group of that title above it. Groups are told
    apart by place, not title, so two groups of one title each get their header."""
    if not card.group:
        return None
    found = None
    for g in section.groups:
        if g.title == card.group and g.span.line <= card.span.line:
            found = g
    if found is None:  # not located (a card without a span): the first of that title
        found = next((g for g in section.groups if g.title == card.group), None)
    return found or Group(card.group, "", 0, "", card.span)


def _group_view(g: Group) -> GroupView:
    en = g.translations.get("en")
    return GroupView(title=g.title, label=g.label, title_en=en.question if en else "", group=g)


def _note_images(doc: Document) -> dict[str, Image]:
    """Images in section notes, resolved from their file's folder and kept inside the notes
    (the parser resolves only the images of cards)."""
    from ..errors import Diagnostics
    from ..images import image_sources, resolve_image
    from ..model import Span

    found: dict[str, Image] = {}
    top = Path(doc.path)
    root = top if top.is_dir() else top.parent
    for s in doc.sections:
        if not s.notes or ("![" not in s.notes and "<img" not in s.notes.lower()):
            continue
        base = Path(s.span.path).parent
        for src, line, col in image_sources(s.notes.split("\n"), 0, s.notes.count("\n") + 1):
            span = Span(s.span.path, line, col)
            image = resolve_image(src, span, base, Diagnostics(s.span.path), root)
            found.setdefault(src.strip(), image)
    return found
