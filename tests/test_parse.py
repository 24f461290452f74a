"""The seed parses to exactly the structure the issue describes; the rules hold on other notes."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from qadeck.cli import cli
from qadeck.errors import SourceError
from qadeck.jsonout import document_from_dict, document_to_dict
from qadeck.parse import parse_text

from .conftest import SEED, SHARED_SEED, write


def test_seed_is_the_shared_seed_plus_translations_only():
    """Every seed line is kept, in order, byte for byte; we added blanks and `::: en` blocks."""
    if not SHARED_SEED.exists():
        pytest.skip("shared seed not beside the repository")
    ours = SEED.read_bytes().split(b"\n")
    seed = SHARED_SEED.read_bytes().split(b"\n")
    j, inside = 0, False
    for line in ours:
        if j < len(seed) and line == seed[j] and not inside:
            j += 1
        elif line.startswith(b"::: en"):
            inside = True
        elif inside:
            inside = line != b":::"
        else:
            assert line == b"", line.decode()
    assert j == len(seed)


def test_seed_structure(seed_doc):
    doc = seed_doc
    assert [s.level for s in doc.sections] == [3, 3]
    s1, s2 = doc.sections
    assert s1.label == "十" and s1.title == "大模型（LLMs）强化学习面"
    assert s2.title == "大模型（LLMs）强化学习——RLHF及其变种面"
    assert [c.label for c in s1.cards] == [str(i) for i in range(1, 9)]
    assert [c.label for c in s2.cards] == ["一", "2.1", "3.1", "3.2", "3.3", "4.1"]
    assert len(doc.cards) == 14
    assert s1.cards[0].question == "简单介绍强化学习？"
    assert s1.cards[6].question.startswith("如何解决 PPO 的训练过程同时存在4个模型")
    assert s2.cards[0].question == "介绍一下 LLM的经典预训练Pipeline？"
    assert [g.title for g in s2.groups] == [
        "预训练（Pre-training）篇",
        "有监督微调（Supervised Finetuning）篇",
        "对齐（Alignment）篇",
    ]
    assert [g.label for g in s2.groups] == ["二", "三", "四"]
    assert [c.group for c in s2.cards] == [None, *["预训练（Pre-training）篇"],
                                           *["有监督微调（Supervised Finetuning）篇"] * 3,
                                           "对齐（Alignment）篇"]  # fmt: skip
    assert s2.cards[1].headings == (s2.title, "预训练（Pre-training）篇")
    assert s2.cards[1].level == 5 and s2.cards[0].level == 4


def test_seed_answers(seed_doc):
    cards = {c.label: c for c in seed_doc.cards}
    assert cards["1"].answer.startswith("**强化学习（Reinforcement Learning, RL）**")
    assert cards["1"].answer.endswith(
        "状态到动作的映射\n\n目标是通过最大化累积奖励来学习最优策略。"
    )
    from qadeck.markup import render_markdown

    assert "</ul>\n<p>目标是通过最大化累积奖励来学习最优策略。</p>" in render_markdown(
        cards["1"].answer
    )
    assert "::: en" not in cards["1"].answer
    assert cards["3.2"].answer.count("```json") == 2
    assert '"instruction": "写一首关于春天的诗"' in cards["3.2"].answer
    table = cards["3.3"].answer
    assert table.startswith("| 维度 | 预训练 | 有监督微调 |")
    assert "| **数据分布** | 自然文本分布 | 指令遵循分布 |" in table
    assert cards["4.1"].answer.rstrip().endswith("- **挑战**：价值观多元化、奖励黑客、评估困难等")


def test_closing_line_in_no_card(seed_doc):
    closing = "以上内容详细回答了所有题目"
    assert all(closing not in c.answer for c in seed_doc.cards)
    assert closing in seed_doc.sections[1].notes


def test_seed_index(seed_doc):
    s1, s2 = seed_doc.sections
    assert len(s1.index) == 8
    assert [e.label for e in s1.index] == [str(i) for i in range(1, 9)]
    assert s1.index[0].text == "简单介绍强化学习？" and s1.index[0].span.line == 7
    assert [e.label for e in s2.index] == [
        "一",
        "二",
        "2.1",
        "三",
        "3.1",
        "3.2",
        "3.3",
        "四",
        "4.1",
    ]
    assert not seed_doc.warnings


def test_seed_translations(seed_doc):
    for c in seed_doc.cards:
        en = c.translations["en"]
        assert en.question and en.answer
        assert not re.search(r"[\u4e00-\u9fff]", en.question + en.answer), c.label
    assert seed_doc.sections[0].translations["en"].question.startswith("Reinforcement Learning")
    g = seed_doc.sections[1].groups[0]
    assert g.translations["en"].question == "Pre-training"


def test_spans(seed_doc):
    lines = SEED.read_text(encoding="utf-8").split("\n")
    for c in seed_doc.cards:
        assert lines[c.span.line - 1].lstrip("#").strip().startswith(c.label)
        assert c.question in lines[c.span.line - 1]


def test_glossary(seed_doc):
    terms = {t.zh or t.abbr: t for t in seed_doc.glossary}
    rl = terms["强化学习"]
    assert (rl.en, rl.abbr, rl.span.line) == ("Reinforcement Learning", "RL", 19)
    assert terms["奖励黑客"].en == "Reward Hacking"
    assert terms["RLHF"].en == "Reinforcement Learning from Human Feedback"
    assert terms["有监督微调"].abbr == "SFT"
    assert terms["有监督微调"].en == "Supervised Finetuning"
    assert terms["智能体"].en == "Agent"
    assert len({t.zh or t.abbr for t in seed_doc.glossary}) == len(seed_doc.glossary)


def test_index_cross_check_warns_both_ways(tmp_path):
    text = """## 第一章

