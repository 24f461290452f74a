"""`qadeck sync` against a real Anki collection (the `anki` package): deletions, moves and
edits made in Anki, with review history kept."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from qadeck.cli import cli

from .conftest import ROOT, SEED
from .test_anki import collection, edit_source, import_deck, notes_by_key, text_of


def sync(src: Path, col_path: Path, *extra: str):
    return CliRunner().invoke(cli, ["sync", str(src), "--collection", str(col_path), *extra])


def fresh_collection(path: Path) -> Path:
    collection(path).close()
    return path


def reshape(src: Path) -> None:
    """The edits of the .apkg life-cycle test, plus a card moved to another section and a
    section renamed."""
    edit_source(src)
    text = src.read_text(encoding="utf-8")
    start, end = text.index("#### 1. 简单介绍强化学习？"), text.index("#### 2. 简单介绍一下 RLHF？")
    card, text = text[start:end], text[:start] + text[end:]
    text = text.replace("### 大模型（LLMs）强化学习——RLHF及其变种面", "### RLHF 及其变种")
    head = text.index("### RLHF 及其变种")
    at = text.index("\n####", head) + 1
    text = text[:at] + card + text[at:]
    src.write_text(text, encoding="utf-8")


def scheduling(col) -> dict:
    return {
        r[0]: r[1:] for r in col.db.all("select id, type, queue, due, ivl, factor, reps from cards")
    }


def test_sync_deletes_moves_updates_and_keeps_edits_made_in_anki(workdir, tmp_path):
    src = workdir / "source" / SEED.name
    path = fresh_collection(tmp_path / "c.anki2")
    first = sync(src, path)
    assert first.exit_code == 0, first.output
    assert "14 added" in first.output and "backup:" in first.output
    assert list((tmp_path / "qadeck-backups").iterdir())

    col = collection(path)
    try:
        before = notes_by_key(col)
        assert len(before) == 14
        col.decks.select(col.decks.id_for_name("llm-rl-interview"))
        for _ in range(14):
            col.sched.answerCard(col.sched.getCard(), 3)
        revlog = col.db.all("select id, cid, ease, ivl from revlog order by id")
        sched = scheduling(col)
        by_label = {n["Label"]: n for n in before.values()}
        phone = by_label["4"]
        phone["Answer"] = phone["Answer"] + "<p>在手机上补充的一句。</p>"
        col.update_note(phone)
        basic = col.new_note(col.models.by_name("Basic"))
        basic["Front"], basic["Back"] = "not from qadeck", "left alone"
        col.add_note(basic, col.decks.id("llm-rl-interview"))
    finally:
        col.close()

    reshape(src)
    dry = sync(src, path, "--dry-run")
    assert dry.exit_code == 0 and "1 added" in dry.output and "1 deleted" in dry.output
    assert (
        "edited in Anki; Anki's version kept" in dry.stderr and "在手机上补充的一句" in dry.stderr
    )
    col = collection(path)
    try:
        assert len(notes_by_key(col)) == 14  # a dry run changes nothing
    finally:
        col.close()
    checked = CliRunner().invoke(cli, ["check", str(src), "--collection", str(path)])
    assert checked.exit_code == 0 and "edited in Anki" in checked.stderr

    second = sync(src, path)
    assert second.exit_code == 0, second.output
    assert "edited in Anki" in second.stderr and "llm-rl-interview.md:" in second.stderr
    col = collection(path)
    try:
        after = notes_by_key(col)
        guids = [col.get_note(n).guid for n in col.find_notes('"note:qadeck Q&A"')]
        assert len(guids) == len(set(guids)) == 14  # 14 - 1 deleted + 1 added
        assert col.get_note(basic.id)["Back"] == "left alone"  # nothing else is touched
        assert not [
            k for k in before if k not in after and "本质联系" not in text_of(before[k]["Question"])
        ]
        assert not any("本质联系" in text_of(n["Question"]) for n in after.values())
        new = set(after) - set(before)
        assert len(new) == 1 and "KL" in after[new.pop()]["Question"]
        for key, note in before.items():
            if key in after:
                assert after[key].id == note.id
        labels = {n["Label"]: n for n in after.values()}
        assert "RM一般从基础模型初始化" in labels["3"]["Answer"]
        assert "难以量产的问题" in labels["5"]["Question"]
        assert "在手机上补充的一句" in labels["4"]["Answer"]  # the Anki-side edit is kept
        moved = labels["1"].cards()[0]
        assert col.decks.name(moved.did) == "llm-rl-interview::RLHF 及其变种"
        renamed = {col.decks.name(c.did) for n in after.values() for c in n.cards()}
        assert "llm-rl-interview::大模型（LLMs）强化学习——RLHF及其变种面" not in renamed
        assert col.db.all("select id, cid, ease, ivl from revlog order by id") == revlog
        now = scheduling(col)
        for cid, row in sched.items():
            if cid in now:
                assert now[cid][1:] == row[1:], cid  # queue, due, interval, ease, reps kept
        assert len([c for c in sched if c not in now]) == 1
    finally:
        col.close()

    third = sync(src, path, "--prefer", "notes")
    assert third.exit_code == 0, third.output
    col = collection(path)
    try:
        labels = {n["Label"]: n for n in notes_by_key(col).values()}
        assert "在手机上补充的一句" not in labels["4"]["Answer"]
    finally:
        col.close()
    quiet = sync(src, path)
    assert "0 added, 0 updated, 0 moved, 0 deleted, 0 conflicts" in quiet.output


def test_a_collection_open_in_anki_is_refused_and_left_unchanged(workdir, tmp_path):
    src = workdir / "source" / SEED.name
    path = fresh_collection(tmp_path / "c.anki2")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time, anki.lang; from anki.collection import Collection; "
         "anki.lang.set_lang('en_US'); c = Collection(sys.argv[1]); print('open', flush=True); "
         "time.sleep(30)", str(path)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "open"
        before = path.read_bytes()
        result = sync(src, path)
        assert result.exit_code == 1 and "close Anki" in result.stderr
        assert "Traceback" not in result.output
        assert path.read_bytes() == before
        assert not (tmp_path / "qadeck-backups").exists()
    finally:
        holder.kill()
        holder.wait()


def test_without_sync_the_removal_notice_repeats_and_its_search_finds_the_notes(tmp_path):
    notes = tmp_path / "notes"
    (notes / "a").mkdir(parents=True)
    (notes / "a" / "x.md").write_text(
        "### 什么是A？\n答A\n\n### 什么是B？\n答B\n", encoding="utf-8"
    )
    (notes / "y.md").write_text("### 什么是C？\n答C\n\n### 什么是D？\n答D\n", encoding="utf-8")
    dist = tmp_path / "dist"
    col = collection(tmp_path / "c.anki2")
    try:
        for target in (notes, notes / "y.md"):  # a folder build, then a single file
            assert CliRunner().invoke(cli, ["anki", str(target), "--out", str(dist)]).exit_code == 0
            import_deck(col, dist / f"{target.stem}.apkg")
        x, y = notes / "a" / "x.md", notes / "y.md"
        x.write_text("### 什么是A？\n答A\n", encoding="utf-8")
        y.write_text("### 什么是C？\n答C\n", encoding="utf-8")
        for target, gone in ((notes, {"什么是B？", "什么是D？"}), (y, {"什么是D？"})):
            for _ in range(2):  # on every build, not only the first
                result = CliRunner().invoke(cli, ["anki", str(target), "--out", str(dist)])
                assert "left the source" in result.stderr
                assert all(q in result.stderr for q in gone)
            query = result.stderr.split("search: ", 1)[1].split("\n", 1)[0]
            found = [text_of(col.get_note(n)["Question"]) for n in col.find_notes(query)]
            # Exactly the notes of the removed cards: in the folder's deck they are
            # `file~key`, in the file's own deck `key`; each search finds its own.
            assert set(found) == gone and len(found) == len(gone), (query, found)
        key = result.stderr.split("#", 1)[1].split()[0]
        forgot = CliRunner().invoke(cli, ["forget", str(y), key])
        assert forgot.exit_code == 0, forgot.output
        result = CliRunner().invoke(cli, ["anki", str(y), "--out", str(dist)])
        assert "left the source" not in result.stderr
    finally:
        col.close()


def test_the_top_deck_describes_itself(workdir, tmp_path):
    src = workdir / "source" / SEED.name
    assert CliRunner().invoke(cli, ["anki", str(src), "--out", str(tmp_path / "d")]).exit_code == 0
    col = collection(tmp_path / "c.anki2")
    try:
        import_deck(col, tmp_path / "d" / "llm-rl-interview.apkg")
        deck = col.decks.by_name("llm-rl-interview")
        assert "14 cards" in deck["desc"] and "llm-rl-interview.md" in deck["desc"]
        assert time.strftime("%Y") in deck["desc"]
    finally:
        col.close()
