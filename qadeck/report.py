"""Human-readable summaries for `check`, `plan` and builds. Returns text; never prints."""

from __future__ import annotations

from collections import defaultdict

from . import text as T
from .identity import Plan
from .model import Document


def target_langs(doc: Document, wanted: tuple[str, ...] = ("en",)) -> tuple[str, ...]:
    """The languages a document should be translated into: those wanted, less its own (an
    English file is never missing English)."""
    return tuple(lang for lang in wanted if lang != doc.lang)


def check_report(doc: Document, decisions: bool = False, langs: tuple[str, ...] = ("en",)) -> str:
    cards = doc.cards
    lines = [f"{doc.path}: {doc.title}", f"  {len(doc.sections)} sections, {len(cards)} cards"]
    for s in doc.sections:
        idx = f", index of {len(s.index)}" if s.index else ""
        lines.append(
            f"  § {(s.label + ' ') if s.label else ''}{s.title} — {len(s.cards)} cards{idx}"
        )
        group = None
        for c in s.cards:
            if c.group != group and c.group:
                lines.append(f"      [{c.group}]")
            group = c.group
            en = "".join(
                f" [{lang}{' stale' if lang in c.stale else ''}]"
                for lang in target_langs(doc, langs)
                if lang in c.translations
            )
            label = f"{c.label} " if c.label else ""
            lines.append(f"      {c.span.line:>4}  {label}{T.plain(c.question)}{en}  #{c.key}")
    lines.append(f"  glossary: {len(doc.glossary)} terms")
    for lang in target_langs(doc, langs) if cards else ():
        done = sum(1 for c in cards if lang in c.translations)
        stale = [c for c in cards if lang in c.stale]
        more = f", {len(stale)} stale" if stale else ""
        lines.append(f"  translation coverage ({lang}): {done}/{len(cards)} cards{more}")
        lines += [f"      {c.span}: stale: {T.plain(c.question)}" for c in stale]
    skipped = [d for d in doc.decisions if d.kind == "skipped"]
    if skipped:
        lines.append(f"  skipped headings: {len(skipped)}")
        lines += [f"      {d.span.line:>4}  {d.text} — {d.reason}" for d in skipped]
    if doc.warnings:
        lines.append(f"  warnings: {len(doc.warnings)}")
    if decisions:
        lines.append("  decisions:")
        lines += [
            f"      {d.span.line:>4}  {d.kind:<8} {d.text} — {d.reason}"
            + (f" [{d.rule}]" if d.rule else "")
            for d in doc.decisions
        ]
    return "\n".join(lines)


def missing_translations(doc: Document, lang: str = "en") -> list[str]:
    """For `check --strict`: cards without a translation, and cards whose translation is
    older than their last edit; none for a document written in `lang`."""
    if lang == doc.lang:
        return []
    out = []
    for c in doc.cards:
        if lang not in c.translations:
            out.append(
                f"{c.span}: error: card {T.plain(c.question)!r} has no `::: {lang}` translation"
            )
        elif lang in c.stale:
            out.append(
                f"{c.span}: error: the `::: {lang}` translation of {T.plain(c.question)!r} is "
                "stale: the card changed after it (update it, or `qadeck translate export`)"
            )
    return out


def plan_report(doc: Document, plan: Plan) -> str:
    lines = [f"{doc.path}: {len(doc.cards)} cards, {plan.unchanged} unchanged"]
    lines += [f"  + added    {c.span.line:>4}  {T.plain(c.question)}  #{c.key}" for c in plan.added]
    lines += [
        f"  ~ changed  {c.span.line:>4}  {T.plain(c.question)}  #{c.key}" for c in plan.changed
    ]
    lines += [
        f"  > renamed  {c.span.line:>4}  {e.question} → {T.plain(c.question)}  #{c.key}"
        for e, c in plan.renamed
    ]
    lines += [f"  - removed        {e.question}  #{e.key}" for e in plan.removed]
    if plan.empty:
        lines.append("  nothing changed since the last build")
    return "\n".join(lines)


def removed_report(plan: Plan, doc: Document) -> list[str]:
    """An .apkg import cannot delete: say on every build which notes left the source and
    how to find them, until `qadeck sync` deletes them or `qadeck forget` drops them."""
    left = [*plan.removed, *plan.gone]
    if not left:
        return []
    query = " OR ".join(_key_search(e.key) for e in left)
    lines = [f"{doc.path}: {len(left)} card(s) left the source but may still be in Anki:"]
    lines += [f"  - {e.question}  #{e.key}" for e in left]
    lines.append(f"  to find them in Anki, search: {query}")
    lines.append(
        "  `qadeck sync --collection …` deletes them; `qadeck forget KEY…` stops this notice"
    )
    return lines


def _key_search(key: str) -> str:
    """The note of `key` whether it came from the folder's deck (Key `file~key`) or from
    the file's own (Key `key`): both carry the same GUID, so Anki kept one of the two."""
    local = key.rpartition("~")[2]
    other = f"Key:{local}" if local != key else f"Key:*~{key}"
    return f'"Key:{key}" OR "{other}"'


def cross_file_duplicates(docs: list[Document]) -> list[str]:
    seen: dict[str, list[str]] = defaultdict(list)
    for doc in docs:
        for c in doc.cards:
            seen[T.normalize(c.question)].append(str(c.span))
    return [
        f"{places[0]}: warning: the same question also appears at {', '.join(places[1:])}"
        for places in seen.values()
        if len(places) > 1 and len({p.split(":")[0] for p in places}) > 1
    ]
