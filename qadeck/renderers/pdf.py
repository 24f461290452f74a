"""PDF cheat-sheet renderer (WeasyPrint): two dense columns, CJK font embedded, never online."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from ..errors import SourceError
from ..model import Diagnostic, Document, Span
from . import Option, RenderContext
from .fragments import break_long_paragraphs, swap_images, unlink
from .mathsvg import math_as_svg
from .pdf_engine import Allowed, write_parallel, write_pdf
from .templating import css_string, environment, trusted
from .view import CardView, DocumentView, document_view

PAPER = {"a4": "A4", "letter": "letter"}
MAX_CARDS = 20_000  # one sheet; beyond, WeasyPrint's layout needs gigabytes (100,000: 6.5 GB+)
PARALLEL_MIN = 150  # cards from which the sheet is rendered in parallel chunks
CHUNK_MIN, CHUNK_MAX = 100, 400  # cards per chunk
SHORT = 700  # characters of answer Markdown below which a card is never split
FIT_SIZES = (8.6, 8.0, 7.5, 7.0, 6.5, 6.0)  # pt, tried by --fit-pages


@dataclass(frozen=True)
class Layout:
    """How dense the sheet is. The defaults give the two-column A4 sheet as it always was."""

    columns: int = 2
    landscape: bool = False
    font_size: float | None = None  # pt; None: the stylesheet's 8.6

    @classmethod
    def of(cls, options: dict) -> Layout:
        size = options.get("font_size")
        return cls(
            int(options.get("columns") or 2),
            bool(options.get("landscape")),
            float(size) if size else None,
        )

    def page_size(self, paper: str) -> str:
        return f"{paper} landscape" if self.landscape else paper

    def css(self) -> str:
        out = ""
        if self.columns != 2:
            out += f".columns {{ column-count: {self.columns}; }}\n"
        if self.font_size:
            out += f"html {{ font-size: {self.font_size:g}pt; }}\n"
        return out

    def suffix(self) -> str:
        parts = [f"{self.columns}col"] if self.columns != 2 else []
        parts += ["landscape"] if self.landscape else []
        parts += [f"{self.font_size:g}pt"] if self.font_size else []
        return "".join(f"-{p}" for p in parts)


def output_name(
    doc: Document, mode: str, lang: str, paper: str = "a4", layout: Layout = Layout(), fit=None
) -> str:
    """The file name carries every option that is not the default, so no choice overwrites
    another's file."""
    suffix = "".join(f"-{x}" for x in (mode, lang, paper) if x not in ("sheet", "zh", "a4"))
    suffix += f"-fit{int(fit)}" if fit else layout.suffix()
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


