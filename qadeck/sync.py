"""`qadeck sync`: the notes applied to an Anki collection through the official `anki` library.

What an `.apkg` import cannot do, this does: delete the notes of cards that left the source,
move notes to the deck their section now names, and never silently overwrite an edit made in
Anki. An edit is recognised by the lock file, which remembers the last versions of each note
qadeck wrote (by `.apkg` or by sync): a note in the collection that is none of them was
changed in Anki. Only notes of qadeck's note type whose key this source produced are touched.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SourceError
from .model import Diagnostic, Span
from .renderers.anki import MODEL_NAME, PlannedNote, fields_digest, planned_notes, remember


@dataclass
class Conflict:
    note: PlannedNote | None
    key: str
    where: str
    anki_text: str
    notes_text: str
    deleted: bool = False  # the card left the notes, but its note was edited in Anki


@dataclass
class SyncPlan:
    added: list[PlannedNote] = field(default_factory=list)
    updated: list[tuple[PlannedNote, int]] = field(default_factory=list)  # (note, nid)
    moved: list[tuple[PlannedNote, list[int]]] = field(default_factory=list)  # (note, cids)
    deleted: list[tuple[str, int]] = field(default_factory=list)  # (key, nid)
    conflicts: list[Conflict] = field(default_factory=list)
    unchanged: int = 0

    def lines(self, name: str) -> list[str]:
        out = [
            f"{name}: {len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.moved)} moved, {len(self.deleted)} deleted, "
            f"{len(self.conflicts)} conflicts, {self.unchanged} unchanged"
        ]
        out += [f"  + added    {_plain(n.fields[0])[:80]}  #{n.card.key}" for n in self.added]
        out += [f"  ~ updated  {_plain(n.fields[0])[:80]}  #{n.card.key}" for n, _ in self.updated]
        out += [f"  > moved    {_plain(n.fields[0])[:80]} → {n.deck}" for n, _ in self.moved]
        out += [f"  - deleted  #{key}" for key, _ in self.deleted]
        for c in self.conflicts:
            what = "left the notes, but was edited in Anki" if c.deleted else "edited in Anki"
            out.append(f"{c.where}: warning: card #{c.key} {what}; Anki's version kept")
            anki_side, notes_side = _where_they_differ(c.anki_text, c.notes_text)
            out.append(f"    Anki:  {anki_side}")
            if not c.deleted:
                out.append(f"    notes: {notes_side}")
        if self.conflicts:
            out.append("  `--prefer notes` overwrites Anki's version with the notes'")
        return out


def _where_they_differ(a: str, b: str, width: int = 160) -> tuple[str, str]:
    """Both texts on one line each, from a little before their first difference."""
    a, b = " ".join(a.split()), " ".join(b.split())
    same = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    start = max(0, same - 30)
    cut = lambda t: ("…" if start else "") + t[start : start + width]  # noqa: E731
    return cut(a), cut(b)


def _plain(html_text: str) -> str:
    import html
    import re

    return html.unescape(re.sub(r"<[^<>]+>", " ", html_text)).strip()


def profile_collection(name: str) -> Path:
    """Anki's own place for a profile's collection on Linux, macOS and Windows."""
    home = Path.home()
    if sys.platform == "darwin":
        base = home / "Library" / "Application Support" / "Anki2"
    elif os.name == "nt":
        base = Path(os.environ.get("APPDATA", home / "AppData" / "Roaming")) / "Anki2"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", home / ".local" / "share")) / "Anki2"
    return base / name / "collection.anki2"


def open_collection(path: Path):
    """The collection, or a clear error: the anki package missing, the file missing, or
    the collection open in Anki (its lock), in which case nothing is changed."""
    where = Span(str(path), 0)
    try:
        import anki.lang
        from anki.collection import Collection
        from anki.errors import DBError
    except ImportError:
        message = "sync needs the `anki` package: `pip install anki` (or `pipx inject qadeck anki`)"
        raise SourceError([Diagnostic("error", where, message)]) from None
    if not path.is_file():
        raise SourceError([Diagnostic("error", where, "no Anki collection here")])
    anki.lang.set_lang("en_US")
    try:
        return Collection(str(path))
    except DBError as e:
        message = (
            f"the collection is in use ({e}): close Anki (or wait for its sync) and run "
            "again; nothing was changed"
        )
        raise SourceError([Diagnostic("error", where, message)]) from None


def plan_sync(col, loaded, ctx, prefer_notes: bool) -> SyncPlan:
    """What syncing `loaded` into `col` would do (nothing is changed here)."""
    plan = SyncPlan()
    ours = col.models.by_name(MODEL_NAME)
    existing: dict[str, object] = {}
    if ours is not None:
        for nid in col.find_notes(f'"note:{MODEL_NAME}"'):
            note = col.get_note(nid)
            existing[note.guid] = note
    lock = ctx.lock
    for planned in planned_notes(loaded.doc, ctx):
        note = existing.get(planned.guid)
        if note is None:
            plan.added.append(planned)
            continue
        current = tuple(note.fields)
        entry = lock.entries.get(planned.card.key)
        wrote = entry.wrote if entry else []
        if current != planned.fields or sorted(note.tags) != sorted(planned.tags):
            edited = bool(wrote) and fields_digest(current) not in wrote
            if edited and current != planned.fields and not prefer_notes:
                plan.conflicts.append(
                    Conflict(planned, planned.card.key, str(planned.card.span),
                             _plain(note.fields[1]), _plain(planned.fields[1]))
                )  # fmt: skip
            else:
                plan.updated.append((planned, note.id))
        else:
            plan.unchanged += 1
        cids = [c.id for c in note.cards() if col.decks.name(c.did) != planned.deck]
        if cids:
            plan.moved.append((planned, cids))
    _plan_deletions(plan, existing, loaded, ctx, prefer_notes)
    return plan


def _plan_deletions(plan: SyncPlan, existing: dict, loaded, ctx, prefer_notes: bool) -> None:
    """Notes of cards that left the source: only those whose key this source produced."""
    from .identity import note_guid

    namespace = str(loaded.doc.options.get("id") or loaded.doc.name)
    units = loaded.files or [loaded]
    for part in units:
        ns = str(part.doc.options.get("id") or part.doc.name) if loaded.files else namespace
        for e in [*part.plan.removed, *part.plan.gone]:
            note = existing.get(note_guid(ns, e.key))
            if note is None or note["Key"].split("~")[-1] != e.key:
                continue
            full = _folder_key(loaded, part, e.key)
            entry = ctx.lock.entries.get(full)
            wrote = entry.wrote if entry else []
            if wrote and fields_digest(tuple(note.fields)) not in wrote and not prefer_notes:
                plan.conflicts.append(
                    Conflict(None, full, str(part.source), _plain(note.fields[0]), "",
                             deleted=True)
                )  # fmt: skip
            else:
                plan.deleted.append((full, note.id))


def _folder_key(loaded, part, key: str) -> str:
    if not loaded.files:
        return key
    from .folders import file_prefix

    return f"{file_prefix(loaded.source, part.source)}~{key}"


def apply_sync(col, plan: SyncPlan, loaded, ctx, build_apkg) -> None:
    """Add (through Anki's own importer, which brings the note type, decks and media),
    update, move and delete; then remember in the lock what the collection now holds."""
    if plan.added:
        from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest
        from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition as When

        options = ImportAnkiPackageOptions(
            update_notes=When.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_NEVER,
            update_notetypes=When.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
        )
        apkg = build_apkg()
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(apkg), options=options))
    for planned, nid in plan.updated:
        note = col.get_note(nid)
        for i, value in enumerate(planned.fields):
            note.fields[i] = value
        note.tags = list(planned.tags)
        col.update_note(note)
    for planned, cids in plan.moved:
        col.set_deck(cids, col.decks.id(planned.deck))
    if plan.deleted:
        col.remove_notes([nid for _, nid in plan.deleted])
    for planned in [*plan.added, *(n for n, _ in plan.updated)]:
        remember(ctx.lock, planned.card.key, planned.digest)
    forget_deleted(loaded, ctx, [key for key, _ in plan.deleted])


def forget_deleted(loaded, ctx, keys: list[str]) -> None:
    """Deleted in the collection: the lock files need not remember these cards any more."""
    for key in keys:
        ctx.lock.entries.pop(key, None)
        for part in loaded.files or [loaded]:
            local = key.rpartition("~")[2] if loaded.files else key
            if _folder_key(loaded, part, local) == key:
                part.lock.entries.pop(local, None)


def backup(col, collection: Path) -> Path:
    """Anki's own backup, in a folder beside the collection; returns the backup file."""
    folder = collection.parent / "qadeck-backups"
    folder.mkdir(exist_ok=True)
    before = set(folder.iterdir())
    col.create_backup(backup_folder=str(folder), force=True, wait_for_completion=True)
    made = sorted(set(folder.iterdir()) - before, key=lambda p: p.stat().st_mtime)
    return made[-1] if made else folder
