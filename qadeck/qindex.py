"""A section's question index (`**题目：**` and a list): read, then checked against cards."""

from __future__ import annotations

import difflib

from . import text as T
from .blocks import Block
from .classify import is_index_head
from .errors import Diagnostics
from .model import Card, Group, IndexEntry, Span


def split_index(
    blocks: list[Block], lines: list[str], path: str
) -> tuple[list[IndexEntry], list[Block]]:
    """Find `**题目：**` + list/lines; return its entries and the other intro blocks."""
    entries: list[IndexEntry] = []
    rest: list[Block] = []
    taking = False

    def add(line: str, lineno: int) -> None:
        if line.strip():
            label, text = T.split_label(line.strip())
            entries.append(IndexEntry(label, text, Span(path, lineno, 1)))

    for b in blocks:
        if b.kind == "paragraph" and b.raw is None and is_index_head(b.text.split("\n", 1)[0]):
            taking = True
            for k, line in enumerate(b.text.split("\n")[1:], 1):
                add(line, b.start + 1 + k)
            continue
        if (
            taking
            and b.kind in ("other", "paragraph")
            and b.tokens
            and b.tokens[0].type.endswith(("list_open", "paragraph_open"))
        ):
            for t in b.tokens:
                if t.type == "inline" and t.map:
                    number = ""
                    if b.tokens[0].type == "ordered_list_open":
                        number = lines[t.map[0]].lstrip().split(" ", 1)[0]
                    add(f"{number} {t.content.split(chr(10))[0]}".strip(), t.map[0] + 1)
            continue
        taking = False
        rest.append(b)
    return entries, rest


def cross_check(
    index: list[IndexEntry], cards: list[Card], groups: list[Group], diags: Diagnostics
) -> None:
    """Warn about an index entry no card answers, and a card the index does not list."""
    names = {T.normalize(c.question): c for c in cards}
    by_label = {c.label: c for c in cards if c.label}
    group_names = {T.normalize(g.title) for g in groups}
    matched: set[str] = set()
    for e in index:
        n = T.normalize(e.text)
        card = names.get(n) or (
            by_label.get(e.label) if e.label and _similar(e.text, by_label.get(e.label)) else None
        )
        if card:
            matched.add(card.key)
        elif n not in group_names:
            diags.warning(
                e.span.line, 1, f"the question index lists {e.text!r} but no card answers it"
            )
    for c in cards:
        if c.key not in matched:
            diags.warning(
                c.span.line,
                c.span.col,
                f"question {T.plain(c.question)!r} is not in the section's question index",
            )


def _similar(a: str, card: Card | None) -> bool:
    if card is None:
        return False
    sm = difflib.SequenceMatcher(None, T.normalize(a), T.normalize(card.question), autojunk=False)
    return sm.quick_ratio() > 0.5 and sm.ratio() > 0.5
