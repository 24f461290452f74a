"""Anki deck renderer: one note per card, updated in place on re-import.

Identity: note GUIDs come from card keys, never from content; model and deck ids are fixed
numbers derived from names. A note's mod time is the time its fields last changed (kept in the
lock file), so Anki's "update if newer" updates exactly the notes that changed, and a rebuild
with no change writes the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import sqlite3
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from .. import text as T
from ..identity import note_guid
from ..lockfile import WROTE_KEPT, Entry, Lock
from ..model import Card, Document
from . import Option, RenderContext
from .fragments import unlink
from .view import CardView, document_view

# The note type is designed once: renaming or adding a field would make Anki create a second
# note type and skip every existing note on import. `Extra` is spare, for later use.
FIELDS = (
    "Question", "Answer", "QuestionEN", "AnswerEN", "Label", "Section", "Source", "Key", "Extra",
)  # fmt: skip
MODEL_NAME = "qadeck Q&A"
# English practice cards (opt-in) have a note type of their own, so the main one never changes.
EN_FIELDS = ("QuestionEN", "AnswerEN", "Answer", "Source", "Key", "Extra")
EN_MODEL_NAME = "qadeck English practice"
EN_DECK = "English"
ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def stable_id(*parts: str) -> int:
    """A fixed Anki id (within genanki's recommended range) from stable names."""
    digest = hashlib.sha256("\x00".join(parts).encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def anki_safe(field_html: str) -> str:
    """Field HTML that Anki's template engine, media scanner and `[anki:tts]`/`[anki:play]`
    tags leave alone."""
    return (
        field_html.replace("{{", "&#123;&#123;")
        .replace("}}", "&#125;&#125;")
        .replace("[sound:", "&#91;sound:")
        .replace("[anki:", "&#91;anki:")
        .replace("\x1f", "")
    )


def note_fields(card: CardView, source: str) -> list[str]:
    """The note's fields; `source` is the card's file relative to the notes root."""
    c = card.card
    crumbs = " › ".join(html.escape(h) for h in c.headings)
    values = [
        card.question,
        card.answer,
        card.question_en,
        card.answer_en,
        html.escape(c.label),
        crumbs,
        html.escape(f"{source}:{c.span.line}"),
        html.escape(c.key),
        "",
    ]
    return [anki_safe(unlink(v)) for v in values]


class NoteTimes:
    """When each note last changed, the time Anki compares on import ("update if newer").

    Kept in the lock file beside each card's key (`fields`: a hash of what the note held,
    `mtime`: when that last changed), and in its `meta` for build-wide things such as the
    note type; the card-key identity itself is none of this class's business."""

    def __init__(self, lock: Lock, now: int) -> None:
        self.lock, self.now = lock, now

    def note(self, key: str, fields: str) -> int:
        """The note's change time: kept while its fields are unchanged, else strictly newer."""
        e = self.lock.entries.setdefault(key, Entry(key, "", "", ""))
        if e.fields != fields or not e.mtime:
            e.mtime = max(self.now, e.mtime + 1)
            e.fields = fields
        return e.mtime

    def stamp(self, name: str, fields: str) -> int:
        """Like `note`, for a build-wide thing such as the Anki note type."""
        e = self.lock.meta.setdefault(name, {"fields": "", "mtime": 0})
        if e.get("fields") != fields or not e.get("mtime"):
            e["mtime"] = max(self.now, int(e.get("mtime", 0)) + 1)
            e["fields"] = fields
        return int(e["mtime"])


@dataclass(frozen=True)
class PlannedNote:
    """One note as qadeck makes it: what `.apkg` builds and `qadeck sync` both write."""

    card: Card
    guid: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    deck: str

    @property
    def digest(self) -> str:
        return fields_digest(self.fields)


def fields_digest(fields) -> str:
    """A short hash of a note's fields, to recognise a version qadeck wrote."""
    return hashlib.sha1("\x1f".join(fields).encode()).hexdigest()[:16]


def remember(lock: Lock, key: str, digest: str) -> None:
    """Note that qadeck wrote this version of the note (the last WROTE_KEPT are kept)."""
    e = lock.entries.setdefault(key, Entry(key, "", "", ""))
    if not e.wrote or e.wrote[-1] != digest:
        e.wrote = [*[w for w in e.wrote if w != digest], digest][-WROTE_KEPT:]


def top_deck(doc: Document) -> str:
    return str(doc.options.get("deck") or doc.title)


def planned_notes(doc: Document, ctx: RenderContext) -> list[PlannedNote]:
    view = document_view(doc, ctx.html_store)
    deck_name = top_deck(doc)
    namespace = str(doc.options.get("id") or doc.name)
    notes = []
    for sv in view.sections:
        section = sv.section
        assert section is not None
        parts = [deck_name, *(section.part_deck or section.part)]
        if len(doc.sections) > 1 and section.title != parts[-1]:
            parts.append(section.title)
        name = "::".join(T.tag_part(p).replace("_", " ") if "::" in p else p for p in parts)
        for card in sv.cards:
            c = card.card
            fields = tuple(note_fields(card, ctx.relative(c.span.path)))
            guid = note_guid(c.namespace or namespace, c.local_key)
            notes.append(PlannedNote(c, guid, fields, tuple(c.tags), name))
    return notes


class AnkiRenderer:
    """Build the Anki deck (.apkg)."""

    name: ClassVar[str] = "anki"
    options: ClassVar[tuple[Option, ...]] = (
        Option(
            "english-cards",
            (),
            False,
            "Anki: also an English practice card per translated question (subdeck English).",
            flag=True,
        ),
    )

    def render(self, doc: Document, ctx: RenderContext) -> list[Path]:
        import genanki

        from ..highlight import pygments_css

        view = document_view(doc, ctx.html_store)
        templates = ctx.templates / "anki"
        css = (templates / "card.css").read_text(encoding="utf-8")
        css += "\n" + pygments_css("default", ".highlight")
        css += "\n" + pygments_css(
            "github-dark", [".nightMode .highlight", ".night_mode .highlight"]
        )
        front = (templates / "front.html").read_text(encoding="utf-8")
        back = (templates / "back.html").read_text(encoding="utf-8")
        times = NoteTimes(ctx.lock, int(time.time()))
        model, newest = _note_type(MODEL_NAME, FIELDS, "Card 1", front, back, css, times)
        namespace = str(doc.options.get("id") or doc.name)
        decks: dict[str, object] = {}
        notes = planned_notes(doc, ctx)
        for note in notes:
            c = note.card
            fields = list(note.fields)
            fields_hash = hashlib.sha1("\x1f".join(fields + list(note.tags)).encode())
            mtime = times.note(c.key, fields_hash.hexdigest()[:16])
            remember(ctx.lock, c.key, note.digest)
            newest = max(newest, mtime)
            if note.deck not in decks:
                decks[note.deck] = genanki.Deck(
                    stable_id("qadeck-deck", namespace, note.deck), note.deck
                )
            decks[note.deck].add_note(
                _Note(model=model, fields=fields, guid=note.guid, tags=list(note.tags), mtime=mtime)
            )
        if ctx.options.get("english_cards") or doc.options.get("english_cards"):
            english = self.english_notes(doc, ctx, notes, css, times, decks, namespace)
            newest = max(newest, english)
        top = top_deck(doc)
        description = deck_description(doc, ctx, len(view.cards), newest)
        head = genanki.Deck(stable_id("qadeck-deck", namespace, top), top, description)
        target = ctx.out_dir / f"{doc.name}.apkg"
        media = dict(view.card_media)
        package = genanki.Package([head, *[d for n, d in decks.items() if n != top]])
        if top in decks:
            head.notes = decks[top].notes
        _write_package(package, media, ctx.staging.stage(target), newest)
        return [target]

    def english_notes(
        self, doc, ctx: RenderContext, notes: list[PlannedNote], css: str, times, decks, namespace
    ) -> int:
        """A card per translated question in `<deck>::English`: the English question on
        the front, the English answer on the back with the Chinese below it, smaller. Their
        own note type; GUIDs from the card key; note times kept like the main cards'."""
        import genanki

        templates = ctx.templates / "anki"
        front = _template(templates, "english-front.html")
        back = _template(templates, "english-back.html")
        model, newest = _note_type(EN_MODEL_NAME, EN_FIELDS, "English", front, back, css, times)
        deck = f"{top_deck(doc)}::{EN_DECK}"
        for note in notes:
            question_en, answer_en = note.fields[2], note.fields[3]
            if not question_en:
                continue
            c = note.card
            fields = [question_en, answer_en, note.fields[1], note.fields[6], note.fields[7], ""]
            digest = hashlib.sha1("\x1f".join(fields + list(note.tags)).encode()).hexdigest()
            mtime = times.stamp(f"english:{c.key}", digest[:16])
            newest = max(newest, mtime)
            if deck not in decks:
                decks[deck] = genanki.Deck(stable_id("qadeck-deck", namespace, deck), deck)
            guid = note_guid(c.namespace or namespace, c.local_key + "#en")
            decks[deck].add_note(
                _Note(model=model, fields=fields, guid=guid, tags=list(note.tags), mtime=mtime)
            )
        return newest


def _note_type(name: str, fields, card: str, front: str, back: str, css: str, times: NoteTimes):
    """(an Anki note type with fixed id, its change time): the time moves only when the
    templates or the CSS do, so an unchanged note type is never re-imported."""
    import genanki

    digest = hashlib.sha1("\x00".join((css, front, back)).encode()).hexdigest()[:16]
    stamp = "anki-note-type" if name == MODEL_NAME else f"anki-note-type:{name}"
    model = genanki.Model(
        stable_id("qadeck-model", name),
        name,
        fields=[{"name": f} for f in fields],
        templates=[{"name": card, "qfmt": front, "afmt": back}],
        css=css,
        sort_field_index=0,
    )
    return model, times.stamp(stamp, digest)


def _template(folder: Path, name: str) -> str:
    """A user's templates folder may predate the English cards: fall back to ours."""
    path = folder / name
    if not path.exists():
        from ..assets import default_templates

        path = default_templates() / "anki" / name
    return path.read_text(encoding="utf-8")


def deck_description(doc: Document, ctx: RenderContext, cards: int, newest: int) -> str:
    """What the top deck says about itself in Anki: title, source, size, last change."""
    import datetime as dt

    day = dt.datetime.fromtimestamp(newest, dt.UTC).date().isoformat()
    source = html.escape(ctx.relative(str(ctx.source)))
    title = html.escape(doc.title)
    return f"{title}<br>{cards} cards from <code>{source}</code> · changed {day} · qadeck"


@functools.lru_cache(maxsize=1)
def _note_class():
    """Defined on first use, so that importing this module does not import genanki."""
    import genanki

    class Note(genanki.Note):
        """A genanki note whose mod time is its own change time, not the build time."""

        def __init__(self, *, mtime: int, **kwargs) -> None:
            super().__init__(**kwargs)
            self.mtime = mtime

        def write_to_db(self, cursor, timestamp, deck_id, id_gen) -> None:
            cursor.execute(
                "INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,?,?,?);",
                (
                    next(id_gen), self.guid, self.model.model_id, self.mtime, -1,
                    self._format_tags(), self._format_fields(), self.sort_field, 0, 0, "",
                ),
            )  # fmt: skip
            note_id = cursor.lastrowid
            for card in self.cards:
                card.write_to_db(cursor, self.mtime, deck_id, note_id, id_gen, self.due)

    return Note


def _Note(**kwargs):  # noqa: N802 - stands in for a class
    return _note_class()(**kwargs)


def _write_package(package, media: dict[str, str], tmp_target: Path, timestamp: int) -> None:
    """genanki's write_to_file, made reproducible: fixed ids, entry times and order."""
    import itertools

    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(db_path)
        _write_collection(
            conn.cursor(), package.decks, timestamp, itertools.count(timestamp * 1000)
        )
        conn.commit()
        conn.close()
        names = sorted(media)
        with zipfile.ZipFile(tmp_target, "w") as z:
            _add(z, "collection.anki2", db_path.read_bytes())
            index = {str(i): name for i, name in enumerate(names)}
            _add(z, "media", json.dumps(index, ensure_ascii=False).encode())
            for i, name in enumerate(names):
                _add(z, str(i), Path(media[name]).read_bytes())


def _write_collection(cursor, decks: list, timestamp: int, id_gen) -> None:
    """genanki's Package.write_to_db, writing the decks and note types JSON once instead of
    once per deck (a deck per section made that quadratic)."""
    from genanki.apkg_col import APKG_COL
    from genanki.apkg_schema import APKG_SCHEMA

    cursor.executescript(APKG_SCHEMA)
    cursor.executescript(APKG_COL)
    decks_json, models_json = cursor.execute("SELECT decks, models FROM col").fetchone()
    all_decks, models = json.loads(decks_json), json.loads(models_json)
    for deck in decks:
        all_decks[str(deck.deck_id)] = deck.to_json()
        for model in {id(n.model): n.model for n in deck.notes}.values():
            models[str(model.model_id)] = model.to_json(timestamp, deck.deck_id)
    cursor.execute(
        "UPDATE col SET decks = ?, models = ?", (json.dumps(all_decks), json.dumps(models))
    )
    for deck in decks:
        for note in deck.notes:
            note.write_to_db(cursor, timestamp, deck.deck_id, id_gen)


def _add(z: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    z.writestr(info, data)
