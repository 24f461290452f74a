"""Markdown-it tokens → blocks with line ranges → a heading tree.

Questions written without headings (bold lines, `问题：`/`Q:` paragraphs, and lists of
questions through `listitems`) are promoted to pseudo-headings here; noise (comments, `[toc]`,
TOC regions) is dropped. Nothing here decides what is a card: `outline.py` does.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it.token import Token

from . import text as T
from .answerkey import join_answer_key
from .details import split_at_details, unwrap_details
from .dialect import callout_parts
from .errors import Diagnostics
from .lineforms import (
    BIDS,
    ENDS_ASKING,
    PLAIN_MAX,
    PLAIN_WORDS,
    QA_PREFIX,
    bold_question,
    strip_closing_bold,
)
from .listitems import (
    ARROW_QA,
    INLINE_QA,
    LISTS,
    dedented,
    first_line,
    item_asks,
    item_inline,
    item_spans,
    promote_list,
    question_item,
    unbold,
)
from .nodes import Block, Node

__all__ = ["Block", "Node", "has_content", "heading_tree", "to_blocks"]


_CONTAINER_PREFIX = re.compile(r"^[ \t]*+(?:>[ \t]?+)*+")


def check_fences(tokens: list[Token], lines: list[str], diags: Diagnostics) -> None:
    """A fence that is never closed swallows every question after it: say where it opened.

    markdown-it is the judge: a fence inside a quote or a list ends with its container, so
    it is closed. Only a fence that runs to the end of the file is open, and it is an error
    only when it swallows something that reads as a heading or a question (an empty fence
    left open on the last line loses nothing: a warning)."""
    last_text = len(lines)
    while last_text and not lines[last_text - 1].strip():
        last_text -= 1
    for tok in tokens:
        if tok.type != "fence" or not tok.map:
            continue
        start, end = tok.map
        # The closing line as markdown-it saw it: without the quote markers and indentation
        # of the containers the fence sits in.
        last = _CONTAINER_PREFIX.sub("", lines[end - 1]).strip() if end - 1 > start else ""
        marker = tok.markup[0] * len(tok.markup)
        if last.startswith(marker) and last.strip(marker[0]) == "":
            continue
        if end < last_text:
            continue  # ended by its container
        col = len(lines[start]) - len(lines[start].lstrip()) + 1
        swallowed = lines[start + 1 : end]
        if any(_swallows_a_question(x) for x in swallowed):
            diags.error(start + 1, col, f"code block opened with {tok.markup} is never closed")
        else:
            diags.warning(
                start + 1, col, f"code block opened with {tok.markup} runs to the end of the file"
            )


_SWALLOWED = re.compile(r"^\s{0,3}(#{1,6}\s|问题[:：]|Q\d*[:：])")


def _swallows_a_question(line: str) -> bool:
    """A heading, a `问题：`/`Q:` line or a bold question: what an unclosed fence must not hide
    (a footer of bold lines, `**作者：…**`, loses nothing)."""
    if _SWALLOWED.match(line):
        return True
    bold = _BOLD_LINE.match(line)
    return bool(bold) and T.reads_as_question(bold.group(2))


def to_blocks(tokens: list[Token], lines: list[str]) -> list[Block]:
    """Group level-0 tokens into blocks with their line ranges."""
    return join_answer_key(
        _promote_questions(_drop_toc(_group(tokens, lines), lines), lines), lines
    )


def _group(tokens: list[Token], lines: list[str]) -> list[Block]:
    out: list[Block] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        j = i
        if tok.nesting == 1:
            depth = 0
            while j < len(tokens):
                depth += tokens[j].nesting
                if depth == 0:
                    break
                j += 1
        group = tokens[i : j + 1]
        start, end = tok.map or (0, 0)
        if tok.type == "heading_open":
            out.append(Block("heading", start, end, group, int(tok.tag[1]), group[1].content))
        elif tok.type == "hr":
            out.append(Block("hr", start, end, group))
        elif tok.type in ("container_lang_open", "container_callout_open"):
            closed = end < len(lines) and re.fullmatch(r"\s*:{3,}\s*", lines[end]) is not None
            kind = "container" if tok.type == "container_lang_open" else "callout"
            out.append(Block(kind, start, end + (1 if closed else 0), group, 0, tok.info, closed))
        elif tok.type == "paragraph_open":
            out.extend(
                _unspaced_heading(Block("paragraph", start, end, group, text=group[1].content))
            )
        elif tok.type == "html_block" and _is_comment(tok.content):
            out.append(Block("comment", start, end, group, text=tok.content))
        else:
            out.append(Block("other", start, end, group))
        i = j + 1
    return out


# `###LR`: a heading without the space CommonMark wants (older editors took it); two hashes
# at least, since `#tag` is a tag in Obsidian and Logseq.
_UNSPACED = re.compile(r"(#{2,6})([^#\s][^\n]{0,80})")


def _unspaced_heading(b: Block) -> list[Block]:
    first, _, rest = b.text.partition("\n")
    m = _UNSPACED.fullmatch(first.strip())
    if not m:
        return [b]
    level, title = len(m.group(1)), m.group(2).strip()
    out = [Block("heading", b.start, b.start + 1, [], level, title, origin="unspaced")]
    if rest.strip():
        out.append(Block("paragraph", b.start + 1, b.end, [], text=rest, raw=rest))
    return out


_BOLD_LINE = re.compile(r"^\s*(\*\*|__)(?!\s)(.+?)\1\s*([:：]?)\s*$")
# `…？ 回答：以 AdamW 为例…`: an answer's label after the question, on its line.
_REPLY = re.compile(
    r"(?<=[?？])\s*+(?:\*\*)?(?:回答|答|参考回答|A|Answer)\s*[:：]\s*(?:\*\*)?", re.I
)
# `**1)** Count the rows.`, `**2.** …`, `**Task 3:** …`: a numbered task, its answer below;
# `**1) FizzBuzz.** Print the numbers …`: the same with the task's name in the bold.
_NUMBER = r"((?:Q|Task|Exercise|Problem|练习|题)?\s*+\d{1,3})\s*+[.)）、:：]"
_TASK = re.compile(r"^\s*+(\*\*|__)\s*+" + _NUMBER + r"?\s*+\1\s*+[.)）、:：]?\s*+(\S.*)$", re.I)
_NAMED_TASK = re.compile(
    r"^\s*+(\*\*|__)\s*+" + _NUMBER + r"\s*+([^*_\s](?:(?!\1).)*?)\1([.)）、:：]?)\s*+(\S.*)$",
    re.I,
)


def _promote_questions(blocks: list[Block], lines: list[str]) -> list[Block]:
    """Questions written without headings become pseudo-headings one level below the
    current heading: a bold line that reads as a question (`**1.2 …是什么？**`), a
    `问题：…`/`Q: …` paragraph, numbered bold tasks (`**1)** Count …`), a `<details>` whose
    summary is the question, and list items that are questions with answers nested under
    them. Inside an answer (under a question heading) nothing is promoted; a `<details>`
    whose summary is a label ("Answer", "展开") only loses its wrapper."""
    out: list[Block] = []
    level, in_question, answered, title = 0, False, False, ""
    blocks = _stated_questions(split_at_details(blocks, lines))
    # before the first heading, a list's questions (their answers nested in them) stand
    # beside the file's top headings (`1. …？` before `## 《Deep Learning》`), not above
    top = max(min((b.level for b in blocks if b.kind == "heading"), default=1) - 1, 0)
    number: int | None = None  # the number of the question heading being answered
    tasks = _task_runs(blocks)
    topics = _topic_runs(blocks)
    bold_topics = _bold_topic_lines(blocks)
    items = _item_runs(blocks) | _bullet_runs(blocks)
    numbered = _numbered_paragraphs(blocks)
    recaps = _recap_lines(blocks)
    quoted = _quoted_runs(blocks) | _resumed_lists(blocks)
    glossary = _glossary_lists(blocks)
    chain_label = ""  # the label of the last numbered question line (`3`, `2.5.21`)
    named = False  # the chain is a run of list items, which may name a topic and not ask
    stages: dict[int, str] = {}  # by level: the question whose stages its siblings may be
    asking: dict[int, bool] = {}  # by level: whether the heading open at that level asks
    under_question = False
    recaps_open: dict[int, bool] = {}  # by level: whether the heading open there is a recap
    round_ = False  # the heading above is an interview's round (`### 二面`)
    line_q: int | None = None  # the level of the bold question lines that hold the headings
    line_no = 0  # the number of the last of them
    seen = _LastHeading()
    i = 0
    while i < len(blocks):
        b = blocks[i]
        i += 1
        if b.kind == "heading" and (b.tokens or b.origin == "unspaced"):
            label, title = T.split_label(unbold(b.text.strip()))
            # `## Problem 7: 评估框架设计`, `## Q3 · 索引`: numbered as questions, asking
            asked = T.reads_as_question(title) or T.numbered_as_question(b.text)
            stages = {k: v for k, v in stages.items() if k <= b.level}
            stage = b.level in stages and T.stage_after(T.plain(title), stages[b.level])
            if asked or not stage:
                stages[b.level] = T.plain(title) if asked else ""
            asking = {k: v for k, v in asking.items() if k < b.level}
            under_question = any(asking.values())  # a heading above it asks
            asking[b.level] = asked
            recaps_open = {k: v for k, v in recaps_open.items() if k < b.level}
            recaps_open[b.level] = recap_title(T.plain(title))
            round_ = not asked and ROUND.search(T.plain(title)) is not None
            if line_q is not None and b.level <= line_q:
                line_q = None  # a heading beside the line questions ends their run
            elif line_q is not None:
                asking[line_q] = under_question = True  # a heading inside its answer
            level, in_question, answered = b.level, asked or stage, False
            chain_label, number, named = "", int(label) if label.isdigit() else None, False
            out.append(b)
            continue
        if b.kind == "callout":
            shape, inner = _callout(b, lines, level, in_question)
            if shape == "question":
                out.extend(inner)
            elif shape == "open":
                blocks[i:i] = inner
            else:
                out.append(Block("other", b.start, b.end, b.tokens))
                answered = answered or in_question
            continue
        chain = label_number(chain_label)  # its number (None for `2.5.21`)
        expect = number if in_question and number is not None else chain
        if expect is not None and (parts := _split_at_next(b, expect, named and expect == chain)):
            blocks[i - 1 : i] = parts  # each part is read again, the question on its own
            i -= 1
            continue
        if in_question and number is not None and _next_question(b, number):
            # `### 7、…？` answered, then `8、…？` alone on its line: the author dropped the `###`
            out.append(Block("heading", b.start, b.start + 1, [], level, b.text.strip(),
                             origin="numbered"))  # fmt: skip
            number, answered = number + 1, False
            continue
        if b.kind == "other" and b.tokens and b.tokens[0].type == "html_block":
            taken, i = unwrap_details(blocks, i - 1, lines, level, in_question, answered=answered)
            if taken is not None:
                out.extend(_follow_ups_in(taken))
                continue
        if line_q is not None and _next_line_question(b, line_no):
            bold = _BOLD_LINE.match(b.text.strip())  # `**2.…？**` after `**1.…？**`
            assert bold is not None
            text = strip_closing_bold(bold.group(2)).rstrip(":：").rstrip()
            out.append(Block("heading", b.start, b.end, [], line_q, text, origin="bold"))
            line_no += 1
            continue
        if in_question and b.kind == "paragraph" and _follow_up(b.text.split("\n", 1)[0]):
            out.extend(_promote_paragraph(b, level))  # `**追问：…？**` asks, even in an answer
            continue
        if in_question and answered and _bold_follow_up(b, blocks[i] if i < len(blocks) else None):
            out.extend(_promote_paragraph(b, level))
            continue
        plain = id(b) not in recaps and _plain_question(b, blocks[i : i + 2])
        if in_question and answered and plain:
            out.append(_plain_heading(b, level))
            continue
        if (not in_question or answered) and (
            asked_line := _quoted_question(b, blocks[i : i + 2])
        ) is not None:
            out.append(Block("heading", b.start, b.end, [], level + 1, asked_line, origin="plain"))
            continue  # `> 为什么优化器要存两份梯度？` + its answer, in a topic's text
        if b.kind == "other" and (pairs := _labelled_pairs(b, lines, level)):
            out.extend(pairs)  # `- *追问：* …？` + `- *思路：* …`: a question and its answer
            continue
        if in_question or b.kind == "other":
            after = blocks[i] if i < len(blocks) else None
            asked = _follow_up_list(b, after, lines, level, answered and in_question)
            if asked is not None:
                out.extend(asked)
                i += b.kind == "paragraph"  # the label's list is taken too
                continue
        answered = answered or (in_question and has_content([b]))
        if in_question or b.kind not in ("paragraph", "other"):
            out.append(b)
            continue
        if b.kind == "paragraph" and (ask := _prompt_of(b, out[-1] if out else None, title)):
            out[-1].text = f"{out[-1].text.rstrip()} {ask}"  # the prompt joins its situation
            in_question = True  # what follows answers it
            if b.end > b.start + 1:
                out.append(Block("paragraph", b.start + 1, b.end, b.tokens))
            continue
        if b.kind == "paragraph" and id(b) in topics:
            m = _BOLD_TOPIC.match(b.text.split("\n", 1)[0])
            text = f"{m.group(2)}. {m.group(3).strip()}"
            out.append(Block("heading", b.start, b.start + 1, [], level + 1, text, origin="topic"))
            if b.end > b.start + 1:
                out.append(Block("paragraph", b.start + 1, b.end, b.tokens))
            continue
        if b.kind == "paragraph" and _states_the_problem(b, out[-1] if out else None):
            out.append(b)  # `### 1. 最大子数组和` + `**题目**：给定…`: the heading names it
            continue
        if b.kind == "paragraph" and _states_an_issue(b, blocks[i] if i < len(blocks) else None):
            out.append(b)  # `问题：头部标题党` + `解决方案：…`: an issue and its fix, in the text
            continue
        if b.kind == "paragraph":
            label = T.split_label(b.text.split("\n", 1)[0])[0]
            # `2，构造函数的初始化顺序。` after question 1 is question 2, asked or not
            # `2.5.22 LangChain 的令牌问题` after `2.5.21 …？`: the next item, not its answer
            follows = next_label(chain_label, label) or id(b) in numbered
            # `**2.…？**` after `## 1. **核心思想**` inside the answer to `**1.…？**`: the
            # next question, beside the first, not under the headings of its answer
            at = line_q - 1 if line_q is not None and level >= line_q else level
            if asked := _question_lines(b):  # `1、…？` / `2、…？` / … one a line, no answer
                out.extend(_line_heading(b.start + k, at + 1, row) for k, row in enumerate(asked))
                chain_label, named = T.split_label(asked[-1])[0], False
                continue
            promoted = _promote_paragraph(b, at, id(b) in tasks, follows, id(b) in bold_topics)
            if promoted == [b] and plain:
                promoted = [_plain_heading(b, at)]
            if promoted[0].kind == "heading" and promoted[0].origin == "bold":
                line_q = promoted[0].level
                number_of = T.split_label(unbold(b.text.split("\n", 1)[0].strip()))[0]
                line_no = int(number_of) if number_of.isdigit() else 0
            if _label_parts(label):  # a numbered line goes on the chain, or ends it
                on = promoted[0].origin in ("numbered", "plain")
                chain_label, named = (label, named and follows) if on else ("", False)
            out.extend(promoted)
        elif b.tokens and b.tokens[0].type == "table_open":
            # a recap says again what was asked; under a question, a table is its answer's
            keep = under_question or _RECAP.search(T.plain(title)) is not None
            out.extend((None if keep else _table_questions(b, lines, level)) or [b])
        elif id(b) in glossary:
            out.extend(_term_items(b, lines, level))
        elif id(b) in items:
            start, end = item_spans(b.tokens)[0]
            first = first_line(item_inline(b.tokens, start, end))
            out.extend(question_item(b.tokens[start], first, lines, level))
            chain_label, named = b.tokens[start].info, True  # (a bullet has no number)
        elif (
            (last := seen.last(out)) is not None
            and last.origin in _ANSWERED_AFTER
            and _introduced(out[-1], lines)
        ):
            out.append(b)  # `> 常见方法：` then `- **独热编码**` + points: the answer goes on
        elif id(b) in quoted or (round_ and _asked_in_round(b, out[-1] if out else None)):
            for start, end in item_spans(b.tokens):  # (`i` is the block cursor)
                first = first_line(item_inline(b.tokens, start, end))
                out.extend(question_item(b.tokens[start], first, lines, level))
        elif _answers_line_question(b, last):
            out.append(b)  # `Explain the p-value.` + `- When testing, …`: the list answers it
        else:
            # a set's members, or a list inside a question's answer: bold alone asks nothing
            members = bool(SET_TITLE.search(title)) or _introduces(out[-1] if out else None)
            # in a cheat sheet (`### The Evolution` under `## Quick Revision`) too
            members = members or under_question or any(recaps_open.values())
            asked_set = not under_question and _ASKED_SET.search(T.plain(title)) is not None
            promoted = promote_list(b, lines, max(level, top), members, asked_set=asked_set)
            out.extend(promoted or [b])
    return out


# `## 最后一页速记`, `## Cheat sheet`: a recap of what was asked before (the classifier
# keeps such a heading as a note); its table of questions and keywords says again what the
# cards say, and so does a summary's.
RECAP_WORDS = (
    r"速记|速查|速背|速览|一页纸|最后一页|cheat ?sheet|recap|quick reference|at a glance|"
    r"quick revision|revision sheet|one-page"
)
_RECAP = re.compile(rf"({RECAP_WORDS}|复习|回顾|汇总|小结|总结|summary)", re.I)
# `## Summary`, `## 📚 Key Takeaways`, `### 30-Second Summary`, `## Comparison Tables`: a
# study aid that says again what the page explains (under a question, a part of its answer).
SUMMARY = re.compile(
    r"^(?:(?:\d+[- ](?:second|minute)|one[- ](?:minute|sentence|line)|quick|final|overall)\s+)?"
    r"(?:summary|summary table|tl;?dr|key takeaways?|takeaways?|quick revision|revision sheet|"
    r"must[- ]remember|comparison tables?|总结表|汇总表|对比表|对比总结|总结对比)\s*+[:：]?$",
    re.I,
)
_RECAP_TITLE = re.compile(RECAP_WORDS, re.I)


def recap_title(title: str) -> bool:
    """`title` (plain) names a cheat sheet or a summary of the page."""
    return _RECAP_TITLE.search(title) is not None or SUMMARY.match(title) is not None


# A table of questions: `| 问 | 答 |`, `| Question | Answer |`, or a first column that asks.
_QUESTION_COLUMN = re.compile(r"(问|问题|题目|提问|追问|面试题|question|questions|q)", re.I)
_KEYWORDS = re.compile(r"(关键词|关键字|要点|记忆点|keywords?|key ?words?|key points?)", re.I)
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def _cells(line: str) -> list[str]:
    row = line.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return [c.strip().replace("\\|", "|") for c in _CELL_SPLIT.split(row)]


def _table_questions(b: Block, lines: list[str], level: int) -> list[Block] | None:
    """A table whose first column asks (its header says `问`/`Question`, or two thirds of
    its cells read as questions) and whose other columns answer: a card per row, its
    answer the other cells (named by their headers when there are several)."""
    rows = [(at, _cells(lines[at])) for at in range(b.start, b.end) if lines[at].strip()]
    if len(rows) < 3 or len(rows[0][1]) < 2:
        return None
    head = rows[0][1]
    if all(_KEYWORDS.fullmatch(T.plain(h)) for h in head[1:]):
        return None  # `| 追问 | 关键词 |`: what to recall, not an answer
    numbered = [(at, r) for at, r in rows[2:] if r[0]]
    body = [r for _, r in numbered]
    asking = sum(T.reads_as_question(r[0]) for r in body)
    if not body or not (
        _QUESTION_COLUMN.fullmatch(T.plain(head[0])) or 3 * asking >= 2 * len(body) >= 4
    ):
        return None
    out: list[Block] = []
    for at, row in numbered:
        answers = [(h, c) for h, c in zip(head[1:], row[1:], strict=False) if c]
        if not answers:
            return None  # a question with no answer: the table is a list of topics
        out.append(Block("heading", at, at + 1, [], level + 1, row[0], origin="table"))
        raw = (
            answers[0][1] if len(answers) == 1 else "\n".join(f"- **{h}**：{c}" for h, c in answers)
        )
        out.append(Block("paragraph", at, at + 1, [], raw=raw))
    return out


# `::: tip 面试要点：为什么…？`: a label, then the question the callout answers.
_CALLOUT_LABEL = re.compile(r"^[^:：?？]{1,12}[:：]\s*(?=\S)")


def _callout(b: Block, lines: list[str], level: int, in_question: bool) -> tuple[str, list[Block]]:
    """What a callout (`::: tip 标题` … `:::`) stands for, and the blocks that replace it:

    - "question": its title asks (`::: tip 面试要点：为什么…？`) and its body answers: a
      question one level below the current heading (a follow-up card inside an answer);
    - "open": outside an answer, it boxes questions (`::: tip 面试高频问题` over `**Q: …**`
      lines, a list of questions): its lines go and what it holds is read as if unboxed;
    - "box": anything else is an aside of the text around it, shown as a box."""
    inner = _group(b.tokens[1:-1] if b.closed else b.tokens[1:], lines)
    title = T.undecorate(callout_parts(b.text)[1])[0]
    core = _CALLOUT_LABEL.sub("", title, count=1)
    if T.reads_as_question(core) and len(core.rstrip("?？ ")) >= 5 and has_content(inner):
        head = Block("heading", b.start, b.start + 1, [], level + 1, core, origin="callout")
        return "question", [head, *inner]
    if not in_question and any(x.kind == "heading" for x in _promote_questions(list(inner), lines)):
        return "open", inner
    return "box", []


# `# 后台面经`, `## 字节面试题`, `## Interview Questions`: a heading over what was asked.
_ASKED_SET = re.compile(
    r"(面经|面试题|面试问题|面试|题库|问答|interview questions?|interview|q ?& ?a|faq)[\W_\d]*+$",
    re.I,
)


# `## Three Pillars of Observability`, `## Redis 的优点`: its list's bold items are the
# set's members, explained; not questions.
SET_TITLE = re.compile(
    r"\b(types|kinds|goals|benefits|advantages|disadvantages|drawbacks|features|pillars|"
    r"principles|components|steps|stages|characteristics|properties|ways|best practices|pros|"
    r"cons|use cases|reasons|levels|layers|strategies|techniques|factors|pitfalls|gotchas|"
    r"mistakes|caveats|traps|red flags|anti-?patterns|failure modes|tips)\b|"
    r"(优点|缺点|优缺点|特点|特性|特征|类型|种类|分类|步骤|原则|组成|组件|优势|好处|场景|目标|策略|阶段)$",
    re.I,
)


def _introduces(before: Block | None) -> bool:
    """`This model is composed of three key factors:` or a bold label (`**优缺点**`) over a
    list: the list goes on with that text's answer."""
    if before is None or before.kind != "paragraph":
        return False
    raw = (before.raw if before.raw is not None else before.text).strip()
    text = T.plain(raw).rstrip()
    if len(text) >= 8 and text.endswith((":", "：")):
        return True
    label = _BOLD_LINE.match(raw)
    return bool(label) and len(text) <= 20 and not T.reads_as_question(text)