**题目：**
1. 什么是A？
2. 什么是B？
3. 什么是C？

#### 1. 什么是A？
答A

#### 2. 什么是B？
答B

#### 4. 什么是D？
答D
"""
    doc = parse_text(text, "x.md")
    msgs = [str(w) for w in doc.warnings]
    assert any("x.md:6:1:" in m and "'什么是C？'" in m and "no card" in m for m in msgs), msgs
    assert any("x.md:14:1:" in m and "什么是D" in m and "not in the section" in m for m in msgs)


def test_headings_levels_do_not_matter():
    h3 = "### 第一部分\n\n#### 1. 什么是A？\n答A\n\n#### 2. 什么是B？\n答B\n"
    h1 = "# 第一部分\n\n## 1. 什么是A？\n答A\n\n## 2. 什么是B？\n答B\n"
    a, b = parse_text(h3, "a.md"), parse_text(h1, "a.md")
    assert [(c.label, c.question, c.answer) for c in a.cards] == [
        (c.label, c.question, c.answer) for c in b.cards
    ]
    assert [s.title for s in a.sections] == [s.title for s in b.sections] == ["第一部分"]


def test_rule_ends_answer():
    doc = parse_text(
        "## S\n\n### 1. 什么是A？\n答A\n\n---\n\n尾注\n\n### 2. 什么是B？\n答B\n", "a.md"
    )
    assert doc.cards[0].answer == "答A"
    assert "尾注" in doc.sections[0].notes


def test_explicit_ids_and_duplicates():
    doc = parse_text("## S\n\n### 什么是A？ {#a-id}\n答\n\n### 什么是A？\n答\n", "a.md")
    assert doc.cards[0].key == "a-id" and doc.cards[0].question == "什么是A？"
    with pytest.raises(SourceError) as e:
        parse_text("## S\n\n### 什么是A？ {#x}\n答\n\n### 什么是B？ {#x}\n答\n", "a.md")
    assert "a.md:6:" in str(e.value) and "already used on line 3" in str(e.value)


def test_same_question_in_two_sections_gets_two_keys():
    doc = parse_text("## S1\n\n### 什么是A？\n答\n\n## S2\n\n### 什么是A？\n答\n", "a.md")
    assert len({c.key for c in doc.cards}) == 2


def test_errors_carry_line_numbers_and_all_are_reported(tmp_path):
    src = write(tmp_path, "## S\n\n### 什么是A？ {#x}\n答\n\n### 什么是B？ {#x}\n答\n\n"
                "### 什么是C？ {#x}\n答\n")  # fmt: skip
    result = CliRunner().invoke(cli, ["check", str(src)])
    assert result.exit_code == 1
    errs = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert [e.split(":")[1] for e in errs] == ["6", "9"]
    assert "Traceback" not in result.output


def test_check_prints_summary():
    result = CliRunner().invoke(cli, ["check", str(SEED)], catch_exceptions=False)
    assert result.exit_code == 0
    assert "2 sections, 14 cards" in result.stdout
    assert "translation coverage (en): 14/14" in result.stdout


def test_check_json_round_trips(seed_doc):
    result = CliRunner().invoke(cli, ["check", "--json", str(SEED)], catch_exceptions=False)
    data = json.loads(result.stdout)
    assert data["schema"] == "qadeck.ast/1"
    assert len(data["sections"][0]["cards"]) == 8
    back = document_from_dict(data)
    assert document_to_dict(back) == data
    assert [c.answer for c in back.cards] == [c.answer for c in seed_doc.cards]


def test_usage_error_exits_2():
    assert CliRunner().invoke(cli, ["check"]).exit_code == 2
    assert CliRunner().invoke(cli, ["frobnicate", "x"]).exit_code == 2


def test_every_command_has_help():
    import click

    ctx = click.Context(cli)
    names = cli.list_commands(ctx)
    assert {"anki", "pdf", "html", "all", "check", "plan", "merge-lock"} <= set(names)
    for name in names:
        command = cli.get_command(ctx, name)
        assert command is not None and command.help, name
        assert CliRunner().invoke(cli, [name, "--help"]).exit_code == 0
    pdf_help = CliRunner().invoke(cli, ["pdf", "--help"]).output
    assert "--mode" in pdf_help and "--paper" in pdf_help
    assert "--mode" not in CliRunner().invoke(cli, ["anki", "--help"]).output
    assert "--lang" in CliRunner().invoke(cli, ["all", "--help"]).output


def test_check_strict_fails_on_missing_translations(tmp_path):
    src = write(tmp_path, "## S\n\n### 1. 什么是A？\n答A\n\n::: en What is A?\nA.\n:::\n\n"
                "### 2. 什么是B？\n答B\n")  # fmt: skip
    ok = CliRunner().invoke(cli, ["check", str(src)])
    assert ok.exit_code == 0 and "translation coverage (en): 1/2 cards" in ok.stdout
    strict = CliRunner().invoke(cli, ["check", "--strict", str(src)])
    assert strict.exit_code == 1
    assert f"{src}:10:1: error: card '什么是B？' has no `::: en` translation" in strict.stderr


@given(
    st.dictionaries(
        st.text(max_size=12),
        st.dictionaries(
            st.sampled_from(["question", "section", "digest", "fields", "mtime", "removed"]),
            st.text(max_size=20) | st.integers() | st.booleans(),
        ),
        max_size=6,
    ),
    st.dictionaries(st.text(max_size=5), st.dictionaries(st.text(max_size=5), st.integers())),
)
def test_lock_file_text_is_json_with_one_card_per_line(cards, meta):
    """One line per card (and per meta entry), so git merges edits of different cards."""
    from qadeck.lockfile import dumps

    body = {"version": 1, "meta": meta, "cards": cards}
    text = dumps(body)
    assert json.loads(text) == body
    lines = text.split("\n")
    for key, value in cards.items():
        line = f"  {json.dumps(key, ensure_ascii=False)}: {json.dumps(value, ensure_ascii=False)}"
        assert line in lines or line + "," in lines


@pytest.mark.parametrize(
    "line,zh",
    [
        ("训练中要避免奖励黑客（Reward Hacking）的发生", "奖励黑客"),
        ("全量微调时如何防止灾难性遗忘（Catastrophic Forgetting）？", "灾难性遗忘"),
        ("这就是强化学习（Reinforcement Learning, RL）", "强化学习"),
        ("通常采用因果语言建模（Causal LM）训练", "因果语言建模"),
        ("什么是注意力机制（Attention Mechanism）", "注意力机制"),
        ("模型会出现幻觉（Hallucination）吗", "幻觉"),
        ("可以使用低秩适配（Low-Rank Adaptation, LoRA）", "低秩适配"),
        ("近端策略优化（Proximal Policy Optimization）很常用", "近端策略优化"),
        ("训练时使用直接偏好优化（DPO）", "直接偏好优化"),
        ("大语言模型（Large Language Model）", "大语言模型"),
        (
            "基于人类反馈的强化学习（Reinforcement Learning from Human Feedback）",
            "人类反馈的强化学习",
        ),
    ],
)
def test_glossary_terms_are_terms_not_clauses(line, zh):
    doc = parse_text(f"## 术语\n\n### 什么是它？\n{line}。\n")
    assert [t.zh for t in doc.glossary] == [zh]


_HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞"
_JIEBA_PHRASES = [
    "通常采用因果语言建模", "基于人类反馈的强化学习", "训练中要避免奖励黑客", "近端策略优化很常用",
    "全量微调时如何防止灾难性遗忘", "大语言模型的预训练数据2023", "注意力机制", "量子", "的的的的",
    "自然语言处理", "马尔可夫决策过程",  # words reached through first characters that are no word
]  # fmt: skip


@given(st.lists(st.sampled_from(_HAN + "0123456789"), min_size=1, max_size=16).map("".join))
def test_jieba_words_of_character_soups_are_what_jieba_gives(text):
    """The glossary's cut, from the dictionary's entries for the text's substrings, gives
    jieba's own words (its whole dictionary loaded)."""
    _same_words_as_jieba(text)


