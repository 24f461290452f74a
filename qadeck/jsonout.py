"""The AST as JSON (`check --json`) and back. Schema `qadeck.ast/1`, described in the README."""

from __future__ import annotations

from typing import Any

from .model import (
    Card,
    Decision,
    Diagnostic,
    Document,
    FrozenMap,
    Group,
    Image,
    IndexEntry,
    Section,
    Span,
    Term,
    Translation,
)

SCHEMA = "qadeck.ast/1"


def _span(s: Span) -> dict[str, Any]:
    return {"path": s.path, "line": s.line, "col": s.col}


def _tr(m: FrozenMap) -> dict[str, Any]:
    return {
        lang: {"question": t.question, "answer": t.answer, "span": _span(t.span)}
        for lang, t in m.items()
    }


def document_to_dict(doc: Document) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "path": doc.path,
        "name": doc.name,
        "title": doc.title,
        "lang": doc.lang,
        "options": dict(doc.options),
        "sections": [_section(s) for s in doc.sections],
        "glossary": [
            {"zh": t.zh, "en": t.en, "abbr": t.abbr, "span": _span(t.span)} for t in doc.glossary
        ],
        "warnings": [
            {"severity": d.severity, "message": d.message, "span": _span(d.span)}
            for d in doc.warnings
        ],
        "decisions": [
            {
                "kind": d.kind,
                "rule": d.rule,
                "text": d.text,
                "reason": d.reason,
                "span": _span(d.span),
            }
            for d in doc.decisions
        ],
    }


def _section(s: Section) -> dict[str, Any]:
    return {
        "title": s.title,
        "label": s.label,
        "level": s.level,
        "slug": s.slug,
        "span": _span(s.span),
        "translations": _tr(s.translations),
        "index": [{"label": e.label, "text": e.text, "span": _span(e.span)} for e in s.index],
        "groups": [
            {
                "title": g.title,
                "label": g.label,
                "level": g.level,
                "slug": g.slug,
                "span": _span(g.span),
                "translations": _tr(g.translations),
            }
            for g in s.groups
        ],
        "cards": [_card(c) for c in s.cards],
        "notes": s.notes,
        "part": list(s.part),
    }


def _card(c: Card) -> dict[str, Any]:
    return {
        "key": c.key,
        "explicit_key": c.explicit_key,
        "label": c.label,
        "question": c.question,
        "answer": c.answer,
        "span": _span(c.span),
        "end_line": c.end_line,
        "level": c.level,
        "section": c.section,
        "headings": list(c.headings),
        "group": c.group,
        "tags": list(c.tags),
        "translations": _tr(c.translations),
        "images": [
            {"src": i.src, "path": i.path, "remote": i.remote, "span": _span(i.span)}
            for i in c.images
        ],
        "origin": c.origin,
        "namespace": c.namespace,
    }


def _sp(d: dict[str, Any]) -> Span:
    return Span(d["path"], d["line"], d["col"])


def _trs(d: dict[str, Any]) -> FrozenMap:
    return FrozenMap(
        {k: Translation(k, v["question"], v["answer"], _sp(v["span"])) for k, v in d.items()}
    )


def document_from_dict(d: dict[str, Any]) -> Document:
    """Rebuild the Document that `document_to_dict` described."""
    if d.get("schema") != SCHEMA:
        raise ValueError(f"not a {SCHEMA} document")
    return Document(
        path=d["path"],
        name=d["name"],
        title=d["title"],
        lang=d["lang"],
        options=FrozenMap(d["options"]),
        sections=tuple(_section_from(s) for s in d["sections"]),
        glossary=tuple(Term(t["zh"], t["en"], t["abbr"], _sp(t["span"])) for t in d["glossary"]),
        warnings=tuple(
            Diagnostic(w["severity"], _sp(w["span"]), w["message"]) for w in d["warnings"]
        ),
        decisions=tuple(
            Decision(_sp(x["span"]), x["text"], x["kind"], x["reason"], x.get("rule", ""))
            for x in d["decisions"]
        ),
    )


def _section_from(s: dict[str, Any]) -> Section:
    return Section(
        title=s["title"],
        label=s["label"],
        level=s["level"],
        slug=s["slug"],
        span=_sp(s["span"]),
        cards=tuple(_card_from(c) for c in s["cards"]),
        groups=tuple(
            Group(
                g["title"],
                g["label"],
                g["level"],
                g["slug"],
                _sp(g["span"]),
                _trs(g["translations"]),
            )
            for g in s["groups"]
        ),
        index=tuple(IndexEntry(e["label"], e["text"], _sp(e["span"])) for e in s["index"]),
        notes=s["notes"],
        translations=_trs(s["translations"]),
        part=tuple(s.get("part", ())),
    )


def _card_from(c: dict[str, Any]) -> Card:
    return Card(
        key=c["key"],
        label=c["label"],
        question=c["question"],
        answer=c["answer"],
        span=_sp(c["span"]),
        end_line=c["end_line"],
        level=c["level"],
        section=c["section"],
        headings=tuple(c["headings"]),
        group=c["group"],
        tags=tuple(c["tags"]),
        translations=_trs(c["translations"]),
        images=tuple(Image(i["src"], i["path"], i["remote"], _sp(i["span"])) for i in c["images"]),
        explicit_key=c["explicit_key"],
        origin=c["origin"],
        namespace=c.get("namespace", ""),
    )