def _split_at_next(b: Block, number: int, named: bool) -> list[Block] | None:
    """`…创造价值。` / `7:你还有其他offer吗？` / `有offer: …` in one paragraph (no blank line
    before the question): the answer before, question `number + 1` on its line, the text
    after it; None when no later line of the paragraph is that question. `named`: the
    questions so far may name their topic (`12. 激活函数解释`), not ask."""
    rows = b.text.split("\n")
    if b.kind != "paragraph" or b.raw is not None or len(rows) != b.end - b.start:
        return None
    if T.split_label(rows[0])[0] == str(number + 1):
        number += 1  # the paragraph opens with the next question: look for the one after
    for k in range(1, len(rows)):
        label, rest = T.split_label(rows[k])
        if label == str(number + 1) and (
            _numbered_question(rows[k]) or (named and len(rest) <= PLAIN_MAX)
        ):
            s = b.start
            parts = [Block("paragraph", s, s + k, [], text="\n".join(rows[:k]))]
            parts.append(Block("paragraph", s + k, s + k + 1, [], text=rows[k]))
            if k + 1 < len(rows):
                parts.append(
                    Block("paragraph", s + k + 1, b.end, [], text="\n".join(rows[k + 1 :]))
                )
            return parts
    return None


def _next_line_question(b: Block, number: int) -> bool:
    """`**2.集成学习有效需要哪些前提？**`, numbered after the bold question line before it:
    the next question, wherever the text is (under headings of the answer before it) and
    however it is worded (`**8.…，并使用公式推导进行讲解**`)."""
    if b.kind != "paragraph" or "\n" in b.text.strip() or not number:
        return False
    bold = _BOLD_LINE.match(b.text.strip())
    if not bold or len(bold.group(2)) > _BOLD_NUMBERED_MAX or _is_bold_label(bold):
        return False
    return T.split_label(T.plain(bold.group(2)))[0] == str(number + 1)


