"""`\\(…\\)` and `\\[…\\]` math (LaTeX's delimiters, and what chat assistants write) in the
Markdown rules and in all three outputs; escaped brackets that are not math stay text."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from qadeck.bracketmath import looks_like_tex
from qadeck.cli import cli
from qadeck.markup import render_markdown

from .conftest import deck_fields

NOTES = r"""## 杂项

### 1. 注意力怎么算？
定义如下：
\[
\mathrm{Attention}(Q,K,V)
=
\mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V
\]
其中 \(d_k\) 是键的维度，参见文献 \[1\]。

### 2. 交叉熵是什么？
\[ H(p,q) = -\sum_i p_i \log q_i \]
"""


def test_a_display_block_keeps_its_lines_and_backslashes():
    out = render_markdown("文字\n\\[\na \\\\ b\n=\nc_1\n\\]\n")
    assert out == '<p>文字</p>\n<div class="math">\\[a \\\\ b\n=\nc_1\\]</div>\n'


@pytest.mark.parametrize(
    "source, html",
    [
        ("见 \\[1\\] 与 \\[注\\]", "<p>见 [1] 与 [注]</p>\n"),  # escaped brackets, not math
        ("\\[1\\] Smith et al.", "<p>[1] Smith et al.</p>\n"),
        ("\\[\n没有闭合\n\n下一段", "<p>[\n没有闭合</p>\n<p>下一段</p>\n"),  # a blank line first
        (
            "设 \\(x\\) 与 \\( y \\)",
            '<p>设 <span class="math">\\(x\\)</span> 与 <span class="math">\\( y \\)</span></p>\n',
        ),
        ("行内 \\[x^2\\] 显示", '<p>行内 <span class="math">\\[x^2\\]</span> 显示</p>\n'),
        ("\\(\\)", "<p>()</p>\n"),
        (
            "    \\[\n    x = 1\n    \\]",
            '<div class="highlight"><pre><code>\\[\nx = 1\n\\]\n</code></pre></div>\n',
        ),
        (
            "> \\[\n> y = 2\n> \\]",
            '<blockquote>\n<div class="math">\\[y = 2\\]</div>\n</blockquote>\n',
        ),
    ],
)
def test_bracket_rules(source, html):
    assert render_markdown(source) == html


def test_what_looks_like_tex():
    assert looks_like_tex("x^2") and looks_like_tex("a = b") and looks_like_tex("x")
    assert not looks_like_tex("1") and not looks_like_tex("注") and not looks_like_tex("1, 2")


def test_bracket_math_in_all_three_outputs(tmp_path):
    src = tmp_path / "brackets.md"
    src.write_text(NOTES, encoding="utf-8")
    result = CliRunner().invoke(cli, ["all", str(src), "--out", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    out = tmp_path / "d"

    fields = deck_fields(out / "brackets.apkg")
    assert fields.count('<div class="math">\\[') == 2 and "\\(d_k\\)" in fields
    assert "=\n\\mathrm{softmax}" in fields and "参见文献 [1]" in fields
    assert "<h" not in fields  # the `=` line made no heading

    page = (out / "brackets.html").read_text(encoding="utf-8")
    assert (
        page.count("<math") == 3
        and page.count('MathML" display="block"') == 2
        and "参见文献 [1]" in page
    )

    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(out / "brackets.pdf").pages)
    assert "\\[" not in text and "\\mathrm" not in text and "参见文献[1]" in re.sub(r"\s", "", text)
