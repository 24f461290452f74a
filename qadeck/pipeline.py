"""Load sources, give cards their lasting keys, run renderers, then record the lock."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import SourceError
from .identity import Lock, Plan, lock_path, record, resolve
from .model import Diagnostic, Document, Span
from .parse import parse_file
from .renderers import RenderContext, get_renderer


@dataclass
class Loaded:
    doc: Document
    lock: Lock
    plan: Plan
    source: Path


def expand_sources(sources: list[str]) -> list[Path]:
    """Files as given; folders become every Markdown file below them, in natural order."""
    from .folders import markdown_files

    out: list[Path] = []
    for s in sources:
        p = Path(s)
        if p.is_dir():
            out.extend(markdown_files(p))
        elif p.exists():
            out.append(p)
        else:
            raise SourceError([Diagnostic("error", Span(s, 1, 1), "no such file or folder")])
    return out


def load(source: Path, strict: bool = False) -> Loaded:
    """Parse one source and resolve its card keys against its lock file (read only)."""
    doc = parse_file(source, display=_display(source))
    if strict and doc.warnings:
        raise SourceError(doc.warnings)
    lock = Lock.load(lock_path(source))
    doc, plan = resolve(doc, lock)
    return Loaded(doc, lock, plan, source)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def build(
    loaded: Loaded,
    names: list[str],
    out_dir: Path,
    templates: Path,
    options: dict,
    strict: bool = False,
) -> tuple[list[Path], RenderContext]:
    """Run each renderer; the lock is written only after all of them succeeded.

    Callers hold `identity.exclusive(source)` around `load` and `build`.
    """
    ctx = RenderContext(
        out_dir=out_dir,
        templates=templates,
        lock=loaded.lock,
        source=loaded.source,
        options=dict(options, plan=loaded.plan),
        strict=strict,
    )
    try:
        for name in names:
            get_renderer(name).render(loaded.doc, ctx)
        written = ctx.staging.commit()
    finally:
        ctx.staging.discard()
    record(loaded.lock, loaded.doc, loaded.plan)
    loaded.lock.save()
    return written, ctx
