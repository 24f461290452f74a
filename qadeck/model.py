"""The Q&A AST: frozen dataclasses every renderer reads and none mutates. No I/O here."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(Mapping[K, V], Generic[K, V]):
    """An immutable, hashable mapping that keeps insertion order."""

    __slots__ = ("_items", "_dict", "_hash")

    def __init__(self, items: Mapping[K, V] | tuple[tuple[K, V], ...] = ()) -> None:
        pairs = tuple(items.items()) if isinstance(items, Mapping) else tuple(items)
        object.__setattr__(self, "_items", pairs)
        object.__setattr__(self, "_dict", dict(pairs))
        object.__setattr__(self, "_hash", None)

    def __getitem__(self, key: K) -> V:
        return self._dict[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._dict)

    def __len__(self) -> int:
        return len(self._dict)

    def __hash__(self) -> int:
        if self._hash is None:
            object.__setattr__(self, "_hash", hash(self._items))
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self._dict) == dict(other)

    def __repr__(self) -> str:
        return f"FrozenMap({self._dict!r})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("FrozenMap is immutable")

    def __reduce__(self):
        return (FrozenMap, (self._items,))


@dataclass(frozen=True, order=True)
class Span:
    """A place in a source file; line and col are 1-based. Line 0: the file as a whole."""

    path: str
    line: int
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}" if self.line else self.path


@dataclass(frozen=True)
class Translation:
    """One language's version of a heading (title only) or a card (question and answer)."""

    lang: str
    question: str
    answer: str
    span: Span


@dataclass(frozen=True)
class Image:
    """An image a card refers to: `src` as written, `path` the resolved local file (or None)."""

    src: str
    path: str | None
    remote: bool
    span: Span


@dataclass(frozen=True)
class Group:
    """A heading that holds cards below it without being a card itself (`二、预训练篇`)."""

    title: str
    label: str
    level: int
    slug: str
    span: Span
    translations: FrozenMap[str, Translation] = field(default_factory=FrozenMap)


@dataclass(frozen=True)
class Card:
    """One question and its answer.

    `question` is inline Markdown without its label; `answer` is Markdown source, cut from the
    file as written. `headings` is the chain of section and group titles above the card.
    """

    key: str
    label: str
    question: str
    answer: str
    span: Span
    end_line: int
    level: int
    section: str
    headings: tuple[str, ...] = ()
    group: str | None = None
    tags: tuple[str, ...] = ()
    translations: FrozenMap[str, Translation] = field(default_factory=FrozenMap)
    images: tuple[Image, ...] = ()
    explicit_key: bool = False
    origin: str = "heading"
    namespace: str = ""  # Anki GUID namespace: front matter `id` or the file name
    stale: tuple[str, ...] = ()  # languages whose translation predates the last source edit

    @property
    def local_key(self) -> str:
        """The key within its own file (folder builds prefix keys with `file~`)."""
        return self.key.split("~", 1)[-1]


@dataclass(frozen=True)
class IndexEntry:
    """One line of a section's question index (`**题目：**` list)."""

    label: str
    text: str
    span: Span


@dataclass(frozen=True)
class Section:
    title: str
    label: str
    level: int
    slug: str
    span: Span
    cards: tuple[Card, ...]
    groups: tuple[Group, ...] = ()
    index: tuple[IndexEntry, ...] = ()
    notes: str = ""
    translations: FrozenMap[str, Translation] = field(default_factory=FrozenMap)
    part: tuple[str, ...] = ()  # folder builds: the sub-folders and file title it comes from
    part_deck: tuple[str, ...] = ()  # the same with the file's `deck:` (its Anki subdeck)
    part_en: tuple[str, ...] = ()  # the same with the file's `title_en:`


@dataclass(frozen=True)
class Term:
    """A bilingual glossary term found inline, e.g. `强化学习（Reinforcement Learning, RL）`."""

    zh: str
    en: str
    abbr: str
    span: Span


@dataclass(frozen=True)
class Diagnostic:
    severity: str  # "error" | "warning"
    span: Span
    message: str

    def __str__(self) -> str:
        return f"{self.span}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class Decision:
    """Why a heading became a card, a group, a section or part of an answer (shown by `check`)."""

    span: Span
    text: str
    kind: str
    reason: str
    rule: str = ""  # the named rule that decided (`classify.RULES`)


@dataclass(frozen=True)
class Document:
    path: str
    name: str
    title: str
    options: FrozenMap[str, Any]
    sections: tuple[Section, ...]
    glossary: tuple[Term, ...] = ()
    warnings: tuple[Diagnostic, ...] = ()
    decisions: tuple[Decision, ...] = ()
    lang: str = "zh"

    @property
    def cards(self) -> tuple[Card, ...]:
        return tuple(c for s in self.sections for c in s.cards)
