"""The Rust block parse (`fastblock`) gives markdown-it-py's tokens exactly, or declines.

Compared on every Markdown file in the repository, on generated benchmark sources, and on
generated line soups built to hit the places where the two parsers differ (containers, math
blocks, lazy lines, tabs, empty list items, unclosed fences, tables). `make fuzz` runs more.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qadeck import fastblock, parse
from qadeck.dialect import block_parser
from qadeck.errors import SourceError
from qadeck.jsonout import document_to_dict

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402

FILES = sorted(
    p for d in ("source", "tests") for p in (ROOT / d).rglob("*.md") if "dist" not in p.parts
)
LINES = [
    "", "", "", "# H", "## 问题？", "### 1. 什么是RL？", "text line", "中文段落", "**粗体：**",
    "- item", "  - nested", "    - deep", "* star", "1. one", "2) two", "10. ten", "   3. three",
    "  continuation", "    indented code", "\tTab", "- \tx", "> quote", ">> qq", "> - qlist",
    "```", "```py", "~~~", "````", "  ```", "::: en Q?", ":::", "::::", "::: zh", "::: warning",
    "  ::: en X", ":::en", "::: en", "::: tip 标题", ":::details", "::: danger[T]", "$$", "$$ x $$", "$$x", "  $$", "$$ a $$ b", "x $$", "$$ (1)",
    "| a | b |", "|---|---|", "| 1 | 2 |", "a | b", "--- | ---", "---", "***", "___", "===",
    "- - -", "<div>", "</div>", "<!-- c -->", "<!--", "-->", "<pre>", "</pre>", "<span>x</span>",
    "[a]: http://x", "[toc]", "...", "title: x", "\\", "  ", " - a", "+ plus", "-", "1.", "*",
    "\t- tabbed", "-\tx", "1.\ty", "  \tz", "\t\tcode", "> \tq",
    ">", "> ", "> ::: en Q", "> :::", "> $$", "- ::: en Q", "- $$", "    $$", "    :::", "> - $$",
]  # fmt: skip
# Notes as people write them: what the fast path must take, not decline.
NOTE_LINES = [
    "", "", "", "## 一、章节", "### 1. 什么是RL？", "#### 1.1 PPO 是什么？", "**题目：**", "正文，说明。",
    "- **要素**：说明", "  - 子项", "1. 第一步", "2. 第二步", "| 维度 | 值 |", "|---|---|", "| a | b |",
    "```python", "x = 1", "```", "::: en What is RL?", "An answer.", ":::", "$$", "J(\\theta)", "$$",
    "::: tip 面试要点", "::: warning", "> 引用", "---", "公式 $r_t$ 与 `code`。",
]  # fmt: skip


def project(tokens) -> list[tuple]:
    """What `parse.py` reads of each token. A table's rows are not built (nothing reads them);
    inside lists and quotes, the indentation of continuation lines in inline text differs
    harmlessly (only a paragraph's first line is read there)."""
    out, in_table = [], False
    for t in tokens:
        if t.type == "table_close":
            in_table = False
        if in_table:
            continue
        in_table = t.type == "table_open"
        row: tuple = (t.type, t.nesting, t.level, list(t.map) if t.map else None, t.tag, t.hidden)
        if t.type in ("html_block", "front_matter") or (t.type == "inline" and t.level <= 1):
            row += (t.content,)
        elif t.type == "inline":
            row += ("\n".join(x.strip().lstrip("> ").strip() for x in t.content.split("\n")),)
        if t.type in ("list_item_open", "container_lang_open", "container_callout_open"):
            row += (t.info,)
        if t.type == "fence" or t.type.endswith("list_open"):
            row += (t.markup,)
        out.append(row)
    return out


def same_or_declined(text: str) -> bool:
    """True when the fast path answered (and matched), False when it declined."""
    fast = fastblock.block_tokens(text)
    if fast is not None:
        assert project(fast) == project(block_parser().parse(text))
    return fast is not None


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_repository_files(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
    taken = same_or_declined(text)
    if path.name != "nested-lists.md" and "\r" not in text:  # 50 levels: markdown-it-py's cut
        # `\[` math blocks have no Rust rule: markdown-it-py reads those files.
        assert taken or fastblock._BRACKET_MATH.search(text), "the fast path declined a file"


def test_generated_sources_in_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    text = generate.source(400)
    assert same_or_declined(text)
    monkeypatch.setattr(fastblock, "_CHUNK_LINES", 50)
    assert same_or_declined(text)


@pytest.mark.parametrize(
    "text",
    [
        "::: zh\n<div>",  # a block in a container at the end, no line end
        "> ::: en Q\n> a\n> :::\n",  # a container in a quote
        "1. ::: tip\n   a\n   :::\n",  # in a list item
        "- a\n\n    ::: en Q\n    b\n    :::\n",  # in a list item's later paragraph
        "- $$\n  x\n  $$\n",  # math in a list item
        "> a\n>\n> $$\n> x\n> $$\n",  # in a quote
        ">\n\nx\n",  # an empty quote spans the blank lines after it
    ],
)
def test_nested_blocks_found_by_soups(text: str) -> None:
    same_or_declined(text)


@given(st.lists(st.sampled_from(LINES), max_size=30), st.booleans(), st.sampled_from([3, 4000]))
def test_line_soup(lines: list[str], newline: bool, chunk: int) -> None:
    old, fastblock._CHUNK_LINES = fastblock._CHUNK_LINES, chunk
    try:
        same_or_declined("\n".join(lines) + "\n" * newline)
    finally:
        fastblock._CHUNK_LINES = old


@given(st.lists(st.sampled_from(NOTE_LINES), max_size=60))
def test_note_soup(lines: list[str]) -> None:
    same_or_declined("\n".join(lines) + "\n")


@pytest.mark.parametrize("path", FILES[:12], ids=lambda p: p.name)
def test_documents_identical(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole model is the same with either parser."""

    def doc():
        try:
            return document_to_dict(parse.parse_file(path))
        except SourceError as e:
            return [str(d) for d in e.diagnostics]

    fast = doc()
    monkeypatch.setattr(parse, "block_tokens", lambda source, chunks=None: None)
    assert doc() == fast
