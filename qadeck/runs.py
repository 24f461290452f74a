"""Runs of blocks under one heading that together make a convention (numbered bold topics,
lists of one question each, a glossary's terms, …): each finder returns the ids of the
blocks that `blocks._promote_questions` reads as questions.

Each run ends at a heading, so what a finder says of a block depends on its heading's
blocks only."""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it.token import Token

from . import text as T
from .blockforms import (
    ASKED_ITEM,
    BOLD_LINE,
    BOLD_TOPIC,
    DEFINED,
    bold_line_of,
    bold_opening,
    first_inlines,
    has_content,
    is_list,
    is_quote,
    labels_a_member,
    task_text,
    wrapped_bold,
)
from .lineforms import bold_question
from .listitems import first_line, item_asks, item_inline, item_spans, unbold
from .nodes import Block


def topic_runs(blocks: list[Block]) -> set[int]:
    """Numbered bold topic lines under one heading (`**1、数据结构分类**`, `**2、基本数据类型**`),
    two or more numbered in order, most of them explained by what follows: each is a topic."""

    def keep(run: list[tuple]) -> bool:  # (id, number, explained)
        numbers = [r[1] for r in run]
        ordered = numbers == list(range(numbers[0], numbers[0] + len(numbers)))
        return len(run) >= 2 and ordered and 2 * sum(r[2] for r in run) > len(run)

    runs = _Runs(keep)
    for k, b in enumerate(blocks):
        if b.kind == "heading":
            runs.close()
            continue
        m = BOLD_TOPIC.match(b.text.split("\n", 1)[0]) if b.kind == "paragraph" else None
        if m is None:
            continue
        after = blocks[k + 1] if k + 1 < len(blocks) else None
        explained = "\n" in b.text.strip() or bool(
            after is not None
            and after.kind not in ("heading", "hr")
            and not (after.kind == "paragraph" and BOLD_TOPIC.match(after.text.split("\n", 1)[0]))
            and has_content([after])
        )
        runs.add((id(b), int(m.group(2)), explained))
    return runs.done()


_BOLD_TOPIC_MAX = 60  # characters: a topic is named, not said in a sentence


def bold_topic_lines(blocks: list[Block]) -> set[int]:
    """Bold lines that name a topic among bold questions, under a heading that asks nothing
    (`**What is a labeled training set?**` + points, …, `**Principal Component Analysis**` +
    points): three or more bold lines, most of them asking; a topic explained by what follows
    it is asked about too. A label (`**区别**：`) or a line with nothing of its own after it
    (`**Dimensionality Reduction Techniques**` over the next bold line) is not."""
    found: set[int] = set()
    run: list[tuple[int, bool, bool]] = []  # (id, asks, explained)
    asked_above = False
    bolds = [bold_line_of(b) for b in blocks] + [None]
    for k, b in enumerate([*blocks, None]):
        if b is None or b.kind == "heading":
            if len(run) >= 3 and 2 * sum(r[1] for r in run) >= len(run) and not asked_above:
                found.update(r[0] for r in run if not r[1] and r[2])
            run = []
            asked_above = b is not None and T.reads_as_question(unbold(b.text.strip()))
            continue
        bold = bolds[k]
        if bold is None:
            continue
        after = blocks[k + 1] if k + 1 < len(blocks) else None
        rest = b.text.strip().split("\n")[wrapped_bold(b.text) :]
        explained = bool(rest and not BOLD_LINE.match(rest[0])) or bool(
            not rest
            and after is not None
            and after.kind not in ("heading", "hr")
            and bolds[k + 1] is None
            and has_content([after])
        )
        named = len(T.plain(bold.group(2))) <= _BOLD_TOPIC_MAX
        run.append((id(b), bold_question(bold.group(2)), explained and named))
    return found


