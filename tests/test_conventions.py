"""The conventions real notes use (issue: real notes), on synthetic fixtures written for this."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from qadeck.cli import cli
from qadeck.errors import SourceError
from qadeck.parse import parse_file, parse_text
from qadeck.text import split_label

from .conftest import deck_fields

NOTES = Path(__file__).parent / "fixtures" / "notes"


@pytest.mark.parametrize(
    "heading,label,question",
    [
        ("1. 简单介绍强化学习？", "1", "简单介绍强化学习？"),
        ("1.1 什么是A？", "1.1", "什么是A？"),
        ("2.1.3 如何计算注意力", "2.1.3", "如何计算注意力"),
        ("1、为什么用 RMSNorm", "1", "为什么用 RMSNorm"),
        ("（1）LoRA 的作用", "1", "LoRA 的作用"),
        ("(2) QLoRA 原理", "2", "QLoRA 原理"),
        ("1-1 量化的区别", "1-1", "量化的区别"),
        ("一、介绍一下 LLM？", "一", "介绍一下 LLM？"),
        ("十、大模型面", "十", "大模型面"),
        ("Q1: 解释 PagedAttention", "Q1", "解释 PagedAttention"),
        ("QA: 讲讲 FlashAttention", "QA", "讲讲 FlashAttention"),
        ("1.概述", "1", "概述"),
        ("3.**当前技术简述**", "3", "当前技术简述"),
        ("2.5D 张量并行", "", "2.5D 张量并行"),
        ("2024年的新进展", "", "2024年的新进展"),
        ("RLHF 在实践中有哪些不足？", "", "RLHF 在实践中有哪些不足？"),
    ],
)
def test_labels(heading, label, question):
    assert split_label(heading) == (label, question)


def cards_of(text: str):
    return [(c.label, c.question, c.answer) for c in parse_text(text, "x.md").cards]


def test_category_versus_question_and_answer_subheadings():
    text = "### 1. 理论篇\n#### 1.1 什么是A？\n答A\n#### 2. Prefix LM 是什么？\n前缀\n##### 2.1 Prefix LM\n细节\n"
    doc = parse_text(text, "x.md")
    assert [s.title for s in doc.sections] == ["理论篇"]
    assert [c.question for c in doc.cards] == ["什么是A？", "Prefix LM 是什么？"]
    assert "##### 2.1 Prefix LM\n细节" in doc.cards[1].answer
    kinds = {d.text: d.kind for d in doc.decisions}
    assert kinds["1. 理论篇"] == "section" and kinds["2. Prefix LM 是什么？"] == "card"


def test_bold_line_questions_but_not_bold_labels():
    cards = cards_of(
        "## 并行\n\n**1.2 数据并行是什么？**\n切分数据。\n\n**2.5D 张量并行**\n\n**思路**\n按维度切。\n"
    )
    assert [(label, q) for label, q, _ in cards] == [("1.2", "数据并行是什么？")]
    assert "**2.5D 张量并行**" in cards[0][2] and "**思路**" in cards[0][2]


def test_reference_sections_are_not_cards():
    doc = parse_text(
        "## 章\n\n### 1. 什么是A？\n答\n\n### 参考资料\n- [论文](https://x)\n\n### References\n- y\n",
        "x.md",
    )
    assert [c.question for c in doc.cards] == ["什么是A？"]
    assert "[论文](https://x)" in doc.sections[0].notes


def test_promoted_questions_say_where_they_came_from():
    doc = parse_text(
        "## 章\n\n**1. 什么是A？**\n答\n\n问题：什么是B？\n\n答：B\n\n- 什么是C？\n  C\n", "x.md"
    )
    assert [c.origin for c in doc.cards] == ["bold", "prefix", "list"]
    reasons = [d.reason for d in doc.decisions if d.kind == "card"]
    assert reasons[0].startswith("a bold line") and "list item" in reasons[2]


def test_images_in_questions_are_packaged(tmp_path):
    (tmp_path / "a.png").write_bytes((NOTES / "2.x-基础" / "images" / "attn.png").read_bytes())
    src = tmp_path / "q.md"
    src.write_text("## 图\n\n### 1. 这张图 ![图](a.png) 是什么？\n答\n", encoding="utf-8")
    card = parse_file(src).cards[0]
    assert [i.src for i in card.images] == ["a.png"] and card.images[0].path
    result = CliRunner().invoke(cli, ["html", str(src), "--out", str(tmp_path / "d")])
    assert result.exit_code == 0 and "data:image/png;base64," in (
        tmp_path / "d" / "q.html"
    ).read_text("utf-8")


def test_question_answer_prefixes():
    cards = cards_of(
        "## 章\n\n问题：池化有什么作用？\n\n答：降低分辨率。\n\nQ: What is ZeRO?\n\nA: Sharding.\n"
    )
    assert cards == [("", "池化有什么作用？", "降低分辨率。"), ("", "What is ZeRO?", "Sharding.")]


def test_list_item_questions_with_nested_answers():
    cards = cards_of(
        "## 章\n\n- 什么是感受野？\n  输入区域。\n- 为什么用 3x3 卷积？\n  1. 参数少\n  2. 非线性多\n"
    )
    assert cards == [
        ("", "什么是感受野？", "输入区域。"),
        ("", "为什么用 3x3 卷积？", "1. 参数少\n2. 非线性多"),
    ]
    # A plain list of questions without answers stays a list (like a question index), and
    # answers nothing on its own.
    assert (
        cards_of("## 章\n\n### 1. 什么是A？\nA 是字母。\n- 什么是B？\n- 什么是C？\n")[0][2]
        == "A 是字母。\n- 什么是B？\n- 什么是C？"
    )
    assert cards_of("## 章\n\n### 1. 什么是A？\n- 什么是B？\n- 什么是C？\n") == []


def test_setext_code_fences_and_noise():
    text = (
        "[toc]\n\n\\[toc]\n\n<!-- TOC -->\n- [章](#章)\n- [](#)\n<!-- /TOC -->\n\n"
        "章节\n====\n\n问题是什么？\n------\n答案<!-- 注释 -->\n\n```\n# 不是标题\n```\n\n"
        "- 列表\n  ```python\n  # 缩进的代码\n  ```\n"
    )
    doc = parse_text(text, "x.md")
    assert [c.question for c in doc.cards] == ["问题是什么？"]
    assert "# 不是标题" in doc.cards[0].answer and "  # 缩进的代码" in doc.cards[0].answer
    assert not doc.sections[0].notes


def test_math_stays_intact(tmp_path):
    src = tmp_path / "m.md"
    src.write_text(
        "## 数学\n\n### 1. 复杂度是$O(n^2)$吗？\n是的，$\\sqrt{d}$中文紧贴。\n\n$$\n\\sum_i x_i\n$$\n",
        "utf-8",
    )
    card = parse_file(src).cards[0]
    assert card.question == "复杂度是$O(n^2)$吗？"
    result = CliRunner().invoke(
        cli, ["all", str(src), "--out", str(tmp_path / "d")], catch_exceptions=False
    )
    assert result.exit_code == 0
    fields = deck_fields(tmp_path / "d" / "m.apkg")
    assert "\\(O(n^2)\\)" in fields and "\\(\\sqrt&#123;d&#125;\\)" not in fields
    assert "\\(\\sqrt{d}\\)" in fields and "\\[\\sum_i x_i\\]" in fields
    page = (tmp_path / "d" / "m.html").read_text("utf-8")
    assert page.count("<math") == 3 and "<msqrt>" in page
    text = pdf_text(tmp_path / "d" / "m.pdf")
    assert "中文紧贴" in text and "\\sqrt" not in text and "O(n^2)" not in text  # typeset


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "".join(p.extract_text() or "" for p in PdfReader(path).pages)


@pytest.fixture
def notes(tmp_path) -> Path:
    folder = tmp_path / "notes"
    shutil.copytree(NOTES, folder)
    return folder


def test_folder_check_reports_per_file(notes):
    result = CliRunner().invoke(cli, ["check", str(notes)], catch_exceptions=False)
    assert result.exit_code == 0
    out = result.stdout
    order = [out.index(name) for name in ("A-概述.md", "B-专题-CNN.md", "C-setext.md")]
    assert order == sorted(order)  # 2.x before 10.x: natural order
    assert "3 files, 25 cards in one deck" in out
    assert "  2 sections, 15 cards" in out and "  1 sections, 9 cards" in out
    assert "the same question also appears at" in result.stderr
    assert "B-专题-CNN.md:33:7: warning: image 'images/none.png' not found" in result.stderr
    assert "B-专题-CNN.md:33:32: warning: remote image" in result.stderr


def test_folder_builds_one_deck_page_and_pdf(notes, tmp_path):
    out = tmp_path / "dist"
    result = CliRunner().invoke(cli, ["all", str(notes), "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    import anki.lang
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    anki.lang.set_lang("en_US")
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(out / "notes.apkg"), options=ImportAnkiPackageOptions()
            )
        )
        decks = {col.decks.name(col.get_card(c).did) for c in col.find_cards("")}
        assert "notes::2.x-基础::大模型基础::理论篇" in decks
        assert "notes::10.x-进阶::B-专题-CNN::卷积网络" in decks
        assert "notes::10.x-进阶::C-setext::Setext 笔记" in decks
        assert len(col.find_notes("")) == 25
        assert col.media.check().missing == []
        assert len(list(Path(col.media.dir()).iterdir())) == 2  # both local images packaged
        guids = {col.get_note(n).guid for n in col.find_notes("")}
    finally:
        col.close()
    # Each file keeps its own identity: building it alone gives the same note GUIDs.
    single = CliRunner().invoke(
        cli, ["anki", str(notes / "2.x-基础" / "A-概述.md"), "--out", str(tmp_path / "one")]
    )
    assert single.exit_code == 0, single.output
    assert "Transformer 由注意力层组成" in deck_fields(tmp_path / "one" / "A-概述.apkg")
    con = sqlite3.connect(tmp_path / "one" / "A-概述.anki2")
    single_guids = {g for (g,) in con.execute("select guid from notes")}
    con.close()
    assert len(single_guids) == 15 and single_guids <= guids
    # B's image lives in a sibling folder: fine inside the folder build, refused alone.
    alone = CliRunner().invoke(cli, ["check", str(notes / "10.x-进阶" / "B-专题-CNN.md")])
    assert alone.exit_code == 1 and "is outside the source folder" in alone.stderr

    page = (out / "notes.html").read_text("utf-8")
    assert page.count('class="part-title"') == 3
    assert re.search(r'<a href="#s-2-x-基础-a-概述--1-理论篇" class="xref">基础</a>', page)
    assert page.count("data:image/png;base64,") == 3
    assert 'class="missing-image"' in page and 'src="https://' not in page
    text = re.sub(r"\s+", "", pdf_text(out / "notes.pdf"))
    for name in ("2.x-基础/大模型基础", "10.x-进阶/B-专题-CNN", "10.x-进阶/C-setext"):
        assert name in text
    assert "它们变成页内链接：基础，和外部" in text


def test_question_headings_become_cards():
    """At least 95% of headings ending in ？/? become cards, in the shapes real notes use."""
    shapes = [
        "## {q}\n答\n", "### 1. 篇\n#### {q}\n答\n", "# 标题\n## 章\n### 1.1 {q}\n答\n",
        "## 章\n### {q}\n#### 细节\n答\n", "#### {q}\n答\n\n---\n", "## 章\n\n**题目：**\n1. {q}\n\n### 1. {q}\n答\n",
        "## 1.{q}\n答\n", "### Q1: {q}\n答\n", "## 章\n### 一、{q}\n```\n# x\n```\n",
    ]  # fmt: skip
    questions = ["什么是注意力？", "为什么要归一化?", "How does PPO work?", "LoRA 的秩如何选择？"]
    total = hits = 0
    for shape in shapes:
        for q in questions:
            total += 1
            doc = parse_text(shape.format(q=q), "x.md")
            hits += any(c.question == q and c.answer.strip() for c in doc.cards)
    assert hits / total >= 0.95, (hits, total)


def test_a_fence_inside_a_quote_is_closed_as_markdown_it_closes_it():
    doc = parse_text(
        "### 什么是引用里的代码？\n\n> 例子：\n> ```java\n> int x = 1;\n> ```\n\n答：如上。\n"
    )
    assert len(doc.cards) == 1 and "int x = 1;" in doc.cards[0].answer
    # One the quote ends is ended there, as markdown-it ends it: nothing after it is lost.
    doc = parse_text("### 什么是A？\n\n> ```java\n> int x = 1;\n\n答。\n\n### 什么是B？\n乙\n")
    assert [c.question for c in doc.cards] == ["什么是A？", "什么是B？"]
    with pytest.raises(SourceError):  # one that swallows the rest of the file is reported
        parse_text("### 什么是A？\n\n```java\nint x = 1;\n\n### 什么是B？\n乙\n")
    # An empty one left open on the last line loses nothing: a warning.
    doc = parse_text("### 什么是A？\n甲\n\n```\n")
    assert any("runs to the end of the file" in w.message for w in doc.warnings)


def test_q1_dot_is_a_label_and_a_windows_image_path_is_named_as_such():
    doc = parse_text("### Q1. 什么是过拟合？\n答。\n\n### 什么是图？\n![x](F:/pics/a.png)\n")
    assert (doc.cards[0].label, doc.cards[0].question) == ("Q1", "什么是过拟合？")
    (warning,) = [w for w in doc.warnings if "F:/pics" in w.message]
    assert "another computer's drive" in warning.message and "scheme" not in warning.message


def _fixture_cases(path: Path) -> list[tuple[str, str, list[str]]]:
    """(name, Markdown, expected lines) of each `@@ name` case in a side-by-side file."""
    cases = []
    for chunk in path.read_text("utf-8").split("\n@@ ")[1:]:
        name, _, rest = chunk.partition("\n")
        parts = rest.split("\n.\n")
        source = parts[0].removeprefix(".\n") + "\n"
        expected = [x for x in parts[1].split("\n") if x.strip()]
        cases.append((name.strip(), source, expected))
    return cases


CASES = _fixture_cases(Path(__file__).parent / "fixtures" / "conventions.txt")


@pytest.mark.parametrize("name,source,expected", CASES, ids=[c[0] for c in CASES])
def test_convention_fixture(name, source, expected):
    cards = parse_text(source, "case.md").cards
    wanted = [x for x in expected if not x.startswith("- ") and x != "important"]
    assert [c.question for c in cards] == [x.split(" :: ")[0] for x in wanted], name
    answers = "\n".join(c.answer for c in cards)
    card = None
    it = iter(cards)
    for line in expected:
        if line.startswith("- "):
            assert line[2:].strip(": ") not in answers, (name, line)
        elif line == "important":
            assert "important" in card.tags, (name, card.question)
        else:
            card = next(it)
            if " :: " in line:
                assert line.split(" :: ", 1)[1] in card.answer, (name, card.question)
            assert ("important" in card.tags) == (
                expected[expected.index(line) + 1 : expected.index(line) + 2] == ["important"]
            ), (name, card.question)


def test_check_decisions_names_the_rule_that_decided(tmp_path):
    src = tmp_path / "q.md"
    src.write_text(
        "# 7. 反转链表\n\n## 题目描述\n反转单链表。\n\n## 解题思路\n三指针。\n\n"
        "## 待完成\n- 递归写法\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["check", str(src), "--decisions"], catch_exceptions=False)
    assert result.exit_code == 0
    lines = {x.split("—")[0].split()[-1]: x for x in result.stdout.splitlines() if "—" in x}
    assert "[topic]" in lines["反转链表"] and "[part-heading]" in lines["题目描述"]
    assert "[todo]" in lines["待完成"]
    (card,) = parse_file(src).cards
    assert card.question == "反转链表" and "三指针" in card.answer and "递归写法" not in card.answer


def test_a_heading_is_decided_by_its_own_neighbourhood():
    """Appending an unrelated section never changes what the earlier headings are."""
    head = "## 注意力\n注意力是加权求和。\n\n### 注意力的复杂度是多少？\n平方。\n"
    tails = [
        "",
        "\n## 网络协议\n### 参考\n- [x](https://e.org)\n",
        "\n## 其他\n### 什么是 B？\n乙\n",
    ]
    seen = [[c.question for c in parse_text(head + t).cards][:2] for t in tails]
    assert seen == [["注意力", "注意力的复杂度是多少？"]] * 3


def test_front_matter_of_a_published_site_is_read_not_refused():
    """Jekyll notes: `title: 2026-04-28` is a date to YAML and text to the author; the
    generator's own keys (layout, permalink) are no typo to warn about."""
    doc = parse_text(
        "---\nlayout: default\ntitle: 2026-04-28\npermalink: /r.html\nid: 0042\n---\n"
        "## 什么是 SFT？\n监督微调。\n",
        "x.md",
    )
    assert doc.title == "2026-04-28" and doc.options["id"] == "0042"
    assert [c.question for c in doc.cards] == ["什么是 SFT？"]
    assert not [w for w in doc.warnings if "front matter" in w.message]
