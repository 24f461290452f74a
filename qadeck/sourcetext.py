"""The Markdown source of blocks, exactly as written: what a card's answer and a
section's notes hold."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .blocks import Block
from .dialect import LANG_CODES

_LANG_OPEN = re.compile(r"^:::\s*(" + "|".join(LANG_CODES) + r")\b")


def source_of(lines: list[str], blocks: list[Block]) -> str:
    """Runs of adjacent blocks exactly as written (blank lines between them included),
    separate runs joined by a blank line."""
    parts: list[str] = []
    run: list[int] = []  # [start, end) of the current run of adjacent blocks

    def flush() -> None:
        if run:
            parts.append("\n".join(lines[run[0] : run[1]]))
            run.clear()

    for b in sorted(blocks, key=lambda b: b.start):
        if b.raw is not None:
            flush()
            parts.append(b.raw)
        elif run and b.start <= run[1]:
            run[1] = max(run[1], b.end)
        else:
            flush()
            run.extend((b.start, b.end))
    flush()
    return "\n\n".join(p.strip("\n").rstrip() for p in parts if p.strip())


def inner_source(lines: list[str], b: Block) -> str:
    """What a fenced container (`::: en …` … `:::`) holds, without its fences."""
    end = b.end - 1 if b.closed else b.end
    return "\n".join(lines[b.start + 1 : end]).strip("\n")


def prose_lines(lines: list[str]) -> Iterator[tuple[int, str]]:
    """Lines outside code and translations (numbered from 1), for the glossary scan."""
    in_fence = in_lang = False
    for lineno, line in enumerate(lines, 1):
        s = line.strip()
        if s.startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if not in_fence and s.startswith(":::"):
            if _LANG_OPEN.match(s):
                in_lang = True
                continue
            if in_lang and s == ":::":
                in_lang = False
                continue
        if not in_fence and not in_lang:
            yield lineno, line
