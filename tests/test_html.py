"""The bilingual page, opened from file:// in real headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from qadeck.cli import cli

from .conftest import ROOT, SEED

PREVIEW = ROOT / "dist" / "preview"

HOSTILE = """## 安全

### 1. 脚本会执行吗？
<script>window.__pwned = 1</script>
<img src=x onerror="window.__pwned = 2">
<iframe src="javascript:window.__pwned=3"></iframe>
[点我](javascript:window.__pwned=4) 和 [数据](data:text/html,<script>alert(1)</script>)
`<script>` 和 List<String>，a < b && c > d，{{ 7*7 }} {% include "x" %}

::: en Does script run?
<svg onload="window.__pwned = 5"></svg>
:::
"""


def build_page(src: Path, out: Path) -> Path:
    result = CliRunner().invoke(cli, ["html", str(src), "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out / f"{src.stem}.html"


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory) -> Path:
    import shutil

    work = tmp_path_factory.mktemp("html")
    (work / "source").mkdir()
    shutil.copy(SEED, work / "source" / SEED.name)
    return build_page(work / "source" / SEED.name, work / "dist")


@pytest.fixture
def page(browser, seed_page):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    p = context.new_page()
    p.errors, p.requests = [], []
    p.on("console", lambda m: m.type == "error" and p.errors.append(m.text))
    p.on("pageerror", lambda e: p.errors.append(str(e)))
    p.on("request", lambda r: p.requests.append(r.url))
    p.goto(seed_page.as_uri())
    yield p
    assert p.errors == []
    assert all(u.startswith(("file:", "data:")) for u in p.requests), p.requests
    context.close()


def visible_text(page, selector: str) -> list[str]:
    return page.locator(selector).evaluate_all(
        "els => els.filter(e => e.offsetParent !== null).map(e => e.innerText.trim())"
    )


def test_language_switch_changes_visible_text_and_is_remembered(page, seed_doc):
    zh_q = seed_doc.cards[0].question
    en_q = seed_doc.cards[0].translations["en"].question
    assert zh_q in visible_text(page, ".qt")
    assert en_q not in visible_text(page, ".qt")
    page.click("[data-set-lang=en]")
    shown = visible_text(page, ".qt")
    assert en_q in shown and zh_q not in shown
    assert page.get_attribute("html", "lang") == "en"
    page.reload()
    assert en_q in visible_text(page, ".qt")
    page.click("[data-set-lang=both]")
    shown = visible_text(page, ".qt")
    assert en_q in shown and zh_q in shown
    page.click("[data-set-lang=zh]")


def test_reveal_shows_answer(page, seed_doc):
    card = seed_doc.cards[0]
    answer = page.locator(f"#a-{card.key}")
    button = page.locator(f"#{card.key} .reveal")
    assert not answer.is_visible()
    assert button.get_attribute("aria-expanded") == "false"
    button.focus()
    page.keyboard.press("Enter")
    assert answer.is_visible() and button.get_attribute("aria-expanded") == "true"
    assert "智能体" in answer.inner_text()
    page.keyboard.press("Space")
    assert not answer.is_visible()
    page.click("#toggle-all")
    assert page.locator(".answer:visible").count() == 14


def test_search_narrows_cards(page):
    assert page.locator("article.card:visible").count() == 14
    page.fill("#search", "奖励黑客")
    assert page.locator("article.card:visible").count() == 2
    page.fill("#search", "supervised fine-tuning")
    n = page.locator("article.card:visible").count()
    assert 0 < n < 14
    page.fill("#search", "zzzz-no-such-text")
    assert page.locator("article.card:visible").count() == 0
    assert page.locator("#empty").is_visible()


def test_toc_permalink_glossary(page, seed_doc):
    card = seed_doc.cards[9]
    assert page.locator(f'.toc a[href="#s-{seed_doc.sections[0].slug}"]').count() == 1
    page.goto(page.url.split("#")[0] + f"#{card.key}")
    page.wait_for_timeout(50)
    assert page.locator(f"#a-{card.key}").is_visible()
    assert "Reinforcement Learning from Human Feedback" in page.inner_text("#glossary")


def test_hostile_source_never_runs(browser, tmp_path):
    src = tmp_path / "hostile.md"
    src.write_text(HOSTILE, encoding="utf-8")
    out = build_page(src, tmp_path / "dist")
    raw = out.read_text(encoding="utf-8")
    assert "<script>window" not in raw and "<iframe" not in raw and "onerror=" not in raw
    p = browser.new_page()
    requests: list[str] = []
    p.on("request", lambda r: requests.append(r.url))
    p.goto(out.as_uri())
    p.click("#toggle-all")
    p.click("[data-set-lang=both]")
    for link in p.locator("main a:not(.permalink)").all():
        link.click(no_wait_after=True)
    assert p.evaluate("window.__pwned") is None
    text = p.inner_text("main")
    assert "List<String>" in text and "a < b && c > d" in text and "{{ 7*7 }}" in text
    assert "{% include" in text
    assert all(u.startswith(("file:", "data:")) for u in requests), requests
    p.close()


def test_screenshots(browser, seed_page):
    PREVIEW.mkdir(parents=True, exist_ok=True)
    for w, h, name in ((390, 844, "phone"), (1280, 800, "desktop")):
        for scheme in ("light", "dark"):
            p = browser.new_page(viewport={"width": w, "height": h}, color_scheme=scheme)
            p.goto(seed_page.as_uri())
            p.click("[data-set-lang=both]")
            p.click(f"#{p.locator('article.card').first.get_attribute('id')} .reveal")
            assert p.evaluate("document.documentElement.scrollWidth") <= w
            p.screenshot(path=str(PREVIEW / f"html-{name}-{scheme}.png"))
            p.close()


def test_formula_heavy_notes_show_as_mathml_in_the_browser(tmp_path, browser):
    from .test_pdf import MATH_FIXTURE

    result = CliRunner().invoke(cli, ["html", str(MATH_FIXTURE), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    page_file = tmp_path / "formulas.html"
    html_text = page_file.read_text(encoding="utf-8")
    assert '<code class="math">' not in html_text  # no formula left as TeX
    page = browser.new_page(viewport={"width": 900, "height": 1400})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(page_file.as_uri())
    assert page.evaluate("document.querySelectorAll('math').length") >= 12
    assert page.evaluate("document.querySelectorAll('math mfrac').length") >= 4
    page.click("#toggle-all")
    assert page.locator("math").first.is_visible()
    PREVIEW.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(PREVIEW / "page-math.png"), full_page=True)
    page.close()
    assert errors == []


def test_a_question_without_label_or_translation_sits_beside_its_marker(browser, tmp_path):
    """The ▸ and the question share a line in every language mode, with or without a number
    label; in both languages the English question goes below the Chinese one."""
    src = tmp_path / "plain.md"
    src.write_text(
        "# 笔记\n\n## 为什么要做梯度裁剪？\n防止梯度爆炸。\n\n::: tip 面试加分点\nRNN 常用。\n:::\n\n"
        "## 1. 什么是早停？\n验证集不再变好就停。\n\n::: en What is early stopping?\nStop when"
        " validation stops improving.\n:::\n",
        encoding="utf-8",
    )
    p = browser.new_page()
    p.goto(build_page(src, tmp_path / "dist").as_uri())
    tops = "[...document.querySelectorAll('.reveal .qt')].filter(e => e.offsetParent)"
    tops += ".map(e => Math.round(e.getBoundingClientRect().top - e.closest('.reveal')"
    tops += ".getBoundingClientRect().top))"
    for lang in ("zh", "en"):
        p.click(f"[data-set-lang={lang}]")
        assert max(p.evaluate(tops)) < 20, lang  # on the button's first line
    p.click("[data-set-lang=both]")
    assert max(p.evaluate(tops)) >= 20  # the English one below
    assert p.locator(".callout-title").first.inner_text() == "面试加分点"
