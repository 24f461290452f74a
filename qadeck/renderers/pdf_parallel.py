"""Large sheets on every core: whole sections rendered by WeasyPrint in parallel processes,
joined with pypdf, then `page / pages` stamped from one small overlay document."""

from __future__ import annotations

import io
import multiprocessing as mp
from pathlib import Path

from . import RenderContext

OVERLAY = """<!doctype html><html><head><meta charset="utf-8"><style>
@page {{ size: {paper}; margin: 13mm 10mm 12mm 10mm;
  @bottom-center {{ content: counter(page) " / " counter(pages); font-size: 7pt; color: #666;
    font-family: "Noto Sans CJK SC", sans-serif; }} }}
div {{ break-after: page; }} div:last-child {{ break-after: auto; }}
</style></head><body>{pages}</body></html>"""

_JOB: dict = {}


def _render(index: int) -> tuple[bytes, list[str]]:
    """Runs in a worker (forked: it inherits `_JOB`)."""
    from weasyprint import HTML

    from .pdf import local_fetcher

    warnings: list[str] = []
    fetcher = local_fetcher(_JOB["allowed"], warnings.append)
    html = HTML(string=_JOB["pages"][index], base_url=_JOB["base"], url_fetcher=fetcher)
    return html.write_pdf(), warnings


def write_parallel(
    pages: list[str], target: Path, ctx: RenderContext, allowed: list[Path], paper: str
) -> None:
    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML

    _JOB.update(pages=pages, allowed=allowed, base=ctx.source.parent.resolve().as_uri() + "/")
    with mp.get_context("fork").Pool(min(len(pages), 2)) as pool:
        results = pool.map(_render, range(len(pages)))
    writer = PdfWriter()
    for data, warnings in results:
        ctx.warnings.extend(warnings)
        writer.append(PdfReader(io.BytesIO(data)))
    total = len(writer.pages)
    overlay = HTML(string=OVERLAY.format(paper=paper, pages="<div></div>" * total)).write_pdf()
    for page, stamp in zip(writer.pages, PdfReader(io.BytesIO(overlay)).pages, strict=True):
        page.merge_page(stamp)
    with open(ctx.staging.stage(target), "wb") as f:
        writer.write(f)
