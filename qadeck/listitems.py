"""A list of questions → pseudo-headings: items that ask with their answers nested, items
that pair a question and its answer on one line (`Q → A`, `**Q?** A`), outlines of topics
over questions (Notion, Logseq), and chapters numbered `一、`. Used by `blocks`, which
decides where a list stands."""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it.token import Token

from . import text as T
from .lineforms import COLON, ENDS_ASKING, QA_PREFIX, bold_question, strip_closing_bold
from .nodes import Block

LISTS = ("bullet_list_open", "ordered_list_open")


def promote_list(
    b: Block,
    lines: list[str],
    level: int,
    members: bool = False,
    answered_only: bool = False,
    asked_set: bool = False,
) -> list[Block] | None:
    """A list of questions → pseudo-headings; `members`: its bold items name a set's members
    (the heading or the text before it says so), so bold alone asks nothing; `answered_only`:
    only when every item asks and carries its answer (follow-ups inside an answer);
    `asked_set`: the heading above names what was asked (`# 后台面经`), so a numbered list of
    short items, most explained below them, is its questions, topic items too."""
    if b.tokens[0].type not in LISTS:
        return None
    base = b.tokens[0].level
    spans = item_spans(b.tokens)
    items = [b.tokens[i] for i, _ in spans]
    if _checklist_of_tasks(b.tokens, spans):
        return None
    firsts, answered, asking = [], 0, 0
    for i, j in spans:
        inline = item_inline(b.tokens, i, j)
        text = first_line(inline)
        firsts.append(text)
        asking += item_asks(text, members)
        inner = [t for t in b.tokens[i + 1 : j] if t.level == base + 2 and t.nesting >= 0]
        answered += len(inner) > 1 or (inline is not None and "\n" in inline.content)
    # `**是什么**: …` / `**常见精度**: …` / `**为什么有效**:`: a topic's labelled aspects,
    # some asking nothing or only of the topic above: labels inside an answer (pattern 3).
    labels = [_BOLD_LABEL_ITEM.match(t) for t in firsts]
    # `1. **Q**: 什么是僵尸进程？` + `**A**: …`: the bold label marks the question
    labels = [None if QA_PREFIX.match(t) else m for m, t in zip(labels, firsts, strict=True)]
    if len(items) >= 2 and all(labels):
        asks = [m.group(2).rstrip(":： ") for m in labels if m]
        if not all(T.reads_as_question(t) and not T.elliptical(t) for t in asks):
            return None
    # Most items ask (a bold item names a question too), and some carry their answer nested;
    # a lone item that asks has its answer below the list (`1. **What is X?**` + text).
    arrows = [
        ARROW_QA.match(T.plain(t)) or _PAREN_QA.match(T.plain(t)) or _LABELED_QA.match(T.plain(t))
        for t in firsts
    ]
    if len(items) >= (1 if answered_only else 2) and all(arrows):
        return _inline_items(b, lines, level, items, [_Arrow(m) for m in arrows])
    if answered_only and not (answered == asking == len(items)):
        return None
    # `⭐ **How does a tree split?** It tries…`: the star marks the question, not the item
    bare = [T.undecorate(t) for t in firsts]
    inline_qa = [INLINE_QA.match(t) for t, _ in bare]
    if len(items) >= 2 and all(m and bold_question(m.group(2)) for m in inline_qa):
        marked = [_Starred(m, star) for m, (_, star) in zip(inline_qa, bare, strict=True) if m]
        return _inline_items(b, lines, level, items, marked)
    # `1. **Hot keys.** Heavy clients: …`, three or more: a term each, explained after it.
    if (
        len(items) >= 3
        and not members
        and all(
            m and _bold_term(m.group(2), m.group(3)) and not _colon_after(t, m)
            for m, t in zip(inline_qa, firsts, strict=True)
        )
    ):
        return _inline_items(b, lines, level, items, inline_qa)
    if not members and _chapter_numbered(b, items):
        return [x for item in items for x in _topic_item(item, lines, level)]
    if not members and asked_set and _topics_asked(b, items, firsts, answered):
        return [x for item in items for x in _topic_item(item, lines, level)]
    # A self-check list (every item answered below it, some asking) counts as questions too,
    # unless its first item labels what follows it (`- 四种隔离级别：`): an answer's points
    # (a label after a question, `* 优点：`, is a part of that question's answer).
    labelled = T.plain(firsts[0]).rstrip().endswith((":", "：")) and not item_asks(firsts[0])
    checklist = answered == len(items) >= 2 and asking * 3 >= len(items) and not labelled
    outline = None
    if 0 < len(items) != asking and not members:
        outline = _outline(b, lines, level, spans, firsts)
    if outline is not None:
        return outline
    if not items or (asking * 2 < len(items) and not checklist):
        return None
    if answered == 0 and not (len(items) == 1 and asking):
        return None
    out: list[Block] = []
    start = _first_number(items)
    for k, (item, first) in enumerate(zip(items, firsts, strict=True)):
        if out and _PART_LABEL.fullmatch(T.plain(first).strip()) and item.map:
            s, e = item.map  # `* 优点：` after `* 协同过滤的优缺点`: part of its answer
            out.append(Block("paragraph", s, e, [], raw=dedented(lines[s:e])))
            continue
        out += question_item(item, first, lines, level, str(start + k) if start else None)
    return out