_BOLD_NUMBERED_MAX = 200  # characters: a numbered bold question may run long


def _next_question(b: Block, number: int) -> bool:
    """A line alone that asks, numbered as the question after the heading's (`8、…？` after
    `### 7、…？`)."""
    if b.kind != "paragraph" or b.raw is not None or "\n" in b.text.strip():
        return False
    line = b.text.strip()
    return T.split_label(line)[0] == str(number + 1) and _numbered_question(line)


def _follow_ups_in(blocks: list[Block]) -> list[Block]:
    """A `<details>` whose summary is the question: in its answer, after some of it, a bold
    or plain line that asks a question of its own (`**为什么不是两次握手？**`) is a follow-up,
    as it is under a question heading."""
    out: list[Block] = []
    head: Block | None = None
    answered = False
    for k, b in enumerate(blocks):
        after = blocks[k + 1 : k + 3]
        if b.kind == "heading":
            head, answered = (b if b.origin == "details" else None), False
        elif head is not None and answered and b.kind == "paragraph":
            if _follow_up(b.text.split("\n", 1)[0]) or _bold_follow_up(b, (after or [None])[0]):
                out.extend(_promote_paragraph(b, head.level))
                continue
            if _plain_question(b, after):
                out.append(_plain_heading(b, head.level))
                continue
        answered = answered or (head is not None and b.kind != "heading" and has_content([b]))
        out.append(b)
    return out


def _bold_follow_up(b: Block, after: Block | None) -> bool:
    """A follow-up question in an answer: a paragraph that is only a bold question ending
    with its mark (`**BN 在测试时有什么不同？**`), after some of the answer and before its own.
    Short ones (`**为什么？**`) lean on the text around them and stay in the answer."""
    if b.kind != "paragraph" or "\n" in b.text.strip() or after is None:
        return False
    if after.kind == "heading" or not has_content([after]):
        return False
    bold = _BOLD_LINE.match(b.text.strip())
    if not bold:
        return False
    inner = T.plain(bold.group(2)).rstrip()  # `**<font color=red>…？</font>**`
    if _names_a_question(inner + bold.group(3)):
        return True  # `**xgboost 和 gbdt 的区别：**`
    if bold.group(3) or not inner.endswith(("?", "？")):
        return False
    core = T.split_label(T.undecorate(T.plain(inner))[0])[1]
    if T.title_case(core):
        return False  # `**Why Use AUC?**` over its points: a label of the answer
    return len(core) >= 8 and bold_question(inner)


