"""The translation round trip: export what is missing or stale, import what came back.

Export writes one record per card, section title and group title whose translation into
`lang` is missing or stale (JSON Lines, or gettext PO through polib). Import writes each filled
target back as a `::: lang` block where the convention puts it (after a card's answer,
right under a title), replacing a stale block and changing no other byte; every file and its
lock are written together, atomically, or not at all. A record whose source changed since the
export is refused, and so is a malformed translation, each as `FILE:line: error: …`.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import text as T
from .errors import SourceError
from .model import Card, Diagnostic, Document, Span
from .translation_state import pair_hash, put_in_step, source_hash

FORMATS = ("jsonl", "po")
INSTRUCTIONS = """\
Translate each record's `source` into the target language and fill `target` (keep `key`,
`kind`, `file`, `line` and `hash` as they are). Keep the Markdown structure exactly: headings,
lists, tables, emphasis, links (translate the link text, never the URL). Never translate code
(inline `code` and fenced blocks) or math ($…$, $$…$$): copy them unchanged. Use the terms in
`glossary` for the Chinese terms it lists. A title record has only a `question`. The question is
one line. Leave `target` null for a record you cannot translate.
"""


@dataclass
class Record:
    key: str
    kind: str  # card | section | group
    file: str
    line: int
    lang: str
    question: str
    answer: str | None
    hash: str
    glossary: dict[str, str] = field(default_factory=dict)
    target_question: str | None = None
    target_answer: str | None = None
    stale: bool = False

    def to_json(self) -> dict[str, Any]:
        source: dict[str, Any] = {"question": self.question}
        target: dict[str, Any] = {"question": self.target_question}
        if self.kind == "card":
            source["answer"] = self.answer
            target["answer"] = self.target_answer
        return {
            "key": self.key,
            "kind": self.kind,
            "file": self.file,
            "line": self.line,
            "lang": self.lang,
            "stale": self.stale,
            "source": source,
            "target": target,
            "glossary": self.glossary,
            "hash": self.hash,
        }


# -- export -------------------------------------------------------------------------------
def records(doc: Document, lines: list[str], lang: str, shown: str) -> list[Record]:
    """What `doc` lacks in `lang`: cards without a translation or with a stale one, and
    section and group titles without one. A document written in `lang` lacks nothing."""
    if doc.lang == lang:
        return []
    terms = {t.zh: t.en for t in doc.glossary}
    out: list[Record] = []
    for s in doc.sections:
        if lang not in s.translations and _is_heading(lines, s.span.line, s.title):
            out.append(_title(s.slug, "section", s.title, s.span.line, lang, shown, terms))
        titled = {g.slug for g in s.groups}
        for g in s.groups:
            if lang not in g.translations and g.slug in titled:
                out.append(_title(g.slug, "group", g.title, g.span.line, lang, shown, terms))
                titled.discard(g.slug)
        for c in s.cards:
            t = c.translations.get(lang)
            if t is not None and lang not in c.stale:
                continue
            out.append(
                Record(
                    key=c.local_key,
                    kind="card",
                    file=shown,
                    line=c.span.line,
                    lang=lang,
                    question=c.question,
                    answer=c.answer,
                    hash=source_hash(c),
                    glossary=_terms_in(terms, c.question + "\n" + c.answer),
                    target_question=t.question if t else None,
                    target_answer=t.answer if t else None,
                    stale=t is not None,
                )
            )
    return out


def _title(slug, kind, title, line, lang, shown, terms) -> Record:
    return Record(
        key=slug,
        kind=kind,
        file=shown,
        line=line,
        lang=lang,
        question=title,
        answer=None,
        hash=pair_hash(title, ""),
        glossary=_terms_in(terms, title),
    )


def _is_heading(lines: list[str], line: int, title: str) -> bool:
    """A section of loose cards has no heading of its own to translate."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return text.lstrip().startswith("#") and T.normalize(title) in T.normalize(text)


def _terms_in(terms: dict[str, str], text: str) -> dict[str, str]:
    return {zh: en for zh, en in terms.items() if zh in text}


def to_jsonl(recs: Iterable[Record]) -> str:
    return "".join(json.dumps(r.to_json(), ensure_ascii=False) + "\n" for r in recs)


def to_po(recs: list[Record], lang: str) -> str:
    """Gettext PO: a message per question and per answer, the record in its context."""
    import polib

    po = polib.POFile(wrapwidth=0)
    po.header = "qadeck translations\n" + INSTRUCTIONS
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Language": lang,
        "X-Generator": "qadeck",
    }
    for r in recs:
        parts = [("question", r.question, r.target_question)]
        if r.kind == "card":
            parts.append(("answer", r.answer or "", r.target_answer))
        for part, source, target in parts:
            glossary = "; ".join(f"{zh} = {en}" for zh, en in r.glossary.items())
            po.append(
                polib.POEntry(
                    msgctxt="|".join((r.kind, r.file, r.key, r.hash, part)),
                    msgid=source,
                    msgstr=target or "",
                    occurrences=[(r.file, str(r.line))],
                    comment=f"glossary: {glossary}" if glossary else "",
                    flags=["fuzzy"] if r.stale else [],
                )
            )
    return str(po) + "\n"


