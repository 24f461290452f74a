"""The heading tree → sections, groups and cards: emission. What each heading is comes from
the rules in `classify.py`; the question index is read and checked in `qindex.py`, card
keys are given in `cardkeys.py` and `::: lang` translations read in `langblocks.py`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import text as T
from .answerkey import MOVED
from .blockforms import has_content
from .blocks import Block, Node
from .cardkeys import CardKeys
from .classify import Classifier, Verdict, is_contents, is_question, q_numbered, title_of
from .errors import Diagnostics
from .glossary import find_terms
from .langblocks import LangBlocks
from .model import (
    Card,
    Decision,
    Document,
    FrozenMap,
    Group,
    Image,
    Section,
    Span,
    Translation,
)
from .qindex import cross_check, split_index
from .sectioncache import Memo
from .sourcetext import prose_lines, source_of

_QUESTION_PART = re.compile(r"(题目|问题|面试题|question|problem)\s*[:：]?", re.I)
_ORIGIN_REASON = {
    "bold": "a bold line that reads as a question",
    "prefix": "a `问题：`/`Q:` paragraph, or the question stated under `## 题目描述` or"
    " `### 1. 【简答题】`",
    "list": "a list item that reads as a question, with its answer nested",
    "task": "a numbered bold task (`**1)** …`) with its answer below",
    "details": "a `<details>` whose summary is the question",
    "numbered": "a numbered line that asks (`1，…？`)",
    "arrow": "a question and its answer after an arrow (`…？→ …`)",
    "callout": "a callout (`::: tip …？`) whose title is the question",
    "table": "a row of a table of questions (`| 问 | 答 |`)",
    "plain": "a line of its own that asks (`…？`), its answer after it",
    "term": "a term of a glossary (`* LLM` over what it is)",
}


@dataclass(frozen=True)
class Place:
    """Where a heading is emitted: its section, the titles above it, its group."""

    section: str
    chain: tuple[str, ...]
    group: str | None = None

    def under(self, title: str) -> Place:
        return Place(self.section, (*self.chain, title), title)


@dataclass
class Emitted:
    """What a section's walk has made so far."""

    cards: list[Card] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    notes: list[Block] = field(default_factory=list)

    def add(self, card: Card | None) -> None:
        if card is not None:
            self.cards.append(card)


# `# 14.`: a number whose question was never written.
_ONLY_NUMBER = re.compile(r"(?:Q|问题|题)?\s*\d{1,4}(?:[.．]\d{1,3})*\s*[.．、:：)）]?", re.I)


# `面试记录：多卡并行的原理是什么`: a short tag before the title's question.
_TITLE_TAG = re.compile(r"^[^：:\s]{1,8}[：:]\s*+(?=\S)")


# `title: GBDT 介绍`, `决策树简介`, `Transformer 详解`: an article's name (its headings are
# its topics), not a question it answers.
_ARTICLE = re.compile(r"(介绍|简介|概述|入门|详解|浅析|解读|综述|笔记|总结)\s*$")


def _has_text(notes: str) -> bool:
    """Notes with a line that is no heading (`## 第一章` alone is no text)."""
    return any(x.strip() and not x.lstrip().startswith("#") for x in notes.split("\n"))


def _asks_apart(node: Node) -> bool:
    """A question of its own; a glossary's term (`* ReLU` + what it is) under a title that
    asks (`常见的激活函数有哪些？`) is part of that question's answer."""
    return is_question(node) and node.block.origin != "term"


def _asked(title: str) -> str:
    """The question a title asks, without a tag before it (`面试记录：`)."""
    m = _TITLE_TAG.match(title)
    rest = title[m.end() :] if m else title
    return rest if m and T.reads_as_question(rest) else title


def _only_statement(blocks: list[Block]) -> bool:
    """Nothing answers: only headings (`### Components` over `#### Data Preparation`, both
    empty), or only the question said again under a `### Question` / `### 题目` part."""
    statement = False
    for b in blocks:
        if b.kind == "heading":
            statement = _QUESTION_PART.fullmatch(T.plain(b.text).strip()) is not None
        elif not statement:
            return False
    return True