# `那么如何解决？`, `这说明什么？`, `So why?`: a question that leans on the text before it.
_LEANS_ON = re.compile(
    r"(那么|那|所以|因此|于是|但是|但|而|可是|然而|这|那这|此|其|它|该|so|but|then|and|or|"
    r"this|that|it|why not)(?![a-z])",
    re.I,
)


# `问题：…` over `解决方案：…`: the issue a text goes on to fix, not a question it asks.
_FIX = re.compile(
    r"\s*(?:\*\*|__)?(解决|解决方案|解决办法|解决方法|方案|对策|优化|改进|solution|fix)"
)


def _states_an_issue(b: Block, after: Block | None) -> bool:
    m = QA_PREFIX.match(b.text.split("\n", 1)[0])
    if m is None or m.group(1) != "问题" or T.reads_as_question(m.group(2)):
        return False
    rest = b.text.split("\n", 1)[1] if "\n" in b.text else (after.text if after else "")
    return _FIX.match(rest) is not None


def _plain_question(b: Block, after: list[Block]) -> bool:
    """`训练与推理时BN中的均值、方差分别是什么？` alone on its line, its answer in the text
    after it (not another such line, not a heading, not a topic's name): a question,
    inside an answer a follow-up."""
    if not _asks_alone(b) or not after or after[0].kind == "heading":
        return False
    nxt = after[0]  # another question, a topic's name, a task: no answer in between
    return has_content([nxt]) and not (
        _asks_alone(nxt) or _asks_more(nxt) or _names_a_topic(nxt) or T.poses(nxt.text)
    )


def _quoted_question(b: Block, after: list[Block]) -> str | None:
    """The question of a quote that is one line asking (`> 为什么…？`), its answer in the
    text after it, as `_plain_question` reads a paragraph; None for any other block."""
    kinds = [t.type for t in b.tokens]
    if kinds != ["blockquote_open", "paragraph_open", "inline", "paragraph_close",
                 "blockquote_close"]:  # fmt: skip
        return None
    text = b.tokens[2].content
    line = Block("paragraph", b.start, b.end, [], text=text)
    return text.strip() if _plain_question(line, after) else None


def _asks_more(b: Block) -> bool:
    """`知道RNN么？讲讲它的思路。`, `…怎么调整？（batch normalization）`: one short line that
    asks, with more after its mark: the next question of a record, not an answer."""
    t = T.plain(b.text.strip())
    asks = "?" in t or "？" in t
    return b.kind == "paragraph" and asks and "\n" not in t and len(t) <= PLAIN_MAX


# `DSSM优化`, `（跨场景的使用方式）`: a short line naming a topic, or a note in brackets.
_TOPIC_LINE = 12
_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")


def _names_a_topic(b: Block) -> bool:
    t = T.plain(b.text).strip()
    if b.kind != "paragraph" or "\n" in t:
        return False
    return _BRACKETED.fullmatch(t) is not None or (
        len(t) <= _TOPIC_LINE and not re.search(r"[，。；,;:：.!！]", t)
    )


def _introduced(before: Block | None, lines: list[str]) -> bool:
    """The block before ends with a label of what comes next (`常见方法：`, `> 优点：`)."""
    if before is None or before.kind not in ("paragraph", "other"):
        return False
    text = (
        lines[k].strip().lstrip("> ").rstrip() for k in range(before.end - 1, before.start - 1, -1)
    )
    last = next((t for t in text if t), "")  # a quote's last lines may be bare `>`
    return last.endswith((":", "："))


def _answers_line_question(b: Block, last: Block | None) -> bool:
    """A list after a question promoted from a line, most of its items asking nothing (a
    short line that asks, not a sentence): its answer. (One introduced by a line of the
    answer, `两者不同：`, was taken before.)"""
    if last is None or last.origin not in LINE_QUESTIONS:
        return False
    firsts = [t.content.split("\n", 1)[0] for t in _first_inlines(b)]
    asking = sum(item_asks(t) and len(T.plain(t)) <= _ASKED_ITEM for t in firsts)
    return 2 * asking < len(firsts)


class _LastHeading:
    """The last heading of a growing list of blocks, found in amortised constant time."""

    def __init__(self) -> None:
        self.at, self.head = 0, None

    def last(self, out: list[Block]) -> Block | None:
        for b in out[self.at :]:
            if b.kind == "heading":
                self.head = b
        self.at = len(out)
        return self.head


# Questions promoted from a line of text: what comes after one is its answer.
LINE_QUESTIONS = frozenset({"plain", "numbered", "prefix", "bold", "topic"})
# … and after those or a list item's question, a list its answer introduces (`常见方法：`).
_ANSWERED_AFTER = LINE_QUESTIONS | {"list"}


def _plain_heading(b: Block, level: int) -> Block:
    text = _LEAD_IN.sub("", b.text.strip(), count=1)
    return Block("heading", b.start, b.end, [], level + 1, text, origin="plain")


# `虽然论文中有解释了，但是现在又引出第二个问题了，为什么…？`, `那么问题来了：…？`: what leads to
# the question, no part of it.
_LEAD_IN = re.compile(
    r"^[^?？\n]{0,40}?问题(?:就)?来了\s*+[，,:：]\s*+|^[^?？\n]{0,40}?引出[^?？\n]{0,10}?问题了?\s*+[，,:：]\s*+"
)


def _asks_alone(b: Block) -> bool:
    """A paragraph that is one plain line asking a question of its own. Short ones
    (`为什么？`), ones that lean on the text before (`那么如何解决？`) and sentences that
    end by asking (`…很慢。为什么？`) are part of the text."""
    t = b.text.strip()
    if b.kind != "paragraph" or "\n" in t or t.startswith(("*", "_", "[", "!", "|")):
        return False
    core = _LEAD_IN.sub("", T.split_label(T.undecorate(T.plain(t))[0])[1].strip(), count=1)
    long = len(core.split()) > PLAIN_WORDS if core.isascii() else len(core) > PLAIN_MAX
    if long or _LEANS_ON.match(core):
        return False
    bids = BIDS.match(core) is not None
    if not core.endswith(("?", "？")) and not (core.endswith((".", "。")) and bids):
        return False
    if not bids and re.search(r"[。！!；;]|[.?？](?=\s*\S)", core[:-1]):
        return False  # a sentence before it, or a question and more
    words = len(core.split()) if core.isascii() else len(core)
    return words >= (4 if core.isascii() else 8) and (bids or T.starts_asking(core))


# `**追问点**：`, `追问：`, `Follow-up questions:`: what comes below asks further.
_FOLLOW_UP_LABEL = re.compile(
    r"\s*(?:\*\*|__)?\s*(追问点?|追问问题|可能的追问|常见追问|面试追问|延伸问题|延伸追问|"
    r"follow[- ]?ups?(?: questions)?)\s*(?:\*\*|__)?\s*[:：]?\s*(?:\*\*|__)?\s*",
    re.I,
)


def _follow_up_list(
    b: Block, after: Block | None, lines: list[str], level: int, answered: bool
) -> list[Block] | None:
    """In an answer, a list of follow-up questions under a label (`- **追问点**：` over
    `- 为什么…？（答：…）`, or the label as a paragraph over the list): a follow-up card
    each, when every one asks and carries its answer; the answer before it stays."""
    if b.kind == "paragraph":
        if not answered or not _FOLLOW_UP_LABEL.fullmatch(b.text.strip()) or after is None:
            return None
        if after.kind != "other" or not after.tokens:
            return None
        return promote_list(after, lines, level, answered_only=True)
    if not _is_list(b):
        return None
    spans = item_spans(b.tokens)
    if not spans:
        return None
    i, j = spans[-1]
    inline = next((t for t in b.tokens[i:j] if t.type == "inline"), None)
    if inline is None or not _FOLLOW_UP_LABEL.fullmatch(inline.content.split("\n", 1)[0]):
        return None
    base = b.tokens[0].level
    k = next(
        (k for k in range(i, j) if b.tokens[k].type in LISTS and b.tokens[k].level == base + 2),
        None,
    )
    if k is None or b.tokens[k].map is None:
        return None
    nested = _group(b.tokens[k:j], lines)[0]  # the item's own list, as a block of its own
    asked = promote_list(nested, lines, level, answered_only=True)
    if asked is None:
        return None
    item_start = b.tokens[i].map[0] if b.tokens[i].map else nested.start
    if not answered and item_start == b.start:
        return None
    before = [Block("other", b.start, item_start, b.tokens)] if item_start > b.start else []
    return [*before, *asked]


