"""`<details><summary>…</summary> … </details>`: a question with its answer, or a fold.

Three shapes are common in interview notes:

- the summary is the question (`<summary>什么是面向连接？</summary>`): a pseudo-heading one
  level below the current heading, the body its answer;
- the summary only says "open me" (`Answer`, `展开`, `点击查看答案`): the question stands
  outside; the wrapper and the label go, the body stays where it is;
- the summary numbers a question (`Question 3`, `Follow-up Questions`): the first paragraph
  inside is the question, the rest its answer.

Opening and closing tags are paired in one scan of the lines (outside code fences), so a
`</details>` at the end of a paragraph line, where markdown-it keeps it as inline HTML, still
closes it.
"""

from __future__ import annotations

import re

from . import text as T
from .nodes import Block

_OPEN = re.compile(r"<details\b[^<>]*>", re.I)
_CLOSE = re.compile(r"</details\s*>", re.I)
_TAG = re.compile(r"</?details\b[^<>]*>", re.I)
# (a summary holds no other `<summary`: each opening scans only to the next, linear)
_SUMMARY = re.compile(r"<summary\b[^<>]*+>((?:(?!</?summary\b).)*+)</summary\s*+>", re.I | re.S)
_TAGS = re.compile(r"<[^<>]*>")
_SUMMARY_LINES = 40
MAX_DEPTH = 20
_EDGE_TAG = re.compile(r"<(?:br|/?b|/?p|/?strong|/?em|hr)\b[^<>]*>", re.I)
_EDGE_HEAD = re.compile(rf"\A(?:{_EDGE_TAG.pattern}|\s)++", re.I)
_FENCE = re.compile(r"^[ \t]*+(?:>[ \t]*+)*+(```|~~~)")
_FOLD = re.compile(
    r"((点击|点我)?(展开|收起|查看|显示)(参考|完整|标准)?(答案|解答|解析|详情|代码|更多)?|答案|解答|"
    r"解析|参考答案|参考解答|"
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


def is_fold_label(text: str) -> bool:
    """`展开`, `点击查看答案`, `Show answer`: a label that only says "open me"."""
    return _FOLD.fullmatch(text.strip()) is not None


def split_at_details(blocks: list[Block], lines: list[str]) -> list[Block]:
    """An HTML block holding several `<details>` (no blank line between them) is cut where
    each one opens, so each is unwrapped on its own."""
    out: list[Block] = []
    for b in blocks:
        if not (b.kind == "other" and b.tokens and b.tokens[0].type == "html_block"):
            out.append(b)
            continue
        cuts = [k for k in range(b.start + 1, b.end) if _OPEN.match(lines[k].lstrip())]
        for a, z in zip([b.start, *cuts], [*cuts, b.end], strict=True):
            out.append(Block("other", a, z, b.tokens))
    return out


def unwrap_details(
    blocks: list[Block],
    i: int,
    lines: list[str],
    level: int,
    in_question: bool,
    depth: int = 0,
    answered: bool = False,
) -> tuple[list[Block] | None, int]:
    """The blocks that replace the `<details>` opening at blocks[i], and the index after it;
    (None, i + 1) when blocks[i] opens no `<details>`. `answered`: some of the current
    question's answer came before it."""
    first = blocks[i]
    if not _OPEN.match(lines[first.start].lstrip()):
        return None, i + 1
    # The summary may run over several blocks (`<details>`, a blank line, `<summary>`; or
    # a list inside the summary): look for it in the lines, before anything else opens.
    window = "\n".join(lines[first.start : first.start + _SUMMARY_LINES])
    opening = _OPEN.search(window)
    assert opening is not None
    summary = _SUMMARY.search(window, opening.end())
    if summary and (
        _OPEN.search(window, opening.end(), summary.start())
        or _CLOSE.search(window, opening.end(), summary.start())
    ):
        summary = None  # it belongs to a `<details>` further down
    head = _clean(summary.group(1)) if summary else ""
    line, col = _position(window, summary.end() if summary else opening.end(), first.start)
    close = _pairs(lines).get((first.start, opening.start()))
    end_line = close[0] if close else len(lines)
    j = i + 1
    while j < len(blocks) and blocks[j].end <= line:  # blocks inside the summary
        j += 1
    holder = first
    if line >= first.end and j < len(blocks) and blocks[j].start <= line:
        holder = blocks[j]
        j += 1
    inner: list[Block] = []
    lead = _until(lines, line, col, min(end_line, holder.end), close)
    if lead:
        inner.append(Block("paragraph", line, holder.end, [], raw=lead))
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
        tail = _outside(lines, close, end_line, b.end)
        break
    if (
        close is not None
        and j < len(blocks)
        and blocks[j].start == end_line > holder.start
        and blocks[j].tokens
        and blocks[j].tokens[0].type == "html_block"
    ):  # `</details>` on a line of its own after the body: the wrapper's end, not text
        tail = _outside(lines, close, end_line, blocks[j].end)
        j += 1
    if close is None:  # never closed: it folds the rest of this heading's text
        while j < len(blocks) and blocks[j].kind != "heading":
            inner.append(blocks[j])
            j += 1
    elif close[0] < holder.end:  # closed inside the opening block: what follows is outside
        tail = _outside(lines, close, close[0], holder.end)
    follow_up = in_question and answered and _follow_up(head, inner, lines, first.start)
    out = _shape(head, first, inner, lines, level, in_question and not follow_up, depth)
    return [*out, *([tail] if tail else [])], j


def _shape(
    head: str,
    first: Block,
    inner: list[Block],
    lines: list[str],
    level: int,
    in_question: bool,
    depth: int,
) -> list[Block]:
    if not head or _FOLD.fullmatch(head):
        return _nested(inner, lines, level, in_question, depth)
    if _NUMBERED.fullmatch(head):
        para = next((k for k, b in enumerate(inner) if b.kind == "paragraph"), None)
        if para is not None:
            b = inner[para]
            body = b.raw if b.raw is not None else "\n".join(lines[b.start : b.end])
            question, _, rest = body.strip().partition("\n")
            heading = Block("heading", b.start, b.start + 1, [], level + 1, question.strip())
            heading.origin = "details"
            remainder = [Block("paragraph", b.start + 1, b.end, [], raw=rest)] if rest else []
            after = _nested(inner[para + 1 :], lines, level + 1, False, depth)
            return [*inner[:para], heading, *remainder, *after]
    if in_question:
        bold = Block("paragraph", first.start, first.start + 1, [], raw=f"**{head}**")
        return [bold, *_nested(inner, lines, level, True, depth)]
    heading = Block("heading", first.start, first.start + 1, [], level + 1, head, origin="details")
    return [heading, *_nested(inner, lines, level + 1, False, depth)]


def _follow_up(head: str, inner: list[Block], lines: list[str], at: int) -> bool:
    """Inside an answer, after some of it: a fold whose summary asks a question of its own
    (`什么叫无连接？`) or names a topic (`快照读与当前读`) and whose body answers it is a
    follow-up card. A summary that leans on the text above (`什么意思？`), a part word
    (`代码`, `进程创建举例`) or a label (`原理：`) folds part of the answer, and so do
    three or more topic folds under one question: they are the members it lists (`有哪些
    调度算法？` over `先来先服务`, `时间片轮转`, …)."""
    from .classify import _PART

    core = T.split_label(T.undecorate(head)[0])[1].strip()
    if not inner or not core or core.endswith((":", "：")) or _PART.match(core):
        return False
    bare = core.rstrip("?？").strip()
    if T.reads_as_question(core):
        return len(bare) >= 5
    if not 3 <= len(bare) <= 30 or bare.endswith(("。", ".")) or _PART_END.search(bare):
        return False
    return _topic_folds(lines, at) < 3


_PART_END = re.compile(r"(举例|示例|例子|代码|实现|源码|图解|example|code|snippet)$", re.I)
_SCAN = 400  # lines either way: how far the folds of one question are counted


def _topic_folds(lines: list[str], at: int) -> int:
    """How many folds whose summary names a topic (asks nothing) sit between the headings
    around line `at`."""
    lo, hi = at, at
    while lo > 0 and at - lo < _SCAN and not lines[lo - 1].startswith("#"):
        lo -= 1
    while hi < len(lines) and hi - at < _SCAN and not lines[hi].startswith("#"):
        hi += 1
    count = 0
    for m in _SUMMARY.finditer("\n".join(lines[lo:hi])):
        text = _clean(m.group(1))
        count += bool(text) and not T.reads_as_question(text) and not _FOLD.fullmatch(text)
    return count


def _nested(
    blocks: list[Block], lines: list[str], level: int, in_question: bool, depth: int
) -> list[Block]:
    """Unwrap the `<details>` inside a `<details>`, down to MAX_DEPTH (thousands of unclosed
    ones nest inside each other; past the cap they stay HTML, shown as their text)."""
    if depth >= MAX_DEPTH:
        return blocks
    out: list[Block] = []
    k = 0
    while k < len(blocks):
        b = blocks[k]
        if b.kind == "other" and b.tokens and b.tokens[0].type == "html_block":
            taken, k = unwrap_details(blocks, k, lines, level, in_question, depth + 1)
            if taken is not None:
                out += taken
                continue
            out.append(b)
            continue
        out.append(b)
        k += 1
    return out


def _clean(summary: str) -> str:
    return " ".join(T.plain(_TAGS.sub("", summary)).split())


def _position(text: str, offset: int, first_line: int) -> tuple[int, int]:
    before = text[:offset]
    return first_line + before.count("\n"), offset - (before.rfind("\n") + 1)


def _pairs(lines: list[str]) -> dict[tuple[int, int], tuple[int, int, int]]:
    """Every `<details>` opening (line, col) → its `</details>` (line, start, end), found in
    one pass over the lines outside code fences (one scan per document, however many
    `<details>` it opens and never closes)."""
    if _PAIRS_CACHE.get("lines") is lines:  # the cache holds the list: its id is not reused
        return _PAIRS_CACHE["pairs"]  # type: ignore[return-value]
    pairs: dict[tuple[int, int], tuple[int, int, int]] = {}
    stack: list[tuple[int, int]] = []
    fenced = False
    for n, s in enumerate(lines):
        if _FENCE.match(s):
            fenced = not fenced
            continue
        if fenced or "details" not in s.lower():
            continue
        for m in _TAG.finditer(s):
            if not m.group().startswith("</"):
                stack.append((n, m.start()))
            elif stack:
                pairs[stack.pop()] = (n, m.start(), m.end())
    _PAIRS_CACHE.clear()
    _PAIRS_CACHE.update(lines=lines, pairs=pairs)
    return pairs


_PAIRS_CACHE: dict[str, object] = {}


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
    return _dedent(_trim_edges("\n".join(parts)))


def _trim_edges(text: str) -> str:
    """`text` without the breaks, paragraph tags and spaces at either end (the end is read
    tag by tag from the back, so a long run of them costs linear time)."""
    if m := _EDGE_HEAD.match(text):
        text = text[m.end() :]
    while True:
        text = text.rstrip()
        at = text.rfind("<") if text.endswith(">") else -1
        if at < 0 or not _EDGE_TAG.fullmatch(text, at):
            return text
        text = text[:at]


def _outside(lines: list[str], close: tuple[int, int, int], start: int, stop: int) -> Block | None:
    """What follows `</details>` up to line `stop`, as a paragraph of its own (or None)."""
    after = _after(lines, close, stop)
    return Block("paragraph", start, stop, [], raw=after) if after else None


def _after(lines: list[str], close: tuple[int, int, int], stop: int) -> str:
    rest = [lines[close[0]][close[2] :], *lines[close[0] + 1 : stop]]
    return _dedent(_trim_edges("\n".join(rest)))


def _dedent(text: str) -> str:
    body = text.strip("\n").split("\n")
    indent = min((len(x) - len(x.lstrip()) for x in body if x.strip()), default=0)
    return "\n".join(x[indent:] for x in body).strip()
