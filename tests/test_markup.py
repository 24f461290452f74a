"""The shared Markdown → HTML step: the Rust fast path renders exactly like the Python one."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from qadeck import fastrender, markup
from qadeck.parse import parse_file, parse_text

from .conftest import ROOT, SEED


def corpus() -> list[str]:
    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    answers = [c.answer for c in parse_file(SEED).cards]
    answers += [t.answer for c in parse_file(SEED).cards for t in c.translations.values()]
    answers += [c.answer for c in parse_text(generate.source(300), "b.md").cards]
    for path in sorted((ROOT / "tests").rglob("*.md")):
        try:
            answers += [c.answer for c in parse_file(path, root=path.parent.parent).cards]
        except Exception:  # noqa: BLE001 - bad inputs that refuse to parse have no answers
            continue
    answers += [
        "x \"q\" & 'a' `c<d>`",
        "~~s~~ [l](./n) [e](https://e.x)",
        "1. a\n   ```\n   b\n   ```",
    ]
    return answers


def test_fast_path_matches_python_renderer():
    if fastrender._pyrs() is None:
        pytest.skip("markdown-it-pyrs not installed")
    used, sources = 0, corpus()
    for source in sources:
        fast = fastrender.fast_render(source)
        if fast is not None:
            used += 1
            assert fast == markup._render_slow(source), source
    assert used > len(sources) / 2  # the fast path really serves most cards


def test_render_is_cached_and_shared():
    markup._render_block.cache_clear()
    text = "**缓存** 测试"
    assert markup.render_markdown(text) is markup.render_markdown(text)
    assert Path  # keep import used


def test_fast_inline_path_matches():
    if fastrender._pyrs() is None:
        pytest.skip("markdown-it-pyrs not installed")
    questions = [c.question for c in parse_file(SEED).cards]
    questions += [
        "- 列表？",
        "# 标题",
        "> 引用",
        "1. 编号",
        "**粗体** `code` [l](./x)",
        "a  b",
        "   缩进",
    ]
    md = markup.make_parser()
    for q in questions:
        slow = markup._renderer().render(md.parseInline(q, {"images": {}}), md.options, {})
        assert markup.render_inline(q) == slow, q


def test_inputs_that_crash_the_rust_port_fall_back():
    for text in ("[a`b", "[T`😀", "Òë[T`\U000e5f34ë}C#", "\ud800"):
        out = markup.render_markdown(text)
        assert "`" in out or "\ud800" in out or "T" in out


FRAGMENTS = [
    "$x$", "$r_t = 4$", "$\\theta$", "$a < b$", "$a|b$", "$$", "$", "\\$", "1$", "$2", " ", " ",
    "**", "*", "_", "`", "`c`", "[l](./x)", "中文", "text", "。", "，", "3", "\\", "<b>", "|",
    "- ", "1. ", "> ", "# ", "\n", "\n", "\n\n", "~~", "&amp;", "```", "~~~", "    ", "\t",
    "***", "---", "===", "| a |", "|---|", "\\|", "   ", "2) ", "+ ", ":", "'", '"',
]  # fmt: skip


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=25))
@example(["~~~", "~~~", "\n", "~~~"])  # a fence of six, never closed by three (found by fuzz)
def test_fast_path_matches_on_generated_inline_markdown(parts: list[str]) -> None:
    if fastrender._pyrs() is None:
        pytest.skip("markdown-it-pyrs not installed")
    source = "".join(parts)
    fast = fastrender.fast_render(source)
    if fast is not None:
        assert fast == markup._render_slow(source)


def test_rendered_html_is_kept_between_builds(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from qadeck.cli import cli

    src = tmp_path / "n.md"
    src.write_text(
        "### 一、章节\n\n#### 1. 什么是A？\n\n答案 **A**。\n\n#### 2. 什么是B？\n\n答案 B。\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"

    def build():
        markup._render_block.cache_clear()
        result = CliRunner().invoke(cli, ["html", str(src), "--out", str(out)])
        assert result.exit_code == 0, result.output
        return (out / "n.html").read_text(encoding="utf-8")

    first = build()
    rendered: list[str] = []
    real = markup.fast_render
    monkeypatch.setattr(markup, "fast_render", lambda s: rendered.append(s) or real(s))
    assert build() == first and rendered == []  # every card came from the store
    src.write_text(src.read_text(encoding="utf-8").replace("答案 B。", "答案 B2。"), "utf-8")
    assert "B2" in build()
    assert rendered == ["答案 B2。"]  # only the edited answer was rendered again
    from qadeck.cache import cache_dir

    (store,) = cache_dir(out).glob("html-*.json")
    store.write_text("{damaged", encoding="utf-8")
    assert "B2" in build()  # a damaged store is ignored


def test_callouts_render_as_boxes_in_every_output():
    """`::: tip 标题` … `:::` (VuePress, VitePress, Docusaurus) is a titled box, never text;
    the title is text (no HTML from a source runs); a fold's label is no title; an unclosed
    callout ends with the answer."""
    src = (
        "前文。\n\n::: warning 注意 <b onclick=x>\n别关 **时间戳**。\n:::\n\n"
        "::: details 点击查看\n折叠内容\n:::\n\n:::tip[Docusaurus 标题]\n内容\n:::\n\n::: info\n未闭合"
    )
    out = markup.render_markdown(src)
    assert ":::" not in out
    assert '<div class="callout callout-warning">' in out
    assert '<p class="callout-title">注意 &lt;b onclick=x&gt;</p>' in out
    assert "<strong>时间戳</strong>" in out
    assert '<div class="callout callout-details">\n<p>折叠内容</p>' in out
    assert '<p class="callout-title">Docusaurus 标题</p>' in out
    assert out.rstrip().endswith('<div class="callout callout-info">\n<p>未闭合</p>\n</div>')
    for css in ("anki/card.css", "html/page.css", "pdf/sheet.css"):
        assert ".callout " in (ROOT / "templates" / css).read_text(encoding="utf-8"), css


def test_github_math_renders_as_math():
    """GitHub's math (what pandoc writes for `gfm`): a fence of info `math` is display math,
    `` $`x`$ `` inline math without its backticks, on the fast path and the slow one."""
    src = "注意 $`QK^{\\top}`$ 的维度\n\n``` math\nx^2 + y^2\n```\n"
    out = markup.render_markdown(src)
    assert "\\(QK^{\\top}\\)" in out and "`" not in out
    assert "\\[x^2 + y^2\\]" in out and "<code" not in out
    fence_only = "text\n\n```math\nE = mc^2\n```\n"
    assert "\\[E = mc^2\\]" in markup.render_markdown(fence_only)
