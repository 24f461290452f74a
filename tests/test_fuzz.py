"""Property tests: any text parses or fails with our SourceError; rendering never emits script.

`make test` runs the quick profile; `make fuzz` runs the long one (HYPOTHESIS_PROFILE=long).
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from qadeck.errors import SourceError
from qadeck.jsonout import document_to_dict
from qadeck.markup import render_inline, render_markdown
from qadeck.parse import parse_text

SNIPPETS = [
    "### 十、大模型（LLMs）强化学习面", "#### 1. 简单介绍强化学习？", "##### 2.1 具体介绍一下预训练？",
    "#### 二、预训练（Pre-training）篇", "## What is RLHF?", "# 标题", "**题目：**", "1. 简单介绍强化学习？",
    "一、介绍一下 LLM？", "---", "", "- **智能体（Agent）**：学习主体", "  - **RLHF**：基于人类反馈",
    "| 维度 | 预训练 |", "|------|--------|", "| **数据** | 万亿级token |", "```json", "```",
    '{"role": "user", "content": "你好"}', "::: en What is RL?", ":::", "The goal is reward.",
    "以上内容详细回答了所有题目。", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))", "$x^2$中文", "$$\\sum_i x_i$$", "{{c1::x}} {{ 7*7 }}",
    "List<String> a < b && c > d", "#### 3. 重复的问题？ {#dup}", "#### 4. 重复的问题？ {#dup}",
    "![图](img.png)", "<!-- TOC -->", "<!-- /TOC -->", "[toc]", "问题：什么是PPO？", "\t- tab item",
    "Title", "===", "> 引用", "<br/>", "&#x20;&amp;", "<div align=\"center\">", "</div>",
    "\\[", "\\]", "\\[ x = 1 \\]", "\\(a_i\\)", "\\[1\\] 文献", "> ::: en Q", ">",
]  # fmt: skip


def test_an_unclosed_container_in_a_quote_at_the_end_renders():
    """The container plugin read past the source on a last `>` line with no line end."""
    assert "translation" in render_markdown("> ::: en Q\n>")
    assert parse_or_error("## 什么是x？\n\n> ::: en Q\n>") is not None


no_cr = st.text(st.characters(blacklist_characters="\r"), max_size=40)
lines = st.lists(st.sampled_from(SNIPPETS) | no_cr, max_size=40)


def parse_or_error(text: str):
    try:
        return parse_text(text, "f.md")
    except SourceError as e:
        # line 0: a problem of the file as a whole (`f.md: warning: …`)
        assert e.diagnostics and all(d.span.line >= 0 and d.span.col >= 1 for d in e.diagnostics)
        return None


@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes(text):
    parse_or_error(text)


@given(lines)
def test_seed_constructs_mixed(parts):
    text = "\n".join(parts)
    doc = parse_or_error(text)
    if doc is None:
        return
    n_lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    for card in doc.cards:
        assert card.question.strip()
        assert 1 <= card.span.line <= n_lines
        assert card.span.line <= card.end_line <= n_lines


@given(lines)
def test_crlf_and_lf_give_the_same_model(parts):
    text = "\n".join(parts)
    a = parse_or_error(text)
    b = parse_or_error(text.replace("\n", "\r\n"))
    assert (a is None) == (b is None)
    if a is not None:
        assert document_to_dict(a) == document_to_dict(b)


def test_a_lone_surrogate_in_text_does_not_crash_the_section_cache():
    # found by the test above: text given as str may hold any code point
    doc = parse_text("## 面\n### 1. 简单介绍强化学习？\n答 \ud800\n", "x.md")
    assert [c.question for c in doc.cards] == ["简单介绍强化学习？"]


SCRIPTY = re.compile(r"<script|<iframe|<object|<embed|<[a-z][^>]*\son\w+\s*=|javascript:", re.I)


@given(lines)
def test_rendering_never_emits_script(parts):
    text = "\n".join(parts)
    for out in (render_markdown(text), render_inline(text)):
        assert not SCRIPTY.search(out.replace("&lt;", "").replace("javascript:alert(1)", "")), out


@given(st.text(max_size=200))
def test_rendering_arbitrary_text_is_inert(text):
    out = render_markdown(text)
    assert not re.search(r"<script|<[a-z][^>]*\son\w+\s*=", out, re.I)
