"""Every bad or hostile source gives its expected outcome: a clear error or a safe recovery."""

from __future__ import annotations

import re
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from qadeck.cli import cli

from .conftest import deck_fields

HERE = Path(__file__).parent / "bad_inputs"
CASES = sorted(c for c in HERE.glob("*.md") if c.name != "README.md")
DIAG = re.compile(r": (error|warning): ")


def expectations(case: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in case.with_suffix(".expect").read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition(": ")
        found.setdefault(key, []).append(value)
    return found


def test_corpus_is_big_enough():
    assert len(CASES) >= 30
    assert all(c.with_suffix(".expect").exists() for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_bad_input(case: Path, tmp_path: Path):
    expect = expectations(case)
    src = tmp_path / case.name
    shutil.copy(case, src)
    result = CliRunner().invoke(cli, ["check", str(src)])
    assert (
        "Traceback" not in result.output
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    )
    assert result.exit_code == int(expect["exit"][0]), result.output
    diags = [line for line in result.stderr.splitlines() if DIAG.search(line)]
    wanted = [s.replace("{file}", str(src)) for s in expect.get("stderr", [])]
    assert diags == wanted
    if "cards" in expect:
        assert f" {expect['cards'][0]} cards" in result.stdout
    if result.exit_code != 0:
        strict = CliRunner().invoke(cli, ["html", str(src), "--out", str(tmp_path / "dist")])
        assert strict.exit_code == 1 and not (tmp_path / "dist").exists()
        return
    built = CliRunner().invoke(
        cli, ["all", str(src), "--out", str(tmp_path / "dist")], catch_exceptions=False
    )
    assert built.exit_code == 0, built.output
    page = (tmp_path / "dist" / f"{case.stem}.html").read_text(encoding="utf-8")
    fields = deck_fields(tmp_path / "dist" / f"{case.stem}.apkg")
    for text in expect.get("html-absent", []):
        assert text not in page
    for text in expect.get("html-present", []):
        assert text in page
    for text in expect.get("anki-absent", []):
        assert text not in fields
    for text in expect.get("anki-present", []):
        assert text in fields
    # Whatever the source held: one script (ours), no event handlers, no script URLs.
    assert page.count("<script") == 1
    for html in (page.split("<script>")[0], fields):
        assert not re.search(r"<[a-z][^>]*\son\w+\s*=", html, re.I)
        assert not re.search(r"(href|src)\s*=\s*[\"']?\s*(javascript|vbscript):", html, re.I)
        assert "<iframe" not in html and "<object" not in html
    if expect.get("stderr"):
        strict = CliRunner().invoke(cli, ["check", "--strict", str(src)])
        assert strict.exit_code == 1


def test_line_endings_and_bom_give_the_same_cards():
    from qadeck.parse import parse_file

    def shape(name: str):
        return [(c.label, c.question, c.answer, c.span.line) for c in parse_file(HERE / name).cards]

    assert shape("crlf.md") == shape("cr.md")
    assert shape("bom.md") == shape("crlf.md")[:1]


def test_one_megabyte_line(tmp_path: Path):
    src = tmp_path / "long.md"
    src.write_text("## 长\n\n### 1. 很长的一行是什么？\n" + "长" * 350_000 + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(src)], catch_exceptions=False)
    assert result.exit_code == 0 and " 1 cards" in result.stdout


def test_twenty_megabyte_source_is_refused_clearly(tmp_path: Path):
    src = tmp_path / "huge.md"
    src.write_bytes(b"## x\n\n### 1. what?\n" + b"a" * (20 * 2**20))
    result = CliRunner().invoke(cli, ["check", str(src)])
    assert result.exit_code == 1
    assert f"{src}: error: the file is 20.0 MB" in result.stderr
    assert "split it into several files" in result.stderr


def test_ten_thousand_cards(tmp_path: Path):
    parts = ["## 大量\n"]
    parts += [
        f"### {i}. 第{i}个问题是什么？\n第{i}个答案，含 `code` 与 **粗体**。\n"
        for i in range(1, 10001)
    ]
    src = tmp_path / "many.md"
    src.write_text("\n".join(parts), encoding="utf-8")
    start = time.perf_counter()
    result = CliRunner().invoke(cli, ["check", str(src)], catch_exceptions=False)
    assert result.exit_code == 0 and " 10000 cards" in result.stdout
    assert time.perf_counter() - start < 60


def test_symlink_escaping_the_folder(tmp_path: Path):
    (tmp_path / "img.png").symlink_to("/etc/hostname")
    src = tmp_path / "link.md"
    src.write_text("## 图\n\n### 1. 链接会被读吗？\n![x](img.png)\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["anki", str(src), "--out", str(tmp_path / "dist")])
    assert result.exit_code == 1
    assert f"{src}:4:6: error: image 'img.png' is outside the source folder" in result.stderr
    assert not (tmp_path / "dist").exists()


def _png(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(
        Path(__file__).parent / "fixtures" / "notes" / "2.x-基础" / "images" / "attn.png", path
    )


def test_images_may_come_from_anywhere_in_the_notes_repository(tmp_path: Path, monkeypatch):
    """A note built alone may show `../assets/x.png` of its own git repository; never a file
    outside it, and never from a repository that is the home folder (dotfiles)."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    repo = tmp_path / "home" / "notes"
    (repo / ".git").mkdir(parents=True)
    _png(repo / "assets" / "a.png")
    _png(tmp_path / "home" / "secret.png")
    src = repo / "zh" / "ml.md"
    src.parent.mkdir()
    body = "## 图\n\n### 什么是注意力？\n见图。\n\n![x](../assets/a.png)\n"
    src.write_text(body, encoding="utf-8")
    result = CliRunner().invoke(cli, ["anki", str(src), "--out", str(tmp_path / "dist")])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "dist" / "ml.apkg") as z:
        assert len(z.namelist()) == 3  # collection, media map, the picture
    src.write_text(body + "\n![y](../../secret.png)\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(src)])
    assert result.exit_code == 1
    assert "image '../../secret.png' is outside the source folder" in result.stderr
    (repo / ".git").rmdir()
    (tmp_path / "home" / ".git").mkdir()  # a dotfiles repository: the limit is the folder
    result = CliRunner().invoke(cli, ["check", str(src)])
    assert result.exit_code == 1
    assert "image '../assets/a.png' is outside the source folder" in result.stderr


def test_an_image_left_behind_outside_the_folder_is_only_missing(tmp_path: Path):
    src = tmp_path / "copy.md"
    src.write_text(
        "## 图\n\n### 什么是 A？\n答。\n\n![x](../nowhere-xyz/a.png)\n", encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["check", str(src)])
    assert result.exit_code == 0, result.output
    assert "image '../nowhere-xyz/a.png' not found" in result.stderr


def test_only_pictures_travel_in_a_deck(tmp_path: Path):
    """A link to a file inside the notes that is no picture (`.env`, a key renamed `.png`,
    text called `.svg`) leaves it out with a warning: nothing but pictures is packaged."""
    secret = "SECRET-TOKEN-77"
    (tmp_path / ".env").write_text(secret)
    (tmp_path / "key.png").write_text(secret)
    (tmp_path / "fake.svg").write_text(secret)
    _png(tmp_path / "ok.png")
    src = tmp_path / "pics.md"
    src.write_text(
        "## 图\n\n### 什么是注意力？\n见图。\n\n"
        "![a](.env) ![b](key.png) ![c](fake.svg) ![d](ok.png)\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["anki", str(src), "--out", str(tmp_path / "dist")])
    assert result.exit_code == 0, result.output
    for name, col in ((".env", 6), ("key.png", 17), ("fake.svg", 31)):
        assert f"{src}:6:{col}: warning: image {name!r} is not" in result.stderr, name
    with zipfile.ZipFile(tmp_path / "dist" / "pics.apkg") as z:
        assert len(z.namelist()) == 3  # collection, media map, the one picture
        assert not any(secret.encode() in z.read(n) for n in z.namelist())
