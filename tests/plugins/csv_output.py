"""A fourth output, as a newcomer writes one: a CSV of card key, question and answer for
Quizlet-style importers. One module; no edit to the CLI, the pipeline or other renderers."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import ClassVar

from qadeck.model import Document
from qadeck.renderers import Option, RenderContext
from qadeck.renderers.view import document_view

_TAG = re.compile(r"<[^<>]*>")


def _text(fragment: str) -> str:
    import html

    return html.unescape(_TAG.sub("", fragment)).strip()


class CsvRenderer:
    """Build a CSV of the cards (key, question, answer)."""

    name: ClassVar[str] = "csv"
    options: ClassVar[tuple[Option, ...]] = (
        Option("delimiter", ("comma", "tab"), "comma", "CSV: the field separator."),
    )

    def render(self, doc: Document, ctx: RenderContext) -> list[Path]:
        view = document_view(doc, ctx.html_store)
        out = io.StringIO()
        sep = "\t" if ctx.options.get("delimiter") == "tab" else ","
        writer = csv.writer(out, delimiter=sep, lineterminator="\n")
        writer.writerow(["key", "question", "answer"])
        for card in view.cards:
            writer.writerow([card.key, _text(card.question), _text(card.answer)])
        target = ctx.out_dir / f"{doc.name}.csv"
        ctx.staging.write(target, out.getvalue().encode("utf-8"))
        return [target]
