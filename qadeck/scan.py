"""Plain scanners for what a backtracking regex would do in quadratic time or worse.

Code spans and fences are the classic case: a run of backticks looks for the next run of the
same length, and an unclosed one made the old patterns rescan the rest of the text from every
backtick. These find the same ranges in one pass.
"""

from __future__ import annotations

import re

_TICKS = re.compile(r"`+")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each code span: a backtick run closed by the next run of the same
    length, never across a blank line (a paragraph ends there)."""
    runs = [(m.start(), m.end()) for m in _TICKS.finditer(text)]
    if len(runs) < 2:
        return []
    blanks = [m.start() for m in _BLANK_LINE.finditer(text)]
    # For each run, the index of the next run of the same length (scanned from the end).
    following: list[int | None] = [None] * len(runs)
    latest: dict[int, int] = {}
    for i in range(len(runs) - 1, -1, -1):
        length = runs[i][1] - runs[i][0]
        following[i] = latest.get(length)
        latest[length] = i
    out: list[tuple[int, int]] = []
    i, b = 0, 0
    while i < len(runs):
        j = following[i]
        start = runs[i][0]
        while b < len(blanks) and blanks[b] < runs[i][1]:
            b += 1
        if j is not None and not (b < len(blanks) and blanks[b] < runs[j][0]):
            out.append((start, runs[j][1]))
            i = j + 1
            continue
        i += 1
    return out


def blank_code_spans(text: str) -> str:
    """`text` with every code span replaced by spaces of the same length."""
    spans = code_spans(text)
    if not spans:
        return text
    parts, pos = [], 0
    for start, end in spans:
        parts += [text[pos:start], " " * (end - start)]
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def without_code_spans(text: str) -> str:
    """`text` with every code span removed."""
    return cut(text, code_spans(text))


def cut(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` without the given sorted (start, end) ranges."""
    parts, pos = [], 0
    for start, end in spans:
        parts.append(text[pos:start])
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


_OPEN = re.compile(r"(```|~~~)[^\n`]*")


def fences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each closed fence at the margin: a line opening with ``` or ~~~ (no
    backtick after it) up to the next line that is a run of the same marker at least as
    long, alone (then spaces)."""
    out: list[tuple[int, int]] = []
    pos = 0
    opened: tuple[int, str] | None = None  # (start, the opening run: ```` ```` ````, `~~~~~~`)
    for line in text.split("\n"):
        end = pos + len(line)
        if opened is None:
            m = _OPEN.match(line)
            if m and m.end() == len(line):
                mark = m.group(1)[0]
                opened = (pos, line[: len(line) - len(line.lstrip(mark))])
        elif line.startswith(opened[1]) and not line.lstrip(opened[1][0]).strip(" \t"):
            out.append((opened[0], end))  # closed by a run at least as long as the opening
            opened = None
        pos = end + 1
    return out


MAX_NESTING = 20  # markdown-it-py's own limit in the CommonMark preset


def too_deep(text: str, limit: int = MAX_NESTING) -> bool:
    """Whether some line opens `limit` or more nested blocks (quotes, list items, deep
    indents). markdown-it-pyrs recurses once per level and overflows its stack on a few
    thousand (a crash no `except` can catch), so such text never reaches it."""
    for line in text.split("\n"):
        depth, i, n = 0, 0, len(line)
        while i < n and depth < limit:
            c = line[i]
            if c == " ":
                j = i
                while j < n and line[j] == " ":
                    j += 1
                depth += (j - i) // 2
                i = j
            elif c == "\t":
                depth += 2
                i += 1
            elif c == ">":
                depth += 1
                i += 1
            elif c in "-*+" and i + 1 < n and line[i + 1] in " \t":
                depth += 1
                i += 2
            elif c.isdigit():
                j = i
                while j < n and j - i < 9 and line[j].isdigit():
                    j += 1
                if j + 1 < n and line[j] in ".)" and line[j + 1] in " \t":
                    depth += 1
                    i = j + 2
                else:
                    break
            else:
                break
        if depth >= limit:
            return True
    return False