def quoted_runs(blocks: list[Block]) -> set[int]:
    """An interview's list of questions under one heading, some items answered by a quote
    right after them (`4. bagging 和 boosting 的区别` + `> 二者都是集成学习…`): every list of
    that heading is a list of questions, when most of its items ask or only some of them
    are answered (a list of tips, each explained by its quote, is no interview)."""
    found: set[int] = set()
    lists: list[Block] = []
    quoted = prose = 0
    for k, b in enumerate([*blocks, None]):
        if b is None or b.kind == "heading":
            items = [t.content for x in lists for t in first_inlines(x)] if quoted else []
            asking = sum(item_asks(t) for t in items)
            short = all("\n" not in t and len(T.plain(t)) <= ASKED_ITEM for t in items)
            # `- L1范数: 为x向量各个元素绝对值之和`: a term and its definition, no question
            defined = sum(DEFINED.search(T.plain(t)) is not None for t in items)
            if (
                quoted
                and short
                and 2 * defined < len(items)
                and prose <= 1  # an interview's record: its lists, their quotes, one intro
                and (2 * asking >= len(items) or 2 * quoted < len(items))
                and (asking or quoted >= 2)  # one quote after points that ask nothing sums up
            ):
                found.update(id(x) for x in lists)
            lists, quoted, prose = [], 0, 0
        elif b.kind == "paragraph":
            prose += 1
        elif is_list(b):
            lists.append(b)
            quoted += is_quote(blocks[k + 1] if k + 1 < len(blocks) else None)
    return found


def resumed_lists(blocks: list[Block]) -> set[int]:
    """`2. …？` `3. …？` `4. …？`, then text, then `5. …？`: a numbered list of questions that
    resumes after the text (numbered on from its last item) was interrupted by the answer to
    that item, so its items are questions and the text answers the last one."""
    found: set[int] = set()
    asked = [asked_numbers(b) for b in blocks]
    for k, numbers in enumerate(asked):
        if not numbers:
            continue
        for at in range(k + 1, len(blocks)):  # to the next list or heading: each block once
            if blocks[at].kind == "heading" or is_list(blocks[at]):
                if at > k + 1 and asked[at][:1] == [numbers[-1] + 1]:
                    found.add(id(blocks[k]))
                break
    return found


def asked_numbers(b: Block) -> list[int]:
    """The numbers of an ordered list whose items are one short line each and ask; else []."""
    if b.kind != "other" or not b.tokens or b.tokens[0].type != "ordered_list_open":
        return []
    spans = item_spans(b.tokens)
    firsts = [t.content for t in first_inlines(b)]
    if len(firsts) != len(spans) or any(j - i > 4 for i, j in spans):
        return []  # an item with more than its line (a nested answer)
    if not all("\n" not in t and len(T.plain(t)) <= ASKED_ITEM and item_asks(t) for t in firsts):
        return []
    return [int(b.tokens[i].info) for i, _ in spans if b.tokens[i].info.isdigit()]


def recap_lines(blocks: list[Block]) -> set[int]:
    """The lines of sections (between headings) that are an interview's record of what was
    asked (`T.question_lines`): their questions have no answers."""
    found: set[int] = set()
    section: list[Block] = []
    for b in [*blocks, None]:
        if b is not None and b.kind != "heading":
            section.append(b)
            continue
        if record_of_questions(section):
            found.update(id(x) for x in section)
        section = []
    return found


def record_of_questions(blocks: list[Block]) -> bool:
    """Only lines of their own, an interview's record of what was asked (`T.question_lines`)."""
    paras = [x for x in blocks if x.kind != "container"]
    if paras and all(_plain_fence(x) for x in paras):
        return _fenced_questions(paras)
    if not paras or any(x.kind != "paragraph" or "\n" in x.text.strip() for x in paras):
        return False
    return T.question_lines([x.text for x in paras])


def _plain_fence(b: Block) -> bool:
    """A fence with no language: text set apart, not code."""
    return (
        len(b.tokens) == 1
        and b.tokens[0].type == "fence"
        and b.tokens[0].info.strip().lower() in ("", "text", "txt", "plain")
    )


def _fenced_questions(fences: list[Block]) -> bool:
    """`### SVM：` over a fence of what was asked, a question a line (`SVM的推导…`,
    `加大训练数据量一定能提高SVM准确率吗？`): three lines or more, most of them asking."""
    texts = [ln for b in fences for ln in b.tokens[0].content.split("\n") if ln.strip()]
    asking = sum(T.reads_as_question(ln) for ln in texts)
    return len(texts) >= 3 and 3 * asking >= 2 * len(texts)


