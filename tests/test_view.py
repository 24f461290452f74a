"""The render view every output reads: entry order, group headers, numbering, notes."""

from __future__ import annotations

import base64

from click.testing import CliRunner

from qadeck.cli import _templates_dir, cli
from qadeck.parse import parse_file, parse_text
from qadeck.renderers.view import CardView, GroupView, document_view

TWO_GROUPS = """## 模型

### 一、基础
#### 1. 什么是过拟合？
记住训练集。
#### 2. 什么是欠拟合？
学得不够。

### 二、基础
#### 3. 什么是正则化？
约束参数。

### 三、进阶
#### 4. 什么是早停？
验证集不再变好就停。

## 训练

#### 5. 什么是学习率？
步长。
"""


def shape(view) -> list[list[str]]:
    return [
        [
            f"G:{e.label}{e.title}" if isinstance(e, GroupView) else f"{e.number}:{e.label}"
            for e in s.entries
        ]
        for s in view.sections
    ]


def test_entries_in_order_with_a_header_wherever_the_group_changes():
    view = document_view(parse_text(TWO_GROUPS))
    assert shape(view) == [
        ["G:一基础", "1:1", "2:2", "G:二基础", "3:3", "G:三进阶", "4:4"],
        ["5:5"],
    ]
    assert [c.number for c in view.cards] == [1, 2, 3, 4, 5]
    assert all(isinstance(c, CardView) for c in view.sections[0].cards)
    assert document_view(view.doc) is view  # built once per document


def test_language_choice():
    doc = parse_text(
        "## S\n\n::: en Section\n:::\n\n### 1. 什么是A？\n答A\n\n::: en What is A?\nAnswer A.\n:::\n"
        "\n### 2. 什么是B？\n答B\n"
    )
    view = document_view(doc)
    a, b = view.cards
    assert a.in_lang("zh")[2:] == ("", "") and "What is A?" in a.in_lang("both")[2]
    assert "What is A?" in a.in_lang("en")[0] and "答B" in b.in_lang("en")[1]  # no English: Chinese
    assert view.sections[0].in_lang("en") == ("Section", "")
    assert view.sections[0].in_lang("both") == ("S", "Section")


def test_two_groups_of_one_title_each_get_their_header_in_the_page_and_sheet(tmp_path):
    src = tmp_path / "g.md"
    src.write_text(TWO_GROUPS, encoding="utf-8")
    result = CliRunner().invoke(cli, ["html", str(src), "--out", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "d" / "g.html").read_text(encoding="utf-8")
    assert page.count('<span lang="zh-CN">基础</span></h3>') == 2
    assert '<span class="label">二</span> <span lang="zh-CN">基础</span>' in page

    from qadeck.pipeline import load
    from qadeck.renderers import RenderContext
    from qadeck.renderers.pdf import PdfRenderer

    loaded = load(src)
    ctx = RenderContext(tmp_path, _templates_dir(None), loaded.lock, src)
    (sheet,) = PdfRenderer().html(loaded.doc, ctx, "sheet", "zh", "A4")
    assert '<span class="label">一</span> 基础</h3>' in sheet
    assert '<span class="label">二</span> 基础</h3>' in sheet


def test_an_image_in_a_section_note_is_shown(tmp_path):
    from PIL import Image

    (tmp_path / "img").mkdir()
    Image.new("RGB", (8, 8), (0, 128, 255)).save(tmp_path / "img" / "y.png")
    src = tmp_path / "n.md"
    src.write_text(
        "## 章\n\n### 1. 什么是A？\n答A\n\n---\n\n小结见图：![小结](img/y.png)\n", encoding="utf-8"
    )
    doc = parse_file(src)
    assert "img/y.png" in doc.sections[0].notes
    result = CliRunner().invoke(cli, ["html", str(src), "--out", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "d" / "n.html").read_text(encoding="utf-8")
    png = base64.b64encode((tmp_path / "img" / "y.png").read_bytes()).decode()
    assert f'<img src="data:image/png;base64,{png}" alt="小结">' in page
    assert "[image:" not in page
