"""Load sources, give cards their lasting keys, run renderers, then record the lock."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import SourceError
from .identity import Plan, check_unique, record, resolve
from .lockfile import Lock, lock_path
from .translation_state import mark_stale

if TYPE_CHECKING:
    from .config import Config
from .model import Diagnostic, Document, Span
from .renderers import RenderContext, get_renderer, renderer_class


@dataclass
class Loaded:
    """A source ready to render. A folder holds one `Loaded` per file in `files`."""

    doc: Document
    lock: Lock
    plan: Plan
    source: Path
    files: list[Loaded] = field(default_factory=list)


FOLDER_LOCK = ".qadeck-lock.json"
LOCK_SUFFIX = ".qadeck-lock.json"


MARKDOWN = (".md", ".markdown")


def expand_sources(sources: list[str], listed: tuple[Path, ...] = ()) -> list[Path]:
    """Check that every source exists and is Markdown (a file with another ending only when
    the notes' qadeck.toml lists it); files and folders are kept as given."""
    problems = []
    for s in sources:
        p = Path(s)
        if not p.exists():
            problems.append(Diagnostic("error", Span(s, 0), "no such file or folder"))
        elif p.is_file() and p.suffix.lower() not in MARKDOWN and p.resolve() not in listed:
            message = "not a Markdown file (.md or .markdown): rename it, or list it in qadeck.toml"
            problems.append(Diagnostic("error", Span(s, 0), message))
    if problems:
        raise SourceError(problems)
    return [Path(s) for s in sources]


def load(
    source: Path, strict: bool = False, root: Path | None = None, config: Config | None = None
) -> Loaded:
    """Parse a file (or every file of a folder) and resolve card keys against the lock.
    `config` (the notes repository's qadeck.toml) gives front-matter defaults and, for a
    folder, its title."""
    if source.is_dir():
        return load_folder(source, strict, config)
    defaults = config.defaults() if config else None
    from .images import notes_root
    from .parsecache import cached_parse

    root = notes_root(root or source.parent, config.root if config else None) or root
    doc = cached_parse(source, _display(source), root, defaults)
    if strict and doc.warnings:
        raise SourceError([replace(w, severity="error") for w in doc.warnings])
    lock = Lock.load(lock_path(source))
    doc, plan = resolve(doc, lock)
    doc = mark_stale(doc, lock)
    return Loaded(doc, lock, plan, source)


def load_folder(folder: Path, strict: bool = False, config: Config | None = None) -> Loaded:
    """One deck, page and PDF for a folder; each file keeps its own keys and lock file."""
    from .folders import markdown_files, merge_documents

    files, problems = [], []
    at_root = config is not None and folder.resolve() == config.root.resolve()
    paths = markdown_files(folder, skip_readme=at_root)
    for path in paths:
        try:
            files.append(load(path, strict, root=folder, config=config))
        except SourceError as e:
            problems.extend(e.diagnostics)
    if problems:
        raise SourceError(problems)
    check_identities(files)
    if not files:
        raise SourceError([Diagnostic("error", Span(str(folder), 0), "no Markdown files here")])
    doc = merge_documents(folder, [f.doc for f in files], paths, config)
    new = {(c.span.path, c.key) for f in files for c in f.plan.added}
    plan = Plan(
        added=[c for c in doc.cards if (c.span.path, c.local_key) in new],
        removed=[_in_folder(folder, f, e) for f in files for e in f.plan.removed],
        gone=[_in_folder(folder, f, e) for f in files for e in f.plan.gone],
        unchanged=sum(f.plan.unchanged for f in files),
    )
    return Loaded(doc, Lock.load(folder / FOLDER_LOCK), plan, folder, files)


def _in_folder(folder: Path, part: Loaded, e):
    """A file's lock entry with the key its card had in the folder's deck (`file~key`)."""
    from .folders import file_prefix

    return replace(e, key=f"{file_prefix(folder, part.source)}~{e.key}")


def save_locks(loaded: Loaded) -> None:
    """Record the cards of `loaded` in its lock files and write them together (for commands
    that write no output, such as `sync`)."""
    from .atomic import Staging

    staging = Staging()
    try:
        for part in loaded.files:
            record(part.lock, part.doc, part.plan)
            part.lock.stage(staging)
        record(loaded.lock, loaded.doc, Plan() if loaded.files else loaded.plan)
        loaded.lock.stage(staging)
        staging.commit()
    finally:
        staging.discard()


def check_identities(units: list[Loaded]) -> None:
    """No two files of one build may give their cards the same Anki identity."""
    check_unique([(f.source, f.doc) for u in units for f in (u.files or [u])])


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
    progress=None,
    root: Path | None = None,
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
        root=root,
    )
    from .atomic import sweep
    from .cache import cache_dir
    from .htmlstore import HtmlStore
    from .renderers.view import document_view
    from .stamps import Stamps, inputs_digest, locks_digest, stamp

    sweep(out_dir)
    for folder in {lo.lock.path.parent for lo in (loaded, *loaded.files)}:
        sweep(folder, only=LOCK_SUFFIX)
    stamps = Stamps(cache_dir(out_dir) / f"stamps-{loaded.doc.name}.json")
    inputs, locks = inputs_digest(loaded, templates), locks_digest(loaded)
    kept: list[Path] = []
    todo = []
    for name in names:
        entry = stamps.fresh(name, stamp(name, inputs, locks, ctx.options))
        if entry is None:
            todo.append(name)
            continue
        kept += [Path(o[0]) for o in entry["outputs"]]
        ctx.warnings += entry.get("warnings", [])
        if progress:
            progress(name)
    names = todo
    ctx.unchanged = kept
    if not names:  # every output up to date: its stamp holds the lock as this build would
        return [], ctx
    store_path = cache_dir(out_dir) / f"html-{loaded.doc.name}.json"
    ctx.html_store = store = HtmlStore()
    if names:
        store.open(store_path)
    background = None
    made: dict[str, tuple[list[Path], list[str]]] = {}
    try:
        apart = next((n for n in names if getattr(renderer_class(n), "runs_apart", False)), None)
        if len(names) > 1 and apart and hasattr(os, "fork"):
            from .concurrent import Background

            document_view(loaded.doc, store)  # built once, inherited by the forked renderer
            background = Background(loaded.doc, ctx, apart)
            names = [n for n in names if n != apart]
        else:
            apart = None
        for name in names:
            staged, warned = len(ctx.staging.staged), len(ctx.warnings)
            get_renderer(name).render(loaded.doc, ctx)
            made[name] = (
                [t for _, t in ctx.staging.staged[staged:]],
                ctx.warnings[warned:],
            )
            if progress:
                progress(name)
        if background is not None:
            staged, warned = len(ctx.staging.staged), len(ctx.warnings)
            background.join(ctx)
            background = None
            made[apart] = ([t for _, t in ctx.staging.staged[staged:]], ctx.warnings[warned:])
            if progress:
                progress(apart)
        for part in loaded.files:
            record(part.lock, part.doc, part.plan)
            part.lock.stage(ctx.staging)
        record(loaded.lock, loaded.doc, Plan() if loaded.files else loaded.plan)
        loaded.lock.stage(ctx.staging)
        written = [p for p in ctx.staging.commit() if not p.name.endswith(LOCK_SUFFIX)]
        locks = locks_digest(loaded)
        for name, (outputs, warned) in made.items():
            stamps.record(name, stamp(name, inputs, locks, ctx.options), outputs, warned)
        if made:
            stamps.save()
            store.save(store_path)
    finally:
        if background is not None:
            background.cancel()
        ctx.staging.discard()
        store.close()
    return written, ctx
