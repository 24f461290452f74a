"""`<details><summary>…</summary> … </details>`: a question with its answer, or a fold.

Three shapes are common in interview notes:

- the summary is the question (`<summary>什么是面向连接？</summary>`): a pseudo-heading one
  level below the current heading, the body its answer;
- the summary only says "open me" (`Answer`, `展开`, `点击查看答案`): the question stands
  outside; the wrapper and the label go, the body stays where it is;
- the summary numbers a question (`Question 3`, `Follow-up Questions`): the first paragraph
  inside is the question, the rest its answer.

The close is found by scanning lines (outside code fences), so a `</details>` at the end of a
paragraph line, where markdown-it keeps it as inline HTML, still closes it.
"""

from __future__ import annotations

import re

from . import text as T
from .nodes import Block

_OPEN = re.compile(r"<details\b[^<>]*>", re.I)
_CLOSE = re.compile(r"</details\s*>", re.I)
_TAG = re.compile(r"</?details\b[^<>]*>", re.I)
_SUMMARY = re.compile(r"<summary\b[^<>]*>(.*?)</summary\s*>", re.I | re.S)
_TAGS = re.compile(r"<[^<>]*>")
_EDGE = r"(?:<(?:br|/?b|/?p|/?strong|/?em|hr)\b[^<>]*>|\s)"
_EDGE_TAGS = re.compile(rf"^{_EDGE}+|{_EDGE}+$", re.I)
_FENCE = re.compile(r"^[ \t]*+(?:>[ \t]*+)*+(```|~~~)")
_FOLD = re.compile(
    r"((点击|点我)?(展开|收起|查看|显示)(答案|解答|解析|详情|代码|更多)?|答案|解答|解析|参考答案|"
    r"回答|答|详情|代码|提示|(show|hide|click (here )?(to|for)|reveal|see|view|expand)?\s*"
    r"(the )?(answers?|solutions?|details?|code|hints?|more|spoiler|explanation|expand|"
    r"click to expand|output|result))\s*[:：.!]?",
    re.I,
)
_NUMBERED = re.compile(
    r"(question|problem|exercise|task|q|题目|问题|练习|follow[- ]?up( questions?)?)"
    r"\s*#?\s*\d{0,3}\s*[:：.]?",
    re.I,
)


def unwrap_details(
    blocks: list[Block], i: int, lines: list[str], level: int, in_question: bool
) -> tuple[list[Block] | None, int]:
    """The blocks that replace the `<details>` opening at blocks[i], and the index after it;
    (None, i + 1) when blocks[i] opens no `<details>`."""
    first = blocks[i]
    if not _OPEN.match(lines[first.start].lstrip()):
        return None, i + 1
    text = "\n".join(lines[first.start : first.end])
    summary = _SUMMARY.search(text)
    head = _clean(summary.group(1)) if summary else ""
    begin = summary.end() if summary else _OPEN.search(text).end()  # type: ignore[union-attr]
    line, col = _position(text, begin, first.start)
    close = _find_close(lines, line, col)
    end_line = close[0] if close else len(lines)
    inner: list[Block] = []
    lead = _until(lines, line, col, min(end_line, first.end), close)
    if lead:
        inner.append(Block("paragraph", first.start, first.end, [], raw=lead))
    j = i + 1
    tail: Block | None = None
    while j < len(blocks) and blocks[j].start < end_line and close is not None:
        b = blocks[j]
        j += 1
        if b.kind == "heading":  # a heading inside the fold is part of what it folds
            line_text = lines[b.start].strip()
            inner.append(Block("paragraph", b.start, b.end, [], raw=line_text))
            continue
        if b.end <= end_line:
            inner.append(b)
            continue
        inside = _until(lines, b.start, 0, end_line, close)
        if inside:
            inner.append(Block("paragraph", b.start, end_line + 1, [], raw=inside))
        after = _after(lines, close, b.end)
        if after:
            tail = Block("paragraph", end_line, b.end, [], raw=after)
        break
    if close is None:  # never closed: it folds the rest of this heading's text
        while j < len(blocks) and blocks[j].kind != "heading":
            inner.append(blocks[j])
            j += 1
    elif close[0] < first.end:  # closed inside the first block: what follows is outside
        after = _after(lines, close, first.end)
        if after:
            tail = Block("paragraph", close[0], first.end, [], raw=after)
    out = _shape(head, first, inner, lines, level, in_question)
    return [*out, *([tail] if tail else [])], j


