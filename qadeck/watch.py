"""`qadeck watch`: rebuild on save, in one long-running process.

watchfiles (a well-kept library) reports changes; its debounce folds an editor's burst of
writes (a temporary file, a rename, a chmod) into one batch. Parsed files stay in memory
between rebuilds (`parsecache` keeps them by content), and an unchanged output is neither
rendered nor written (`stamps`), so a rebuild costs what changed. A source with errors is
reported and the last good outputs stay as they are; the next save rebuilds.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import click

IDLE_MS = 100  # how often the watch loop wakes with nothing changed
IGNORED_SUFFIXES = (".tmp", ".qadeck-lock.json", ".swp", ".swx", "~")


def relevant(
    changes: Iterable[tuple[object, str]],
    out_dir: Path,
    files: Iterable[Path] = (),
    folders: Iterable[Path] = (),
) -> list[Path]:
    """The changed notes, config and templates: not our outputs, locks or editor droppings.
    With `files`, a change counts only if it is one of them or lies in one of `folders`
    (a file's neighbours are watched only to see the file replaced)."""
    out = out_dir.resolve()
    only = {f.resolve() for f in files}
    inside = [d.resolve() for d in folders]
    found: list[Path] = []
    for _, raw in changes:
        p = Path(raw)
        name = p.name
        if name.startswith(".") or name.endswith(IGNORED_SUFFIXES) or name.startswith("#"):
            continue
        where = p.resolve()
        if where.is_relative_to(out):
            continue
        if only and where not in only and not any(where.is_relative_to(d) for d in inside):
            continue
        if p not in found:
            found.append(p)
    return found


def watched(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """(what to watch, the files among `paths`). A file is watched through its folder: an
    editor that saves by writing a new file and renaming it over the old one (vim, sed -i,
    JetBrains' safe write) replaces the file a watch on the file itself would follow."""
    files = [p for p in paths if not p.is_dir()]
    roots = [p for p in paths if p.is_dir()]
    for f in files:
        folder = f.resolve().parent
        if folder not in roots:
            roots.append(folder)
    return roots, files


def watch(
    paths: list[Path],
    out_dir: Path,
    rebuild: Callable[[], list[str]],
    debounce_ms: int = 50,
    stop=None,
) -> None:
    """Build once the watcher is on (a save during that build is seen), then rebuild after
    every batch of relevant changes until Ctrl-C (or `stop`, a threading.Event, is set).
    `rebuild` returns the outputs it wrote."""
    import logging

    from watchfiles import watch as changes_of

    from . import parsecache

    logging.getLogger("watchfiles").setLevel(logging.ERROR)
    parsecache.defer_writes()  # the parse cache is written after each rebuild's line
    roots, files = watched(paths)
    folders = [p for p in paths if p.is_dir()]
    started = False
    try:
        for batch in changes_of(
            *roots,
            debounce=debounce_ms,
            step=20,
            stop_event=stop,
            raise_interrupt=False,
            recursive=bool(folders),  # files alone: their folders, not all below them
            yield_on_timeout=True,  # first once the watcher is on, so the first build's
            rust_timeout=IDLE_MS,  # saves are seen; then every IDLE_MS with nothing
        ):
            if not started:
                started = True
                _once(rebuild, "start")
                continue
            changed = relevant(batch, out_dir, files, folders)
            if changed:
                what = ", ".join(sorted({p.name for p in changed}))
                _once(rebuild, what)
    except KeyboardInterrupt:
        pass
    click.echo("watch stopped", err=True)


def _once(rebuild: Callable[[], list[str]], what: str) -> None:
    from .parsecache import flush

    start = time.perf_counter()
    try:
        written = rebuild()
    except click.ClickException as e:
        click.echo(f"{time.strftime('%H:%M:%S')} {what}: not rebuilt", err=True)
        click.echo(e.format_message(), err=True)
        click.echo("  (the last good outputs are kept; fix the source and save again)", err=True)
    else:
        took = time.perf_counter() - start
        outputs = ", ".join(written) if written else "nothing to write (up to date)"
        click.echo(f"{time.strftime('%H:%M:%S')} {what} → {outputs} in {took:.2f} s", err=True)
    finally:
        gc.enable()  # a build turns the cycle collector off for speed; a long run needs it
    flush()  # for the next process; this one keeps what it parsed in memory
    gc.collect()