# `追问：`, `Q:`, `**Interviewer:**`, `面试官：`: who asks; `思路：`, `A:`, `**Candidate (Short
# Answer):**`, `我：`: who answers (a speaker, with what the turn is, in brackets).
_ASKED = re.compile(
    r"\s*(?:追问|问题|问|Q|Follow[- ]?up|面试官|考官|Interviewer)\s*[:：]\s*(\S.*)", re.I
)
_PAIR_ANSWER = (
    r"(?:思路|答|回答|答案|参考答案|解答|A|Answer"
    r"|(?:我|候选人|求职者|Candidate|Interviewee|Me)(?:\s*+[(（][^()（）\n]{1,30}[)）])?)\s*[:：]"
)
_ANSWERED = re.compile(r"\s*" + _PAIR_ANSWER + r"\s*(\S.*)?", re.I)


def _labelled_pairs(b: Block, lines: list[str], level: int) -> list[Block] | None:
    """`- *追问：* 为什么…？` then `- *思路：* …`, `- Q: …` then `- A: …`, an interview's turns
    (`- **Interviewer:** …` then `- **Candidate (Short Answer):** …`, `- **Candidate (Deep
    Dive):** …`): list items in turns, each question labelled and its answer in the labelled
    items after it; None unless every item belongs to such a turn."""
    if not _is_list(b):
        return None
    turns: list[tuple[tuple[int, int], str, list[tuple[int, int]]]] = []
    for i, j in item_spans(b.tokens):
        first = T.plain(first_line(item_inline(b.tokens, i, j)))
        where = b.tokens[i].map
        if where is None:
            return None
        if asked := _ASKED.fullmatch(first):
            turns.append(((where[0], where[1]), asked.group(1), []))
        elif turns and _ANSWERED.fullmatch(first):
            turns[-1][2].append((where[0], where[1]))
        else:
            return None
    if not turns or not all(replies for _, _, replies in turns):
        return None
    out: list[Block] = []
    for (start, _), question, replies in turns:
        out.append(Block("heading", start, start + 1, [], level + 1, question, origin="prefix"))
        (first, end), last = replies[0], replies[-1][1]
        if len(replies) == 1:  # the one answer, without its label
            body = [_ANSWER_MARK_RE.sub("", lines[first], count=1), *lines[first + 1 : end]]
        else:  # the turns, each with its label (`Short Answer`, `Deep Dive`)
            body = lines[first:last]
        out.append(Block("paragraph", first, last, [], raw=dedented(body)))
    return out


# `- *思路：* `, `* A: `: the item's marker and its answer's label, before the answer.
_ANSWER_MARK_RE = re.compile(
    r"^\s*(?:[-*+]|\d{1,3}[.)])\s+(?:\*\*|__|\*|_)?\s*" + _PAIR_ANSWER + r"\s*(?:\*\*|__|\*|_)?\s*",
    re.I,
)


def _names_a_question(text: str) -> bool:
    """`xgboost 和 gbdt 的区别：`: a label that, its colon aside, is a whole question naming
    its subject; short labels (`区别：`, `为什么：`) lean on the text around them."""
    text = text.rstrip()
    if not text.endswith((":", "：")):
        return False
    core = T.split_label(T.undecorate(T.plain(text.rstrip(":：")))[0])[1].strip()
    if len(core) < 8 or core.endswith(("?", "？")) or _LEANS.match(core):
        return False  # `为什么用正弦函数：` asks about the text above it
    if core.isascii():
        return False  # `When to Use PR-AUC:`: English asks with its mark, a colon labels
    return T.reads_as_question(core)


_LEANS = re.compile(r"(为什么|为何|如何|怎么|怎样|什么|why|how|what)", re.I)


def _follow_up(line: str) -> bool:
    """`追问：…`, `Follow-up: …`, and `问题2.5: …` (numbered as a question of its own)."""
    m = QA_PREFIX.match(line)
    return bool(m) and (
        m.group(1).lower() in ("追问", "面试官追问", "follow-up")
        or m.group(1)[2:].strip()[:1].isdigit()
    )


# `**1、数据结构分类**` alone on its line: a numbered topic, its explanation below it.
_BOLD_TOPIC = re.compile(
    r"^\s*(\*\*|__)\s*(\d{1,3})\s*[、.．)）](?!\d)\s*([^*_\n:：]{1,60}?)\s*\1\s*$"
)


def _topic_runs(blocks: list[Block]) -> set[int]:
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
        m = _BOLD_TOPIC.match(b.text.split("\n", 1)[0]) if b.kind == "paragraph" else None
        if m is None:
            continue
        after = blocks[k + 1] if k + 1 < len(blocks) else None
        explained = "\n" in b.text.strip() or bool(
            after is not None
            and after.kind not in ("heading", "hr")
            and not (after.kind == "paragraph" and _BOLD_TOPIC.match(after.text.split("\n", 1)[0]))
            and has_content([after])
        )
        runs.add((id(b), int(m.group(2)), explained))
    return runs.done()


_BOLD_TOPIC_MAX = 60  # characters: a topic is named, not said in a sentence


def _bold_topic_lines(blocks: list[Block]) -> set[int]:
    """Bold lines that name a topic among bold questions, under a heading that asks nothing
    (`**What is a labeled training set?**` + points, …, `**Principal Component Analysis**` +
    points): three or more bold lines, most of them asking; a topic explained by what follows
    it is asked about too. A label (`**区别**：`) or a line with nothing of its own after it
    (`**Dimensionality Reduction Techniques**` over the next bold line) is not."""
    found: set[int] = set()
    run: list[tuple[int, bool, bool]] = []  # (id, asks, explained)
    asked_above = False
    bolds = [_bold_line_of(b) for b in blocks] + [None]
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
        rest = b.text.strip().split("\n")[_wrapped_bold(b.text) :]
        explained = bool(rest and not _BOLD_LINE.match(rest[0])) or bool(
            not rest
            and after is not None
            and after.kind not in ("heading", "hr")
            and bolds[k + 1] is None
            and has_content([after])
        )
        named = len(T.plain(bold.group(2))) <= _BOLD_TOPIC_MAX
        run.append((id(b), bold_question(bold.group(2)), explained and named))
    return found


def _bold_line_of(b: Block) -> re.Match[str] | None:
    """The bold line opening paragraph `b` (not a label, not numbered), or None."""
    if b.kind != "paragraph":
        return None
    bold, _, first = _bold_opening(b.text)
    if bold is None or _is_bold_label(bold) or _BOLD_TOPIC.match(first) or QA_PREFIX.match(first):
        return None
    return bold


def _is_quote(b: Block | None) -> bool:
    return b is not None and bool(b.tokens) and b.tokens[0].type == "blockquote_open"


def _quoted_runs(blocks: list[Block]) -> set[int]:
    """An interview's list of questions under one heading, some items answered by a quote
    right after them (`4. bagging 和 boosting 的区别` + `> 二者都是集成学习…`): every list of
    that heading is a list of questions, when most of its items ask or only some of them
    are answered (a list of tips, each explained by its quote, is no interview)."""
    found: set[int] = set()
    lists: list[Block] = []
    quoted = prose = 0
    for k, b in enumerate([*blocks, None]):
        if b is None or b.kind == "heading":
            items = [t.content for x in lists for t in _first_inlines(x)] if quoted else []
            asking = sum(item_asks(t) for t in items)
            short = all("\n" not in t and len(T.plain(t)) <= _ASKED_ITEM for t in items)
            # `- L1范数: 为x向量各个元素绝对值之和`: a term and its definition, no question
            defined = sum(_DEFINED.search(T.plain(t)) is not None for t in items)
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
        elif _is_list(b):
            lists.append(b)
            quoted += _is_quote(blocks[k + 1] if k + 1 < len(blocks) else None)
    return found


_ASKED_ITEM = 80  # characters: an interview's question fits on one short line
# `### 一面`, `## 字节二面（60min）`, `### HR 面`, `## 笔试`: a round of an interview; the
# items of its lists are what was asked, and the text after a list answers its last item.
ROUND = re.compile(
    r"[一二三四五六七八九十1-9]\s*+面(?!试题|向|积|板|经)|hr\s*+面|终面|交叉面|技术面|笔试|"
    r"\bonsite\b|phone screen|\bround\s*+\d",
    re.I,
)


def _resumed_lists(blocks: list[Block]) -> set[int]:
    """`2. …？` `3. …？` `4. …？`, then text, then `5. …？`: a numbered list of questions that
    resumes after the text (numbered on from its last item) was interrupted by the answer to
    that item, so its items are questions and the text answers the last one."""
    found: set[int] = set()
    asked = [_asked_numbers(b) for b in blocks]
    for k, numbers in enumerate(asked):
        if not numbers:
            continue
        for at in range(k + 1, len(blocks)):  # to the next list or heading: each block once
            if blocks[at].kind == "heading" or _is_list(blocks[at]):
                if at > k + 1 and asked[at][:1] == [numbers[-1] + 1]:
                    found.add(id(blocks[k]))
                break
    return found


def _is_list(b: Block | None) -> bool:
    """A list block (bulleted or ordered)."""
    return b is not None and b.kind == "other" and bool(b.tokens) and b.tokens[0].type in LISTS


def _asked_numbers(b: Block) -> list[int]:
    """The numbers of an ordered list whose items are one short line each and ask; else []."""
    if b.kind != "other" or not b.tokens or b.tokens[0].type != "ordered_list_open":
        return []
    spans = item_spans(b.tokens)
    firsts = [t.content for t in _first_inlines(b)]
    if len(firsts) != len(spans) or any(j - i > 4 for i, j in spans):
        return []  # an item with more than its line (a nested answer)
    if not all("\n" not in t and len(T.plain(t)) <= _ASKED_ITEM and item_asks(t) for t in firsts):
        return []
    return [int(b.tokens[i].info) for i, _ in spans if b.tokens[i].info.isdigit()]


