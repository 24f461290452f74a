"""Card keys: the id a card is known by across rebuilds (its GUID's seed, its lock entry).

An explicit `{#my-id}` after the question wins; otherwise the key comes from the section
and the question (`text.default_key`), and a question asked twice in one section gets
`-2`, `-3`, … with a warning, so no two cards of a document share a key."""

from __future__ import annotations

import re

from . import text as T
from .classify import trailing_id
from .errors import Diagnostics

_ID = re.compile(r"[A-Za-z0-9][\w\-.:]*")


class CardKeys:
    """The keys claimed so far in one document (key → line) and, for each repeated
    question, the next suffix to try."""

    def __init__(self, claimed: dict[str, int] | None = None) -> None:
        self.claimed: dict[str, int] = {} if claimed is None else claimed
        self.repeats: dict[str, int] = {}

    def assign(
        self, diags: Diagnostics, line: int, level: int, raw: str, section: str, question: str
    ) -> tuple[str, bool]:
        """The key of the question heading on `line` (`raw` its source title, `level` its
        `#` count) and whether the author wrote it."""
        found = trailing_id(raw)
        if found and _ID.fullmatch(found[1]):
            key = found[1]
            if key in self.claimed:
                diags.error(
                    line,
                    found[0] + level + 2,
                    f"card id {key!r} is already used on line {self.claimed[key]}",
                )
            self.claimed.setdefault(key, line)
            return key, True
        if found:
            diags.error(
                line,
                found[0] + level + 2,
                f"invalid card id {found[1]!r}: use letters, digits, '-', '_', '.', ':'",
            )
        key = T.default_key(section, question)
        if key in self.claimed:
            diags.warning(
                line,
                1,
                f"the same question already appears on line {self.claimed[key]} in this"
                " section; give one an explicit id like {#my-id}",
            )
            n = self.repeats.get(key, 2)
            while f"{key}-{n}" in self.claimed:
                n += 1
            self.repeats[key] = n + 1
            key = f"{key}-{n}"
        self.claimed[key] = line
        return key, False
