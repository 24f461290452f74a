"""The shapes of one block: bold lines, numbered tasks, lists, quotes, content."""

from __future__ import annotations

import re

from markdown_it.token import Token

from . import text as T
from .lineforms import QA_PREFIX
from .listitems import LISTS
from .nodes import Block

BOLD_LINE = re.compile(r"^\s*(\*\*|__)(?!\s)(.+?)\1\s*([:：]?)\s*$")


# `**1)** Count the rows.`, `**2.** …`, `**Task 3:** …`: a numbered task, its answer below;
# `**1) FizzBuzz.** Print the numbers …`: the same with the task's name in the bold.
_NUMBER = r"((?:Q|Task|Exercise|Problem|练习|题)?\s*+\d{1,3})\s*+[.)）、:：]"
_TASK = re.compile(r"^\s*+(\*\*|__)\s*+" + _NUMBER + r"?\s*+\1\s*+[.)）、:：]?\s*+(\S.*)$", re.I)
_NAMED_TASK = re.compile(
    r"^\s*+(\*\*|__)\s*+" + _NUMBER + r"\s*+([^*_\s](?:(?!\1).)*?)\1([.)）、:：]?)\s*+(\S.*)$",
    re.I,
)


def names_a_question(text: str) -> bool:
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


# `**1、数据结构分类**` alone on its line: a numbered topic, its explanation below it.
BOLD_TOPIC = re.compile(
    r"^\s*(\*\*|__)\s*(\d{1,3})\s*[、.．)）](?!\d)\s*([^*_\n:：]{1,60}?)\s*\1\s*$"
)


def bold_line_of(b: Block) -> re.Match[str] | None:
    """The bold line opening paragraph `b` (not a label, not numbered), or None."""
    if b.kind != "paragraph":
        return None
    bold, _, first = bold_opening(b.text)
    if bold is None or is_bold_label(bold) or BOLD_TOPIC.match(first) or QA_PREFIX.match(first):
        return None
    return bold


def is_quote(b: Block | None) -> bool:
    return b is not None and bool(b.tokens) and b.tokens[0].type == "blockquote_open"


ASKED_ITEM = 80  # characters: an interview's question fits on one short line


def is_list(b: Block | None) -> bool:
    """A list block (bulleted or ordered)."""
    return b is not None and b.kind == "other" and bool(b.tokens) and b.tokens[0].type in LISTS


# `- L1范数: 为x向量各个元素绝对值之和`: a term and its definition, not a question.
DEFINED = re.compile(r"[^?？\s]\s*+[:：]\s*+\S")


def first_inlines(b: Block) -> list[Token]:
    """The first line of each top-level item of a list block."""
    base = b.tokens[0].level
    return [t for t in b.tokens if t.type == "inline" and t.level == base + 3]


def bold_opening(text: str) -> tuple[re.Match[str] | None, int, str]:
    """The bold line opening `text`, how many lines it takes (one, or the 2–3 an editor
    wrapped it over) and those lines joined as they read."""
    taken = wrapped_bold(text)
    opening = T.join_lines([ln.strip() for ln in text.split("\n")[:taken]])
    opening = _MARK_AFTER.sub(r"\2\1", opening)  # `**为什么要做多头注意力呢**？`
    return BOLD_LINE.match(T.undecorate(opening)[0]), taken, opening


# A question mark typed after the closing bold: the bold question's own.
_MARK_AFTER = re.compile(r"(\*\*|__)[ \t]*+([?？])$")


def wrapped_bold(text: str) -> int:
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


def task_text(line: str) -> tuple[str, str] | None:
    """(number, task) of a numbered bold task line."""
    if m := _TASK.match(line):
        return re.sub(r"\D", "", m.group(2) or "") or "", m.group(3)
    if m := _NAMED_TASK.match(line):
        return re.sub(r"\D", "", m.group(2)), f"{m.group(3).strip()}{m.group(4)} {m.group(5)}"
    return None


def is_bold_label(bold: re.Match[str]) -> bool:
    """`**区别**：`, `**副作用：**`: a label inside an answer, unless it asks (`**为什么？**：`)."""
    inner = bold.group(2).rstrip()
    colon = bool(bold.group(3)) or inner.endswith((":", "："))
    if names_a_question(inner + bold.group(3)):
        return False
    return colon and not inner.rstrip(":：").rstrip().endswith(("?", "？"))


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


def labels_a_member(line: str) -> bool:
    """`**1. vector：**底层使用数组…`: a numbered name with its colon in bold, explained after
    it on its line: a member of the set the heading names (`## STL中各个容器的底层结构`),
    part of its answer, not a task."""
    m = _NAMED_TASK.match(line)
    return bool(m and (m.group(3).rstrip().endswith((":", "：")) or m.group(4) in (":", "：")))
