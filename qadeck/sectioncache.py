"""Sections emitted before, reused: after one edit in a large file only its section is emitted
again.

A top-level section's emission (`OutlineBuilder.section`) reads its own subtree, the lines
under it, a few facts about its heading that come from its neighbours (`Context`), the
builder's settings, the card keys claimed before it and the image files it points at. The
key holds all of them but the keys and the images: an entry records which keys it looked
up and which image files it saw (size and change time), and is used only when none of
those keys is taken yet and the files are as they were. What the emission said is kept with
it and said again: its warnings and errors, its `check --decisions` lines, its claimed keys.

Entries live in memory (a long `qadeck watch`) and, through `parsecache`, on disk beside a
file's parsed document, so a rebuild after one edit finds the other sections there.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .cardkeys import CardKeys
from .model import Decision, Diagnostic, Section

if TYPE_CHECKING:
    from .nodes import Block, Node
    from .outline import OutlineBuilder

KEEP = 1000  # sections kept in memory
KEEP_CHUNKS = 64  # chunks' tokens kept in memory (a few MB each): the oldest go first


@dataclass(frozen=True)
class Entry:
    """One emitted section and everything its emission did besides returning it."""

    section: Section
    diagnostics: tuple[Diagnostic, ...]
    decisions: tuple[tuple[int, Decision], ...]
    claimed: tuple[tuple[str, int], ...]  # card keys with their lines, in order
    repeats: tuple[tuple[str, int], ...]
    looked_up: frozenset[str]  # every key it asked about
    images: tuple[tuple[str, tuple[int, int] | None], ...]


# Every entry this process made or read, by key: shared by the memos of all its parses.
_ENTRIES: dict[str, Entry] = {}
_CHUNKS: dict = {}  # the block tokens of chunks of large files (`fastblock.Chunks`)


class _Used(dict):
    """A view of a shared table that remembers which of its entries one parse used."""

    def __init__(self, shared: dict) -> None:
        super().__init__()
        self.shared = shared

    def get(self, k, default=None):
        found = self.shared.get(k, default)
        if found is not default:
            self[k] = found
        return found

    def put(self, k, value) -> None:
        while len(self.shared) >= KEEP_CHUNKS:
            del self.shared[next(iter(self.shared))]
        self.shared[k] = value
        self[k] = value


class Memo:
    """One parse's view of the entries: those it may use, and those it used (to store with
    its document)."""

    def __init__(self, stored: dict | None = None) -> None:
        self.entries = _ENTRIES
        self.chunks = _Used(_CHUNKS)
        if stored:
            from .fastblock import unflat

            self.entries.update(stored.get("sections", {}))
            for k, (at, rows, marks) in stored.get("chunks", {}).items():
                if k not in _CHUNKS:
                    _CHUNKS[k] = (at, unflat(rows), marks)
        self.used: dict[str, Entry] = {}

    def stored(self) -> dict:
        """What to keep on disk for the next parse of this file: its sections, and its
        chunks' tokens as plain tuples (pickled as objects, they would cost more to store
        and load than to make again)."""
        from .fastblock import flat

        chunks = {k: (at, flat(tokens), marks) for k, (at, tokens, marks) in self.chunks.items()}
        return {"sections": self.used, "chunks": chunks}

    def emit(self, builder: OutlineBuilder, node: Node) -> Section:
        """`builder.section(node)`, from an entry when one fits."""
        k = key(builder, node)
        entry = self.entries.get(k)
        if entry is not None and _fits(entry, builder):
            _replay(entry, builder)
        else:
            entry = _record(builder, node)
            if entry is None:  # it read a key claimed before it: not reusable
                return builder.emit_section(node)
            _replay(entry, builder)
            if len(self.entries) > KEEP:
                self.entries.clear()
            self.entries[k] = entry
        self.used[k] = entry
        return entry.section


class _Probed(dict):
    """A key table that remembers every key it was asked about."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[str] = set()

    def __contains__(self, k: object) -> bool:
        self.asked.add(str(k))
        return super().__contains__(k)


def _record(builder: OutlineBuilder, node: Node) -> Entry | None:
    """Emit the section alone (no keys before it) and keep what it did."""
    from .parsecache import image_files, stats

    keys, decisions = builder.keys, builder.decisions
    start = len(builder.diags.items)
    probed = _Probed()
    builder.keys, builder.decisions = CardKeys(probed), {}
    try:
        section = builder.emit_section(node)
        made = (builder.diags.items[start:], builder.decisions, builder.keys)
    finally:
        del builder.diags.items[start:]
        builder.keys, builder.decisions = keys, decisions
    items, made_decisions, made_keys = made
    if any(k in keys.claimed for k in probed.asked):
        return None
    seen = set()
    for card in section.cards:
        seen |= image_files(card.images, builder.base_dir)
    return Entry(
        section=section,
        diagnostics=tuple(items),
        decisions=tuple(made_decisions.items()),
        claimed=tuple(made_keys.claimed.items()),
        repeats=tuple(made_keys.repeats.items()),
        looked_up=frozenset(probed.asked),
        images=tuple(stats(sorted(seen))),
    )


def _fits(entry: Entry, builder: OutlineBuilder) -> bool:
    from .parsecache import stats

    if any(k in builder.keys.claimed for k in entry.looked_up):
        return False
    return not entry.images or tuple(stats([p for p, _ in entry.images])) == entry.images


def _replay(entry: Entry, builder: OutlineBuilder) -> None:
    builder.diags.items.extend(entry.diagnostics)
    for line, decision in entry.decisions:
        builder.decisions[line] = decision
    for k, line in entry.claimed:
        builder.keys.claimed[k] = line
    for k, n in entry.repeats:
        builder.keys.repeats[k] = n


def key(builder: OutlineBuilder, node: Node) -> str:
    """Everything the emission of `node`'s section reads, but claimed keys and images."""
    assert builder.rules is not None
    h = hashlib.blake2b(digest_size=20)
    rules = builder.rules
    verdict = rules.verdict(node)
    context = (
        verdict.kind,
        verdict.rule,
        verdict.reason,
        rules.asks(node),
        rules.chapters,
        rules.names_page(node),  # its code and summary parts are then the page's notes
        tuple(id(c) in rules.repeated for c in node.children),
    )
    settings = (
        builder.path,
        builder.name,
        str(builder.base_dir),
        str(builder.root),
        sorted(builder.options.items(), key=lambda kv: kv[0]),
    )
    h.update(repr((context, settings)).encode())
    low, high = node.block.start, node.block.end
    stack = [node]
    while stack:
        n = stack.pop()
        h.update(b"\x01%d %d %d" % (n.level, n.ruled, len(n.children)))
        for mark, blocks in ((b"\x02", [n.block] if n.block else []), (b"\x03", n.body),
                             (b"\x04", n.after_rule)):  # fmt: skip
            h.update(mark)
            for b in blocks:
                low, high = min(low, b.start), max(high, b.end)
                h.update(_block_sig(b))
        stack.extend(reversed(n.children))
    h.update(b"\x05")
    h.update(
        "\n".join(builder.lines[low:high]).encode("utf-8", "surrogatepass")
    )  # str input may hold any code point
    return h.hexdigest()


def _block_sig(b: Block) -> bytes:
    return repr((b.kind, b.start, b.end, b.level, b.text, b.closed, b.raw, b.origin)).encode()
