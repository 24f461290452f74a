"""Markdown-it tokens → blocks with line ranges → a heading tree.

Questions written without headings (bold lines, `问题：`/`Q:` paragraphs, and lists of
questions through `listitems`) are promoted to pseudo-headings here; noise (comments, `[toc]`,
TOC regions) is dropped. Nothing here decides what is a card: `outline.py` does.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

from . import text as T
from .answerkey import join_answer_key
from .blockforms import (
    ASKED_ITEM,
    BOLD_LINE,
    BOLD_TOPIC,
    bold_opening,
    first_inlines,
    has_content,
    is_bold_label,
    is_list,
    labels_a_member,
    names_a_question,
    task_text,
)
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
from .runs import (
    bold_topic_lines,
    bullet_runs,
    glossary_lists,
    item_runs,
    item_term,
    numbered_paragraphs,
    quoted_runs,
    recap_lines,
    resumed_lists,
    task_runs,
    topic_runs,
)

__all__ = ["Block", "Node", "heading_tree", "to_blocks"]


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
    bold = BOLD_LINE.match(line)
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
        if tok.type == "heading_open" and _IMAGES_ONLY.fullmatch(group[1].content):
            # `### ![](figure/kl.png)`: a figure the author marked as a heading, not one
            image = group[1].content.strip()
            out.append(Block("paragraph", start, end, [], text=image, raw=image))
        elif tok.type == "heading_open" and _rule_under_text(tok, group[1].content):
            out.extend(_text_and_rule(group, start, end))
        elif tok.type == "heading_open":
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


# Images and nothing else (Markdown images, or `<img …>` tags).
_IMAGES_ONLY = re.compile(r"(?:\s*+(?:!\[[^\]\n]*+\]\([^()\n]*+\)|<img\b[^<>\n]*+>))++\s*+", re.I)


_KEY_VALUE = re.compile(r"[A-Za-z_][\w-]{0,30}:[ \t]*+\S+")
_SENTENCE_MARKS = (".", "。", "!", "！", ";", "；")
_HEADING_MAX = 50  # characters: a setext heading that says more is a sentence


def _rule_under_text(tok: Token, text: str) -> bool:
    """`It eliminates the batch dependency.` over `---`: CommonMark reads a setext heading,
    the author wrote a sentence and a rule (a flashcard's back, a `card_id: x` line, a
    paragraph before a separator). A line that asks stays a heading."""
    if tok.markup != "-":
        return False
    words = T.plain(text).strip()
    if "\n" in text.strip() or _KEY_VALUE.fullmatch(words):
        return True
    long = len(words) > _HEADING_MAX
    if long and words.endswith(_SENTENCE_MARKS):
        return True  # a sentence, whatever word opens it (`where $d$ is …`)
    return not T.reads_as_question(words) and (long or words.endswith(_SENTENCE_MARKS))


def _text_and_rule(group: list[Token], start: int, end: int) -> list[Block]:
    """A setext heading's text as a paragraph, its underline as a thematic break."""
    inline = group[1]
    para = [
        Token("paragraph_open", "p", 1, map=[start, end - 1], level=inline.level - 1),
        inline,
        Token("paragraph_close", "p", -1, level=inline.level - 1),
    ]
    rule = Token("hr", "hr", 0, map=[end - 1, end], markup="---", level=inline.level - 1)
    text = inline.content
    # `card_id: 8XcOfvw2` between rules: a record's metadata (a flashcard deck's), no text
    kind = "comment" if _KEY_VALUE.fullmatch(T.plain(text).strip()) else "paragraph"
    return [Block(kind, start, end - 1, para, text=text), Block("hr", end - 1, end, [rule])]


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


