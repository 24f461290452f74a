"""The lock file beside each source: card keys, note times, and what git should merge.

Format (version 1): JSON, one card per line, sorted by key, so two branches that changed
different cards merge cleanly in git. Fields this version does not know are kept as they
are. A lock with merge-conflict markers can be merged by `qadeck merge-lock` (or by git itself,
with the merge driver the README shows): every card of both sides, the newer note time where
both changed one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import Staging, write_atomic
from .errors import SourceError
from .model import Diagnostic, Span

LOCK_VERSION = 1
MAX_MTIME = 10**11  # seconds: the year 5138, far past any real change time
_KNOWN = ("question", "section", "digest", "fields", "mtime", "removed", "wrote", "translations")
WROTE_KEPT = 5  # versions of a note remembered, to tell them from an edit made in Anki
_MARKERS = ("<<<<<<< ", "=======", ">>>>>>> ", "||||||| ")


def lock_path(source: str | Path) -> Path:
    p = Path(source)
    return p.with_name(p.stem + ".qadeck-lock.json")


@dataclass
class Entry:
    key: str
    question: str
    section: str
    digest: str
    fields: str = ""
    mtime: int = 0
    removed: bool = False
    wrote: list[str] = field(default_factory=list)  # hashes of the last notes qadeck wrote
    # per language: [hash of the source half, hash of the translation] when last in step
    translations: dict[str, list[str]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # fields of a newer qadeck, kept


@dataclass
class Lock:
    path: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    meta: dict[str, dict] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Lock:
        """Read and validate the lock file; a damaged one stops the build with advice."""
        if not path.exists():
            return cls(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise _damaged(path, e) from None
        if has_conflict(text):
            raise SourceError([Diagnostic("error", Span(str(path), 0), _conflict_advice(path))])
        try:
            return from_data(path, json.loads(text))
        except NewerLock as e:
            raise SourceError([Diagnostic("error", Span(str(path), 0), str(e))]) from None
        except (ValueError, KeyError, TypeError, RecursionError, OverflowError) as e:
            raise _damaged(path, e) from None

    def to_json(self) -> str:
        cards = {}
        for key in sorted(self.entries):
            e = self.entries[key]
            item = {"question": e.question, "section": e.section, "digest": e.digest}
            if e.fields:
                item.update(fields=e.fields, mtime=e.mtime)
            if e.removed:
                item["removed"] = True
            if e.wrote:
                item["wrote"] = e.wrote
            if e.translations:
                item["translations"] = {k: e.translations[k] for k in sorted(e.translations)}
            cards[key] = {**e.extra, **item}
        return dumps({"version": LOCK_VERSION, **self.extra, "meta": self.meta, "cards": cards})

    def save(self) -> None:
        text = self.to_json()
        if not self._unchanged(text):
            write_atomic(self.path, text.encode("utf-8"))

    def stage(self, staging: Staging) -> None:
        """Stage the lock with the outputs, so that both are renamed into place together."""
        text = self.to_json()
        if not self._unchanged(text):
            staging.write(self.path, text.encode("utf-8"))

    def _unchanged(self, text: str) -> bool:
        try:
            return self.path.read_bytes() == text.encode("utf-8")
        except OSError:
            return False


class NewerLock(ValueError):
    pass


def from_data(path: Path, data: Any) -> Lock:
    """A Lock from parsed JSON, every value checked; raises ValueError/TypeError."""
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    version = data.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > LOCK_VERSION:
        raise NewerLock(
            f"this lock file was written by a newer qadeck (format {version}; this one reads "
            f"format {LOCK_VERSION}): upgrade qadeck (`pipx upgrade qadeck` or "
            "`pip install -U qadeck`); nothing was written"
        )
    if version != LOCK_VERSION:
        raise ValueError(f"unknown format (expected version {LOCK_VERSION})")
    cards, meta = data.get("cards", {}), data.get("meta", {})
    if not isinstance(cards, dict):
        raise ValueError("`cards` is not an object")
    if not isinstance(meta, dict) or not all(isinstance(v, dict) for v in meta.values()):
        raise ValueError("`meta` is not an object of objects")
    for name, stamp in meta.items():
        if "mtime" in stamp:
            _time(stamp["mtime"], f"meta {name!r}")
    entries = {}
    for key, raw in cards.items():
        if not isinstance(raw, dict):
            raise ValueError(f"entry {key!r} is not an object")
        for name in ("question", "section", "digest"):
            if not isinstance(raw.get(name), str):
                raise ValueError(f"entry {key!r}: `{name}` is not text")
        if not isinstance(raw.get("fields", ""), str):
            raise ValueError(f"entry {key!r}: `fields` is not text")
        wrote = raw.get("wrote", [])
        if not (isinstance(wrote, list) and all(isinstance(w, str) for w in wrote)):
            raise ValueError(f"entry {key!r}: `wrote` is not a list of text")
        translations = raw.get("translations", {})
        if not (
            isinstance(translations, dict)
            and all(
                isinstance(v, list) and len(v) == 2 and all(isinstance(h, str) for h in v)
                for v in translations.values()
            )
        ):
            raise ValueError(f"entry {key!r}: `translations` is not language → [hash, hash]")
        entries[key] = Entry(
            key=key,
            question=raw["question"],
            section=raw["section"],
            digest=raw["digest"],
            fields=raw.get("fields", ""),
            mtime=_time(raw.get("mtime", 0), f"entry {key!r}"),
            removed=raw.get("removed", False) is True,
            wrote=list(wrote),
            translations={str(k): list(v) for k, v in translations.items()},
            extra={k: v for k, v in raw.items() if k not in _KNOWN},
        )
    extra = {k: v for k, v in data.items() if k not in ("version", "meta", "cards")}
    return Lock(path, entries, meta, extra)


def _time(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_MTIME:
        raise ValueError(f"{where}: `mtime` is not a time in seconds")
    return value


def dumps(body: dict) -> str:
    """Indented JSON with each card (and each meta entry) on a line of its own, written with
    the C encoder (the pure-Python one that `indent` needs took 0.3 s for 10,000 cards)."""
    one = json.JSONEncoder(ensure_ascii=False).encode
    lines = ["{"]
    head = [f" {one(k)}: {one(v)}" for k, v in body.items() if k not in ("meta", "cards")]
    for name in ("meta", "cards"):
        items = body.get(name, {})
        if not items:
            head.append(f" {one(name)}: {{}}")
            continue
        inner = ",\n".join(f"  {one(k)}: {one(v)}" for k, v in items.items())
        head.append(f" {one(name)}: {{\n{inner}\n }}")
    lines.append(",\n".join(head))
    lines.append("}")
    return "\n".join(lines) + "\n"


# -- merge conflicts ---------------------------------------------------------------------------


def has_conflict(text: str) -> bool:
    return any(line.startswith(_MARKERS) for line in text.split("\n"))


def _conflict_advice(path: Path) -> str:
    return (
        "this lock file has git merge-conflict markers (two branches changed cards); "
        f"nothing was written. Run `qadeck merge-lock {path}` to keep the cards of both "
        "sides (the newer note time where both changed one), then build again"
    )


def sides(text: str) -> tuple[str, str]:
    """Our and their version of a file with conflict markers (a diff3 base is dropped)."""
    ours: list[str] = []
    theirs: list[str] = []
    state = "both"
    for line in text.split("\n"):
        if line.startswith("<<<<<<< ") or line == "<<<<<<<":
            state = "ours"
        elif line.startswith("||||||| ") or line == "|||||||":
            state = "base"
        elif line == "=======" and state in ("ours", "base"):
            state = "theirs"
        elif (line.startswith(">>>>>>> ") or line == ">>>>>>>") and state == "theirs":
            state = "both"
        else:
            if state in ("both", "ours"):
                ours.append(line)
            if state in ("both", "theirs"):
                theirs.append(line)
    return "\n".join(ours), "\n".join(theirs)


def merge(ours: Lock, theirs: Lock) -> Lock:
    """Every card of both sides; where both have one, the entry changed last wins."""
    out = Lock(ours.path, dict(ours.entries), dict(ours.meta), {**theirs.extra, **ours.extra})
    for key, e in theirs.entries.items():
        mine = out.entries.get(key)
        if mine is None or e.mtime > mine.mtime:
            out.entries[key] = e
    for name, stamp in theirs.meta.items():
        mine = out.meta.get(name)
        if mine is None or int(stamp.get("mtime", 0)) > int(mine.get("mtime", 0)):
            out.meta[name] = stamp
    return out


def merge_text(path: Path, text: str) -> Lock:
    """Merge a conflicted lock file's two sides; raises SourceError if a side is damaged."""
    locks = []
    for side in sides(text):
        try:
            locks.append(from_data(path, json.loads(side)))
        except (ValueError, KeyError, TypeError, RecursionError, OverflowError) as e:
            raise _damaged(path, e) from None
    return merge(*locks)


def _damaged(path: Path, e: Exception) -> SourceError:
    message = (
        f"card lock file is damaged ({e}); nothing was written. Restore it "
        f"(`git checkout -- {path}`) or delete it to start afresh: cards then get new "
        "ids and Anki treats them as new notes"
    )
    return SourceError([Diagnostic("error", Span(str(path), 0), message)])