# `优点：`, `缺点：`, `Pros:`: an item that labels a part of the answer above it.
_PART_LABEL = re.compile(
    r"(优点|缺点|优势|劣势|不足|原因|方法|步骤|例子|示例|举例|注意|总结|pros|cons|example)\s*[:：]",
    re.I,
)


def _checklist_of_tasks(tokens: list[Token], spans: list[tuple[int, int]]) -> bool:
    """`- [ ] **深度学习基础**` over what to revise: most items carry a task box and none
    asks outright; a to-do list, not questions."""
    firsts = [(inline.content if (inline := item_inline(tokens, i, j)) else "") for i, j in spans]
    boxed = sum(_TASK_MARK.match(t) is not None for t in firsts)
    asking = any(ENDS_ASKING.search(t.split("\n", 1)[0]) for t in firsts)
    return 2 * boxed > len(firsts) and not asking


def _chapter_numbered(b: Block, items: list[Token]) -> bool:
    """`01. 概述`, `02. 动机`: numbers padded like chapter numbers, not an answer's steps;
    each item is a topic, its own lines (or the text after its colon) explain it."""
    return (
        b.tokens[0].type == "ordered_list_open"
        and bool(items)
        and all(len(i.info) == 2 for i in items)
        and any(i.info.startswith("0") for i in items)
    )


_ASKED_TOPIC = 40  # characters: a topic asked about is named in a few words


def _topics_asked(b: Block, items: list[Token], firsts: list[str], answered: int) -> bool:
    """Under a heading that names what was asked (`# 后台面经`): `1. new和malloc的区别`,
    `2. STL`, `3. AVL树：平衡二叉查找树`, … three or more numbered items, most explained
    below them (or after their colon) and most named in a few words, not a sentence."""
    named = [COLON.split(T.plain(t), maxsplit=1)[0].strip() for t in firsts]
    short = sum(len(n) <= _ASKED_TOPIC and not n.endswith("。") for n in named)
    return (
        b.tokens[0].type == "ordered_list_open"
        and len(items) >= 3
        and answered * 2 >= len(items)
        and short * 3 >= len(items) * 2
    )


def _topic_item(item: Token, lines: list[str], level: int) -> list[Block]:
    """A chapter-numbered item (or a topic asked about): its first line names the topic (up to
    a colon), the rest of the item explains it."""
    s, e = item.map
    body = lines[s:e]
    first = body[0].lstrip()[len(item.info) + 1 :].strip()
    head, rest = (COLON.split(first, maxsplit=1) + [""])[:2]
    out = [
        Block("heading", s, s + 1, [], level + 1, f"{item.info}. {head.strip()}", origin="outline")
    ]
    raw = dedented(([rest.strip()] if rest.strip() else []) + body[1:])
    if raw:
        out.append(Block("paragraph", s, e, [], raw=raw))
    return out


# `dropout 的做法？[Ans](https://…) (to read)`: a link to the answer after the question.
_POINTER_AFTER = re.compile(
    r"\s*\[(?:ans|answer|答案|解答|参考答案|参考|详解|详见|link|链接|here|source)\]\([^()\s]*\)"
    r"(?:\s*[(（][^()（）]*[)）])*\s*$",
    re.I,
)


# `(paper to read!!)`, `(to be concluded)`, `(待补充)`, `(?)`: the author's note to self,
# found in two steps (the last brackets, then a word in them) to stay linear in time.
_LAST_BRACKETS = re.compile(r"[(（]([^()（）]*+)[)）][!！\s]*+$")


