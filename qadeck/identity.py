"""Stable card identity across edits, kept in a small lock file committed beside the source.

A card's key is, in order: its explicit `{#id}`; the key the lock file already knows for the same
section and question; the key of the closest card that left (same answer, or a question at least
60% alike: a typo fix or a rewording); else a new key hashed from section and question. Labels
and order play no part, so renumbering, reordering and inserting cards keep every key.
"""

from __future__ import annotations

import contextlib
import difflib
import fcntl
import hashlib
import os
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from . import text as T
from .errors import SourceError
from .lockfile import Entry, Lock
from .model import Card, Diagnostic, Document, Span

SIMILAR = 0.6


@dataclass
class Plan:
    """What changed since the last build, card by card."""

    added: list[Card] = field(default_factory=list)
    changed: list[Card] = field(default_factory=list)
    renamed: list[tuple[Entry, Card]] = field(default_factory=list)
    removed: list[Entry] = field(default_factory=list)
    gone: list[Entry] = field(default_factory=list)  # removed at an earlier build, not forgotten
    unchanged: int = 0

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.renamed or self.removed)


def digest(card: Card) -> str:
    parts = [card.label, card.question, card.answer, card.section, card.group or ""]
    for lang, tr in sorted(card.translations.items()):
        parts += [lang, tr.question, tr.answer]
    return hashlib.sha1("\x00".join(parts).encode()).hexdigest()[:16]


def resolve(doc: Document, lock: Lock) -> tuple[Document, Plan]:
    """Give every card its lasting key, and say what changed since the lock was written."""
    old = lock.entries
    cards = doc.cards
    keys: dict[int, str] = {}
    taken: set[str] = set()

    def claim(i: int, key: str) -> None:
        keys[i] = key
        taken.add(key)

    # 1. Explicit ids, and keys the lock already knows (same section and question).
    for i, c in enumerate(cards):
        if c.explicit_key or (c.key in old and c.key not in taken):
            claim(i, c.key)
    # 2. The same content or the same question elsewhere: a moved card, a renamed section.
    same: dict[str, list[Entry]] = defaultdict(list)
    for k, e in old.items():
        if k not in taken:
            same[e.digest].append(e)
            same[T.normalize(e.question)].append(e)
    for i, c in enumerate(cards):
        if i not in keys:
            for e in same.get(digest(c), []) + same.get(T.normalize(c.question), []):
                if e.key not in taken:
                    claim(i, e.key)
                    break
    # 3. A close question, or the same answer: a typo fix or a rewording.
    waiting = [i for i in range(len(cards)) if i not in keys]
    free = [e for k, e in old.items() if k not in taken]
    renamed: dict[str, Entry] = {}
    for i, e in _best_pairs([cards[i] for i in waiting], waiting, free):
        claim(i, e.key)
        renamed[e.key] = e
    # 4. New cards: their own key, made unique.
    suffix: dict[str, int] = {}
    for i, c in enumerate(cards):
        if i not in keys:
            key, n = c.key, suffix.get(c.key, 2)
            while key in taken:
                key, n = f"{c.key}-{n}", n + 1
            suffix[c.key] = n
            claim(i, key)
    new_cards = [replace(c, key=keys[i]) if keys[i] != c.key else c for i, c in enumerate(cards)]
    plan = Plan()
    for c in new_cards:
        e = old.get(c.key)
        if c.key in renamed:
            plan.renamed.append((renamed[c.key], c))
        elif e is None or e.removed:
            plan.added.append(c)
        elif e.digest != digest(c):
            plan.changed.append(c)
        else:
            plan.unchanged += 1
    plan.removed = [e for k, e in old.items() if k not in taken and not e.removed]
    plan.gone = [e for k, e in old.items() if k not in taken and e.removed]
    return _with_cards(doc, new_cards), plan


