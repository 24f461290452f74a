"""PDF cheat-sheet renderer (WeasyPrint): two dense columns, CJK font embedded, never online."""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from ..errors import SourceError
from ..images import images_of, media_name
from ..markup import pygments_css, render_inline, render_markdown
from ..model import Card, Diagnostic, Document, FrozenMap, Span
from . import RenderContext
from .templating import css_string, environment, trusted

PAPER = {"a4": "A4", "letter": "letter"}
MAX_CARDS = 20_000  # one sheet; beyond, WeasyPrint's layout needs gigabytes (100,000: 6.5 GB+)
PARALLEL_MIN = 150  # cards from which the sheet is rendered in parallel chunks
CHUNK_MIN, CHUNK_MAX = 100, 400  # cards per chunk
SHORT = 700  # characters of answer Markdown below which a card is never split
_XREF = re.compile(r'<a href="[^"]*" class="xref">(.*?)</a>', re.S)
_MATH = re.compile(r'<(span|div) class="math">\\[(\[](.*?)\\[)\]]</\1>', re.S)


class RemoteFetchRefused(ValueError):
    pass


def output_name(doc: Document, mode: str, lang: str) -> str:
    suffix = "".join(f"-{x}" for x in (mode, lang) if x not in ("sheet", "zh"))
    return f"{doc.name}{suffix}.pdf"


def changed_date(path: Path) -> str:
    """The day the source last changed: its last commit, else its file time."""
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", path.name],
            cwd=path.parent, capture_output=True, text=True, timeout=5, check=False,
        ).stdout.strip()  # fmt: skip
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", path.name],
            cwd=path.parent, capture_output=True, text=True, timeout=5, check=False,
        ).stdout.strip()  # fmt: skip
        if out and not dirty:
            return out
    except (OSError, subprocess.SubprocessError):
        pass
    return dt.date.fromtimestamp(path.stat().st_mtime).isoformat()


def _print_math(fragment: str) -> str:
    """WeasyPrint has no MathJax: print formulas as their TeX source in a code face."""
    return _MATH.sub(lambda m: f'<{m.group(1)} class="math">{m.group(2)}</{m.group(1)}>', fragment)


class PdfRenderer:
    name: ClassVar[str] = "pdf"

    def render(self, doc: Document, ctx: RenderContext) -> list[Path]:
        mode = ctx.options.get("mode", "sheet")
        lang = ctx.options.get("lang", "zh")
        paper = PAPER[ctx.options.get("paper", "a4")]
        target = ctx.out_dir / output_name(doc, mode, lang)
        if len(doc.cards) > MAX_CARDS:
            raise SourceError([Diagnostic("error", Span(doc.path, 1, 1), _too_many(doc))])
        allowed = Allowed.of(doc, ctx)
        if len(doc.cards) >= PARALLEL_MIN and (os.cpu_count() or 1) > 1 and hasattr(os, "fork"):
            from .pdf_parallel import write_parallel

            pages = self.html(doc, ctx, mode, lang, paper, chunked=True)[0]
            write_parallel(pages, target, ctx, allowed, paper)
        else:
            html_text = self.html(doc, ctx, mode, lang, paper)[0][0]
            write_pdf(html_text, target, ctx, allowed=allowed)
        return [target]

    def html(
        self,
        doc: Document,
        ctx: RenderContext,
        mode: str,
        lang: str,
        paper: str,
        chunked: bool = False,
    ) -> tuple[list[str], FrozenMap]:
        """The sheet as one HTML page, or as pages of whole sections to render in parallel
        and cache one by one (page numbers are then stamped after joining)."""
        images = images_of(doc)
        files = {media_name(i.path): Path(i.path).as_uri() for i in images.values() if i.path}
        numbered = [c for s in doc.sections for c in s.cards]
        numbers = {c.key: n for n, c in enumerate(numbered, 1)}

        def card_item(card: Card) -> dict:
            en = card.translations.get("en")
            q_zh, a_zh = render_inline(card.question, images), render_markdown(card.answer, images)
            q_en = render_inline(en.question, images) if en and en.question else ""
            a_en = render_markdown(en.answer, images) if en and en.answer else ""
            if lang == "en":
                q, a, q2, a2 = q_en or q_zh, a_en or a_zh, "", ""
            elif lang == "both":
                q, a, q2, a2 = q_zh, a_zh, q_en, a_en
            else:
                q, a, q2, a2 = q_zh, a_zh, "", ""
            fix = lambda s: trusted(_rewrite_images(_print_math(_XREF.sub(r"\1", s)), files))  # noqa: E731
            return {
                "kind": "card", "key": card.key, "label": card.label, "number": numbers[card.key],
                "question": fix(q), "answer": fix(a), "question_en": fix(q2), "answer_en": fix(a2),
                "short": len(card.answer) + len(a2) / 2 < SHORT,
            }  # fmt: skip

        sections, answers = [], []
        for s in doc.sections:
            items, group = [], None
            for c in s.cards:
                if c.group and c.group != group:
                    g = next((g for g in s.groups if g.title == c.group), None)
                    g_en = g.translations.get("en") if g else None
                    items.append(_heading_item(c.group, g.label if g else "", g_en, lang))
                group = c.group
                items.append(card_item(c))
            s_en = s.translations.get("en")
            # Section notes (text after a closing rule) stay in the page, not on the sheet.
            part = " / ".join(s.part)
            sections.append(
                {
                    **_heading_item(s.title, s.label, s_en, lang),
                    "entries": items,
                    "part": part,
                    "new_part": bool(part) and (not sections or sections[-1]["part"] != part),
                }
            )
            answers += [i for i in items if i["kind"] == "card"]
        css = (ctx.templates / "pdf" / "sheet.css").read_text(encoding="utf-8")
        css = f"@page {{ size: {paper}; }}\n" + css + pygments_css("friendly", ".highlight")
        title_en = doc.options.get("title_en", "")
        title = doc.title if lang != "en" else (title_en or doc.title)
        template = environment(ctx.templates / "pdf").get_template("sheet.html.j2")
        common = dict(
            title=title, title_en=title_en, lang=lang, mode=mode, card_count=len(numbered),
            lang_attr="en" if lang == "en" else "zh-CN", changed=changed_date(ctx.source),
        )  # fmt: skip
        glossary = [t for t in doc.glossary if t.en or t.abbr]
        parts = _split(sections) if chunked else [sections]
        pages = []
        for k, part in enumerate(parts):
            last, extra = k == len(parts) - 1, ""
            if len(parts) > 1:  # page numbers are stamped on the joined PDF instead
                extra = "@page { @bottom-center { content: none; } }\n"
                if k:
                    left, right = css_string(title), css_string(str(part[0]["title"]))
                    extra += (
                        f"@page :first {{ @top-left {{ content: {left}; }}"
                        f" @top-right {{ content: {right}; }} }}\n"
                    )
            pages.append(
                template.render(
                    **common,
                    css=trusted(css + extra),
                    sections=part,
                    show_title=k == 0,
                    answers=answers if last else [],
                    glossary=glossary if last else [],
                )  # fmt: skip
            )
        return pages, images


