"""The PDF cheat-sheet: real WeasyPrint output, read back with pypdf and poppler."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from qadeck.cli import cli
from qadeck.renderers.pdf_engine import RemoteFetchRefused, local_fetcher

from .conftest import ROOT, SEED

PREVIEW = ROOT / "dist" / "preview"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    """The seed built once per mode/language this module checks."""
    import shutil

    work = tmp_path_factory.mktemp("pdf")
    (work / "source").mkdir()
    src = work / "source" / SEED.name
    shutil.copy(SEED, src)
    out = {}
    for key, args in {
        "sheet": [],
        "quiz": ["--mode", "quiz"],
        "both": ["--lang", "both"],
        "letter": ["--paper", "letter", "--lang", "en"],
    }.items():
        result = CliRunner().invoke(
            cli, ["pdf", str(src), "--out", str(work / "dist"), *args], catch_exceptions=False
        )
        assert result.exit_code == 0, result.output
        out[key] = Path(result.stdout.split("wrote ", 1)[1].strip())
    return out


def pages_text(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [p.extract_text() or "" for p in PdfReader(path).pages]


def test_sheet_has_every_question_and_label(pdfs, seed_doc):
    pages = pages_text(pdfs["sheet"])
    assert 1 <= len(pages) <= 3
    text = squash("".join(pages))
    for card in seed_doc.cards:
        assert squash(card.question) in text, card.question
        assert squash(card.label + card.question) in text
    for cell in ("数据规模", "万亿级token", "万到百万级样本", "指令遵循分布", "序列到序列损失"):
        assert cell in text
    assert "以上内容详细回答了所有题目" in text  # section notes are printed too
    assert "目标是通过最大化累积奖励来学习最优策略。" in text
    assert '"instruction":"写一首关于春天的诗"' in text


def test_glossary_and_header(pdfs):
    text = squash("".join(pages_text(pdfs["sheet"])))
    assert "术语表" in text and "ReinforcementLearningfromHumanFeedback" in text
    assert "1/2" in text or "1/3" in text


def test_cjk_font_is_embedded(pdfs):
    out = subprocess.run(["pdffonts", str(pdfs["sheet"])], capture_output=True, text=True).stdout
    cjk = [line for line in out.splitlines() if "CJK" in line]
    assert cjk and all(" yes yes yes " in line for line in cjk)
    assert "Type 3" not in out


def test_quiz_has_no_answers_before_the_key(pdfs, seed_doc):
    text = squash("".join(pages_text(pdfs["quiz"])))
    key_at = text.index("参考答案")
    questions, key = text[:key_at], text[key_at:]
    for card in seed_doc.cards:
        assert squash(card.question) in questions
        first_line = squash(re.sub(r"[*#|`>-]", "", card.answer.split("\n")[0]))[:8]
        assert first_line not in questions, card.label
        assert first_line in key
    assert "14." in questions


def test_both_languages_and_letter_paper(pdfs, seed_doc):
    both = squash("".join(pages_text(pdfs["both"])))
    for card in seed_doc.cards:
        assert squash(card.question) in both
        assert squash(card.translations["en"].question)[:30] in both
    from pypdf import PdfReader

    box = PdfReader(pdfs["letter"]).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    english = squash("".join(pages_text(pdfs["letter"])))
    assert "Canyoubrieflyintroducereinforcementlearning?" in english


def test_fetcher_opens_exactly_the_allowed_files(tmp_path):
    from qadeck.renderers.pdf_engine import Allowed

    seen: list[str] = []
    (tmp_path / "ok.png").write_bytes(b"png")
    (tmp_path / "private.png").write_bytes(b"secret")
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "a.css").write_text("p{}")
    allowed = Allowed(frozenset({(tmp_path / "ok.png").resolve()}), ((tmp_path / "tpl").resolve(),))
    fetch = local_fetcher(allowed, seen.append)
    refused = [
        "https://example.com/x.png", "http://127.0.0.1:9/x.css", "ftp://x/y",
        "file:///etc/hostname", (tmp_path / "private.png").as_uri(),
        (tmp_path / "tpl" / ".." / "private.png").as_uri(), f"file://host{tmp_path}/ok.png",
    ]  # fmt: skip
    for url in refused:
        with pytest.raises(RemoteFetchRefused):
            fetch(url)
    for ok in (tmp_path / "ok.png", tmp_path / "tpl" / "a.css"):
        assert fetch(ok.as_uri()).__class__.__name__ == "URLFetcherResponse"
    assert len(seen) == len(refused)


def test_page_previews(pdfs):
    PREVIEW.mkdir(parents=True, exist_ok=True)
    for key in ("sheet", "quiz"):
        prefix = PREVIEW / f"pdf-{key}"
        subprocess.run(["pdftoppm", "-r", "80", "-png", str(pdfs[key]), str(prefix)], check=True)
    assert (PREVIEW / "pdf-sheet-1.png").stat().st_size > 20000


def test_large_sheet_renders_in_parallel_with_right_page_numbers(tmp_path):
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    from qadeck.renderers.pdf import PARALLEL_MIN

    src = generate.write(tmp_path, PARALLEL_MIN + 10)
    result = CliRunner().invoke(
        cli, ["pdf", str(src), "--out", str(tmp_path / "out")], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    pages = pages_text(tmp_path / "out" / f"{src.stem}.pdf")
    total = len(pages)
    assert total > 4
    for i, text in enumerate(pages, 1):
        assert re.search(rf"(^|\s){i} / {total}(\s|$)", text), (i, text[-80:])
    text = squash("".join(pages))
    from qadeck.parse import parse_file

    for card in parse_file(src).cards:
        assert squash(card.question) in text


def test_editing_one_card_renders_only_its_chunk_again(tmp_path, monkeypatch):
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    from qadeck.renderers import pdf

    monkeypatch.setattr(pdf, "CHUNK_MIN", 40)
    monkeypatch.setattr(pdf, "CHUNK_MAX", 60)
    src = generate.write(tmp_path, 260)
    out = tmp_path / "out"
    from qadeck.cache import cache_dir

    cache = cache_dir(out) / "pdf"

    def build() -> set[str]:
        result = CliRunner().invoke(cli, ["pdf", str(src), "--out", str(out)])
        assert result.exit_code == 0, result.output
        return {p.stem for p in cache.glob("c*.pdf")}  # chunks (p…: page numbers)

    first = build()
    assert len(first) >= 4  # 260 cards in runs of 50-100
    text = src.read_text(encoding="utf-8")
    assert text.count("第205条说明") == 1
    src.write_text(text.replace("第205条说明", "第205条说明（已修改 EDITED）"), encoding="utf-8")
    second = build()
    assert len(second - first) == 1 and len(first - second) == 1  # one run rendered again
    pages = pages_text(out / f"{src.stem}.pdf")
    assert "EDITED" in "".join(pages)
    for i, page in enumerate(pages, 1):
        assert re.search(rf"(^|\s){i} / {len(pages)}(\s|$)", page)


MATH_FIXTURE = ROOT / "tests" / "fixtures" / "math" / "formulas.md"
TEX_COMMANDS = re.compile(
    r"\\(frac|sum|prod|mathbb|mathrm|sqrt|begin|left|right|hat|operatorname|nabla|pi|theta|mathcal)\b"
)


def test_every_fixture_formula_is_typeset():
    """Coverage of the math engine on the formulas of ML notes: all of them draw."""
    from qadeck.renderers.mathsvg import typeset

    tex = re.findall(r"\$\$(.+?)\$\$|\$([^$\n]+)\$", MATH_FIXTURE.read_text(encoding="utf-8"))
    formulas = [a or b for a, b in tex]
    assert len(formulas) >= 12
    failed = [
        (f, typeset(f, inline=False)[1]) for f in formulas if typeset(f, inline=False)[0] is None
    ]
    assert failed == []


def test_the_sheet_prints_formulas_as_typeset_math(tmp_path):
    from pypdf import PdfReader

    result = CliRunner().invoke(cli, ["pdf", str(MATH_FIXTURE), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "printed as TeX" not in result.stderr
    pdf = tmp_path / "formulas.pdf"
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "缩放点积注意力" in text and "键向量的维度" in text
    assert not TEX_COMMANDS.search(text), TEX_COMMANDS.search(text)
    PREVIEW.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "100",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf),
            str(PREVIEW / "pdf-math"),
        ],
        check=True,
    )
    assert (PREVIEW / "pdf-math-1.png").stat().st_size > 20000


def test_a_formula_the_engine_cannot_draw_stays_as_tex_with_a_warning(tmp_path):
    src = tmp_path / "m.md"
    src.write_text("### 什么是梯度？\n记作 $\\text{梯度} = \\nabla f$。\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["pdf", str(src), "--out", str(tmp_path)])
    assert result.exit_code == 0
    assert (
        "m.md:1:1: warning: formula" in result.stderr and "printed as TeX source" in result.stderr
    )
    from pypdf import PdfReader

    assert "\\nabla" in PdfReader(tmp_path / "m.pdf").pages[0].extract_text()


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(path).pages)


def test_a_quiz_numbers_each_question_once(pdfs):
    text = pdf_text(pdfs["quiz"])
    assert "1. 简单介绍强化学习" in text or "1.简单介绍强化学习" in text.replace(" ", "")
    assert not re.search(r"^\d+\.\s+\d+(\.\d+)*\s+\S", text, re.M), "a label after the number"


def test_section_notes_and_the_glossary_are_on_the_sheet(pdfs):
    text = pdf_text(pdfs["sheet"])
    assert "以上内容详细回答了所有题目" in text  # the section note after the closing rule
    assert "术语表" in text and "Reinforcement Learning" in text


def test_density_options_name_their_file_and_shape_the_page(tmp_path):
    from pypdf import PdfReader

    src = tmp_path / SEED.name
    src.write_bytes(SEED.read_bytes())
    run = lambda *a: CliRunner().invoke(cli, ["pdf", str(src), "--out", str(tmp_path / "d"), *a])  # noqa: E731
    assert run().exit_code == 0
    assert run("--paper", "letter").exit_code == 0
    result = run("--columns", "3", "--landscape", "--font-size", "7")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "d").iterdir())
    assert names == [
        "llm-rl-interview-3col-landscape-7pt.pdf", "llm-rl-interview-letter.pdf",
        "llm-rl-interview.pdf",
    ]  # fmt: skip
    box = PdfReader(tmp_path / "d" / names[0]).pages[0].mediabox
    assert box.width > box.height  # landscape
    a4 = PdfReader(tmp_path / "d" / names[2])
    dense = PdfReader(tmp_path / "d" / names[0])
    assert len(dense.pages) <= len(a4.pages)
    fit = run("--fit-pages", "2")
    assert fit.exit_code == 0, fit.output
    assert "--fit-pages 2:" in fit.stderr and "(fits)" in fit.stderr
    assert len(PdfReader(tmp_path / "d" / "llm-rl-interview-fit2.pdf").pages) <= 2
    tight = run("--fit-pages", "1")
    assert "does not fit even" in tight.stderr  # says so, and prints the densest it has


def test_a_huge_paragraph_is_printed_in_pieces_with_a_warning(tmp_path):
    from qadeck.renderers.fragments import break_long_paragraphs

    body = "<p>" + "词" * 4500 + ' <a href="https://x.y">链接</a> ' + "&amp;" * 10 + "</p>"
    cut, longest = break_long_paragraphs(body, limit=3000)
    assert longest > 4500 and cut.count("<p>") >= 3
    assert '<a href="https://x.y">链接</a>' in cut and cut.count("&amp;") == 10
    assert cut.replace("</p><p>", "") == body  # nothing lost, only cut
    assert break_long_paragraphs("<p>short</p>") == ("<p>short</p>", 0)

    src = tmp_path / "long.md"
    src.write_text("### 什么是长段落？\n" + "很长的段落 " * 5000 + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["pdf", str(src), "--out", str(tmp_path)])
    assert result.exit_code == 0
    assert (
        "long.md:1:1: warning: a paragraph of 29,999 characters is printed in pieces"
        in result.stderr
    )


def test_a_layout_leaves_nothing_behind_while_the_build_has_no_collector(tmp_path):
    """A build turns the cyclic collector off; WeasyPrint's boxes are cycles, so each layout
    would otherwise stay in memory until the process ends (GBs on a large sheet)."""
    import gc

    from weasyprint.formatting_structure import boxes

    from qadeck.renderers import RenderContext
    from qadeck.renderers.pdf_engine import Allowed, count_pages

    ctx = RenderContext(tmp_path, tmp_path, None, tmp_path / "n.md")  # type: ignore[arg-type]
    page = "<p>" + "回答的一段话。" * 400 + "</p>"

    def live_boxes() -> int:
        return sum(isinstance(o, boxes.Box) for o in gc.get_objects())

    gc.collect()
    before = live_boxes()
    gc.disable()
    try:
        for _ in range(3):
            assert count_pages(page, ctx, Allowed(frozenset(), ())) >= 1
        assert not gc.isenabled()
        assert live_boxes() == before
    finally:
        gc.enable()
