"""The parser's intermediate shapes: blocks with their line ranges, and the heading tree."""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it.token import Token


@dataclass
class Block:
    kind: str  # heading | hr | container | paragraph | other
    start: int  # 0-based first line
    end: int  # 0-based, exclusive
    tokens: list[Token]
    level: int = 0
    text: str = ""
    closed: bool = True
    raw: str | None = None  # source text when it is not lines[start:end] (dedented list items)
    origin: str = "heading"  # for promoted questions: "bold", "prefix" or "list"


@dataclass
class Node:
    block: Block | None
    level: int
    children: list[Node] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)
    after_rule: list[Block] = field(default_factory=list)
    ruled: bool = False

    @property
    def raw_title(self) -> str:
        return self.block.text if self.block else ""

    @property
    def line(self) -> int:
        return self.block.start + 1 if self.block else 1
