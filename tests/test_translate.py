"""The translation round trip (issue: the English half for any notes), with a real small
translator command (tests/tools/glossary_translator.py) and no network."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import polib
from click.testing import CliRunner

from qadeck.cli import cli
from qadeck.parse import parse_file

from .conftest import SEED

TRANSLATOR = Path(__file__).parent / "tools" / "glossary_translator.py"
WITH = f'"{sys.executable}" "{TRANSLATOR}"'


def run(*args: str, ok: bool = True):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def chinese_only(tmp_path: Path) -> Path:
    """The seed without its `::: en` blocks."""
    out, skipping = [], False
    for line in SEED.read_text("utf-8").split("\n"):
        if line.startswith("::: en"):
            skipping = True
        elif skipping and line.strip() == ":::":
            skipping = False
        elif not skipping:
            out.append(line)
    src = tmp_path / "notes.md"
    src.write_text("\n".join(out), encoding="utf-8")
    return src


def is_subsequence(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(any(x == y for y in it) for x in small)


def test_a_chinese_only_seed_goes_to_full_english_coverage(tmp_path):
    src = chinese_only(tmp_path)
    before = src.read_text("utf-8")
    cards = parse_file(src).cards
    assert cards and not any(c.translations for c in cards)
    out = tmp_path / "todo.jsonl"
    run("translate", "export", str(src), "--lang", "en", "-o", str(out))
    recs = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert sum(r["kind"] == "card" for r in recs) == len(cards)
    first = next(r for r in recs if r["kind"] == "card")
    assert first["target"] == {"question": None, "answer": None} and first["hash"]
    assert first["source"]["answer"] == cards[0].answer and first["file"] == "notes.md"
    assert any(r["glossary"] for r in recs)  # the terms that occur in it
    assert "Never translate code" in (tmp_path / "todo.jsonl.instructions.txt").read_text("utf-8")

    filled = tmp_path / "filled.jsonl"
    filled.write_text(_translated(out.read_text("utf-8")), encoding="utf-8")
    run("translate", "import", str(filled))
    after = src.read_text("utf-8")
    assert is_subsequence(before.split("\n"), after.split("\n"))  # every line kept, in order
    run("check", "--strict", str(src))  # full coverage: strict passes
    doc = parse_file(src)
    assert all(c.translations["en"].question.startswith("[en] ") for c in doc.cards)
    assert all(s.translations for s in doc.sections)
    run("translate", "import", str(filled))  # again: harmless
    assert src.read_text("utf-8") == after


def _translated(jsonl: str) -> str:
    import subprocess

    done = subprocess.run(
        [sys.executable, str(TRANSLATOR)], input=jsonl, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_po_round_trip(tmp_path):
    src = chinese_only(tmp_path)
    po_path = tmp_path / "todo.po"
    run("translate", "export", str(src), "--format", "po", "-o", str(po_path))
    po = polib.pofile(str(po_path))
    assert po.metadata["Language"] == "en" and len(po) > 10
    for entry in po:
        entry.msgstr = "EN " + entry.msgid
    po.save(str(po_path))
    run("translate", "import", str(po_path))
    run("check", "--strict", str(src))


def test_one_edited_answer_is_stale_in_check_page_and_export(tmp_path):
    src = tmp_path / "seed.md"
    src.write_bytes(SEED.read_bytes())
    run("all", str(src), "--out", str(tmp_path / "d"))  # the lock remembers both halves
    text = src.read_text("utf-8")
    card = parse_file(src).cards[2]
    lines = text.split("\n")
    answer_line = card.span.line  # the first line of its answer
    lines[answer_line] = lines[answer_line] + "（补充一句）"
    src.write_text("\n".join(lines), encoding="utf-8")

    report = run("check", str(src)).output
    stale = re.findall(r"(\S+:\d+:\d+): stale: (.+)", report)
    assert stale == [(str(card.span), card.question)]
    strict = run("check", "--strict", str(src), ok=False)
    assert strict.exit_code == 1 and "is stale" in strict.output
    run("html", str(src), "--out", str(tmp_path / "d"))
    page = (tmp_path / "d" / "seed.html").read_text("utf-8")
    assert page.count('class="stale-badge"') == 1
    article = page[page.index(f'id="{card.key}"') :]
    assert article.index("stale-badge") < article.index("</article>")
    todo = run("translate", "export", str(src)).output
    recs = [json.loads(x) for x in todo.splitlines()]
    assert [(r["key"], r["stale"]) for r in recs] == [(card.key, True)]
    assert recs[0]["target"]["answer"] == card.translations["en"].answer  # the stale one

    # Rebuilding keeps it stale; translating it again puts it back in step.
    run("anki", str(src), "--out", str(tmp_path / "d"))
    assert "1 stale" in run("check", str(src)).output
    filled = tmp_path / "f.jsonl"
    recs[0]["target"] = {"question": "Updated?", "answer": "Updated answer."}
    filled.write_text(json.dumps(recs[0], ensure_ascii=False) + "\n", encoding="utf-8")
    run("translate", "import", str(filled))
    assert "stale" not in run("check", "--strict", str(src)).output
    assert parse_file(src).cards[2].translations["en"].answer == "Updated answer."


def test_import_refuses_a_changed_source_and_malformed_translations(tmp_path):
    src = chinese_only(tmp_path)
    out = tmp_path / "todo.jsonl"
    run("translate", "export", str(src), "-o", str(out))
    recs = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    cards = [r for r in recs if r["kind"] == "card"][:4]
    bad = [
        {"question": "", "answer": "x"},
        {"question": "Fence?", "answer": "```python\nx = 1\n"},
        {"question": "Math?", "answer": "costs $O(n) time"},
    ]
    for r, target in zip(cards, bad, strict=False):
        r["target"] = target
    cards[3]["target"] = {"question": "Fine?", "answer": "Fine."}
    filled = tmp_path / "filled.jsonl"
    filled.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in cards), "utf-8")
    before = src.read_bytes()
    result = run("translate", "import", str(filled), ok=False)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{filled}:1:1: error: the translated question is empty" in result.output
    assert f"{filled}:2:1: error: unbalanced code fence" in result.output
    assert f"{filled}:3:1: error: unbalanced `$`" in result.output
    assert src.read_bytes() == before  # nothing half-written

    # The source changed since the export: that record is refused.
    src.write_text(
        before.decode("utf-8").replace(cards[3]["source"]["answer"], "改过的答案。", 1), "utf-8"
    )
    filled.write_text(json.dumps(cards[3], ensure_ascii=False) + "\n", "utf-8")
    result = run("translate", "import", str(filled), ok=False)
    assert "changed since the export" in result.output


def test_with_runs_the_users_command_end_to_end(tmp_path, monkeypatch):
    src = chinese_only(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run("translate", "--with", WITH, src.name, "--lang", "en")
    assert "translations written in 1 files" in result.output
    run("check", "--strict", src.name)
    assert "nothing to translate" in run("translate", "--with", WITH, src.name).output
    (tmp_path / "other").mkdir()
    other = chinese_only(tmp_path / "other")
    before = other.read_bytes()
    stop = f'"{sys.executable}" -c "raise SystemExit(3)"'
    failing = run("translate", "--with", stop, str(other), ok=False)
    assert failing.exit_code == 1 and "exited with status 3; nothing was written" in failing.output
    assert other.read_bytes() == before


def test_an_english_file_is_not_missing_english(tmp_path):
    src = tmp_path / "en.md"
    src.write_text(
        "---\nlang: en\n---\n\n## Basics\n\n### What is a tensor?\nAn n-dimensional array.\n\n"
        "::: zh 什么是张量？\nn 维数组。\n:::\n\n### What is a batch?\nA group of samples.\n",
        encoding="utf-8",
    )
    run("check", "--strict", str(src))  # English wanted; the file is English
    assert run("translate", "export", str(src), "--lang", "en").output == ""
    recs = [
        json.loads(x)
        for x in run("translate", "export", str(src), "--lang", "zh").output.splitlines()
    ]
    assert [r["source"]["question"] for r in recs if r["kind"] == "card"] == ["What is a batch?"]


def test_the_sheet_marks_a_stale_english_answer(tmp_path):
    from pypdf import PdfReader

    src = tmp_path / "notes.md"
    src.write_text(
        "## 章\n\n### 什么是过拟合？\n训练好测试差。\n\n::: en What is overfitting?\nGood on train, bad on test.\n:::\n",
        encoding="utf-8",
    )
    run("anki", str(src), "--out", str(tmp_path / "d"))
    src.write_text(
        src.read_text("utf-8").replace("训练好测试差。", "训练集好、测试集差。"), "utf-8"
    )

    def sheet(lang: str) -> str:
        run("pdf", str(src), "--out", str(tmp_path / lang), "--lang", lang)
        (pdf,) = (tmp_path / lang).glob("*.pdf")
        return "".join(p.extract_text() for p in PdfReader(pdf).pages)

    assert "Outdated translation" in sheet("en")
    assert "outdated" in sheet("both")
    assert "outdated" not in sheet("zh").lower()


def test_english_cards_from_front_matter(tmp_path):
    import sqlite3
    import zipfile

    src = tmp_path / "notes.md"
    src.write_text(
        "---\nenglish_cards: true\n---\n\n## 章\n\n### 什么是过拟合？\n训练好测试差。\n\n"
        "::: en What is overfitting?\nGood on train, bad on test.\n:::\n\n### 什么是欠拟合？\n都差。\n",
        encoding="utf-8",
    )
    run("anki", str(src), "--out", str(tmp_path / "d"))
    with zipfile.ZipFile(tmp_path / "d" / "notes.apkg") as z:
        (tmp_path / "c.anki2").write_bytes(z.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "c.anki2")
    fields = [r[0] for r in db.execute("select flds from notes")]
    models = db.execute("select models from col").fetchone()[0]
    db.close()
    assert len(fields) == 3 and "qadeck English practice" in models
    assert sum(f.startswith("What is overfitting?") for f in fields) == 1


def test_a_quiz_with_an_answer_key_takes_translations_beside_its_questions(tmp_path):
    """Answers joined from an answer key at the end do not move where a card ends: the
    imported `::: en` blocks go under their questions, and the key still joins after it."""
    src = tmp_path / "quiz.md"
    src.write_text(
        "# 测验\n\n**Q1. 推理时 Dropout 怎么做：**\n\nA) 照常丢弃  \nB) 全部保留并缩放\n\n"
        "**Q2. L1 正则倾向于得到：**\n\nA) 稀疏权重  \nB) 更大的权重\n\n"
        "## 答案\n\n**Q1. 答案：B**\n保留所有单元。\n\n**Q2. 答案：A**\nL1 让权重变成零。\n",
        encoding="utf-8",
    )
    po_path = tmp_path / "todo.po"
    run("translate", "export", str(src), "--format", "po", "-o", str(po_path))
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = "EN " + entry.msgid
    po.save(str(po_path))
    run("translate", "import", str(po_path))
    text = src.read_text(encoding="utf-8")
    assert text.index("::: en") < text.index("## 答案")  # beside the questions, not in the key
    cards = [c for s in parse_file(src).sections for c in s.cards]
    assert [c.answer.count("保留所有单元") for c in cards] == [1, 0]
    assert "L1 让权重变成零" in cards[1].answer
    assert all("en" in c.translations for c in cards)
    run("check", "--strict", str(src))