@pytest.mark.parametrize("phrase", _JIEBA_PHRASES)
def test_jieba_words_of_phrases_are_what_jieba_gives(phrase):
    _same_words_as_jieba(phrase)


def _same_words_as_jieba(text: str) -> None:
    import jieba

    from qadeck.glossary import words_from_entries

    jieba.setLogLevel(60)
    assert words_from_entries(text) == jieba.lcut(text, HMM=False)


def test_a_title_taken_from_the_file_name_is_not_read_as_markdown():
    """`ml__notes__v2.md` has no heading that names it: its title is its name, `__` kept
    (bold markers in a title the author wrote are still dropped)."""
    src = "## 什么是过拟合？\n\n训练好、测试差。\n"
    assert parse_text(src, "ml__notes__v2.md").title == "ml__notes__v2"
    assert parse_text('---\ntitle: "**ML** notes"\n---\n' + src, "x.md").title == "ML notes"


def test_a_list_numbered_1_1_1_labels_its_questions_as_shown():
    """`1.` `1.` `1.` renders 1, 2, 3 (and a list opening at `3.` counts 3, 4): each card's
    label is the number its reader sees, not the one typed."""
    item = "1. 问题{n}是什么？\n\n   - 答案{n}。\n\n"
    src = "## 题\n\n" + "".join(item.format(n=n) for n in range(3))
    assert [c.label for c in parse_text(src, "a.md").cards] == ["1", "2", "3"]
    src = "## 题\n\n3. 甲是什么？\n\n   - 甲。\n\n9. 乙是什么？\n\n   - 乙。\n"
    assert [c.label for c in parse_text(src, "b.md").cards] == ["3", "4"]


