"""The deck, imported into a real Anki collection (the `anki` package, headless)."""

from __future__ import annotations

import html
import re
from pathlib import Path

from click.testing import CliRunner

from qadeck.cli import cli
from qadeck.parse import parse_file

from .conftest import ROOT, SEED

PREVIEW = ROOT / "dist" / "preview"


def build(workdir: Path, *extra: str) -> Path:
    src = workdir / "source" / SEED.name
    result = CliRunner().invoke(
        cli, ["anki", str(src), "--out", str(workdir / "dist"), *extra], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return workdir / "dist" / "llm-rl-interview.apkg"


def collection(path: Path):
    import anki.lang
    from anki.collection import Collection

    anki.lang.set_lang("en_US")
    return Collection(str(path))


def import_deck(col, apkg: Path):
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    req = ImportAnkiPackageRequest(package_path=str(apkg), options=ImportAnkiPackageOptions())
    return col.import_anki_package(req)


def text_of(field: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", field))


def notes_by_key(col) -> dict:
    return {
        col.get_note(nid)["Key"]: col.get_note(nid) for nid in col.find_notes('"note:qadeck Q&A"')
    }


def test_seed_deck_in_real_anki(workdir, tmp_path, seed_doc):
    apkg = build(workdir)
    col = collection(tmp_path / "c.anki2")
    try:
        import_deck(col, apkg)
        notes = notes_by_key(col)
        assert len(notes) == 14
        decks = {col.decks.name(col.get_card(cid).did) for cid in col.find_cards("")}
        assert decks == {f"llm-rl-interview::{s.title}" for s in seed_doc.sections}
        by_label = {n["Label"]: n for n in notes.values()}
        for card in seed_doc.cards:
            note = by_label[html.escape(card.label)]
            assert text_of(note["Question"]) == card.question  # Chinese byte for byte
            assert note["Answer"].strip() and note["QuestionEN"].strip()
            assert note["Source"].endswith(f":{card.span.line}")
        table = by_label["3.3"]["Answer"]
        assert '<div class="table-wrap"><table>' in table and "<td>万亿级token</td>" in table
        code = by_label["3.2"]["Answer"]
        assert code.count('<div class="highlight" data-lang="json">') == 2
        assert '<span class="nt">"instruction"</span>' in code
        assert all(text_of(n["Question"]).strip() for n in notes.values())
        assert col.media.check().missing == []
        tags = col.get_note(col.find_notes("")[0]).tags
        assert all(" " not in t for t in tags) and any("强化学习" in t for t in tags)
    finally:
        col.close()


def test_rebuild_without_change_is_byte_identical(workdir):
    first = build(workdir).read_bytes()
    second = build(workdir).read_bytes()
    assert first == second


def edit_source(src: Path) -> None:
    """One answer changed, a question typo fixed, a card inserted, one removed, two swapped."""
    text = src.read_text(encoding="utf-8")
    text = text.replace(
        "- **知识继承**：RM通常从基础模型初始化", "- **知识继承**：RM一般从基础模型初始化"
    )
    text = text.replace("很难量产问题？", "难以量产的问题？")
    inserted = "#### 2.5 什么是 PPO 的 KL 惩罚？\nKL 惩罚让策略不要偏离参考模型太远。\n\n"
    text = text.replace("#### 3. 奖励模型需要", inserted + "#### 3. 奖励模型需要")
    start, end = text.index("#### 8. "), text.index("### 大模型（LLMs）强化学习——RLHF")
    text = text[:start] + "---\n\n" + text[end:]
    six_start, seven_start = text.index("#### 6. "), text.index("#### 7. ")
    seven_end = text.index("---", seven_start)
    six, seven = text[six_start:seven_start], text[seven_start:seven_end]
    text = text[:six_start] + seven.rstrip() + "\n\n" + six + text[seven_end:]
    src.write_text(text, encoding="utf-8")


def test_life_cycle_keeps_history(workdir, tmp_path):
    src = workdir / "source" / SEED.name
    apkg = build(workdir)
    col = collection(tmp_path / "c.anki2")
    try:
        import_deck(col, apkg)
        before = notes_by_key(col)
        col.decks.select(col.decks.id_for_name("llm-rl-interview"))
        for _ in range(14):
            card = col.sched.getCard()
            assert card is not None
            col.sched.answerCard(card, 4)
        assert col.sched.getCard() is None
        sched = {
            r[0]: r[1:]
            for r in col.db.all("select id, type, queue, due, ivl, factor, reps from cards")
        }
        revlog = col.db.all("select id, cid, ease, ivl from revlog order by id")
        assert len(revlog) == 14

        edit_source(src)
        plan = CliRunner().invoke(cli, ["plan", str(src)], catch_exceptions=False).output
        assert "+ added" in plan and "2.5" not in plan.split("+ added")[0]
        assert "> renamed" in plan and "难以量产的问题" in plan
        assert "- removed" in plan and "强化学习跟大语言模型的本质联系是什么" in plan
        assert "~ changed" in plan and "奖励模型需要和基础模型一致吗" in plan
        result = CliRunner().invoke(
            cli, ["anki", str(src), "--out", str(workdir / "dist")], catch_exceptions=False
        )
        assert "left the source" in result.stderr and "Key:" in result.stderr
        import_deck(col, apkg)
        after = notes_by_key(col)
        guids = [col.get_note(n).guid for n in col.find_notes("")]
        assert len(guids) == len(set(guids)) == 15  # 14 kept or removed + 1 new, no duplicates
        new = set(after) - set(before)
        assert len(new) == 1 and "KL" in after[new.pop()]["Question"]
        for key, note in before.items():
            assert after[key].id == note.id
        by_label = {n["Label"]: n for n in after.values()}
        assert "RM一般从基础模型初始化" in by_label["3"]["Answer"]
        assert "难以量产的问题" in by_label["5"]["Question"]
        assert col.db.all("select id, cid, ease, ivl from revlog order by id") == revlog
        now = {
            r[0]: r[1:]
            for r in col.db.all("select id, type, queue, due, ivl, factor, reps from cards")
        }
        assert all(now[cid] == row for cid, row in sched.items())
    finally:
        col.close()


def test_reordering_only_changes_no_key(workdir):
    from qadeck.pipeline import load

    src = workdir / "source" / SEED.name
    build(workdir)
    keys = {c.question: c.key for c in load(src).doc.cards}
    edit_source(src)
    moved = {c.question: c.key for c in load(src).doc.cards}
    for question, key in moved.items():
        if question in keys:
            assert keys[question] == key
    assert (
        moved["难以量产的问题？".join(["如何解决人工产生的偏好数据集成本较高，", ""])]
        == keys["如何解决人工产生的偏好数据集成本较高，很难量产问题？"]
    )


def test_card_previews(workdir, tmp_path, browser):
    """Render cards as Anki does (template + CSS) and screenshot them at phone size."""
    apkg = build(workdir)
    col = collection(tmp_path / "c.anki2")
    PREVIEW.mkdir(parents=True, exist_ok=True)
    try:
        import_deck(col, apkg)
        page = browser.new_page(viewport={"width": 360, "height": 740})
        notes = {n["Label"]: n for n in notes_by_key(col).values()}
        for label in ("1", "3.2", "3.3", "4.1"):
            card = notes[label].cards()[0]
            for side, body in (("front", card.question()), ("back", card.answer())):
                for mode, cls in (("light", "card"), ("night", "card nightMode night_mode")):
                    doc = (
                        f"<!doctype html><html><head><meta charset=utf-8><style>{card.css()}"
                        f"</style></head><body class='{cls}'><div id=qa>{body}</div>"
                        "<script>document.querySelectorAll('details').forEach(d=>d.open=true)"
                        "</script></body></html>"
                    )
                    page.set_content(doc)
                    width = page.evaluate("document.documentElement.scrollWidth")
                    assert width <= 360, f"card {label} overflows the phone width: {width}px"
                    page.screenshot(path=str(PREVIEW / f"anki-{label}-{side}-{mode}.png"))
        page.close()
    finally:
        col.close()
    assert (PREVIEW / "anki-3.3-back-night.png").stat().st_size > 5000


def test_english_practice_cards_in_real_anki_keep_their_history(workdir, tmp_path):
    """Opt-in English cards: their own note type (the main one untouched), a subdeck
    `…::English`, GUIDs from card keys, review history kept across a rebuild."""
    src = workdir / "source" / SEED.name
    plain = build(workdir)
    col = collection(tmp_path / "c.anki2")
    try:
        import_deck(col, plain)
        main_model = col.models.by_name("qadeck Q&A")["id"]
        main_notes = sorted(col.find_notes('"note:qadeck Q&A"'))
        apkg = build(workdir, "--english-cards")
        import_deck(col, apkg)
        assert col.models.by_name("qadeck Q&A")["id"] == main_model
        assert len(col.models.all_names_and_ids()) == len(
            {m.name for m in col.models.all_names_and_ids()}
        )
        assert sorted(col.find_notes('"note:qadeck Q&A"')) == main_notes  # none duplicated
        english = col.find_notes('"note:qadeck English practice"')
        translated = [c for c in parse_file(src).cards if c.translations.get("en")]
        assert len(english) == len([c for c in translated if c.translations["en"].question])
        deck = col.decks.id_for_name("llm-rl-interview::English")
        assert deck and set(col.find_notes('"deck:llm-rl-interview::English"')) == set(english)
        note = col.get_note(english[0])
        assert note["QuestionEN"] and note["AnswerEN"] and note["Answer"]
        card = note.cards()[0]
        assert "English practice" in card.question() and note["Answer"] in card.answer()

        col.decks.select(deck)
        for _ in range(len(english)):
            c = col.sched.getCard()
            col.sched.answerCard(c, 3)
        revlog = col.db.all("select id, cid, ease from revlog order by id")
        ids = {col.get_note(n).guid: n for n in english}

        edit_source(src)
        import_deck(col, build(workdir, "--english-cards"))
        again = col.find_notes('"note:qadeck English practice"')
        assert {col.get_note(n).guid: n for n in again if col.get_note(n).guid in ids} == ids
        assert col.db.all("select id, cid, ease from revlog order by id") == revlog
        first = build(workdir, "--english-cards").read_bytes()
        assert build(workdir, "--english-cards").read_bytes() == first  # no change: same bytes
    finally:
        col.close()