def _asked_in_round(b: Block, before: Block | None) -> bool:
    """A list in an interview's round: short items, not the answer to the item just above
    (`- 过拟合怎么处理?` over `1. 增加数据量…`) nor introduced by a label of an answer
    (`优点：` over `1. 加速收敛`)."""
    if not _is_list(b):
        return False
    if before is not None and before.kind == "heading" and before.origin == "list":
        return False
    if (
        before is not None
        and before.kind == "paragraph"
        and before.text.rstrip().endswith((":", "："))
    ):
        return False
    items = [t.content for t in _first_inlines(b)]
    return bool(items) and all(len(T.plain(t.split("\n", 1)[0])) <= _ASKED_ITEM for t in items)


_DEFINED = re.compile(r"[^?？\s]\s*+[:：]\s*+\S")


def _first_inlines(b: Block) -> list[Token]:
    """The first line of each top-level item of a list block."""
    base = b.tokens[0].level
    return [t for t in b.tokens if t.type == "inline" and t.level == base + 3]


_PROBLEM_LABEL = re.compile(
    r"^\s*+(?:\*\*|__)?+\s*+(题目|题目描述|问题描述|problem|problem statement)\s*+"
    r"(?:\*\*|__)?+\s*+[:：]",
    re.I,
)


def _states_the_problem(b: Block, above: Block | None) -> bool:
    """`**题目**：…` first under a heading states the problem the heading names; the heading,
    not the statement, is the card's question."""
    return (
        above is not None
        and above.kind == "heading"
        and above.origin == "heading"
        and bool(above.text.strip())
        and _PROBLEM_LABEL.match(b.text) is not None
    )


def _recap_lines(blocks: list[Block]) -> set[int]:
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


def _numbered_paragraphs(blocks: list[Block]) -> set[int]:
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


# `## 题目描述` + the question, then `## 参考答案` + the answer: the template of a question bank.
_STATEMENT = re.compile(
    r"(题目描述|题目|问题描述|问题|题干|question|problem( statement)?)\s*[:：]?", re.I
)
_ANSWER_HEAD = re.compile(
    r"(参考答案|参考回答|参考解答|答案|解答|回答|answer|solution)\s*[:：]?", re.I
)


def _stated_questions(blocks: list[Block]) -> list[Block]:
    """`## 题目描述` over a paragraph that asks, then `## 参考答案` at the same level: one
    question (the paragraph), its answer what the answer heading holds. Under a heading
    that asks (`## Problem 1: 限流器` over `### Question`), they are its parts instead."""
    out: list[Block] = []
    above: list[tuple[int, bool]] = []  # (level, asks) of the headings open above
    k = 0
    while k < len(blocks):
        b = blocks[k]
        k += 1
        if b.kind != "heading":
            out.append(b)
            continue
        above = [(lv, a) for lv, a in above if lv < b.level]
        under = any(a for _, a in above)
        above.append((b.level, T.reads_as_question(b.text) or T.numbered_as_question(b.text)))
        if b.tokens and k < len(blocks) and (typed := _typed_question(b, blocks[k])):
            text = blocks[k]  # `### 1. 【简答题】` + `简述 Q、K、V 的含义。`: the paragraph asks
            out.append(Block("heading", text.start, text.end, b.tokens, b.level, typed))
            out[-1].origin = "prefix"
            k += 1
            continue
        listed = k + 2 < len(blocks) and _is_list(blocks[k + 1])  # the points it asks about
        if (
            not under
            and b.tokens
            and k + 1 + listed < len(blocks)
            and _states(b, blocks[k], blocks[k + 1 + listed])
        ):
            text = blocks[k]
            asked = " ".join(text.text.split()).rstrip(":：")
            out.append(Block("heading", text.start, text.end, b.tokens, b.level, asked))
            out[-1].origin = "prefix"
            if listed:  # `包括：` + `1. Q、K、V 的含义` …: what the answer goes through
                out.append(blocks[k + 1])
            k += 1 + listed
            # `## 参考答案` is dropped; another heading (`## 背景`) goes on as written
            k += 1 if _ANSWER_HEAD.fullmatch(T.plain(blocks[k].text).strip()) else 0
            continue
        out.append(b)
    return out


# `【简答题】`, `填空题`, `[选择题]`: the kind of a test's question, not the question.
_QUESTION_TYPE = re.compile(
    r"[【\[(（]?(?:简答|推导|判断|填空|选择|单选|多选|不定项选择|代码|编程|计算|问答|论述|综合|分析|"
    r"设计|应用|思考|概念|证明|实现|改错|阅读)题[】\])）]?\s*[:：]?"
)


# `Q8: 实战问题`, `Q9: 概念理解`: a kind of question that is no question itself; the paragraph
# below asks.
_ASKED_TYPE = re.compile(
    r"[【\[(（]?(?:实战|概念|代码|原理|场景|开放|综合|思考|应用|设计|计算|编程)"
    r"(?:问题|理解|分析|题)[】\])）]?\s*[:：]?"
)


def _typed_question(head: Block, text: Block) -> str:
    """The question under a heading that only numbers it and names its kind (`### **1.
    【简答题】**` + `简述自注意力中 Q、K、V 的含义。`): the paragraph below, with the heading's
    number; "" for any other heading."""
    label, title = T.split_label(unbold(head.text.strip()))
    title = T.undecorate(T.plain(title))[0]
    if text.kind != "paragraph" or not text.tokens:
        return ""
    asked = " ".join(text.text.split())
    # `### Q8: 实战问题` + `…，这可能是什么问题？`; under `Q7: 概念理解`, what it asks for
    # (`用你自己的话解释…`)
    kind_asked = _ASKED_TYPE.fullmatch(title) and (label[:1] in "Qq" or T.reads_as_question(asked))
    if not (_QUESTION_TYPE.fullmatch(title) or kind_asked):
        return ""
    return f"{label}. {asked}" if label else asked


def _states(head: Block, text: Block, after: Block) -> bool:
    """`## 问题` over the paragraph that asks, a heading at its level after it (`## 参考答案`,
    or `## 背景` and the answer's other parts)."""
    return (
        _STATEMENT.fullmatch(T.plain(head.text).strip()) is not None
        and text.kind == "paragraph"
        and T.reads_as_question(text.text)
        and after.kind == "heading"
        and after.level == head.level
    )


def _one_item(b: Block, kind: str) -> tuple[int, int] | None:
    """The token span of the one item of a list of `kind` (`ordered_list_open`, …), or None."""
    if not _is_list(b) or b.tokens[0].type != kind:
        return None
    spans = item_spans(b.tokens)
    return spans[0] if len(spans) == 1 else None


def _lone_item(b: Block) -> tuple[int, str] | None:
    """(number, first line) of an ordered list of one item."""
    span = _one_item(b, "ordered_list_open")
    if span is None or not b.tokens[span[0]].info.isdigit():
        return None
    return int(b.tokens[span[0]].info), first_line(item_inline(b.tokens, *span))


def _item_runs(blocks: list[Block]) -> set[int]:
    """`1. transformer模型结构图` + a figure, `2. …为何使用多头注意力` + code, …: ordered
    lists of one item each, numbered on across the text between them (a number may hide
    in a paragraph's last line), three or more under one heading, each followed by its
    answer, half of them asking: each item is a question, asking or naming its topic."""
    runs = _Runs(lambda run: len(run) >= 3 and 2 * sum(r[2] for r in run) >= len(run))
    for k, b in enumerate(blocks):  # (id, number, asks)
        if b.kind == "heading":
            runs.close()
            continue
        item = _lone_item(b)
        if item is None:
            continue
        after = blocks[k + 1] if k + 1 < len(blocks) else None
        if after is None or after.kind == "heading" or _lone_item(after) is not None:
            runs.close()
            continue
        if runs.run and not 0 < item[0] - runs.run[-1][1] <= 2:
            runs.close()
        runs.add((id(b), item[0], item_asks(item[1])))
    return runs.done()


def _bullet_runs(blocks: list[Block]) -> set[int]:
    """`- 索引下推` + its explanation, `- count()问题` + …, `- 为什么不要使用长事务？` + …: bullet
    lists of one short line each, three or more in a row under one heading (no list of
    several items between them), each followed by text of its own (an ordered list of its
    points too): each item is a question, asking or naming its topic."""
    runs = _Runs(lambda run: len(run) >= 3)
    for k, b in enumerate(blocks):
        if b.kind in ("heading", "hr"):
            runs.close()
            continue
        if not _is_list(b):
            continue
        if _ordered(b) and runs.run and runs.run[-1][0] == id(blocks[k - 1]):
            continue  # the points of the bullet just before it
        after = blocks[k + 1] if k + 1 < len(blocks) else None
        if (
            not _lone_bullet(b)
            or after is None
            or after.kind in ("heading", "hr")
            or (_is_list(after) and not _ordered(after))
            or _asks_in_bold(after)  # `- K-means` between bold questions: an answer
        ):
            runs.close()
            continue
        runs.add((id(b),))
    return runs.done()