def test_text_that_no_output_shows_is_reported():
    """A section without cards is in no output: its text is not dropped silently."""
    src = "# 模型\n\n## 什么是过拟合？\n\n训练好、测试差。\n\n# 参考\n\n- [一篇文章](https://a.example)\n"
    doc = parse_text(src, "a.md")
    assert [c.question for c in doc.cards] == ["什么是过拟合？"]
    assert any(w.span.line == 7 and "in no output" in w.message for w in doc.warnings)
    assert not any(
        "in no output" in w.message for w in parse_text(src.split("# 参考")[0], "b.md").warnings
    )


def test_check_decisions_names_a_joined_answer_key(tmp_path):
    """The key's heading stays in `check --decisions`, saying where its answers went."""
    src = write(
        tmp_path,
        "# Quiz\n\n**Q1. Dropout at inference:**\n\nA) drops  \nB) scales\n\n"
        "**Q2. L1 gives:**\n\nA) sparse  \nB) dense\n\n"
        "## Answer Key\n\n**Q1. Answer: B**\nScaled.\n\n**Q2. Answer: A**\nZeros.\n",
    )
    result = CliRunner().invoke(cli, ["check", "--decisions", str(src)])
    assert result.exit_code == 0, result.output
    key = [ln for ln in result.output.splitlines() if "Answer Key" in ln]
    assert len(key) == 1 and "note" in key[0] and "[answer-key]" in key[0], result.output
    assert "Scaled." in parse_text(src.read_text(), str(src)).sections[0].cards[0].answer


def test_an_answer_key_after_a_container_left_open_is_read():
    """A callout never closed (`::: tip` … `::: 改`) runs to the end of the file, and its
    close, which has no lines of its own, ends the answer key: no crash (found by the
    incremental test's edits)."""
    src = (
        "## 测验\n\n::: tip 要点\n记住。\n::: 改\n\n### 什么是交叉熵？\n交叉熵。\n\n"
        "## 答案\n\n**Q1. 答案：B**\n全部保留。\n\n**Q2. 答案：A**\n权重为零。\n"
    )
    doc = parse_text(src, "k.md")
    assert [c.question for c in doc.cards][:1] == ["什么是交叉熵？"]
    assert "权重为零" in "".join(c.answer for c in doc.cards)
