"""Bilingual HTML page renderer: one self-contained file, inline CSS and JS, nothing fetched.

A Content-Security-Policy allows only our own script (by hash) and data: images, so even a
sanitizer slip could neither run source script nor reach the network.
"""

from __future__ import annotations

import base64
import hashlib
import html
import mimetypes
import re
from pathlib import Path
from typing import ClassVar

from ..images import images_of, media_name
from ..markup import pygments_css, render_inline, render_markdown
from ..model import Card, Document, Section
from . import RenderContext
from .templating import environment, trusted

_MATH = re.compile(r'<(span|div) class="math">\\([(\[])(.*?)\\([)\]])</\1>', re.S)


def mathml(fragment: str) -> str:
    """`\\(…\\)` / `\\[…\\]` → MathML, which browsers draw with no script or font download."""
    if 'class="math"' not in fragment:
        return fragment
    from latex2mathml.converter import convert

    def swap(m: re.Match) -> str:
        tex = html.unescape(m.group(3))
        display = "block" if m.group(2) == "[" else "inline"
        try:
            return convert(tex, display=display)
        except Exception:  # noqa: BLE001 - any TeX the converter cannot read stays as source
            return f'<code class="math">{html.escape(tex)}</code>'

    return _MATH.sub(swap, fragment)


_XREF = re.compile(r'<a href="([^"]*)" class="xref">(.*?)</a>', re.S)


def _resolve_xref(m: re.Match, anchors: dict[str, str]) -> str:
    """A link to another note of the folder points at its section; otherwise plain text."""
    from urllib.parse import unquote

    target = unquote(html.unescape(m.group(1))).split("#", 1)[0]
    target = re.sub(r"^(\./)+", "", target)
    target = re.sub(r"\.(md|markdown)$", "", target, flags=re.I)
    for name in (target, Path(target).name):
        anchor = anchors.get(name.casefold())
        if anchor:
            return f'<a href="#{anchor}" class="xref">{m.group(2)}</a>'
    return f'<span class="xref">{m.group(2)}</span>'


def _data_uri(path: str) -> str:
    mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if not mime.startswith("image/"):
        mime = "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(Path(path).read_bytes()).decode()}"


class HtmlRenderer:
    name: ClassVar[str] = "html"

    def render(self, doc: Document, ctx: RenderContext) -> list[Path]:
        target = ctx.out_dir / f"{doc.name}.html"
        ctx.staging.write(target, self.page(doc, ctx).encode("utf-8"))
        return [target]

    def page(self, doc: Document, ctx: RenderContext) -> str:
        images = images_of(doc)
        uris = {media_name(i.path): _data_uri(i.path) for i in images.values() if i.path}

        anchors: dict[str, str] = {}
        for s in doc.sections:
            stem = Path(s.span.path).with_suffix("").as_posix()
            for name in (stem, Path(stem).name):
                anchors.setdefault(name.casefold(), "s-" + s.slug)

        def fix(fragment: str):
            fragment = _XREF.sub(lambda m: _resolve_xref(m, anchors), fragment)
            if uris:
                fragment = re.sub(
                    r'<img src="([^"]*)"',
                    lambda m: f'<img src="{uris.get(html.unescape(m.group(1)), "")}"',
                    fragment,
                )
            return trusted(mathml(fragment))

        def card_item(card: Card) -> dict:
            en = card.translations.get("en")
            return {
                "kind": "card",
                "key": card.key,
                "label": card.label,
                "question": fix(render_inline(card.question, images)),
                "answer": fix(render_markdown(card.answer, images)),
                "has_en": en is not None,
                "question_en": fix(render_inline(en.question, images)) if en else "",
                "answer_en": fix(render_markdown(en.answer, images)) if en else "",
            }

        sections = [self.section(s, card_item, fix) for s in doc.sections]
        previous = None
        for item, s in zip(sections, doc.sections, strict=True):
            item["part"] = " / ".join(s.part)
            item["new_part"] = bool(s.part) and s.part != previous
            previous = s.part
        folder = ctx.templates / "html"
        script = (folder / "page.js").read_text(encoding="utf-8").replace("</", "<\\/")
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        css = (folder / "page.css").read_text(encoding="utf-8")
        css += "\n" + pygments_css("default", ".highlight")
        dark = pygments_css("github-dark", ".highlight")
        css += "\n@media (prefers-color-scheme: dark) {\n" + dark + "\n}\n"
        return (
            environment(folder)
            .get_template("page.html.j2")
            .render(
                title=doc.title,
                title_en=doc.options.get("title_en", ""),
                default_lang="zh" if doc.lang.startswith("zh") else "en",
                card_count=len(doc.cards),
                sections=sections,
                glossary=[t for t in doc.glossary if t.en or t.abbr],
                css=trusted(css),
                script=trusted(script),
                script_hash=f"sha256-{digest}",
            )
        )

    @staticmethod
    def section(s: Section, card_item, fix) -> dict:
        items: list[dict] = []
        group = None
        for c in s.cards:
            if c.group and c.group != group:
                g = next((g for g in s.groups if g.title == c.group), None)
                g_en = g.translations.get("en") if g else None
                items.append(
                    {
                        "kind": "group",
                        "title": c.group,
                        "label": g.label if g else "",
                        "title_en": g_en.question if g_en else "",
                    }
                )
            group = c.group
            items.append(card_item(c))
        s_en = s.translations.get("en")
        return {
            "anchor": "s-" + s.slug,
            "label": s.label,
            "title": s.title,
            "title_en": s_en.question if s_en else "",
            "entries": items,
            "cards": s.cards,
            "notes": fix(render_markdown(s.notes)) if s.notes else "",
        }