class OutlineBuilder:
    """Walks the heading tree and emits what `classify.py` decided each heading is."""

    def __init__(
        self,
        path: str,
        lines: list[str],
        diags: Diagnostics,
        base_dir: Path | None,
        options: dict[str, Any],
        name: str,
        root: Path | None = None,
    ) -> None:
        """`root` is the folder images must stay in (default: the file's own folder)."""
        self.path = path
        self.root = root
        self.lines = lines
        self.diags = diags
        self.base_dir = base_dir
        self.options = options
        self.name = name
        self.decisions: dict[int, Decision] = {}  # by line: a later decision replaces one
        self.keys = CardKeys()
        self.langs = LangBlocks(path, lines, diags)
        self.rules: Classifier | None = None
        self.memo: Memo | None = None  # sections emitted before (`sectioncache`)

    def decide(self, node: Node, kind: str, rule: str, reason: str) -> None:
        self.decisions[node.line] = Decision(
            self.span(node.line), title_of(node), kind, reason, rule
        )

    def record(self, node: Node, verdict: Verdict, extra: str = "") -> None:
        reason = verdict.reason
        if verdict.rule == "question" and node.block is not None:  # say how it was written
            reason = _ORIGIN_REASON.get(node.block.origin, reason)
        kind = "group" if verdict.kind == "category" else verdict.kind
        self.decide(node, kind, verdict.rule, reason + extra)

    # -- building -------------------------------------------------------------------------
    def build(self, root: Node) -> Document:
        rules = self.rules = Classifier(root)
        top = root.children
        sections: list[Section] = []
        title = self.options.get("title")
        preamble = root.body
        quoted = self.quoted_question(root)
        if quoted is not None:
            title = title or quoted.text
            sections.append(self.one_card_file(top, title, quoted))
            top, preamble = [], []
        elif self.is_title(root):
            head = next(n for n in top if not self.aside(n))
            named = T.plain(T.split_label(title_of(head))[1])
            title = title or ("" if is_contents(named) else named)  # not `Table of Contents`
            self.decide(head, "title", "title", "the only top-level heading; it names the document")
            self.langs.check_stray(head.body, "the document title")
            preamble = head.body + head.after_rule
            at = top.index(head)
            top = [*top[:at], *head.children, *top[at + 1 :]]
        from_name = not title  # a file name is no Markdown: `ml__notes` keeps its `__`
        title = title or self.name
        self.langs.check_stray(preamble, "the preamble")
        loose: list[Node] = []
        if self.one_question(top, title):
            sections.append(self.one_card_file(top, title))
            top = []
        for node in top:
            if rules.verdict(node).kind == "category":
                if loose:
                    sections.append(self.implicit_section(loose, title))
                    loose = []
                sections.append(self.section(node))
            else:
                loose.append(node)
        if loose:
            sections.append(self.implicit_section(loose, title))
        shown = any(s.cards for s in sections)  # else "no question cards" says it all
        for s in sections:
            if shown and not s.cards and _has_text(s.notes):  # no output shows it
                self.diags.warning(
                    s.span.line,
                    1,
                    "this text belongs to no card and to no section with cards; it is in no output",
                )
        sections = self.unique_slugs([s for s in sections if s.cards])
        if not sections:
            self.diags.warning(0, 1, "no question cards found in this file")
        glossary = find_terms(prose_lines(self.lines), self.path)
        return Document(
            path=self.path,
            name=self.name,
            title=title if from_name else T.plain(title),
            options=FrozenMap(self.options),
            sections=tuple(sections),
            glossary=tuple(glossary),
            warnings=tuple(self.diags.warnings),
            decisions=tuple(self.decisions.values()),
            lang=str(self.options.get("lang", "zh")),
        )

    def is_title(self, root: Node) -> bool:
        """The title rule: a lone top-level heading that opens the file and holds categories
        of questions names the document, unless its own text explains it (then it is a
        section with a card of its own, as it would be beside another top heading)."""
        assert self.rules is not None
        top = [n for n in root.children if not self.aside(n)]
        if len(top) != 1 or has_content(root.body) or not top[0].children:
            return False
        head = top[0]
        if (
            self.rules.verdict(head).kind != "category"
            or self.rules.question_below(head)
            and (T.reads_as_question(T.split_label(title_of(head))[1]))
        ):
            return False
        if not any(self.rules.verdict(c).kind == "category" for c in head.children):
            return False
        if any(self.rules.is_part(c) for c in head.children if not self.aside(c)):
            return False  # its parts make it a card of its own (a title has no card for them)
        return head.level == 1 or not self.rules.own_answer(head, self.langs.of_heading(head)[1])

    def aside(self, node: Node) -> bool:
        """A top-level `# References`, `# TODO`, answer key or empty heading beside the title
        does not make the title one of several top headings."""
        assert self.rules is not None
        return self.rules.verdict(node).rule in (
            "references",
            "todo",
            "empty-heading",
            "answer-key",
        )

    def one_question(self, top: list[Node], title: str) -> bool:
        """The one-question file: its top headings are (mostly) parts of one answer, none a
        question or a category of questions; or its title (front matter) asks, and no heading
        below does."""
        assert self.rules is not None
        asks = bool(self.options.get("title")) and T.reads_as_question(title)
        asks = asks and not _ARTICLE.search(T.plain(title))
        if asks and top and not any(_asks_apart(n) or self.rules.question_below(n) for n in top):
            return (
                True  # `title: 多卡并行的原理是什么` over `# 概览`, `# NCCL`: a post answering it
            )
        if len(top) < 2 or any(
            self.rules.verdict(n).kind == "category" or T.reads_as_question(title_of(n))
            for n in top
        ):
            return False
        parts = sum(1 for n in top if self.rules.part_word(n))
        return parts * 3 >= len(top) * 2 or (asks and parts * 2 >= len(top))

    def quoted_question(self, root: Node) -> Block | None:
        """`> 什么是过拟合？` alone before the first heading, and nothing below asks outright:
        the file answers that one question (its headings are the answer's parts)."""
        assert self.rules is not None
        if len(root.body) != 1 or not root.children:
            return None
        b = root.body[0]
        types = [t.type for t in b.tokens]
        if types != ["blockquote_open", "paragraph_open", "inline", "paragraph_close",
                     "blockquote_close"]:  # fmt: skip
            return None
        text = b.tokens[2].content.strip()
        if "\n" in text or not 2 <= len(text) <= 150 or "](" in text:
            return None
        if any(self.rules.asked_outright(n) for n in root.children):
            return None
        return Block("heading", b.start, b.start + 1, [], root.children[0].level, text,
                     origin="file")  # fmt: skip

    def one_card_file(self, top: list[Node], title: str, quoted: Block | None = None) -> Section:
        """The one-question file: every top heading a part (`# 题目`, `# 标准答案`, …). The
        question is the short paragraph under `题目`/`Question`, else the file's title; or
        the quoted line before the first heading (`quoted`)."""
        ask = (
            None
            if quoted
            else next(
                (
                    n
                    for n in top
                    if _QUESTION_PART.fullmatch(T.plain(title_of(n)))
                    and len(n.body) == 1
                    and n.body[0].kind == "paragraph"
                    and len(n.body[0].text) <= 300
                    and not n.children
                ),
                None,
            )
        )
        question = ask.body[0].text.strip().replace("\n", " ") if ask else _asked(title)
        parts = [n for n in top if n is not ask]
        where = ask.body[0].start if ask else top[0].block.start
        head = quoted or Block("heading", where, where + 1, [], top[0].level, question,
                               origin="file")  # fmt: skip
        node = Node(head, top[0].level, children=parts)
        self.decide(node, "card", "one-question-file", "the quoted question before the first"
                    " heading; the file answers it" if quoted else
                    "every top heading is a part of one answer")  # fmt: skip
        for n in parts:
            self.decide(n, "part", "part-heading", "a part of the file's one answer")
        out = Emitted()
        out.add(self.card(node, Place(title, (title,)), self.descendant_blocks(node)))
        return Section(
            title=title,
            label="",
            level=top[0].level,
            slug=T.slugify(title),
            span=self.span(top[0].line),
            cards=tuple(out.cards),
        )

    def implicit_section(self, nodes: list[Node], title: str) -> Section:
        out = Emitted()
        for node in nodes:
            self.walk(node, Place(title, (title,)), out)
        return Section(
            title=title,
            label="",
            level=max(nodes[0].level - 1, 1),
            slug=T.slugify(title),
            span=self.span(nodes[0].line),
            cards=tuple(out.cards),
            groups=tuple(out.groups),
            notes=source_of(self.lines, out.notes),
        )

    def section(self, node: Node) -> Section:
        """A top-level section: emitted, or taken from `memo` when it is as it was."""
        if self.memo is None:
            return self.emit_section(node)
        return self.memo.emit(self, node)

    def emit_section(self, node: Node) -> Section:
        assert self.rules is not None
        label, title = T.split_label(title_of(node))
        translations, rest = self.langs.of_heading(node)
        index, intro = split_index(rest, self.lines, self.path)
        out = Emitted(notes=list(node.after_rule))
        at = Place(title, (title,))
        own = self.rules.own_answer(node, intro)
        extra = "; its own text is a card" if own else ""
        self.decide(node, "section", "category", "a top-level heading that holds questions" + extra)
        if own:
            out.add(self.card(node, at, own))
        self.walk_children(node, at, out, bool(own))
        if index:
            cross_check(index, out.cards, out.groups, self.diags)
        self.langs.check_stray(out.notes, "text after a closing rule")
        if not own:
            self.warn_orphan_text(intro, title)
        return Section(
            title=title,
            label=label,
            level=node.level,
            slug=T.slugify(title_of(node)),
            span=self.span(node.line),
            cards=tuple(out.cards),
            groups=tuple(out.groups),
            index=tuple(index),
            notes=source_of(self.lines, ([] if own else intro) + out.notes),
            translations=translations,
        )

    def walk_children(self, node: Node, at: Place, out: Emitted, parts_taken: bool) -> None:
        """Emit a category's children; its part headings went into its own card, or (under a
        chapter, which has none) are topic cards of their own."""
        assert self.rules is not None
        for child in node.children:
            if self.rules.is_part(child):
                if parts_taken:
                    self.record(child, self.rules.verdict(child))
                elif not self.appendix(child, out):
                    self.emit_card(child, at, out)
                continue
            self.walk(child, at, out)

    def appendix(self, node: Node, out: Emitted) -> bool:
        """`## 代码`, `## 总结` with no question above it: a section note, not a card."""
        assert self.rules is not None
        if not self.rules.appendix(node):
            return False
        self.decide(node, "note", "appendix", "code or a summary that is no question's part:"
                    " kept as a section note")  # fmt: skip
        out.notes.extend([*node.body, *self.descendant_blocks(node)])
        return True

    def walk(self, node: Node, at: Place, out: Emitted) -> None:
        """Emit what `node` is."""
        assert self.rules is not None
        verdict = self.rules.verdict(node)
        if verdict.kind == "part" and self.appendix(node, out):
            return
        if verdict.kind == "card" or verdict.kind == "part":
            note = self.subheadings_note(node)
            self.record(node, verdict, "" if note.lstrip("; ") in verdict.reason else note)
            self.emit_card(node, at, out, decided=True)
        elif verdict.kind == "category":
            label, title = T.split_label(title_of(node))
            translations, rest = self.langs.of_heading(node)
            out.groups.append(
                Group(
                    title, label, node.level, T.slugify(title), self.span(node.line), translations
                )
            )
            own = self.rules.own_answer(node, rest)
            self.record(node, verdict, "; its own text is a card" if own else "")
            if own:
                out.add(self.card(node, at, own))
            elif has_content(rest):
                out.notes.extend(rest)
            out.notes.extend(node.after_rule)
            self.walk_children(node, at.under(title), out, bool(own))
        elif verdict.kind == "note":
            self.record(node, verdict)
            if verdict.rule == "empty-heading":
                self.diags.warning(
                    node.line, 1, "empty heading ignored; its text is a section note"
                )
            out.notes.extend(node.body + node.after_rule)
            if self.rules.holds_cards(node):  # `## Table of Contents` over the questions
                for child in node.children:
                    self.walk(child, at, out)
            else:
                out.notes.extend(self.descendant_blocks(node))
        else:
            self.record(node, verdict)
            out.notes.extend(node.after_rule)
            if verdict.rule != "todo":  # references below a bare heading stay notes
                for child in node.children:
                    self.walk(child, at, out)

    def subheadings_note(self, node: Node) -> str:
        return "; its sub-headings belong to its answer" if node.children else ""

    def emit_card(self, node: Node, at: Place, out: Emitted, decided: bool = False) -> None:
        if not decided:
            self.decide(node, "card", "topic", "a part heading under a chapter: a topic card")
        assert self.rules is not None
        kept, apart = [], []
        for child in node.children:
            verdict = self.rules.verdict(child)
            if verdict.rule == "todo":  # the author's worklist is no part of an answer
                self.record(child, verdict)
                continue
            if verdict.kind == "card" and self.rules.after_answer(child, node):
                apart.append(child)  # a topic after the answer: a card of its own
                continue
            strict = q_numbered(node)
            if self.rules.question_level(node) and self.rules.question_in(child, strict):
                child = self.questions_apart(child, apart, strict)  # `Q02 · …`'s follow-ups
                if child is None:
                    continue
            if verdict.kind == "part":
                self.record(child, verdict)
            kept.append(child)
        body = list(node.body) + self.descendant_blocks(Node(node.block, node.level, kept))
        out.add(self.card(node, at, body))
        out.notes.extend(self.all_after_rule(Node(node.block, node.level, kept, node.body,
                                                  node.after_rule)))  # fmt: skip
        for child in apart:
            self.walk(child, at, out)

    def questions_apart(self, node: Node, apart: list[Node], strict: bool) -> Node | None:
        """`node` under a question-level heading, without the questions of their own below
        it (they go to `apart`, cards of their own); None when nothing of it is left."""
        assert self.rules is not None
        if self.rules.own_question(node, strict):
            apart.append(node)
            return None
        kept = [
            k
            for c in node.children
            if (
                k := self.questions_apart(c, apart, strict)
                if self.rules.question_in(c, strict)
                else c
            )
        ]
        if not kept and not has_content(node.body):
            self.record(node, self.rules.verdict(node))
            return None
        return Node(node.block, node.level, kept, node.body, node.after_rule, node.ruled)

    def all_after_rule(self, node: Node) -> list[Block]:
        out = list(node.after_rule)
        for c in node.children:
            out.extend(self.all_after_rule(c))
        return out

    def card(self, node: Node, at: Place, body: list[Block]) -> Card | None:
        section, chain, group = at.section, at.chain, at.group
        label, question = T.split_label(title_of(node))
        if _ONLY_NUMBER.fullmatch(T.plain(question).strip()):
            return self.leave_out(
                node, question, "is only a number, no question", "a heading with no words"
            )
        important = T.marked_important(title_of(node))
        key, explicit = self.keys.assign(
            self.diags, node.line, node.level, node.raw_title, section, question
        )
        translations: dict[str, Translation] = {}
        answer_blocks: list[Block] = []
        for b in body:
            if b.kind == "container":
                self.langs.add_to_card(b, translations)
            else:
                answer_blocks.append(b)
        answer = T.ANSWER_LABEL.sub("", source_of(self.lines, answer_blocks), count=1)
        if (not answer.strip() or _only_statement(answer_blocks)) and not translations:
            return self.leave_out(node, question, "has no answer", "a question with no answer")
        if T.is_placeholder(answer) and not translations:
            return self.leave_out(
                node,
                question,
                "has only a placeholder or links for an answer",
                "a placeholder answer (TODO, links only)",
            )
        # where the answer ends in the source (a translation goes after it); an answer from
        # the answer key at the end of the file is not where this one ends
        end = max((b.end for b in body if b.origin != MOVED), default=node.block.end)
        tags = ["::".join(T.tag_part(p) for p in (self.name, *chain))]
        tags += [T.tag_part(t) for t in self.options.get("tags", []) if isinstance(t, str)]
        if important:
            tags.append("important")
        return Card(
            key=key,
            label=label,
            question=question,
            answer=answer,
            span=self.span(node.line, self.heading_col(node)),
            end_line=end,
            level=node.level,
            section=section,
            headings=chain,
            group=group,
            tags=tuple(tags),
            translations=FrozenMap(translations),
            images=tuple(self.images([node.block, *answer_blocks])),
            origin=node.block.origin,
            explicit_key=explicit,
            namespace=str(self.options.get("id") or self.name),
        )

    def leave_out(self, node: Node, question: str, why: str, reason: str) -> None:
        self.diags.warning(node.line, 1, f"question {T.plain(question)!r} {why}; it is left out")
        self.decide(node, "skipped", "no-answer", reason)
        return None

    def heading_col(self, node: Node) -> int:
        line = self.lines[node.block.start]
        return len(line) - len(line.lstrip()) + 1

    def descendant_blocks(self, node: Node) -> list[Block]:
        out: list[Block] = []
        for c in node.children:
            out.append(c.block)
            out.extend(c.body)
            out.extend(self.descendant_blocks(c))
        return out

    def warn_orphan_text(self, blocks: list[Block], section: str) -> None:
        """Text under a section heading before its first question answers nothing."""
        text = [b for b in blocks if b.kind in ("paragraph", "other")]
        if text:
            self.diags.warning(
                text[0].start + 1,
                1,
                f"text before the first question of {section!r} belongs to no card"
                " (kept as a section note)",
            )

    # -- helpers --------------------------------------------------------------------------
    def span(self, line: int, col: int = 1) -> Span:
        return Span(self.path, line, col)

    def images(self, blocks: list[Block]) -> list[Image]:
        from .images import find_images

        return find_images(blocks, self.lines, self.path, self.base_dir, self.diags, self.root)

    @staticmethod
    def unique_slugs(sections: list[Section]) -> list[Section]:
        """Two sections with the same title still get distinct anchors (`-2`, `-3`, …)."""
        seen: dict[str, int] = {}
        out = []
        for s in sections:
            n = seen.get(s.slug, 0) + 1
            seen[s.slug] = n
            out.append(replace(s, slug=f"{s.slug}-{n}") if n > 1 else s)
        return out