def _ordered(b: Block) -> bool:
    """An ordered list (after a bullet, its own points: `- 发生的时机` + `1. …` `2. …`)."""
    return b.tokens[0].type == "ordered_list_open"


def _asks_in_bold(b: Block) -> bool:
    """A paragraph opened by a bold question (`**What type of algorithm …?**`)."""
    bold = _bold_opening(b.text)[0] if b.kind == "paragraph" else None
    return bold is not None and T.reads_as_question(bold.group(2))


_BULLET_TOPIC = 40  # characters: a topic is named in a few words


def _lone_bullet(b: Block) -> bool:
    """A bullet list of one item, one short line that names a topic or asks."""
    span = _one_item(b, "bullet_list_open")
    if span is None or span[1] - span[0] > 4:
        return False  # several items, or one with more than its line
    first = first_line(item_inline(b.tokens, *span))
    text = T.plain(first)
    if "\n" in first or not text or len(text) > _BULLET_TOPIC:
        return False
    return item_asks(first) or not _TERM_END.search(text)


_TERM_CHARS = 60  # `RLHF（Reinforcement Learning from Human Feedback）`
_TERM_END = re.compile(r"[。.!！?？:：；;，,、]$")


def _term(tokens: list[Token], i: int, j: int) -> str | None:
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


def _glossary_lists(blocks: list[Block]) -> set[int]:
    """The lists of a glossary (`名词解释`): outside any heading, or under a heading that
    says so, three or more items in all, two in three of them a term and its explanation
    (`* SFT (Supervised Fine-Tuning)` + what it is): each term is a card. Under any other
    heading such a list explains that heading's topic."""
    found: set[int] = set()
    lists: list[Block] = []
    glossary = True  # before the first heading
    for b in [*blocks, None]:
        if b is not None and b.kind != "heading":
            if _is_list(b):
                lists.append(b)
            continue
        spans = [(x, s) for x in lists for s in item_spans(x.tokens)]
        terms = sum(_term(x.tokens, *s) is not None for x, s in spans)
        if glossary and terms >= 3 and 3 * terms >= 2 * len(spans):
            found.update(id(x) for x in lists)
        lists = []
        glossary = b is not None and bool(T.GLOSSARY_TITLE.search(T.plain(b.text).strip()))
    return found


def _term_items(b: Block, lines: list[str], level: int) -> list[Block]:
    """A glossary list: a card's heading for each term, its explanation the card's answer;
    an item that is no term (`* QLORA 的主要特点是：`) goes on with the term before it."""
    out: list[Block] = []
    for i, j in item_spans(b.tokens):
        s, e = b.tokens[i].map
        term = _term(b.tokens, i, j)
        if term is not None:
            out.append(Block("heading", s, s + 1, [], level + 1, term, origin="term"))
            s += 1
        body = (
            lines[s:e]
            if term is not None
            else [T.LIST_MARK.sub("", lines[s], count=1), *lines[s + 1 : e]]
        )
        if raw := dedented(body):
            out.append(Block("paragraph", s, e, [], raw=raw))
    return out


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


def _task_runs(blocks: list[Block]) -> set[int]:
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
        elif b.kind == "paragraph" and _task_text(first := b.text.split("\n", 1)[0]):
            if not _labels_a_member(first):
                run.append(id(b))
        elif b.kind == "paragraph" and b.raw is None and "\n" not in b.text:
            label = T.split_label(b.text)[0]
            if label.isdigit():
                after = blocks[k + 1] if k + 1 < len(blocks) else None
                code = bool(after and after.tokens and after.tokens[0].type == "fence")
                lines.append((id(b), int(label), code))
    return found


def _labels_a_member(line: str) -> bool:
    """`**1. vector：**底层使用数组…`: a numbered name with its colon in bold, explained after
    it on its line: a member of the set the heading names (`## STL中各个容器的底层结构`),
    part of its answer, not a task."""
    m = _NAMED_TASK.match(line)
    return bool(m and (m.group(3).rstrip().endswith((":", "：")) or m.group(4) in (":", "：")))


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


# `**题 1：为什么除以 √d_k？** …`: a bold run at the start of a line (`_` inside it), the rest.
_BOLD_THEN = re.compile(r"^\s*+\*\*(?!\s)((?:[^*\n]|\*(?!\*)){2,300}?)\*\*\s*+(\S.*)$")
# ` - 答案要点：…`, `答：…`, `— Answer: …`: an answer's label right after a bold question.
_ANSWER_AFTER = re.compile(
    r"\s*+(?:[-—–]\s*+)?(?:\*\*|__)?(?:答案要点|参考答案|答案|回答|答|要点|answer|ans|A)"
    r"\s*+(?:[(（][^()（）\n]{0,40}[)）])?(?:\*\*|__)?[:：]\s*+(?:\*\*|__)?",
    re.I,
)


_FOLLOW_UPS = frozenset({"追问", "面试官追问", "Follow-up", "follow-up", "Follow-Up"})
_SAID_AFTER = 12  # characters: an answer says more than a word or two
_ASKED_MAX = 300  # characters: where a follow-up's question ends, at the latest
_SENTENCE_END = re.compile(r"[。！!；;]")
_ASKS_ON = ("请", "并", "且", "(", "（", "and ", "If ", "if ")  # the question goes on


def _answered_after_mark(question: str) -> int | None:
    """Where the question ends in `为什么显存会爆？因为 KV Cache 随长度增长。…` (a follow-up
    answered on its line): after the first mark whose next sentence asks nothing and is no
    request (`…？请举例。` asks on); None when no such mark."""
    for k, c in enumerate(question[:_ASKED_MAX]):
        if c not in "?？":
            continue
        rest = question[k + 1 :].strip()
        sentence = _SENTENCE_END.split(rest[:_ASKED_MAX], maxsplit=1)[0]
        if len(rest) < _SAID_AFTER or "?" in sentence or "？" in sentence:
            continue
        if BIDS.match(rest) or T.reads_as_question(sentence) or rest.startswith(_ASKS_ON):
            continue
        return k + 1
    return None


def _promote_paragraph(
    b: Block, level: int, task: bool = False, follows: bool = False, topic: bool = False
) -> list[Block]:
    """`b` as a question heading and its answer, or [b]; `topic`: a bold line that names a
    topic among bold questions is promoted too."""
    first = b.text.split("\n", 1)[0]
    m = QA_PREFIX.match(first)
    question = strip_closing_bold(m.group(2)) if m else ""
    origin = "prefix" if question else "bold"
    reply = _REPLY.search(question)
    said = _answered_after_mark(question) if question and m.group(1) in _FOLLOW_UPS else None
    if reply or said:  # `追问：…？ 回答：…`, `**追问：** …？因为…`: the answer on its line
        at, after = (reply.start(), reply.end()) if reply else (said, said)
        head = Block("heading", b.start, b.start + 1, [], level + 1, question[:at].strip())
        head.origin = "prefix"
        rest = "\n".join([question[after:].strip(), *b.text.split("\n")[1:]])
        return [head, Block("paragraph", b.start, b.end, [], raw=rest)]
    if question:
        label = m.group(1) if m.group(1)[:1] in "Qq" and len(m.group(1)) > 1 else ""
        text = f"{label}: {question}" if label else question
    elif (
        (m := _BOLD_THEN.match(first))
        and _ANSWER_AFTER.match(m.group(2))
        and T.reads_as_question(T.split_label(m.group(1))[1])
    ):  # `**题 1：…？** - 答案要点：…`: the bold question, then its answer, labelled
        head = Block("heading", b.start, b.start + 1, [], level + 1, m.group(1), origin="bold")
        rest = "\n".join([_ANSWER_AFTER.sub("", m.group(2), count=1), *b.text.split("\n")[1:]])
        return [head, Block("paragraph", b.start, b.end, [], raw=rest)]
    elif (
        (t := _task_text(first))
        and (task or T.reads_as_question(t[1]))
        and not (_labels_a_member(first))
    ):
        text, origin = f"{t[0]}. {t[1]}", "task"
    elif task:
        text, origin = first.strip(), "task"
    elif _numbered_question(first) or follows:
        text, origin = first.strip(), "numbered"
    elif (a := ARROW_QA.match(first)) and "\n" not in b.text.strip():
        head = Block("heading", b.start, b.start + 1, [], level + 1, a.group(1), origin="arrow")
        return [head, Block("paragraph", b.start, b.end, [], raw=a.group(2))]
    elif (
        (m := INLINE_QA.match(first))
        and bold_question(m.group(2))
        and m.group(2).rstrip()[-1:] in "?？"
    ):
        head = Block("heading", b.start, b.start + 1, [], level + 1, m.group(2), origin="bold")
        rest = "\n".join([m.group(3), *b.text.split("\n")[1:]])
        return [head, Block("paragraph", b.start, b.end, [], raw=rest)]
    else:
        bold, taken, _ = _bold_opening(b.text)
        if not bold or _is_bold_label(bold):
            return [b]
        if not (topic or bold_question(bold.group(2))):
            return [b]
        text = bold.group(2).rstrip().rstrip(":：").rstrip()  # `**X 和 Y 的区别：**`
        if taken > 1:
            head = Block("heading", b.start, b.start + taken, [], level + 1, text, origin=origin)
            rest = "\n".join(b.text.split("\n")[taken:])
            return (
                [head, Block("paragraph", b.start + taken, b.end, [], raw=rest)] if rest else [head]
            )
    head = Block("heading", b.start, b.start + 1, [], level + 1, text, origin=origin)
    rest = [Block("paragraph", b.start + 1, b.end, b.tokens)] if b.end > b.start + 1 else []
    return [head, *rest]


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9}


