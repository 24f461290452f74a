"""Math in cards, rendered by the MathJax Anki itself ships (from the `aqt` wheel), with the
card's own template and CSS, in headless Chromium, the way Anki's preview shows it."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from qadeck.cli import cli

from .conftest import ROOT
from .test_anki import PREVIEW, collection, import_deck, notes_by_key
from .test_pdf import MATH_FIXTURE

MATHJAX = ROOT / ".venv" / "anki-mathjax"

PAGE = """<!doctype html><html><head><meta charset="utf-8"><style>{css}</style>
<script>{config}</script>
<script>window.MathJax.loader.paths.mathjax = {vendor};</script>
<script src="{vendor_js}"></script></head>
<body class="{cls}"><div id="qa">{body}</div></body></html>"""


@pytest.fixture(scope="module")
def card_pages(tmp_path_factory):
    if not (MATHJAX / "mathjax.js").is_file():
        pytest.fail("Anki's MathJax is missing: run `make` (scripts/anki-mathjax.sh)")
    work = tmp_path_factory.mktemp("anki-math")
    result = CliRunner().invoke(cli, ["anki", str(MATH_FIXTURE), "--out", str(work)])
    assert result.exit_code == 0, result.output
    col = collection(work / "c.anki2")
    try:
        import_deck(col, work / "formulas.apkg")
        cards = [n.cards()[0] for n in notes_by_key(col).values()]
        return [(c.note()["Label"], c.answer(), c.css()) for c in cards], work
    finally:
        col.close()


def test_every_formula_of_the_deck_renders_with_ankis_mathjax(card_pages, browser):
    pages, work = card_pages
    vendor = MATHJAX / "vendor" / "mathjax"
    config = (MATHJAX / "mathjax.js").read_text(encoding="utf-8")
    PREVIEW.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 360, "height": 740})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    formulas = 0
    for label, body, css in sorted(pages, key=lambda p: int(p[0])):
        for mode, cls in (("light", "card"), ("night", "card nightMode night_mode")):
            html_file = work / f"card-{label}-{mode}.html"
            html_file.write_text(
                PAGE.format(css=css, config=config, vendor=json.dumps(vendor.as_uri()),
                            vendor_js=(vendor / "tex-chtml-full.js").as_uri(), cls=cls, body=body),
                encoding="utf-8",
            )  # fmt: skip
            page.goto(html_file.as_uri())
            page.wait_for_function("window.MathJax && MathJax.typesetPromise", timeout=20000)
            page.evaluate("MathJax.typesetPromise([document.getElementById('qa')])")
            state = page.evaluate(
                """() => ({
                  left: (document.getElementById('qa').innerText.match(/\\\\[()\\[\\]]/g) || []).length,
                  done: document.querySelectorAll('mjx-container').length,
                  errors: document.querySelectorAll('mjx-merror, [data-mjx-error], .noError').length,
                })"""
            )
            assert state["left"] == 0, (label, state)  # no delimiter left untypeset
            assert state["errors"] == 0, (label, state)
            assert state["done"] >= 1, (label, state)
            if mode == "light":
                formulas += state["done"]
            if label in ("1", "4"):
                page.screenshot(path=str(PREVIEW / f"anki-math-{label}-{mode}.png"))
    page.close()
    assert errors == []
    assert formulas >= 12