def numbered_paragraphs(blocks: list[Block]) -> set[int]:
    """`（1.）详细介绍一下逻辑回归。` with its answer on the lines below, `（2.）…`, `（3.）…`:
    paragraphs numbered in order under one heading, three or more, most first lines asking,
    some answered by the lines after their first or the text after them: each is a
    question (an unanswered one is left out as any unanswered question is)."""

    def keep(run: list[tuple]) -> bool:  # (id, number, asks, answered)
        asking, answered = sum(r[2] for r in run), sum(r[3] for r in run)
        return len(run) >= 3 and 2 * asking >= len(run) and answered > 0  # all are kept

    runs = _Runs(keep)
    for k, b in enumerate(blocks):
        if b.kind == "heading":
            runs.close()
        if b.kind != "paragraph" or b.raw is not None:
            continue
        label, rest = T.split_label(b.text.split("\n", 1)[0])
        if not label.isdigit():
            continue
        after = blocks[k + 1] if k + 1 < len(blocks) else None
        answered = "\n" in b.text.strip() or not (
            after is None
            or after.kind == "heading"
            or (after.kind == "paragraph" and T.split_label(after.text)[0].isdigit())
        )
        if runs.run and int(label) != runs.run[-1][1] + 1:
            runs.close()
        runs.add((id(b), int(label), T.reads_as_question(rest), answered))
    return runs.done()


def one_item(b: Block, kind: str) -> tuple[int, int] | None:
    """The token span of the one item of a list of `kind` (`ordered_list_open`, …), or None."""
    if not is_list(b) or b.tokens[0].type != kind:
        return None
    spans = item_spans(b.tokens)
    return spans[0] if len(spans) == 1 else None


def lone_item(b: Block) -> tuple[int, str] | None:
    """(number, first line) of an ordered list of one item."""
    span = one_item(b, "ordered_list_open")
    if span is None or not b.tokens[span[0]].info.isdigit():
        return None
    return int(b.tokens[span[0]].info), first_line(item_inline(b.tokens, *span))


def item_runs(blocks: list[Block]) -> set[int]:
    """`1. transformer模型结构图` + a figure, `2. …为何使用多头注意力` + code, …: ordered
    lists of one item each, numbered on across the text between them (a number may hide
    in a paragraph's last line), three or more under one heading, each followed by its
    answer, half of them asking: each item is a question, asking or naming its topic."""
    runs = _Runs(lambda run: len(run) >= 3 and 2 * sum(r[2] for r in run) >= len(run))
    for k, b in enumerate(blocks):  # (id, number, asks)
        if b.kind == "heading":
            runs.close()
            continue
        item = lone_item(b)
        if item is None:
            continue
        after = blocks[k + 1] if k + 1 < len(blocks) else None
        if after is None or after.kind == "heading" or lone_item(after) is not None:
            runs.close()
            continue
        if runs.run and not 0 < item[0] - runs.run[-1][1] <= 2:
            runs.close()
        runs.add((id(b), item[0], item_asks(item[1])))
    return runs.done()


def bullet_runs(blocks: list[Block]) -> set[int]:
    """`- 索引下推` + its explanation, `- count()问题` + …, `- 为什么不要使用长事务？` + …: bullet
    lists of one short line each, three or more in a row under one heading (no list of
    several items between them), each followed by text of its own (an ordered list of its
    points too): each item is a question, asking or naming its topic."""
    runs = _Runs(lambda run: len(run) >= 3)
    for k, b in enumerate(blocks):
        if b.kind in ("heading", "hr"):
            runs.close()
            continue
        if not is_list(b):
            continue
        if _ordered(b) and runs.run and runs.run[-1][0] == id(blocks[k - 1]):
            continue  # the points of the bullet just before it
        after = blocks[k + 1] if k + 1 < len(blocks) else None
        if (
            not _lone_bullet(b)
            or after is None
            or after.kind in ("heading", "hr")
            or (is_list(after) and not _ordered(after))
            or asks_in_bold(after)  # `- K-means` between bold questions: an answer
        ):
            runs.close()
            continue
        runs.add((id(b),))
    return runs.done()


def _ordered(b: Block) -> bool:
    """An ordered list (after a bullet, its own points: `- 发生的时机` + `1. …` `2. …`)."""
    return b.tokens[0].type == "ordered_list_open"


def asks_in_bold(b: Block) -> bool:
    """A paragraph opened by a bold question (`**What type of algorithm …?**`)."""
    bold = bold_opening(b.text)[0] if b.kind == "paragraph" else None
    return bold is not None and T.reads_as_question(bold.group(2))


_BULLET_TOPIC = 40  # characters: a topic is named in a few words


