"""Dollars that are money, escaped dollars, and `_`/`*` inside math, in all three outputs."""

from __future__ import annotations

import re

from click.testing import CliRunner

from qadeck.cli import cli

from .conftest import deck_fields

NOTES = r"""## 杂项

### 1. 这个多少钱？
原价 $5，现价 $10，便宜了。Pay $5, get $x$ back. It costs $5 and $10 today.

### 2. 转义的美元怎么写？
写作 \$100 的价格，不是公式。

### 3. 下标和星号会变成强调吗？
$a_1 * b_2 * c_3$ 与 $x_i$ 里的下划线和星号都属于公式。
"""


def build(tmp_path):
    src = tmp_path / "money.md"
    src.write_text(NOTES, encoding="utf-8")
    result = CliRunner().invoke(cli, ["all", str(src), "--out", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    return tmp_path / "d"


def test_money_escapes_and_math_in_all_three_outputs(tmp_path):
    out = build(tmp_path)
    fields = deck_fields(out / "money.apkg")
    assert "原价 $5，现价 $10，便宜了" in fields and "It costs $5 and $10 today." in fields
    assert 'Pay $5, get <span class="math">\\(x\\)</span> back' in fields
    assert "写作 $100 的价格" in fields
    assert "\\(a_1 * b_2 * c_3\\)" in fields and "\\(x_i\\)" in fields
    assert "<em>" not in fields and fields.count("\\(") == 3

    page = (out / "money.html").read_text(encoding="utf-8")
    assert "原价 $5，现价 $10，便宜了" in page and "写作 $100 的价格" in page
    assert page.count("<math") == 3 and "<em>" not in page
    assert re.search(r"<msub><mi>a</mi><mn>1</mn></msub>", page)

    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(out / "money.pdf").pages)
    flat = text.replace(" ", "").replace("\n", "")
    assert "原价$5，现价$10，便宜了" in flat and "写作$100的价格" in flat
    assert "\\(" not in text and "a_1" not in text  # formulas typeset, money printed
