"""Nothing from a source reaches markup or CSS unescaped: hostile titles, labels, tags, deck
names and front-matter values in all three outputs (the PDF chunked, as large sheets are)."""

from __future__ import annotations

import sqlite3
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from qadeck.cli import cli

ATTACH = "B</style><a rel=attachment href=.env>x</a><style>"
HOSTILE = [
    ATTACH,
    '"><img src=x onerror=alert(1)><x-evil>',
    "</script><script>alert(1)</script>",
    'x\\"; } @page { @top-left { content: url(.env) } } /*',
    "{{7*7}} [sound:a.mp3] [anki:tts lang=en]t[/anki:tts]",
]
SECRET = "SECRET-TOKEN-42"


def hostile_notes(folder: Path) -> Path:
    (folder / ".env").write_text(SECRET)
    (folder / "private.png").write_bytes(b"\x89PNG" + SECRET.encode())
    front = (
        "---\n"
        f"title: '{HOSTILE[2]}'\n"
        f"title_en: '{HOSTILE[1]}'\n"
        f"deck: '{HOSTILE[4]}'\n"
        "tags: ['a b', '<x-evil>', '{{c}}']\n"
        f"description: '{ATTACH}'\n"
        "---\n"
    )
    body = []
    for s, title in enumerate(HOSTILE):
        body.append(f"## {s + 1}. {title}\n\n::: en {title}\n:::\n")
        body.append(f"### 组 {title}\n")
        for i in range(34):
            body.append(f"#### {s + 1}.{i + 1} 问题 {i} {title} 是什么？\n答案 {title}\n")
            body.append("[f](file:///etc/passwd) [r](../.env) [a](/etc/hosts) [h](//evil/x)\n")
    src = folder / "hostile.md"
    src.write_text(front + "\n".join(body), encoding="utf-8")
    return src


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    src = hostile_notes(folder)
    result = CliRunner().invoke(cli, ["all", str(src), "--out", str(folder / "dist")])
    assert result.exit_code == 0, result.output
    return folder / "dist"


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_the_page_holds_no_markup_from_the_source(built):
    page = (built / "hostile.html").read_text(encoding="utf-8")
    parser = Tags()
    parser.feed(page)
    names = [t for t, _ in parser.tags]
    assert names.count("script") == 1 and names.count("style") == 1
    assert "x-evil" not in names and "img" not in names
    assert not any("onerror" in a or a.get("rel") == "attachment" for _, a in parser.tags)
    hrefs = [a.get("href", "") for t, a in parser.tags if t == "a"]
    assert all(h.startswith(("#", "http")) for h in hrefs), hrefs
    assert SECRET not in page
    assert "alert(1)" in page  # shown as text, escaped


def test_the_chunked_pdf_embeds_and_links_nothing(built):
    from pypdf import PdfReader

    pdf = built / "hostile.pdf"
    data = pdf.read_bytes()
    assert SECRET.encode() not in data
    reader = PdfReader(pdf)
    assert len(reader.pages) > 3  # chunked: 170 cards
    assert reader.attachments == {}
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            uri = str(action.get("/URI", ""))
            assert not uri.startswith("file:") and "/Launch" not in str(action), uri
    text = "".join(p.extract_text() for p in reader.pages[:4])
    assert "</style>" in text or "style" in text  # the title is printed as text


def test_anki_fields_and_decks_are_inert(built):
    with zipfile.ZipFile(built / "hostile.apkg") as z:
        db = built / "c.anki2"
        db.write_bytes(z.read("collection.anki2"))
    con = sqlite3.connect(db)
    try:
        fields = [r[0] for r in con.execute("select flds from notes")]
        tags = [r[0] for r in con.execute("select tags from notes")]
        decks = con.execute("select decks from col").fetchone()[0]
    finally:
        con.close()
    assert len(fields) == 170
    for f in fields:
        parser = Tags()
        parser.feed(f)
        assert not {t for t, _ in parser.tags} & {"x-evil", "script", "img", "style"}
        assert not any("onerror" in a for _, a in parser.tags)
        assert "{{" not in f and "[sound:" not in f and "[anki:" not in f
        assert 'href="file:' not in f and 'href="/' not in f and SECRET not in f
    assert not any(c in t for t in tags for c in "<>{}"), tags[0]
    assert "[sound:a.mp3]" in decks  # a deck name is a name, not a field: kept as written


def test_the_sheet_html_of_every_chunk_keeps_titles_inside_their_strings(tmp_path):
    """The chunked sheet writes section titles into CSS strings (running headers)."""
    from qadeck.cli import _templates_dir
    from qadeck.pipeline import load
    from qadeck.renderers import RenderContext
    from qadeck.renderers.pdf import PdfRenderer

    src = tmp_path / "sheet.md"
    sections = (
        f"## {s}. {ATTACH} {s}\n\n"
        + "".join(f"### {s}.{i} 问题 {i} 是什么？\n答案。\n\n" for i in range(30))
        for s in range(1, 25)
    )
    src.write_text("".join(sections), encoding="utf-8")
    loaded = load(src)
    ctx = RenderContext(tmp_path, _templates_dir(None), loaded.lock, src)
    pages = PdfRenderer().html(loaded.doc, ctx, "sheet", "zh", "A4", chunked=True)
    assert len(pages) > 1
    for page in pages:
        parser = Tags()
        parser.feed(page)
        names = [t for t, _ in parser.tags]
        assert names.count("style") == 1 and "a" not in names and "x-evil" not in names


def test_an_svg_cannot_draw_a_file_outside_the_notes(tmp_path):
    from PIL import Image

    notes = tmp_path / "notes"
    (notes / "img").mkdir(parents=True)
    Image.new("RGB", (40, 40), (255, 0, 0)).save(tmp_path / "private.png")
    (notes / "img" / "pic.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="40" height="40"><image xlink:href="../../private.png" width="40" height="40"/>'
        "</svg>"
    )
    (notes / "a.md").write_text("### 什么是图？\n![p](img/pic.svg)\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["pdf", str(notes), "--out", str(tmp_path / "dist")])
    assert result.exit_code == 0, result.output
    assert "refused to fetch" in result.stderr and "private.png" in result.stderr
    from pypdf import PdfReader

    page = PdfReader(tmp_path / "dist" / "notes.pdf").pages[0]
    images = [x for x in page.images]
    assert not images  # the vector SVG drew, its raster reference did not


@pytest.mark.parametrize(
    "source",
    [
        "`\n<script>alert(1)</script>\n`",  # a code span that is not one: the HTML block ends it
        "`x\n# <script>alert(1)</script>`",
        "`a\n- <img src=x onerror=alert(1)>`",
    ],
)
def test_html_between_seeming_code_spans_is_inert(source):
    from qadeck.markup import render_markdown

    out = render_markdown(source)
    assert "<script" not in out and "onerror" not in out.replace("onerror=alert(1)&gt;", ""), out