# -- reading a filled file -------------------------------------------------------------------
def read_filled(path: Path, text: str) -> tuple[list[tuple[int, dict]], list[Diagnostic]]:
    """(line, record) of every record in a JSON Lines or PO file, and what is malformed."""
    if path.suffix.lower() == ".po" or text.lstrip().startswith(("msgid", "#")):
        return _read_po(path, text)
    out, problems = [], []
    for n, raw in enumerate(text.split("\n"), 1):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
        except ValueError as e:
            problems.append(_err(path, n, f"not a JSON record ({e.args[0].split(':')[0]})"))
            continue
        if not isinstance(item, dict) or not isinstance(item.get("target"), dict):
            problems.append(_err(path, n, "a record needs `key`, `kind`, `file`, `target`"))
            continue
        out.append((n, item))
    return out, problems


def _read_po(path: Path, text: str) -> tuple[list[tuple[int, dict]], list[Diagnostic]]:
    import polib

    try:
        po = polib.pofile(text)
    except (OSError, ValueError) as e:
        return [], [_err(path, 0, f"not a PO file ({e})")]
    merged: dict[tuple[str, str, str, str], dict] = {}
    for entry in po:
        parts = (entry.msgctxt or "").split("|")
        if len(parts) != 5:
            continue
        kind, file, key, digest, part = parts
        item = merged.setdefault(
            (kind, file, key, digest),
            {"kind": kind, "file": file, "key": key, "hash": digest, "target": {}, "line": 0},
        )
        item["line"] = item["line"] or entry.linenum
        filled = entry.msgstr if entry.msgstr and not entry.fuzzy else None
        item["target"][part] = filled
    return [(item["line"], item) for item in merged.values()], []


def _err(path: Path, line: int, message: str) -> Diagnostic:
    return Diagnostic("error", Span(str(path), line), message)


# -- import ---------------------------------------------------------------------------------
@dataclass
class Outcome:
    written: int = 0  # translations written (new or replacing a stale one)
    unchanged: int = 0  # already in the file as given
    empty: int = 0  # records left untranslated
    files: list[Path] = field(default_factory=list)


_FENCE = re.compile(r"^\s*(```|~~~)")
_CLOSER = re.compile(r"^\s*:{3,}\s*$")


def check_target(question: str, answer: str, kind: str) -> str | None:
    """What is wrong with a translation, or None."""
    if not question.strip():
        return "the translated question is empty"
    if "\n" in question.strip():
        return "the translated question must be one line"
    if kind == "card":
        body = answer.split("\n")
        if sum(1 for x in body if _FENCE.match(x)) % 2:
            return "unbalanced code fence (```) in the translated answer"
        if any(_CLOSER.match(x) for x in body):
            return "a line of `:::` in the translated answer would end its block"
        if _dollars(answer) % 2:
            return "unbalanced `$` in the translated answer"
    if _dollars(question) % 2:
        return "unbalanced `$` in the translated question"
    return None


def _dollars(text: str) -> int:
    """`$` signs outside code, not escaped."""
    outside, fenced = [], False
    for line in text.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            outside.append(re.sub(r"`[^`]*`", "", line))
    return len(re.findall(r"(?<!\\)\$", "\n".join(outside)))


def import_records(
    items: list[tuple[int, dict]], where: Path, base: Path, loader, staging
) -> tuple[Outcome, list[Diagnostic]]:
    """Stage every file's new text and its lock; return what happened and what was refused.
    `loader(path)` gives the file's `Loaded` (keys resolved); `base` is the folder the
    records' `file` paths are relative to."""
    from .parse import parse_text

    outcome = Outcome()
    problems: list[Diagnostic] = []
    by_file: dict[Path, list[tuple[int, dict]]] = {}
    for n, item in items:
        target = item.get("target") or {}
        question = target.get("question")
        if question is None or (item.get("kind") == "card" and target.get("answer") is None):
            outcome.empty += 1
            continue
        file = item.get("file")
        if not isinstance(file, str) or not isinstance(item.get("key"), str):
            problems.append(_err(where, n, "a record needs `key` and `file`"))
            continue
        by_file.setdefault(locate(base, file), []).append((n, item))
    for path, group in sorted(by_file.items(), key=lambda kv: str(kv[0])):
        if not path.is_file():
            problems.append(_err(where, group[0][0], f"{group[0][1]['file']}: no such source"))
            continue
        loaded = loader(path)
        text = path.read_bytes().decode("utf-8")
        lines = text.split("\n")
        edits: list[tuple[int, int, list[str]]] = []
        done: list[tuple[Card, str, str, str]] = []
        for n, item in group:
            edit = _edit(loaded.doc, lines, item, where, n, problems)
            if edit is None:
                continue
            if edit == "same":
                outcome.unchanged += 1
                continue
            edits.append(edit[0])
            if edit[1] is not None:
                done.append(edit[1])
        if not edits:
            continue
        new = _apply(lines, edits)
        try:
            parse_text(new, str(path), base_dir=path.parent, name=path.stem)  # still valid?
        except SourceError as e:
            first = e.diagnostics[0]
            problems.append(_err(where, group[0][0], f"the file would not parse: {first}"))
            continue
        staging.write(path, new.encode("utf-8"))
        for card, lang, q, a in done:
            put_in_step(loaded.lock, card, lang, q, a)
        loaded.lock.stage(staging)
        outcome.written += len(edits)
        outcome.files.append(path)
    return outcome, problems