# `…？ 回答：以 AdamW 为例…`: an answer's label after the question, on its line.
_REPLY = re.compile(
    r"(?<=[?？])\s*+(?:\*\*)?(?:回答|答|参考回答|A|Answer)\s*[:：]\s*(?:\*\*)?", re.I
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
    tasks = task_runs(blocks)
    deeper = _first_sub_levels(blocks)
    base = 0  # the level of the heading open
    topics = topic_runs(blocks)
    bold_topics = bold_topic_lines(blocks)
    items = item_runs(blocks) | bullet_runs(blocks)
    numbered = numbered_paragraphs(blocks)
    recaps = recap_lines(blocks)
    quoted = quoted_runs(blocks) | resumed_lists(blocks)
    glossary = glossary_lists(blocks)
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
            # `# Transformer` + `为什么…？` + answer, then `### softmax`: what it promotes
            # stands beside its first sub-heading, as it would over a `##`
            level, in_question, answered = (
                max(b.level, deeper.get(id(b), 0) - 1),
                asked or stage,
                False,
            )
            base = b.level
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
            bold = BOLD_LINE.match(b.text.strip())  # `**2.…？**` after `**1.…？**`
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
            m = BOLD_TOPIC.match(b.text.split("\n", 1)[0])
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
            # `6、SVM 何时用高斯核` + `考点: …` + `参考回答：…`: a question bank's entry
            follows = follows or _answer_labelled(b, blocks[i : i + 3])
            # `**2.…？**` after `## 1. **核心思想**` inside the answer to `**1.…？**`: the
            # next question, beside the first, not under the headings of its answer
            at = line_q - 1 if line_q is not None and level >= line_q else level
            below = blocks[i] if i < len(blocks) else None
            if (
                level > base
                and below is not None
                and below.kind == "heading"
                and below.level > level
            ):
                at = base  # `**Q2 …？**` right over `##### KNN`: its answer's parts
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
    r"速记|速查|速背|速览|快速参考|一页纸|最后一页|cheat ?sheet|recap|quick reference|at a glance|"
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


def _answer_labelled(b: Block, after: list[Block]) -> bool:
    """A line (`b`'s first), then text that opens with an answer's label and its answer,
    perhaps after the facts a question bank notes (`考点: …`, `公司: …`, then `参考回答：…`),
    on the lines below it or in the paragraphs after it."""
    first, *rest = b.text.strip().split("\n")
    if b.raw is not None or len(T.plain(first)) > PLAIN_MAX:
        return False
    if T.QUESTION_FACTS.match(first) or T.ANSWER_LABEL.match(first):
        return False
    runs = [rest] if rest else []
    for x in after:
        if x.kind != "paragraph":
            break
        runs.append(x.text.strip().split("\n"))
    for rows in runs:
        for k, row in enumerate(rows):
            if m := T.ANSWER_LABEL.match(row):
                return bool(row[m.end() :].strip()) or k + 1 < len(rows)
            if not T.QUESTION_FACTS.match(row):
                return False
    return False


def _first_sub_levels(blocks: list[Block]) -> dict[int, int]:
    """By heading id: the level of the heading right after it, where that one is deeper."""
    headings = [b for b in blocks if b.kind == "heading"]
    return {
        id(a): b.level for a, b in zip(headings, headings[1:], strict=False) if b.level > a.level
    }


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
    """A table with a column that asks (its header says `问`/`题目`/`Question`, or two thirds
    of the first column's cells read as questions) and columns that answer: a card per
    row, its answer the other cells (named by their headers when there are several). When
    headers name the answer (`思路`, `答案`, `Answer`), only those answer, and a row whose
    answer is blank (``, `?`) is a question without an answer (`| ml | 题目 | ? | 公司 |`)."""
    rows = [(at, _cells(lines[at])) for at in range(b.start, b.end) if lines[at].strip()]
    if len(rows) < 3 or len(rows[0][1]) < 2:
        return None
    head = rows[0][1]
    named = [k for k, h in enumerate(head) if _QUESTION_COLUMN.fullmatch(T.plain(h))]
    q = named[0] if named else 0
    if all(_KEYWORDS.fullmatch(T.plain(h)) for k, h in enumerate(head) if k != q):
        return None  # `| 追问 | 关键词 |`: what to recall, not an answer
    numbered = [(at, r) for at, r in rows[2:] if len(r) > q and r[q]]
    body = [r for _, r in numbered]
    asking = sum(T.reads_as_question(r[q]) for r in body)
    if not body or not (named or 3 * asking >= 2 * len(body) >= 4):
        return None
    answering = [k for k, h in enumerate(head) if k != q and _ANSWER_COLUMN.fullmatch(T.plain(h))]
    if q and not answering:
        return None  # `| 题号 | 题目 | 考点 |`: an index of the problems the page goes through
    columns = answering or [k for k in range(len(head)) if k != q]
    out: list[Block] = []
    for at, row in numbered:
        answers = [
            (head[k], row[k]) for k in columns if k < len(row) and _said(row[k], bool(answering))
        ]
        if not answers and not answering:
            return None  # a question with no answer: the table is a list of topics
        out.append(Block("heading", at, at + 1, [], level + 1, row[q], origin="table"))
        if not answers:
            continue  # left out as a question without an answer
        raw = (
            answers[0][1] if len(answers) == 1 else "\n".join(f"- **{h}**：{c}" for h, c in answers)
        )
        out.append(Block("paragraph", at, at + 1, [], raw=raw))
    return out


# `参考答案`, `Answer`: what names an answer (a heading, a table's column).
_ANSWER_WORDS = r"参考答案|参考回答|参考解答|答案|解答|回答|answer|solution"
# `| 思路 |`, `| 答案 |`, `| Answer |`: a column that answers the question column.
_ANSWER_COLUMN = re.compile(rf"({_ANSWER_WORDS}|思路|解题思路|要点|答|answers|approach)", re.I)
_BLANK = re.compile(r"\s*+[?？-]?\s*+")


def _said(cell: str, named: bool) -> bool:
    """A cell that says something: under a named answer column `?` and `-` say nothing."""
    return not _BLANK.fullmatch(cell) if named else bool(cell)


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
    label = BOLD_LINE.match(raw)
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
    bold = BOLD_LINE.match(b.text.strip())
    if not bold or len(bold.group(2)) > _BOLD_NUMBERED_MAX or is_bold_label(bold):
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
    bold = BOLD_LINE.match(b.text.strip())
    if not bold:
        return False
    inner = T.plain(bold.group(2)).rstrip()  # `**<font color=red>…？</font>**`
    if names_a_question(inner + bold.group(3)):
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
    firsts = [t.content.split("\n", 1)[0] for t in first_inlines(b)]
    asking = sum(item_asks(t) and len(T.plain(t)) <= ASKED_ITEM for t in firsts)
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
    if not is_list(b):
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
    if not is_list(b):
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


def _follow_up(line: str) -> bool:
    """`追问：…`, `Follow-up: …`, and `问题2.5: …` (numbered as a question of its own)."""
    m = QA_PREFIX.match(line)
    return bool(m) and (
        m.group(1).lower() in ("追问", "面试官追问", "follow-up")
        or m.group(1)[2:].strip()[:1].isdigit()
    )


# `### 一面`, `## 字节二面（60min）`, `### HR 面`, `## 笔试`: a round of an interview; the
# items of its lists are what was asked, and the text after a list answers its last item.
ROUND = re.compile(
    r"[一二三四五六七八九十1-9]\s*+面(?!试题|向|积|板|经)|hr\s*+面|终面|交叉面|技术面|笔试|"
    r"\bonsite\b|phone screen|\bround\s*+\d",
    re.I,
)


def _asked_in_round(b: Block, before: Block | None) -> bool:
    """A list in an interview's round: short items, not the answer to the item just above
    (`- 过拟合怎么处理?` over `1. 增加数据量…`) nor introduced by a label of an answer
    (`优点：` over `1. 加速收敛`)."""
    if not is_list(b):
        return False
    if before is not None and before.kind == "heading" and before.origin == "list":
        return False
    if (
        before is not None
        and before.kind == "paragraph"
        and before.text.rstrip().endswith((":", "："))
    ):
        return False
    items = [t.content for t in first_inlines(b)]
    return bool(items) and all(len(T.plain(t.split("\n", 1)[0])) <= ASKED_ITEM for t in items)


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


# `## 题目描述` + the question, then `## 参考答案` + the answer: the template of a question bank.
_STATEMENT = re.compile(
    r"(题目描述|题目|问题描述|问题|题干|question|problem( statement)?)\s*[:：]?", re.I
)
_ANSWER_HEAD = re.compile(rf"({_ANSWER_WORDS})\s*[:：]?", re.I)


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
        listed = k + 2 < len(blocks) and is_list(blocks[k + 1])  # the points it asks about
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


def _term_items(b: Block, lines: list[str], level: int) -> list[Block]:
    """A glossary list: a card's heading for each term, its explanation the card's answer;
    an item that is no term (`* QLORA 的主要特点是：`) goes on with the term before it."""
    out: list[Block] = []
    for i, j in item_spans(b.tokens):
        s, e = b.tokens[i].map
        term = item_term(b.tokens, i, j)
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
        (t := task_text(first))
        and (task or T.reads_as_question(t[1]))
        and not (labels_a_member(first))
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
        bold, taken, _ = bold_opening(b.text)
        if not bold or is_bold_label(bold):
            return [b]
        if (said := _asked_then_said(b, bold.group(2), taken, level)) is not None:
            return said
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


def _asked_then_said(b: Block, bold: str, taken: int, level: int) -> list[Block] | None:
    """`**如何把多头注意力转成 MQA？转换分两步：改结构，再预训练。**`: the question and the first
    sentence of its answer in one bold line; the question is what comes before the mark."""
    cut = _answered_after_mark(bold) if not bold.rstrip().endswith(("?", "？")) else None
    if cut is None or not bold_question(bold[:cut]):
        return None
    head = Block(
        "heading", b.start, b.start + taken, [], level + 1, bold[:cut].strip(), origin="bold"
    )
    rest = "\n".join([bold[cut:].strip(), *b.text.split("\n")[taken:]])
    return [head, Block("paragraph", b.start, b.end, [], raw=rest)]


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
    bold = BOLD_LINE.match(b.text.split("\n", 1)[0].strip())
    if not bold or not bold.group(2).rstrip().endswith(("?", "？")):
        return ""
    ask = T.plain(bold.group(2)).strip()
    short = (
        len(ask.split()) <= _PROMPT_WORDS if ask.isascii() else len(ask) <= 2 * _PROMPT_WORDS + 1
    )
    return ask if short else ""


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
