"""Translations written in the source: `::: en Question?` … `:::` inside a card translates
it; right under a section or group heading it translates the title. Anywhere else it is
an error (it would translate nothing)."""

from __future__ import annotations

from .blocks import Block, Node
from .errors import Diagnostics
from .model import FrozenMap, Span, Translation
from .sourcetext import inner_source


class LangBlocks:
    """Reads the `::: lang` blocks of one file, reporting what is wrong with them."""

    def __init__(self, path: str, lines: list[str], diags: Diagnostics) -> None:
        self.path = path
        self.lines = lines
        self.diags = diags

    def read(self, b: Block) -> Translation:
        """One block: its first line is the question or title, the rest the answer."""
        lang, _, first = b.text.strip().partition(" ")
        if not b.closed:
            self.diags.error(b.start + 1, 1, f"`::: {lang}` block is never closed with `:::`")
        span = Span(self.path, b.start + 1, 1)
        return Translation(lang, first.strip(), inner_source(self.lines, b), span)

    def add_to_card(self, b: Block, out: dict[str, Translation]) -> None:
        """A card's block: one per language, and it must give the question."""
        t = self.read(b)
        if t.lang in out:
            self.diags.warning(b.start + 1, 1, f"a second `::: {t.lang}` block in one card ignored")
            return
        if not t.question:
            self.diags.warning(
                b.start + 1,
                1,
                f"`::: {t.lang}` block has no question: write `::: {t.lang} Question?`",
            )
        out[t.lang] = t

    def of_heading(self, node: Node) -> tuple[FrozenMap, list[Block]]:
        """A section's or group's title translations, and the rest of its body."""
        found: dict[str, Translation] = {}
        rest: list[Block] = []
        for b in node.body:
            if b.kind == "container":
                t = self.read(b)
                found.setdefault(t.lang, t)
            else:
                rest.append(b)
        return FrozenMap(found), rest

    def check_stray(self, blocks: list[Block], where: str) -> None:
        """Blocks outside any card or heading they could translate."""
        for b in blocks:
            if b.kind == "container":
                self.diags.error(b.start + 1, 1, f"translation block outside any card (in {where})")
