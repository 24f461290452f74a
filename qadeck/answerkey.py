"""An answer key after the questions (`## Answer Key`, `## 参考答案`): numbered answers
(`**Q1. Answer: B**` + why, `2. C，因为…`), each joined to the question with its number.

Quizzes written as questions with their options (`**Q1. …:**` + `A) …` `B) …`), the
answers kept apart at the end, are common in generated prep sets and in 笔试 notes; a card
with only the options would teach nothing. Each answer moves into its question's answer
(after what the question holds), and the key's heading stays, empty; the blocks keep
their lines, so the source of an answer and the section cache see where they came from.
"""

from __future__ import annotations

import re

from . import text as T
from .listitems import item_spans
from .nodes import Block

_KEY_TITLE = re.compile(
    r"(answer key|answer keys|answers|answer sheet|答案|参考答案|答案解析|答案与解析|"
    r"答案及解析|参考答案与解析)\s*+[:：]?",
    re.I,
)
# `**Q1. Answer: B**`, `Q2: C`, `3. A — …`, `问题4：D`, `第5题：B`: an answer's number.
_ENTRY = re.compile(
    r"^(\s*+(?:\*\*|__)?+)\s*+(?:Q|Question|问题|第)?\s*+(\d{1,3})\s*+题?\s*+[.:：、)）]\s*+"
)
MOVED = "answer-key"  # the origin of an answer moved here: not where its question ends
KEY = "answer-key-heading"  # the origin of a key's heading once its answers are joined
_MIN_ENTRIES = 2  # one numbered paragraph under `## 答案` is an answer, not a key


def join_answer_key(blocks: list[Block], lines: list[str]) -> list[Block]:
    """`blocks` with each answer of an answer key moved to its question: the question of its
    number between the key and the key before it (a chapter's quiz, then its key). A key is
    left as written unless every entry has one such question."""
    out, k = blocks, 0
    asked: dict[int, int | None] = {}  # question number → block index (None: two share it)
    while k < len(out):
        b = out[k]
        if b.kind != "heading":
            k += 1
            continue
        if b.origin != "heading" or not _KEY_TITLE.fullmatch(T.plain(b.text).strip()):
            if n := _number(b):
                asked[n] = None if n in asked else k
            k += 1
            continue
        end = next((j for j in range(k + 1, len(out)) if _closes(out[j], b)), len(out))
        entries = _entries(out[k + 1 : end], lines)
        placed = [(q, answer) for n, answer in entries or () if (q := asked.get(n)) is not None]
        if not entries or len(placed) != len(entries):
            k = end
            continue
        b.origin = KEY  # the key's heading stays, empty, for `check --decisions` to name
        out = out[: k + 1] + out[end:]
        # from the last question up, so the places found before stay where they were
        for q, answer in sorted(placed, key=lambda p: p[0], reverse=True):
            at = q + 1
            while at < len(out) and out[at].kind != "heading":
                at += 1
            while at > q + 1 and out[at - 1].kind == "hr":
                at -= 1  # before the rule that closes the question (after it: a note)
            out.insert(at, answer)
        k += len(entries) + 1  # past the key, moved down by the answers put in before it
        asked = {}
    return out


def _closes(b: Block, key: Block) -> bool:
    """A heading at the key's level or above, written as a heading, ends the key."""
    return b.kind == "heading" and b.origin == "heading" and b.level <= key.level


def _entries(region: list[Block], lines: list[str]) -> list[tuple[int, Block]] | None:
    """(number, answer) per entry: an entry starts at a block whose first line is numbered
    and runs to the next; None when anything in the key is not an entry's."""
    found: list[tuple[int, int, int]] = []  # (number, start, end)
    for b in region:
        if b.kind == "hr" and not found:
            continue
        m = _ENTRY.match(lines[b.start]) if b.start < len(lines) else None
        if m is not None and b.kind in ("heading", "paragraph"):
            found.append((int(m.group(2)), b.start, b.end))
        elif b.tokens and b.tokens[0].type == "ordered_list_open":  # `1. B` `2. C`: a list
            for i, _ in item_spans(b.tokens):
                item = b.tokens[i]
                if not item.info.isdigit() or item.map is None:
                    return None
                found.append((int(item.info), item.map[0], item.map[1]))
        elif found and b.kind != "heading":
            number, start, end = found[-1]
            # (the close of a container left open has no lines of its own: `end` stays)
            found[-1] = (number, start, max(end, b.end))
        else:
            return None
    numbers = [n for n, _, _ in found]
    if len(found) < _MIN_ENTRIES or len(set(numbers)) != len(numbers):
        return None
    out = []
    for number, start, end in found:
        body = lines[start:end]
        body[0] = _ENTRY.sub(r"\1", body[0], count=1)
        raw = "\n".join(body).strip()
        if not raw:
            return None
        out.append((number, Block("paragraph", start, end, [], raw=raw, origin=MOVED)))
    return out


def _number(b: Block) -> int:
    """The number a heading's label gives it (`Q3:`, `3.`, `问题3：`), or 0."""
    digits = re.sub(r"\D", "", T.split_label(b.text.strip())[0])
    return int(digits) if digits else 0