def _shape(
    head: str, first: Block, inner: list[Block], lines: list[str], level: int, in_question: bool
) -> list[Block]:
    if not head or _FOLD.fullmatch(head):
        return _nested(inner, lines, level, in_question)
    if _NUMBERED.fullmatch(head):
        para = next((k for k, b in enumerate(inner) if b.kind == "paragraph"), None)
        if para is not None:
            b = inner[para]
            body = b.raw if b.raw is not None else "\n".join(lines[b.start : b.end])
            question, _, rest = body.strip().partition("\n")
            heading = Block("heading", b.start, b.start + 1, [], level + 1, question.strip())
            heading.origin = "details"
            remainder = [Block("paragraph", b.start + 1, b.end, [], raw=rest)] if rest else []
            after = _nested(inner[para + 1 :], lines, level + 1, False)
            return [*inner[:para], heading, *remainder, *after]
    if in_question:
        bold = Block("paragraph", first.start, first.start + 1, [], raw=f"**{head}**")
        return [bold, *_nested(inner, lines, level, True)]
    heading = Block("heading", first.start, first.start + 1, [], level + 1, head, origin="details")
    return [heading, *_nested(inner, lines, level + 1, False)]


def _nested(blocks: list[Block], lines: list[str], level: int, in_question: bool) -> list[Block]:
    """Unwrap the `<details>` inside a `<details>`."""
    out: list[Block] = []
    k = 0
    while k < len(blocks):
        b = blocks[k]
        if b.kind == "other" and b.tokens and b.tokens[0].type == "html_block":
            taken, k = unwrap_details(blocks, k, lines, level, in_question)
            if taken is not None:
                out += taken
                continue
            out.append(b)
            continue
        out.append(b)
        k += 1
    return out


def _clean(summary: str) -> str:
    return T.plain(_TAGS.sub("", summary)).replace("\n", " ").strip()


def _position(text: str, offset: int, first_line: int) -> tuple[int, int]:
    before = text[:offset]
    return first_line + before.count("\n"), offset - (before.rfind("\n") + 1)


def _find_close(lines: list[str], line: int, col: int) -> tuple[int, int, int] | None:
    """(line, start, end) of the `</details>` that closes one opened before (line, col)."""
    depth, fenced = 1, False
    for n in range(line, len(lines)):
        s = lines[n]
        if _FENCE.match(s):
            fenced = not fenced
            continue
        if fenced:
            continue
        for m in _TAG.finditer(s, col if n == line else 0):
            depth += -1 if m.group().startswith("</") else 1
            if depth == 0:
                return n, m.start(), m.end()
    return None


def _until(
    lines: list[str], line: int, col: int, stop: int, close: tuple[int, int, int] | None
) -> str:
    """The text from (line, col) to line `stop` (exclusive), or to the close when it comes
    first, without wrapping tags at its edges."""
    parts = []
    for n in range(line, min(stop + 1, len(lines))):
        s = lines[n]
        start = col if n == line else 0
        if close and n == close[0]:
            parts.append(s[start : close[1]])
            break
        if n >= stop:
            break
        parts.append(s[start:])
    return _dedent(_EDGE_TAGS.sub("", "\n".join(parts)))


def _after(lines: list[str], close: tuple[int, int, int], stop: int) -> str:
    rest = [lines[close[0]][close[2] :], *lines[close[0] + 1 : stop]]
    return _dedent(_EDGE_TAGS.sub("", "\n".join(rest)))


def _dedent(text: str) -> str:
    body = text.strip("\n").split("\n")
    indent = min((len(x) - len(x.lstrip()) for x in body if x.strip()), default=0)
    return "\n".join(x[indent:] for x in body).strip()
