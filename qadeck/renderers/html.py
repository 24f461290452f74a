"""Bilingual HTML page renderer: one self-contained file, inline CSS and JS, nothing fetched.

A Content-Security-Policy allows only our own script (by hash) and data: images, so even a
sanitizer slip could neither run source script nor reach the network.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
from pathlib import Path
from typing import ClassVar

from ..model import Document
from . import RenderContext
from .fragments import link_sections, math_as_mathml, swap_images
from .templating import environment, trusted
from .view import CardView, SectionView, document_view


def _data_uri(path: str) -> str:
    mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if not mime.startswith("image/"):
        mime = "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(Path(path).read_bytes()).decode()}"


class HtmlRenderer:
    """Build the bilingual HTML page."""

    name: ClassVar[str] = "html"

    def render(self, doc: Document, ctx: RenderContext) -> list[Path]:
        target = ctx.out_dir / f"{doc.name}.html"
        ctx.staging.write(target, self.page(doc, ctx).encode("utf-8"))
        return [target]

    def page(self, doc: Document, ctx: RenderContext) -> str:
        view = document_view(doc, ctx.html_store)
        uris = {name: _data_uri(path) for name, path in view.media.items()}
        anchors: dict[str, str] = {}
        for s in doc.sections:
            stem = Path(s.span.path).with_suffix("").as_posix()
            for name in (stem, Path(stem).name):
                anchors.setdefault(name.casefold(), "s-" + s.slug)

        def fix(fragment: str):
            fragment = link_sections(fragment, anchors)
            if uris:
                fragment = swap_images(fragment, uris, missing="")
            return trusted(math_as_mathml(fragment))

        sections = [_section_item(s, fix) for s in view.sections]
        folder = ctx.templates / "html"
        script = (folder / "page.js").read_text(encoding="utf-8").replace("</", "<\\/")
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        return (
            environment(folder)
            .get_template("page.html.j2")
            .render(
                title=doc.title,
                title_en=doc.options.get("title_en", ""),
                default_lang="zh" if doc.lang.startswith("zh") else "en",
                card_count=len(view.cards),
                sections=sections,
                glossary=list(view.glossary),
                css=trusted(_css(folder)),
                script=trusted(script),
                script_hash=f"sha256-{digest}",
            )
        )


def _css(folder: Path) -> str:
    from ..highlight import pygments_css

    css = (folder / "page.css").read_text(encoding="utf-8")
    css += "\n" + pygments_css("default", ".highlight")
    dark = pygments_css("github-dark", ".highlight")
    return css + "\n@media (prefers-color-scheme: dark) {\n" + dark + "\n}\n"


def _section_item(s: SectionView, fix) -> dict:
    entries: list[dict] = []
    for e in s.entries:
        if isinstance(e, CardView):
            entries.append(
                {
                    "kind": "card",
                    "key": e.key,
                    "label": e.label,
                    "question": fix(e.question),
                    "answer": fix(e.answer),
                    "has_en": e.has_en,
                    "stale_en": e.stale_en,
                    "question_en": fix(e.question_en) if e.has_en else "",
                    "answer_en": fix(e.answer_en) if e.has_en else "",
                }  # fmt: skip
            )
        else:
            entries.append(
                {"kind": "group", "title": e.title, "label": e.label, "title_en": e.title_en}
            )
    assert s.section is not None
    return {
        "anchor": "s-" + s.section.slug,
        "label": s.label,
        "title": s.title,
        "title_en": s.title_en,
        "entries": entries,
        "cards": s.cards,
        "notes": fix(s.notes) if s.notes else "",
        "part": s.part,
        "part_en": s.part_en,
        "new_part": s.new_part,
    }