def _too_many(doc: Document) -> str:
    return (
        f"a sheet of {len(doc.cards):,} cards is too large to print (at most {MAX_CARDS:,}: "
        "laying it out would take gigabytes of memory); build the PDF of a part of the "
        "notes (one file or sub-folder), or split the file; the deck and the page have no limit"
    )


def _split(sections: list[dict]) -> list[list[dict]]:
    """Whole sections in runs of CHUNK_MIN to CHUNK_MAX cards. A run ends after a section
    whose title hashes to a multiple of 3, so editing a card moves no boundary and every other
    run renders to the same HTML: the cached PDF of that run is used again."""
    parts: list[list[dict]] = [[]]
    count = 0
    for s in sections:
        if parts[-1] and (
            count >= CHUNK_MAX
            or (count >= CHUNK_MIN and zlib.crc32(parts[-1][-1]["title"].encode()) % 3 == 0)
        ):
            parts.append([])
            count = 0
        parts[-1].append(s)
        count += sum(1 for e in s["entries"] if e["kind"] == "card")
    return parts


def _heading_item(title: str, label: str, en, lang: str) -> dict:
    t_en = en.question if en else ""
    if lang == "en" and t_en:
        return {"kind": "group", "title": t_en, "label": label, "title_en": ""}
    return {
        "kind": "group",
        "title": title,
        "label": label,
        "title_en": t_en if lang == "both" else "",
    }


def _rewrite_images(fragment: str, files: dict[str, str]) -> str:
    def swap(m: re.Match) -> str:
        name = html.unescape(m.group(1))
        return f'src="{html.escape(files[name])}"' if name in files else m.group(0)

    return re.sub(r'src="([^"]*)"', swap, fragment)


@dataclass(frozen=True)
class Allowed:
    """What the PDF may open: exactly the images the model resolved, and our templates."""

    files: frozenset[Path]
    roots: tuple[Path, ...]

    @classmethod
    def of(cls, doc: Document, ctx: RenderContext) -> Allowed:
        images = images_of(doc)
        files = frozenset(Path(i.path).resolve() for i in images.values() if i.path)
        return cls(files, ((ctx.templates / "pdf").resolve(),))

    def __contains__(self, path: Path) -> bool:
        return path in self.files or any(path.is_relative_to(r) for r in self.roots)


def local_fetcher(allowed: Allowed, warn):
    """A WeasyPrint URL fetcher that opens only `allowed` files (and data: URIs): an SVG's
    `xlink:href`, a stylesheet's `url()` or any other reference to something else is
    refused with a warning, never read."""
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher

    class LocalOnly(URLFetcher):
        def fetch(self, url: str, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            local = scheme == "file" and not urlsplit(url).netloc
            if local and Path(unquote(urlsplit(url).path)).resolve() in allowed:
                return super().fetch(url, headers)
            warn(f"pdf: refused to fetch {url[:120]}")
            raise RemoteFetchRefused(url)

    return LocalOnly(allowed_protocols={"file", "data"}, allow_redirects=False)


def write_pdf(html_text: str, target: Path, ctx: RenderContext, allowed: Allowed) -> None:
    """Render the page for `target` (staged); nothing outside `allowed` is ever opened."""
    from weasyprint import HTML

    fetcher = local_fetcher(allowed, ctx.warn)
    base = ctx.source.parent.resolve().as_uri() + "/"
    document = HTML(string=html_text, base_url=base, url_fetcher=fetcher)
    document.write_pdf(ctx.staging.stage(target))