def _best_pairs(cards: list[Card], index: list[int], free: list) -> Iterator[tuple[int, Entry]]:
    """Greedy best matches between new cards and keys that left, by question similarity.

    Comparing every pair is quadratic (500 reworded long questions took a minute): each
    card is compared only with the few entries that share the most character pairs with it,
    found through an index of those pairs (pairs shared by very many entries say nothing and
    are left out of it)."""
    if not cards or not free:
        return
    free_q = [T.normalize(e.question) for e in free]
    postings: dict[str, list[int]] = defaultdict(list)
    for j, q in enumerate(free_q):
        for gram in _grams(q):
            postings[gram].append(j)
    common = max(COMMON_GRAM, len(free) // 20)
    scored = []
    for card, i in zip(cards, index, strict=True):
        q = T.normalize(card.question)
        grams = _grams(q)
        shared: Counter[int] = Counter()
        for gram in grams:
            hits = postings.get(gram, ())
            if len(hits) <= common:
                shared.update(hits)
        candidates = [j for j, _ in shared.most_common(CANDIDATES)]
        if len(free) <= CANDIDATES:
            candidates = range(len(free))
        for j in candidates:
            e = free[j]
            sm = difflib.SequenceMatcher(None, q, free_q[j], autojunk=False)
            if sm.real_quick_ratio() >= SIMILAR and sm.quick_ratio() >= SIMILAR:
                score = sm.ratio() + (0.05 if e.section == card.section else 0)
                if score >= SIMILAR:
                    scored.append((score, i, e))
    used_i: set[int] = set()
    used_k: set[str] = set()
    for _score, i, e in sorted(scored, key=lambda t: (-t[0], t[1], t[2].key)):
        if i not in used_i and e.key not in used_k:
            used_i.add(i)
            used_k.add(e.key)
            yield i, e


CANDIDATES = 8  # entries compared in full with each waiting card
COMMON_GRAM = 50  # a character pair in more entries than this is not indexed


def _grams(text: str) -> set[str]:
    return {text[k : k + 2] for k in range(len(text) - 1)} or {text}


def _with_cards(doc: Document, cards: list[Card]) -> Document:
    it = iter(cards)
    sections = tuple(replace(s, cards=tuple(next(it) for _ in s.cards)) for s in doc.sections)
    return replace(doc, sections=sections)


@lru_cache(maxsize=1 << 16)  # asked twice a note a build, and again each rebuild in `watch`
def note_guid(namespace: str, local_key: str) -> str:
    """The Anki GUID of a note: genanki's hash of its namespace and its key in its file."""
    import genanki

    return genanki.guid_for(namespace, local_key)


def check_unique(files: list[tuple[Path, Document]]) -> None:
    """Every note one build emits must have an Anki identity of its own.

    Two files with the same namespace (the same file name in two folders, or the same
    front-matter `id:`) would give their cards each other's GUIDs: Anki would then move one
    card's review history onto the other. That, and any other GUID collision, is an error
    naming both places. The same file reached twice (a folder and a file in it) is one file.
    """
    problems: list[Diagnostic] = []
    owner: dict[str, tuple[Path, Document]] = {}
    seen: set[Path] = set()
    guids: dict[str, Card] = {}
    for path, doc in files:
        real = path.resolve()
        if real in seen:
            continue
        seen.add(real)
        namespaces = {c.namespace for c in doc.cards} or {str(doc.options.get("id") or doc.name)}
        for ns in sorted(namespaces):
            first = owner.setdefault(ns, (real, doc))
            if first[0] != real:
                why = "front-matter `id:`" if doc.options.get("id") else "file name"
                problems.append(
                    Diagnostic(
                        "error",
                        Span(doc.path, 0),
                        f"Anki namespace {ns!r} (its {why}) is also the namespace of "
                        f"{first[1].path}: their cards would share Anki note ids and swap "
                        f"review history. Give one of them its own `id:` in the front matter "
                        f"(the file that keeps its namespace keeps its history)",
                    )
                )
        clash = bool(problems)
        for c in doc.cards:
            guid = note_guid(c.namespace, c.local_key)
            other = guids.setdefault(guid, c)
            if other is not c and not clash:
                problems.append(
                    Diagnostic(
                        "error",
                        c.span,
                        f"this card's Anki note id {guid!r} is also that of the card at "
                        f"{other.span} (namespace {other.namespace!r}, key {other.local_key!r}); "
                        "give one of them an explicit `{#id}`",
                    )
                )
    if problems:
        raise SourceError(problems)


def record(lock: Lock, doc: Document, plan: Plan) -> None:
    """Write this build's cards into the lock; cards that left stay, marked removed."""
    for c in doc.cards:
        e = lock.entries.get(c.key)
        q, s, d = T.plain(c.question), c.section, digest(c)
        if e is None:
            lock.entries[c.key] = Entry(c.key, q, s, d)
        else:
            e.question, e.section, e.digest, e.removed = q, s, d, False
    for e in plan.removed:
        if e.key in lock.entries:  # not when `sync` deleted the note and forgot the card
            lock.entries[e.key].removed = True
    from .translation_state import record_state

    record_state(lock, doc)


@contextlib.contextmanager
def exclusive(source: Path) -> Iterator[None]:
    """Serialize builds of one source (and so writes of its lock file) across processes."""
    fd = os.open(source, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