_NOTE_WORDS = re.compile(r"(?<![a-z])(?:to read|to do|todo|to be [a-z]++|tbd|wip)(?![a-z])", re.I)


def _without_self_note(text: str) -> str:
    """`text` without a note to self in brackets at its end."""
    m = _LAST_BRACKETS.search(text)
    if not m:
        return text
    inner = m.group(1)
    if inner in ("?", "？") or inner.startswith("待") or _NOTE_WORDS.search(inner):
        return text[: m.start()].rstrip()
    return text


def _first_number(items: list[Token]) -> int:
    """The number an ordered list counts from (its first item's; 0 for a bullet list):
    `1.` `1.` `1.` is shown 1, 2, 3, and the number a reader sees labels the card."""
    return int(items[0].info) if items and items[0].info.isdigit() else 0


def question_item(
    item: Token, first: str, lines: list[str], level: int, number: str | None = None
) -> list[Block]:
    """A list item that asks: a heading one level down, its nested text the answer;
    `number` the one the reader sees (the item's own, if not given)."""
    s, e = item.map
    first, body = _unwrapped(first, lines[s + 1 : e])
    head_end = e - len(body)  # the line after the question, however many lines it took
    first = _without_self_note(first)
    if m := QA_PREFIX.match(first):  # `1. **Q**: …？`: the item's number labels it
        first = strip_closing_bold(m.group(2))
    label = f"{number or item.info}. " if item.info else ""
    core, important = T.undecorate(unbold(first))  # `闭包是什么：🔴`: no colon, no dot
    pointer = _POINTER_AFTER.search(core)
    if pointer and pointer.start():
        core = core[: pointer.start()]
    said = _answered_after_colon(core) if not any(ln.strip() for ln in body) else None
    if said is not None:  # `* udp如何实现可靠传输：应用层加 seq/ack…`: asked, then answered
        core, body = said[0], [said[1]]
    elif arrow := ARROW_QA.match(core):  # `- "Why not zero?" → symmetry: …` + more lines
        indent = next((ln[: len(ln) - len(ln.lstrip())] for ln in body if ln.strip()), "")
        core, body = arrow.group(1), [indent + arrow.group(2), *body]
    elif arrow := _ARROW_LAST.match(core):  # `- "…derive the intuition?" →` + the answer below
        core = arrow.group(1)
    question = core.rstrip(":： ") + (" ⭐" if important else "")
    out = [Block("heading", s, head_end, [], level + 1, label + question, origin="list")]
    if pointer and pointer.start():  # the link to the answer is part of the answer
        indent = next((ln[: len(ln) - len(ln.lstrip())] for ln in body if ln.strip()), "")
        body = [indent + pointer.group().strip(), "", *body]
    raw = dedented(body)
    if raw:
        out.append(Block("paragraph", head_end, e, [], raw=raw))
    return out


# A line an editor wrapped (`fill-paragraph`, `gq`): long, and it stops mid-sentence.
_WRAP_WIDTH = 60  # columns, a CJK character two
_MID_SENTENCE = re.compile(r"[^。？?！!：:；;.)）\]】」”\"'`*_$|]$")
_NOT_CONTINUED = re.compile(r"\s*+(?:[-*+>#|]|\d{1,9}[.)]|```|~~~|\$\$)")


def _unwrapped(first: str, body: list[str]) -> tuple[str, list[str]]:
    """A question hard-wrapped over two or three lines (`1. 为什么交叉熵损失…，而使` /
    `   用均方误差损失则会…？`), its answer nested after a blank line: the question whole,
    and the body after it. Without an answer after it, the lines stay as they are unless
    the last one ends the question (a question and its one-line answer are written on two
    lines too)."""
    n = next((k for k, ln in enumerate(body) if not ln.strip()), len(body))
    if not 1 <= n <= 2:
        return first, body
    head = [first.rstrip(), *(ln.strip() for ln in body[:n])]
    if not any(ln.strip() for ln in body[n:]) and not head[-1].endswith(("?", "？")):
        return first, body
    if any(_NOT_CONTINUED.match(ln) for ln in head[1:]):
        return first, body
    if not all(T.columns(ln) >= _WRAP_WIDTH and _MID_SENTENCE.search(ln) for ln in head[:-1]):
        return first, body
    return T.join_lines(head), body[n:]


