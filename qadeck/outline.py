"""The heading tree → sections, groups and cards (the rules are in `parse.py`'s docstring)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import text as T
from .blocks import Block, Node, has_content
from .dialect import LANG_CODES
from .errors import Diagnostics
from .glossary import find_terms
from .model import (
    Card,
    Decision,
    Document,
    FrozenMap,
    Group,
    Image,
    IndexEntry,
    Section,
    Span,
    Translation,
)

_LANG_OPEN = re.compile(r"^:::\s*(" + "|".join(LANG_CODES) + r")\b")
_ID = re.compile(r"[A-Za-z0-9][\w\-.:]*")
_INDEX_HEAD = re.compile(r"(题目|问题|问题列表|面试题|题目列表|目录|Questions?)", re.I)
_NOT_A_TOPIC = re.compile(
    r"^(参考(资料|文献|链接|阅读)?|相关(链接|资料|阅读)|延伸阅读|扩展阅读|推荐阅读|目录|致谢|"
    r"references?|further reading|see also|links|contents|table of contents|toc)\s*[:：]?$",
    re.I,
)
_ANSWER_PREFIX = re.compile(
    r"^\s*(?:\*\*|__)?(?:答|回答|答案|A|Answer)\s*[:：]\s*(?:\*\*|__)?\s*", re.I
)


class OutlineBuilder:
    """Walks the heading tree and emits sections, groups and cards."""

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
        self.keys: dict[str, int] = {}
        self.repeats: dict[str, int] = {}  # next suffix for a repeated question
        self._q_cache: dict[int, bool] = {}

    # -- classification -------------------------------------------------------------------
    def title_of(self, node: Node) -> str:
        found = trailing_id(node.raw_title)
        return (node.raw_title[: found[0]] if found else node.raw_title).strip()

    def is_question(self, node: Node) -> bool:
        return T.reads_as_question(T.split_label(self.title_of(node))[1])

    def has_question_below(self, node: Node) -> bool:
        cached = self._q_cache.get(id(node))
        if cached is None:
            cached = any(self.is_question(c) or self.has_question_below(c) for c in node.children)
            self._q_cache[id(node)] = cached
        return cached

    def has_card_below(self, node: Node) -> bool:
        return self.has_question_below(node) or any(
            not c.children and has_content(c.body) for c in node.children
        )

    def has_content_below(self, node: Node) -> bool:
        return any(has_content(c.body) or self.has_content_below(c) for c in node.children)

    def decide(self, node: Node, kind: str, reason: str) -> None:
        self.decisions[node.line] = Decision(
            self.span(node.line), self.title_of(node), kind, reason
        )

    # -- building -------------------------------------------------------------------------
    def build(self, root: Node) -> Document:
        top = root.children
        title = self.options.get("title")
        preamble = root.body
        if (
            len(top) == 1
            and top[0].children
            and not has_content(preamble)
            and not self.is_question(top[0])
            and any(self.has_card_below(c) and not self.is_question(c) for c in top[0].children)
        ):
            title = title or T.plain(T.split_label(self.title_of(top[0]))[1])
            self.decide(top[0], "title", "the only top-level heading; it names the document")
            self.check_stray_translations(top[0].body, "the document title")
            preamble = top[0].body + top[0].after_rule
            top = top[0].children
        title = title or self.name
        self.check_stray_translations(preamble, "the preamble")
        sections: list[Section] = []
        loose: list[Node] = []
        for node in top:
            if self.has_card_below(node) and not (
                self.is_question(node) and not self.has_question_below(node)
            ):
                if loose:
                    sections.append(self.implicit_section(loose, title))
                    loose = []
                sections.append(self.section(node))
            else:
                loose.append(node)
        if loose:
            sections.append(self.implicit_section(loose, title))
        sections = [s for s in sections if s.cards]
        sections = self.unique_slugs(sections)
        if not sections or not any(s.cards for s in sections):
            self.diags.warning(0, 1, "no question cards found in this file")
        glossary = find_terms(self.prose_lines(), self.path)
        return Document(
            path=self.path,
            name=self.name,
            title=T.plain(title),
            options=FrozenMap(self.options),
            sections=tuple(sections),
            glossary=tuple(glossary),
            warnings=tuple(self.diags.warnings),
            decisions=tuple(self.decisions.values()),
            lang=str(self.options.get("lang", "zh")),
        )

    def implicit_section(self, nodes: list[Node], title: str) -> Section:
        cards: list[Card] = []
        notes: list[Block] = []
        for node in nodes:
            self.walk(node, title, (title,), None, cards, [], notes)
        level = nodes[0].level
        return Section(
            title=title,
            label="",
            level=max(level - 1, 1),
            slug=T.slugify(title),
            span=self.span(nodes[0].line),
            cards=tuple(cards),
            notes=self.source_of(notes),
        )

    def section(self, node: Node) -> Section:
        label, title = T.split_label(self.title_of(node))
        self.decide(node, "section", "a top-level heading with questions below it")
        translations, rest = self.heading_translations(node)
        index, intro = self.index(rest)
        cards: list[Card] = []
        groups: list[Group] = []
        notes: list[Block] = list(node.after_rule)
        for child in node.children:
            self.walk(child, title, (title,), None, cards, groups, notes)
        if index:
            self.cross_check(index, cards, groups)
        self.check_stray_translations(notes, "text after a closing rule")
        self.warn_orphan_text(intro, title)
        return Section(
            title=title,
            label=label,
            level=node.level,
            slug=T.slugify(self.title_of(node)),
            span=self.span(node.line),
            cards=tuple(cards),
            groups=tuple(groups),
            index=tuple(index),
            notes=self.source_of(intro + notes) if intro or notes else "",
            translations=translations,
        )

    def walk(
        self,
        node: Node,
        section: str,
        chain: tuple[str, ...],
        group: str | None,
        cards: list[Card],
        groups: list[Group],
        notes: list[Block],
    ) -> None:
        """Classify `node` and emit what it is."""
        question = self.is_question(node)
        below = self.has_question_below(node)
        label, title = T.split_label(self.title_of(node))
        if not T.plain(title) and not below:
            self.decide(node, "skipped", "an empty heading")
            self.diags.warning(node.line, 1, "empty heading ignored; its text is a section note")
            notes.extend(node.body + node.after_rule + self.descendant_blocks(node))
            return
        if question and not below:
            reason = {
                "bold": "a bold line that reads as a question",
                "prefix": "a `问题：`/`Q:` paragraph",
                "list": "a list item that reads as a question, with its answer nested",
            }.get(node.block.origin, "reads as a question")
            if node.children:
                reason += "; its sub-headings belong to the answer"
            self.decide(node, "card", reason)
            self.add_card(cards, self.card(node, section, chain, group))
            notes.extend(self.all_after_rule(node))
            return
        if below or (node.children and self.has_card_below(node)):
            translations, rest = self.heading_translations(node)
            self.decide(node, "group", "has question headings below it")
            groups.append(
                Group(
                    title, label, node.level, T.slugify(title), self.span(node.line), translations
                )
            )
            if question and has_content(rest):
                self.add_card(cards, self.card(node, section, chain, group, own_body_only=True))
            elif has_content(rest):
                notes.extend(rest)
            notes.extend(node.after_rule)
            for child in node.children:
                self.walk(child, section, (*chain, title), title, cards, groups, notes)
            return
        if _NOT_A_TOPIC.match(T.plain(title)):
            self.decide(node, "skipped", "references or contents, kept as a section note")
            notes.extend(node.body + node.after_rule + self.descendant_blocks(node))
            return
        if has_content(node.body) or self.has_content_below(node):
            self.decide(node, "card", "a heading with content among the questions (topic card)")
            self.add_card(cards, self.card(node, section, chain, group))
            notes.extend(self.all_after_rule(node))
            return
        self.decide(node, "skipped", "a heading with no content")
        notes.extend(node.after_rule)

    def all_after_rule(self, node: Node) -> list[Block]:
        out = list(node.after_rule)
        for c in node.children:
            out.extend(self.all_after_rule(c))
        return out

    def add_card(self, cards: list[Card], card: Card | None) -> None:
        if card is not None:
            cards.append(card)

    def card(
        self,
        node: Node,
        section: str,
        chain: tuple[str, ...],
        group: str | None,
        own_body_only: bool = False,
    ) -> Card | None:
        raw = node.raw_title
        label, question = T.split_label(self.title_of(node))
        key, explicit = self.card_key(node, raw, section, question)
        body: list[Block] = list(node.body)
        if not own_body_only:
            body += self.descendant_blocks(node)
        translations: dict[str, Translation] = {}
        answer_blocks: list[Block] = []
        for b in body:
            if b.kind == "container":
                self.card_translation(b, translations)
            else:
                answer_blocks.append(b)
        answer = _ANSWER_PREFIX.sub("", self.source_of(answer_blocks), count=1)
        if not answer.strip() and not translations:
            self.diags.warning(
                node.line, 1, f"question {T.plain(question)!r} has no answer; it is left out"
            )
            self.decide(node, "skipped", "a question with no answer")
            return None
        end = max((b.end for b in body), default=node.block.end)
        tags = ["::".join(T.tag_part(p) for p in (self.name, *chain[: len(chain)]))] + [
            T.tag_part(t) for t in self.options.get("tags", []) if isinstance(t, str)
        ]
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

    def card_key(self, node: Node, raw: str, section: str, question: str) -> tuple[str, bool]:
        found = trailing_id(raw)
        if found and _ID.fullmatch(found[1]):
            key = found[1]
            if key in self.keys:
                self.diags.error(
                    node.line,
                    found[0] + node.level + 2,
                    f"card id {key!r} is already used on line {self.keys[key]}",
                )
            self.keys.setdefault(key, node.line)
            return key, True
        if found:
            self.diags.error(
                node.line,
                found[0] + node.level + 2,
                f"invalid card id {found[1]!r}: use letters, digits, '-', '_', '.', ':'",
            )
        key = T.default_key(section, question)
        if key in self.keys:
            self.diags.warning(
                node.line,
                1,
                f"the same question already appears on line {self.keys[key]} in this section;"
                " give one an explicit id like {#my-id}",
            )
            n = self.repeats.get(key, 2)
            while f"{key}-{n}" in self.keys:
                n += 1
            self.repeats[key] = n + 1
            key = f"{key}-{n}"
        self.keys[key] = node.line
        return key, False

    def card_translation(self, b: Block, out: dict[str, Translation]) -> None:
        lang, _, question = b.text.strip().partition(" ")
        if not b.closed:
            self.diags.error(b.start + 1, 1, f"`::: {lang}` block is never closed with `:::`")
        if lang in out:
            self.diags.warning(b.start + 1, 1, f"a second `::: {lang}` block in one card ignored")
            return
        answer = self.inner_source(b)
        if not question.strip():
            self.diags.warning(
                b.start + 1, 1, f"`::: {lang}` block has no question: write `::: {lang} Question?`"
            )
        out[lang] = Translation(lang, question.strip(), answer, self.span(b.start + 1))

    def heading_translations(self, node: Node) -> tuple[FrozenMap, list[Block]]:
        """`::: en Title` right under a section/group heading translates the title."""
        found: dict[str, Translation] = {}
        rest: list[Block] = []
        for b in node.body:
            if b.kind == "container":
                lang, _, title = b.text.strip().partition(" ")
                if not b.closed:
                    self.diags.error(b.start + 1, 1, f"`::: {lang}` block is never closed")
                found.setdefault(
                    lang,
                    Translation(lang, title.strip(), self.inner_source(b), self.span(b.start + 1)),
                )
            else:
                rest.append(b)
        return FrozenMap(found), rest

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

    def check_stray_translations(self, blocks: list[Block], where: str) -> None:
        for b in blocks:
            if b.kind == "container":
                self.diags.error(b.start + 1, 1, f"translation block outside any card (in {where})")

    # -- question index -------------------------------------------------------------------
    def index(self, blocks: list[Block]) -> tuple[list[IndexEntry], list[Block]]:
        """Find `**题目：**` + list/lines; return its entries and the other intro blocks."""
        entries: list[IndexEntry] = []
        rest: list[Block] = []
        taking = False
        for b in blocks:
            if b.kind == "paragraph" and _is_index_head(b.text.split("\n", 1)[0]):
                taking = True
                for k, line in enumerate(b.text.split("\n")[1:], 1):
                    self.add_entry(entries, line, b.start + 1 + k)
                continue
            if (
                taking
                and b.kind in ("other", "paragraph")
                and b.tokens[0].type.endswith(("list_open", "paragraph_open"))
            ):
                for t in b.tokens:
                    if t.type == "inline" and t.map:
                        first = t.content.split("\n")[0]
                        number = ""
                        if b.tokens[0].type == "ordered_list_open":
                            number = self.lines[t.map[0]].lstrip().split(" ", 1)[0]
                        self.add_entry(entries, f"{number} {first}".strip(), t.map[0] + 1)
                    elif t.type == "inline":
                        continue
                if b.kind == "paragraph":
                    continue
                continue
            if b.kind == "container":
                self.check_stray_translations([b], "a section introduction")
            taking = False
            rest.append(b)
        return entries, rest

    def add_entry(self, entries: list[IndexEntry], line: str, lineno: int) -> None:
        if line.strip():
            label, text = T.split_label(line.strip())
            entries.append(IndexEntry(label, text, self.span(lineno)))

    def cross_check(self, index: list[IndexEntry], cards: list[Card], groups: list[Group]) -> None:
        names = {T.normalize(c.question): c for c in cards}
        by_label = {c.label: c for c in cards if c.label}
        group_names = {T.normalize(g.title) for g in groups}
        matched: set[str] = set()
        for e in index:
            n = T.normalize(e.text)
            card = names.get(n) or (
                by_label.get(e.label)
                if e.label and _similar(e.text, by_label.get(e.label))
                else None
            )
            if card:
                matched.add(card.key)
            elif n not in group_names:
                self.diags.warning(
                    e.span.line, 1, f"the question index lists {e.text!r} but no card answers it"
                )
        for c in cards:
            if c.key not in matched:
                self.diags.warning(
                    c.span.line,
                    c.span.col,
                    f"question {T.plain(c.question)!r} is not in the section's question index",
                )

    # -- helpers --------------------------------------------------------------------------
    def span(self, line: int, col: int = 1) -> Span:
        return Span(self.path, line, col)

    def source_of(self, blocks: list[Block]) -> str:
        """The Markdown source of these blocks: runs of adjacent blocks exactly as written
        (blank lines between them included), separate runs joined by a blank line."""
        parts: list[str] = []
        run: list[int] = []  # [start, end) of the current run of adjacent blocks

        def flush() -> None:
            if run:
                parts.append("\n".join(self.lines[run[0] : run[1]]))
                run.clear()

        for b in sorted(blocks, key=lambda b: b.start):
            if b.raw is not None:
                flush()
                parts.append(b.raw)
            elif run and b.start <= run[1]:
                run[1] = max(run[1], b.end)
            else:
                flush()
                run.extend((b.start, b.end))
        flush()
        return "\n\n".join(p.strip("\n").rstrip() for p in parts if p.strip())

    def inner_source(self, b: Block) -> str:
        end = b.end - 1 if b.closed else b.end
        return "\n".join(self.lines[b.start + 1 : end]).strip("\n")

    def images(self, blocks: list[Block]) -> list[Image]:
        from .images import find_images

        return find_images(blocks, self.lines, self.path, self.base_dir, self.diags, self.root)

    def prose_lines(self):
        """Lines outside code and translations, for the glossary scan."""
        in_fence = in_lang = False
        for lineno, line in enumerate(self.lines, 1):
            s = line.strip()
            if s.startswith(("```", "~~~")):
                in_fence = not in_fence
                continue
            if not in_fence and s.startswith(":::"):
                if _LANG_OPEN.match(s):
                    in_lang = True
                    continue
                if in_lang and s == ":::":
                    in_lang = False
                    continue
            if not in_fence and not in_lang:
                yield lineno, line

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


def trailing_id(raw: str) -> tuple[int, str] | None:
    """(where `{#` starts, what is inside) of a heading's trailing `{#id}`, found by scanning:
    a pattern with white space on both sides of the braces backtracks through every space."""
    text = raw.rstrip()
    if not text.endswith("}"):
        return None
    start = text.rfind("{#")
    if start < 0 or "}" in text[start + 2 : -1]:
        return None
    return start, text[start + 2 : -1]


def _is_index_head(line: str) -> bool:
    """`**题目：**`, `题目`, `Questions:`: the word alone, in bold or not, colon or not."""
    core = line.strip().replace("**", "").replace("__", "").strip().rstrip(":：").strip()
    return bool(_INDEX_HEAD.fullmatch(core))


def _similar(a: str, card: Card | None) -> bool:
    if card is None:
        return False
    import difflib

    sm = difflib.SequenceMatcher(None, T.normalize(a), T.normalize(card.question), autojunk=False)
    return sm.quick_ratio() > 0.5 and sm.ratio() > 0.5