class PdfRenderer:
    """Build the PDF cheat-sheet."""

    name: ClassVar[str] = "pdf"
    runs_apart: ClassVar[bool] = True  # seconds of layout: a forked process, beside the others
    options: ClassVar[tuple[Option, ...]] = (
        Option(
            "mode",
            ("sheet", "quiz"),
            "sheet",
            "PDF: answers under questions, or a quiz with an answer key at the end.",
        ),
        Option("lang", ("zh", "en", "both"), "zh", "PDF: which language to print."),
        Option("paper", ("a4", "letter"), "a4", "PDF: paper size."),
        Option("columns", ("1", "2", "3", "4"), "2", "PDF: columns per page."),
        Option("landscape", (), False, "PDF: landscape pages.", flag=True),
        Option("font-size", (), None, "PDF: body text size in pt (default 8.6).", (5, 14)),
        Option(
            "fit-pages",
            (),
            None,
            "PDF: the largest type and fewest columns that fit the sheet in N pages.",
            (1, 999),
        ),  # fmt: skip
    )

    def render(self, doc: Document, ctx: RenderContext) -> list[Path]:
        mode = ctx.options.get("mode", "sheet")
        lang = ctx.options.get("lang", "zh")
        paper_name = ctx.options.get("paper", "a4")
        layout, fit = Layout.of(ctx.options), ctx.options.get("fit_pages")
        target = ctx.out_dir / output_name(doc, mode, lang, paper_name, layout, fit)
        if len(doc.cards) > MAX_CARDS:
            raise SourceError([Diagnostic("error", Span(doc.path, 0), _too_many(doc))])
        view = document_view(doc, ctx.html_store)
        allowed = Allowed.of(view, ctx)
        if fit:
            layout = self.fit(doc, ctx, mode, lang, PAPER[paper_name], int(fit), allowed)
        paper = layout.page_size(PAPER[paper_name])
        if len(doc.cards) >= PARALLEL_MIN and (os.cpu_count() or 1) > 1 and hasattr(os, "fork"):
            pages = self.html(doc, ctx, mode, lang, paper, chunked=True, layout=layout)
            write_parallel(pages, target, ctx, allowed, paper)
        else:
            html_text = self.html(doc, ctx, mode, lang, paper, layout=layout)[0]
            write_pdf(html_text, target, ctx, allowed=allowed)
        return [target]

    def fit(self, doc, ctx, mode, lang, paper, pages: int, allowed) -> Layout:
        """The largest type, then the fewest columns, that fits the sheet in `pages` pages
        (a binary search over that order: smaller type and more columns hold more)."""
        from .pdf_engine import count_pages

        order = [Layout(c, False, s) for s in FIT_SIZES for c in (1, 2, 3, 4)]
        low, high, best = 0, len(order) - 1, None
        while low <= high:
            mid = (low + high) // 2
            html_text = self.html(doc, ctx, mode, lang, order[mid].page_size(paper),
                                  layout=order[mid])[0]  # fmt: skip
            if count_pages(html_text, ctx, allowed) <= pages:
                best, high = order[mid], mid - 1
            else:
                low = mid + 1
        chosen = best or order[-1]
        verdict = "fits" if best else "does not fit even"
        ctx.warn(
            f"{doc.path}: note: --fit-pages {pages}: {chosen.columns} column(s) at "
            f"{chosen.font_size:g} pt ({verdict})"
        )
        return chosen

    def html(
        self,
        doc: Document,
        ctx: RenderContext,
        mode: str,
        lang: str,
        paper: str,
        chunked: bool = False,
        layout: Layout = Layout(),
    ) -> list[str]:
        """The sheet as one HTML page, or as pages of whole sections to render in parallel
        and cache one by one (page numbers are then stamped after joining)."""
        view = document_view(doc, ctx.html_store)
        files = {name: Path(path).as_uri() for name, path in view.media.items()}

        def fixer(card: CardView):
            return fixer_at(card.card.span)

        def fixer_at(where):
            def failed(tex: str, reason: str) -> None:
                ctx.warn(
                    f"{where.path}:{where.line}:{where.col}: warning: formula "
                    f"{tex[:60]!r} printed as TeX source ({reason})"
                )

            def fix(fragment: str):
                fragment, longest = break_long_paragraphs(fragment)
                if longest:
                    ctx.warn(
                        f"{where.path}:{where.line}:{where.col}: warning: a paragraph of "
                        f"{longest:,} characters is printed in pieces (it would stall the layout)"
                    )
                return trusted(swap_images(math_as_svg(unlink(fragment), failed), files))

            return fix

        def card_item(card: CardView) -> dict:
            fix = fixer(card)
            q, a, q2, a2 = card.in_lang(lang)
            return {
                "kind": "card", "key": card.key, "label": card.label, "number": card.number,
                "question": fix(q), "answer": fix(a), "question_en": fix(q2), "answer_en": fix(a2),
                "short": len(card.card.answer) + len(a2) / 2 < SHORT,
                "stale": card.stale_en and lang in ("en", "both"),
            }  # fmt: skip

        sections, answers = [], []
        for s in view.sections:
            items = []
            for e in s.entries:
                if isinstance(e, CardView):
                    items.append(card_item(e))
                else:
                    items.append(_heading_item(*e.in_lang(lang), e.label))
            # Section notes (text after a closing rule) stay in the page, not on the sheet.
            sections.append(
                {
                    **_heading_item(*s.in_lang(lang), s.label),
                    "entries": items,
                    "notes": fixer_at(s.section.span)(s.notes) if s.notes else "",
                    "part": s.part_en if lang == "en" else s.part,
                    "new_part": s.new_part,
                }
            )
            answers += [i for i in items if i["kind"] == "card"]
        return _pages(view, ctx, sections, answers, mode, lang, paper, chunked, layout)


def _heading_item(title: str, title_en: str, label: str) -> dict:
    return {"kind": "group", "title": title, "label": label, "title_en": title_en}


def _pages(view: DocumentView, ctx, sections, answers, mode, lang, paper, chunked, layout):
    from ..highlight import pygments_css

    doc = view.doc
    css = (ctx.templates / "pdf" / "sheet.css").read_text(encoding="utf-8")
    css = f"@page {{ size: {paper}; }}\n" + css + pygments_css("friendly", ".highlight")
    css += layout.css()
    title_en = doc.options.get("title_en", "")
    title = doc.title if lang != "en" else (title_en or doc.title)
    template = environment(ctx.templates / "pdf").get_template("sheet.html.j2")
    common = dict(
        title=title, title_en=title_en, lang=lang, mode=mode, card_count=len(view.cards),
        lang_attr="en" if lang == "en" else "zh-CN", changed=changed_date(ctx.source),
    )  # fmt: skip
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
                glossary=list(view.glossary) if last else [],
            )  # fmt: skip
        )
    return pages


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