def locate(base: Path, file: str) -> Path:
    """A record's file: beside the records (an export written to a file), else from here
    (an export printed and saved elsewhere)."""
    near = (base / file).resolve()
    return near if near.is_file() or not Path(file).is_file() else Path(file).resolve()


def _edit(doc: Document, lines: list[str], item: dict, where: Path, n: int, problems: list):
    """(an edit (start, end, new lines), the card and translation to record) for one
    record; "same" when the file already says it; None when refused (reason appended)."""
    kind, key, lang = item.get("kind"), item["key"], str(item.get("lang") or "en")
    target = item["target"]
    question = str(target.get("question") or "").strip()
    answer = str(target.get("answer") or "").strip("\n")
    wrong = check_target(question, answer, str(kind))
    if wrong:
        problems.append(_err(where, n, wrong))
        return None
    if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z]{2,4})?", lang):
        problems.append(_err(where, n, f"`lang` {lang!r} is not a language code"))
        return None
    if kind == "card":
        card = next((c for c in doc.cards if c.local_key == key), None)
        if card is None:
            problems.append(_err(where, n, f"no card {key!r} in {item['file']} any more"))
            return None
        if source_hash(card) != item.get("hash"):
            problems.append(
                _err(where, n, f"the source of {T.plain(card.question)!r} changed since the "
                     "export: export again")
            )  # fmt: skip
            return None
        have = card.translations.get(lang)
        if have and have.question == question and have.answer.strip() == answer.strip():
            return "same"
        block = [f"::: {lang} {question}", *answer.split("\n"), ":::"]
        if have:
            start = have.span.line - 1
            return (start, _block_end(lines, start), block), (card, lang, question, answer)
        at = card.end_line  # after the answer's last line
        return (at, at, ["", *block]), (card, lang, question, answer)
    if kind in ("section", "group"):
        found = _heading(doc, kind, key, lang)
        if found is None:
            problems.append(_err(where, n, f"no {kind} {key!r} in {item['file']} any more"))
            return None
        title, line, have = found
        if pair_hash(title, "") != item.get("hash"):
            problems.append(_err(where, n, f"the title {title!r} changed since the export"))
            return None
        if have and have.question == question:
            return "same"
        if have:
            start = have.span.line - 1
            return (start, _block_end(lines, start), [f"::: {lang} {question}", ":::"]), None
        return (line, line, ["", f"::: {lang} {question}", ":::"]), None
    problems.append(_err(where, n, f"unknown record kind {kind!r}"))
    return None


def _heading(doc: Document, kind: str, slug: str, lang: str):
    for s in doc.sections:
        if kind == "section" and s.slug == slug:
            return s.title, s.span.line, s.translations.get(lang)
        for g in s.groups if kind == "group" else ():
            if g.slug == slug:
                return g.title, g.span.line, g.translations.get(lang)
    return None


def _block_end(lines: list[str], start: int) -> int:
    """The line after the `:::` that closes the block opened on `start` (0-based)."""
    for k in range(start + 1, len(lines)):
        if _CLOSER.match(lines[k]):
            return k + 1
    return len(lines)


def _apply(lines: list[str], edits: list[tuple[int, int, list[str]]]) -> str:
    """Replace lines[start:end] by each edit's lines, last first (so earlier places hold);
    a new block gets a blank line after it when the next line has text."""
    out = list(lines)
    for start, end, new in sorted(edits, key=lambda e: e[0], reverse=True):
        after = out[end] if end < len(out) else ""
        tail = [""] if start == end and after.strip() else []
        out[start:end] = new + tail
    return "\n".join(out)


def relative(path: Path, base: Path) -> str:
    return os.path.relpath(path.resolve(), base.resolve())