def _answered_after_colon(text: str) -> tuple[str, str] | None:
    """(question, answer) of an item that asks up to its first colon and answers after it,
    on its one line; None when the part before the colon asks nothing, asks with a mark
    (`…？我：…` is a dialogue), holds a link, or is a short label (`为什么：…`, `区别：…` lean
    on the text around them)."""
    if "](" in text or "://" in text:
        return None
    m = COLON.search(text)
    if m is None:
        return None
    head, rest = T.plain(text[: m.start()]).strip(), text[m.end() :].strip()
    if not rest or len(head) < 6 or "?" in head or "？" in head:
        return None
    if not T.reads_as_question(head) or T.elliptical(head):
        return None
    return head, rest


def dedented(body: list[str]) -> str:
    """An item's answer lines without their shared indentation and trailing blank lines."""
    while body and not body[-1].strip():
        body = body[:-1]
    if not body:
        return ""
    indent = min(len(ln) - len(ln.lstrip()) for ln in body if ln.strip())
    return "\n".join(ln[indent:] for ln in body)


# `**为什么要左 padding？** 生成从最右续写……`: a bold question and its answer on one line.
# `如果 defer 和 return 都有逻辑，谁先执行？→ return 的赋值先执行……`: question, arrow, answer.
_ASKED_BEFORE_ARROW = r"^\s*[\"“]?([^\n]{4,200}?[?？])[\"”]?\s*(?:→|->|=>|⇒)\s*"
ARROW_QA = re.compile(_ASKED_BEFORE_ARROW + r"(\S.*)$")
_ARROW_LAST = re.compile(_ASKED_BEFORE_ARROW + r"$")  # the answer on the lines below


# `为什么…？（答：…）`, `Why …? (A: …)`: a question with its answer in brackets after it.
_PAREN_QA = re.compile(
    r"^\s*[\"“]?([^\n]{4,200}?[?？])[\"”]?\s*[（(]\s*(?:答案?|解答|回答|A|Ans|Answer)\s*[:：]\s*"
    r"(\S.*?)\s*[)）]?\s*$",
    re.I,
)


# `问题1：什么是过拟合？训练集好、测试集差。`, `Q: What is X? A: …`: a question marked by
# its label or its answer's, and the answer after it on the same line.
_QA_MARK = r"(?:问题|问|Q|Question)\s*+\d{0,3}\s*+[:：.、]\s*+"


_ANSWER_MARK = r"(?:答案?|解答|A|Ans|Answer)\s*+[:：]\s*+"


_LABELED_QA = re.compile(
    rf"^\s*{_QA_MARK}([^\n]{{2,200}}?[?？])\s*(?:{_ANSWER_MARK})?(\S.*)$|"
    rf"^\s*(?:{_QA_MARK})?([^\n]{{2,200}}?[?？])\s*{_ANSWER_MARK}(\S.*)$",
    re.I,
)


INLINE_QA = re.compile(r"^\s*(\*\*|__)(?!\s)([^*_\n]{2,200}?)\1\s*[:：]?\s*(\S.*)$")


class _Starred:
    """A bold question that carried the important star before it: group(2) keeps the star."""

    def __init__(self, m: re.Match[str], star: bool) -> None:
        self.m, self.star = m, star

    def group(self, n: int) -> str:
        return self.m.group(n) + (" ⭐" if n == 2 and self.star else "")


class _Arrow:
    """An arrow question as `_inline_items` reads a bold one: group(2) asks, group(3) answers."""

    def __init__(self, m: re.Match[str]) -> None:
        self.m = m

    def group(self, n: int) -> str:
        found = [g for g in self.m.groups() if g is not None]
        return found[n - 2]


def _bold_term(term: str, rest: str) -> bool:
    """A named point with a sentence of explanation: not a label (`**优点**：`), not short."""
    t = T.plain(term).strip()
    return 3 <= len(t) <= 60 and not t.endswith((":", "：")) and len(T.plain(rest)) >= 20


def _colon_after(text: str, m: re.Match[str]) -> bool:
    """`**时间复杂度**：O(n)` is a label and its value, not a named point."""
    return text[m.end(2) + len(m.group(1)) :].lstrip().startswith((":", "："))