def _lone_bullet(b: Block) -> bool:
    """A bullet list of one item, one short line that names a topic or asks."""
    span = one_item(b, "bullet_list_open")
    if span is None or span[1] - span[0] > 4:
        return False  # several items, or one with more than its line
    first = first_line(item_inline(b.tokens, *span))
    text = T.plain(first)
    if "\n" in first or not text or len(text) > _BULLET_TOPIC:
        return False
    return item_asks(first) or not _TERM_END.search(text)


_TERM_CHARS = 60  # `RLHF（Reinforcement Learning from Human Feedback）`


_TERM_END = re.compile(r"[。.!！?？:：；;，,、]$")


def item_term(tokens: list[Token], i: int, j: int) -> str | None:
    """`* LLM` + `大语言模型（LLM）是…` on the lines below it: the term an item names and
    explains (a short first line, no sentence, not a question, more lines after it)."""
    inline = item_inline(tokens, i, j)
    if inline is None:
        return None
    first, _, rest = inline.content.partition("\n")
    term = T.plain(first).strip()
    more = rest.strip() or any(t.type == "inline" and t is not inline for t in tokens[i:j])
    if not more or not term or len(term) > _TERM_CHARS or _TERM_END.search(term):
        return None
    return None if T.reads_as_question(term) else first.strip()


def glossary_lists(blocks: list[Block]) -> set[int]:
    """The lists of a glossary (`名词解释`): outside any heading, or under a heading that
    says so, three or more items in all, two in three of them a term and its explanation
    (`* SFT (Supervised Fine-Tuning)` + what it is): each term is a card. Under any other
    heading such a list explains that heading's topic."""
    found: set[int] = set()
    lists: list[Block] = []
    glossary = True  # before the first heading
    for b in [*blocks, None]:
        if b is not None and b.kind != "heading":
            if is_list(b):
                lists.append(b)
            continue
        spans = [(x, s) for x in lists for s in item_spans(x.tokens)]
        terms = sum(item_term(x.tokens, *s) is not None for x, s in spans)
        if glossary and terms >= 3 and 3 * terms >= 2 * len(spans):
            found.update(id(x) for x in lists)
        lists = []
        glossary = b is not None and bool(T.GLOSSARY_TITLE.search(T.plain(b.text).strip()))
    return found


class _Runs:
    """Runs of numbered blocks under one heading: each entry starts with the block's id,
    and a run is kept, when it closes, if `keep` says so."""

    def __init__(self, keep: Callable[[list[tuple]], bool]) -> None:
        self.keep, self.run, self.found = keep, [], set()

    def add(self, entry: tuple) -> None:
        self.run.append(entry)

    def close(self) -> None:
        if self.run and self.keep(self.run):
            self.found.update(r[0] for r in self.run)
        self.run = []

    def done(self) -> set[int]:
        self.close()
        return self.found


def task_runs(blocks: list[Block]) -> set[int]:
    """Tasks: numbered bold paragraphs that come two or more under one heading, and runs of
    three or more numbered one-line paragraphs (`1、查询…`, `2、…`), numbered in order,
    at least two of them followed by code (their answers)."""
    found: set[int] = set()
    run: list[int] = []
    lines: list[tuple[int, int, bool]] = []  # (id, number, followed by code)
    for k, b in enumerate([*blocks, None]):
        if b is None or b.kind == "heading":
            if len(run) >= 2:
                found.update(run)
            found.update(_numbered_run(lines))
            run, lines = [], []
        elif b.kind == "paragraph" and task_text(first := b.text.split("\n", 1)[0]):
            if not labels_a_member(first):
                run.append(id(b))
        elif b.kind == "paragraph" and b.raw is None and "\n" not in b.text:
            label = T.split_label(b.text)[0]
            if label.isdigit():
                after = blocks[k + 1] if k + 1 < len(blocks) else None
                code = bool(after and after.tokens and after.tokens[0].type == "fence")
                lines.append((id(b), int(label), code))
    return found


def _numbered_run(lines: list[tuple[int, int, bool]]) -> set[int]:
    out: set[int] = set()
    start = 0
    for k in range(1, len(lines) + 1):
        if k == len(lines) or lines[k][1] != lines[k - 1][1] + 1:
            seq = lines[start:k]
            if len(seq) >= 3 and sum(code for _, _, code in seq) >= 2:
                out.update(i for i, _, _ in seq)
            start = k
    return out