def next_label(prev: str, label: str) -> bool:
    """`label` numbers the item after the one `prev` numbers: `4` after `3`, `iii` after
    `ii`, `2.5.22` after `2.5.21`, `2.17.2` after `2.17.1.1` (the next one a level up).
    (`1.1` after `1` is not: it may be a point of the answer to 1.)"""
    a, b = _label_parts(prev), _label_parts(label)
    if not a or not b:
        return False
    k = len(b)
    return k <= len(a) and b[:-1] == a[: k - 1] and b[-1] == a[k - 1] + 1


def _label_parts(label: str) -> tuple[int, ...] | None:
    """`2.5.21` → (2, 5, 21), `ii` → (2,); None when `label` counts nothing."""
    if "." in label.strip("."):
        parts = label.strip(".").split(".")
        return tuple(int(p) for p in parts) if all(p.isdigit() for p in parts) else None
    n = label_number(label.strip("."))
    return (n,) if n is not None else None


def _line_heading(line: int, level: int, text: str) -> Block:
    """A question written on a line of its own (line `line`, 0-based), as a heading."""
    return Block("heading", line, line + 1, [], level, text.strip(), origin="numbered")


def label_number(label: str) -> int | None:
    """The count a label says: `3` → 3, `ii` → 2 (a question book's parts); else None."""
    if label.isdigit():
        return int(label)
    return _ROMAN.get(label.lower())


def _bold_opening(text: str) -> tuple[re.Match[str] | None, int, str]:
    """The bold line opening `text`, how many lines it takes (one, or the 2–3 an editor
    wrapped it over) and those lines joined as they read."""
    taken = _wrapped_bold(text)
    opening = T.join_lines([ln.strip() for ln in text.split("\n")[:taken]])
    opening = _MARK_AFTER.sub(r"\2\1", opening)  # `**为什么要做多头注意力呢**？`
    return _BOLD_LINE.match(T.undecorate(opening)[0]), taken, opening


# A question mark typed after the closing bold: the bold question's own.
_MARK_AFTER = re.compile(r"(\*\*|__)[ \t]*+([?？])$")


def _wrapped_bold(text: str) -> int:
    """How many lines the bold question opening `text` takes: 1, or 2–3 when an editor
    wrapped it (`**What type of algorithm would you use to segment your customers into` /
    `multiple groups?**`)."""
    lines = text.split("\n", 3)
    if not lines[0].lstrip().startswith(("**", "__")) or len(lines) < 2:
        return 1
    mark = lines[0].lstrip()[:2]
    if mark in lines[0].lstrip()[2:]:
        return 1  # the bold closes on the first line
    for k in (1, 2):
        if k < len(lines) and mark in lines[k]:
            return k + 1 if lines[k].rstrip().rstrip(":：").endswith(mark) else 1
    return 1


# A heading that states a situation: a sentence, or a scenario's label.
_SITUATION = re.compile(r"[.。]$|^(scenario|case|situation|场景|情景|案例)\s*+\d*+\s*+[:：.]", re.I)
_PROMPT_WORDS = 4  # `How do you decide?`; a CJK prompt has at most twice as many characters


def _prompt_of(b: Block, above: Block | None, title: str) -> str:
    """A short bold question right under a heading that states a situation (`### Scenario 1:
    Accuracy dropped 10% overnight.` + `**How do you investigate?**`) asks about that
    situation, and cannot stand alone: it is returned, to join the heading's question."""
    if above is None or above.kind != "heading" or not above.tokens or b.start - above.end > 1:
        return ""
    if not _SITUATION.search(T.plain(title).strip()):
        return ""
    bold = _BOLD_LINE.match(b.text.split("\n", 1)[0].strip())
    if not bold or not bold.group(2).rstrip().endswith(("?", "？")):
        return ""
    ask = T.plain(bold.group(2)).strip()
    short = (
        len(ask.split()) <= _PROMPT_WORDS if ask.isascii() else len(ask) <= 2 * _PROMPT_WORDS + 1
    )
    return ask if short else ""


def _task_text(line: str) -> tuple[str, str] | None:
    """(number, task) of a numbered bold task line."""
    if m := _TASK.match(line):
        return re.sub(r"\D", "", m.group(2) or "") or "", m.group(3)
    if m := _NAMED_TASK.match(line):
        return re.sub(r"\D", "", m.group(2)), f"{m.group(3).strip()}{m.group(4)} {m.group(5)}"
    return None


def _question_lines(b: Block) -> list[str] | None:
    """`1、怎么…？` / `2、…？` / `3、…？`: a paragraph of three or more lines numbered in order,
    most of them asking: a list of questions written without list markers (its lines), each
    a question without an answer."""
    rows = b.text.split("\n")
    if b.raw is not None or len(rows) < 3 or len(rows) != b.end - b.start:
        return None
    labels = [T.split_label(r)[0] for r in rows]
    if not all(x.isdigit() for x in labels):
        return None
    if any(not 0 < int(y) - int(x) <= 2 for x, y in zip(labels, labels[1:], strict=False)):
        return None  # in order (one may hide in the line before: `4、…？5、…？`)
    asking = sum(_numbered_question(r) for r in rows)
    return rows if 2 * asking > len(rows) else None


def _numbered_question(line: str) -> bool:
    """`1，两阶段检测为什么更准？`: a numbered plain line that asks, ending with its mark."""
    label, rest = T.split_label(line)
    return bool(label) and bool(ENDS_ASKING.search(T.undecorate(T.plain(rest))[0]))


def _is_bold_label(bold: re.Match[str]) -> bool:
    """`**区别**：`, `**副作用：**`: a label inside an answer, unless it asks (`**为什么？**：`)."""
    inner = bold.group(2).rstrip()
    colon = bool(bold.group(3)) or inner.endswith((":", "："))
    if _names_a_question(inner + bold.group(3)):
        return False
    return colon and not inner.rstrip(":：").rstrip().endswith(("?", "？"))


def _is_comment(html: str) -> bool:
    """Only comments (and white space): scanned, since a pattern for "one or more comments"
    backtracks exponentially on a line of them."""
    rest = html.strip()
    if not rest:
        return False
    while rest.startswith("<!--"):
        end = rest.find("-->", 4)
        if end < 0:
            return False
        rest = rest[end + 3 :].lstrip()
    return not rest


def _drop_toc(blocks: list[Block], lines: list[str]) -> list[Block]:
    """Comments, `[toc]` paragraphs and `<!-- TOC -->` … `<!-- /TOC -->` regions are noise."""
    out: list[Block] = []
    in_toc = False
    for b in blocks:
        if b.kind == "comment":
            if re.search(r"<!--\s*/TOC", b.text, re.I):
                in_toc = False
            elif re.search(r"<!--\s*TOC\b", b.text, re.I):
                in_toc = True
            continue
        if in_toc:
            continue
        if b.kind == "paragraph" and re.fullmatch(r"\s*\\?\[\s*toc\s*\]\s*", b.text, re.I):
            continue
        if b.kind == "other" and _is_empty_anchor_list(b):
            continue
        out.append(b)
    return out


def _is_empty_anchor_list(b: Block) -> bool:
    if not b.tokens[0].type.endswith("list_open"):
        return False
    inline = [t for t in b.tokens if t.type == "inline"]
    return bool(inline) and all(
        re.fullmatch(r"\s*\[[^\]]*\]\(#[^)]*\)\s*", t.content) for t in inline
    )


def heading_tree(blocks: list[Block]) -> Node:
    root = Node(None, 0)
    stack = [root]
    for b in blocks:
        if b.kind == "heading":
            while stack[-1].level >= b.level:
                stack.pop()
            node = Node(b, b.level)
            stack[-1].children.append(node)
            stack.append(node)
        elif b.kind == "hr":
            for n in stack:
                n.ruled = n.ruled or n is stack[-1]
            stack[-1].ruled = True
        elif stack[-1].ruled:
            stack[-1].after_rule.append(b)
        else:
            stack[-1].body.append(b)
    return root


def has_content(blocks: list[Block]) -> bool:
    return any(b.kind != "container" and not _renders_nothing(b) for b in blocks)


# `<script setup>…</script>`, `<style>…</style>`, `<InteractiveQuiz :questions="q" />`: HTML a
# card, the page and the sheet never show (a site's scripts and its own components).
_SCRIPT = re.compile(r"<(script|style)\b", re.I)
_COMPONENT = re.compile(r"<[A-Z][\w.\-]*+(?:\s[^<>]*)?/>")


def _renders_nothing(b: Block) -> bool:
    if b.kind != "other" or not b.tokens or b.tokens[0].type != "html_block":
        return False
    html = b.tokens[0].content.strip()
    if m := _SCRIPT.match(html):
        return html.lower().endswith(f"</{m.group(1).lower()}>")
    return _COMPONENT.fullmatch(html) is not None