def _inline_items(b: Block, lines: list[str], level: int, items, found) -> list[Block]:
    out: list[Block] = []
    start = _first_number(items)
    for k, (item, m) in enumerate(zip(items, found, strict=True)):
        s, e = item.map
        label = f"{start + k if start else item.info}. " if item.info else ""
        out.append(Block("heading", s, s + 1, [], level + 1, label + m.group(2), origin="list"))
        head = m.group(3).lstrip(":： \t")  # `**为什么要归一化**：` + nested lines
        body = lines[s + 1 : e]
        while body and not body[-1].strip():
            body.pop()
        indent = min((len(x) - len(x.lstrip()) for x in body if x.strip()), default=0)
        raw = "\n".join([*([head] if head else []), *(x[indent:] for x in body)])
        out.append(Block("paragraph", s, e, [], raw=raw))
    return out


_TASK_MARK = re.compile(r"^\s*\[[ xX]\]\s*")


def item_inline(tokens: list[Token], i: int, j: int) -> Token | None:
    """The first inline token of the list item spanning tokens[i:j]."""
    return next((t for t in tokens[i:j] if t.type == "inline"), None)


def first_line(inline: Token | None) -> str:
    """An item's first line without its task box (`[ ]`, `[x]`)."""
    return _TASK_MARK.sub("", inline.content.split("\n", 1)[0]) if inline else ""


# `**为什么有效**:`, `**方法：**`: a bold label, its colon inside or right after the bold.
_BOLD_LABEL_ITEM = re.compile(r"\s*+(\*\*|__)([^*_\n]{1,40}?)(?:[:：]\s*+\1|\1[ \t]*+[:：])")


# `闭包是什么：🔴`: a self-check item, its state marked after a colon.
_STATUS = re.compile(r"[:：]\s*[✅🟡🔴🟢🟠⚪⚫❌✔✗☑⬜\ufe0f]+\s*$")


@lru_cache(maxsize=1 << 16)
def item_asks(text: str, members: bool = False) -> bool:
    if _STATUS.search(text):
        return True
    if _answered_after_colon(text):
        return True  # `udp如何实现可靠传输：应用层加 seq/ack。`: asked, then answered
    if text.rstrip().endswith("。"):
        return False  # `是否内联，程序员不可控。`: a sentence, whatever its first word
    core = unbold(text)
    if (
        not members
        and core != text
        and len(T.plain(core)) <= 80
        and not core.rstrip().endswith((":", "："))
    ):
        return True  # the whole item in bold: a question's mark
    return T.reads_as_question(T.split_label(core)[1])


def _outline(
    b: Block, lines: list[str], level: int, spans: list[tuple[int, int]], firsts: list[str]
) -> list[Block] | None:
    """An outline of topics written as a nested list (Notion and Logseq pages): every item a
    topic's name over a list of its own, down to items that are questions with their answers
    nested (`- Layer Norm 篇` / `  - Layer Norm 怎么算？` / `    answer`). Each topic becomes a
    heading one level down; None when the list is anything else."""
    out: list[Block] = []
    base = b.tokens[0].level
    topics = 0
    for (i, j), first in zip(spans, firsts, strict=True):
        inner = [t for t in b.tokens[i + 1 : j] if t.level == base + 2 and t.nesting == 1]
        if len(inner) >= 2 and inner[0].type == "paragraph_open" and item_asks(first):
            out += question_item(b.tokens[i], first, lines, level)  # a question among topics
            continue
        if len(inner) != 2 or inner[0].type != "paragraph_open":
            return None
        if inner[1].type not in LISTS:
            return None
        k = b.tokens.index(inner[1], i)
        depth, end = 0, k
        for end in range(k, j):
            depth += b.tokens[end].nesting
            if depth == 0:
                break
        sub = Block("other", inner[1].map[0], inner[1].map[1], b.tokens[k : end + 1])
        promoted = promote_list(sub, lines, level + 1)
        if promoted is None:
            return None
        s = b.tokens[i].map[0]
        title = T.plain(b.tokens[i + 2].content.split("\n", 1)[0]).strip()
        out.append(Block("heading", s, s + 1, [], level + 1, title, origin="outline"))
        out.extend(promoted)
        topics += 1
    return out if topics else None


def item_spans(tokens: list[Token]) -> list[tuple[int, int]]:
    """(open, close) token indexes of the top-level items of a list block."""
    spans, start = [], None
    base = tokens[0].level if tokens else 0
    for k, t in enumerate(tokens):
        if t.level == base + 1 and t.type == "list_item_open" and t.map:
            start = k
        elif t.level == base + 1 and t.type == "list_item_close" and start is not None:
            spans.append((start, k))
            start = None
    return spans


def unbold(text: str) -> str:
    m = re.fullmatch(r"\s*(\*\*|__)(.+?)\1\s*", text)
    return m.group(2) if m else text
