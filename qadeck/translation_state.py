"""Is a translation in step with its source? Hashes of both halves, kept in the lock file.

When a card's source (question and answer in the file's language) changes and its `::: en`
block does not, the English is stale. The lock remembers, per card and language, the hashes
of both halves the last time they were in step: an edit of both, or an import, puts them in
step again; an edit of the translation alone does too (someone brought it up to date).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from .lockfile import Lock
from .model import Card, Document


def source_hash(card: Card) -> str:
    """The card's own-language half, as the file has it."""
    return pair_hash(card.question, card.answer)


def translation_hash(card: Card, lang: str) -> str | None:
    t = card.translations.get(lang)
    return pair_hash(t.question, t.answer) if t else None


def pair_hash(question: str, answer: str) -> str:
    """A short hash of a question and its answer, white space at their ends aside."""
    return hashlib.sha1(f"{question.strip()}\x00{answer.strip()}".encode()).hexdigest()[:16]


def stale_langs(card: Card, lock: Lock) -> tuple[str, ...]:
    entry = lock.entries.get(card.key)
    if entry is None:
        return ()
    out = []
    src = source_hash(card)
    for lang, (was_src, was_dst) in sorted(entry.translations.items()):
        dst = translation_hash(card, lang)
        if dst is not None and src != was_src and dst == was_dst:
            out.append(lang)
    return tuple(out)


def mark_stale(doc: Document, lock: Lock) -> Document:
    """The document with each card's stale languages set (keys already resolved)."""
    if not any(e.translations for e in lock.entries.values()):
        return doc
    sections = tuple(
        replace(s, cards=tuple(_marked(c, lock) for c in s.cards)) for s in doc.sections
    )
    return replace(doc, sections=sections)


def _marked(card: Card, lock: Lock) -> Card:
    stale = stale_langs(card, lock)
    return replace(card, stale=stale) if stale != card.stale else card


def record_state(lock: Lock, doc: Document) -> None:
    """Remember the halves of every translation that is in step; a stale one keeps the hashes
    of the last time it was."""
    for card in doc.cards:
        entry = lock.entries.get(card.key)
        if entry is None:
            continue
        src = source_hash(card)
        for lang in card.translations:
            dst = translation_hash(card, lang)
            if lang not in card.stale and dst is not None:
                entry.translations[lang] = [src, dst]
        for lang in list(entry.translations):
            if lang not in card.translations:
                del entry.translations[lang]


def put_in_step(lock: Lock, card: Card, lang: str, question: str, answer: str) -> None:
    """After an import wrote `question`/`answer` as the card's translation."""
    entry = lock.entries.get(card.key)
    if entry is not None:
        entry.translations[lang] = [source_hash(card), pair_hash(question, answer)]
