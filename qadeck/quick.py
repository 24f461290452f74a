"""Skip a whole build whose raw inputs did not change, before anything is parsed.

`make` does this for files; a build command does it for itself: after a build that wrote or
kept every output, it records a digest of everything the build read, as bytes on disk — each
source file, its lock file (as the build left it), the notes' qadeck.toml, the templates, the
images the notes point at (size and change time, or absent), the list of files in a folder, the
command with its options, the working directory and qadeck's code — together with each
output's size and change time and the messages it gave. The next run of the same command with
the same digest and untouched outputs prints those messages and stops: nothing is loaded,
parsed, rendered or written. Any difference at all, or a missing record, runs the normal build
(whose per-output stamps and parse cache still save what they can). The record lives in the
build cache; deleting it only costs one normal build.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from . import __version__
from .stamps import hash_stats, hash_tree


@dataclass(frozen=True)
class Command:
    """One build as the command line asked for it."""

    names: tuple[str, ...]
    sources: tuple[str, ...]
    out_dir: Path
    templates: Path
    options: dict[str, Any]
    strict: bool
    config: Path | None  # the notes' qadeck.toml
    root: Path | None  # the notes root, when there is a qadeck.toml

    def record_path(self) -> Path:
        from .cache import cache_dir

        what = json.dumps([self.names, [str(Path(s).resolve()) for s in self.sources], os.getcwd()])
        tag = hashlib.blake2b(what.encode(), digest_size=10).hexdigest()
        return cache_dir(self.out_dir) / f"quick-{tag}.json"

    @cached_property
    def files(self) -> tuple[list[Path], list[Path]]:
        """`files_read`, listed once: the folders as the build found them."""
        return files_read(self)


def files_read(command: Command) -> tuple[list[Path], list[Path]]:
    """Every file a build of `command` reads besides images and templates: the notes (sources
    and qadeck.toml; a folder's listing is in the list too), and the lock files (folder lock
    files included), which the build itself rewrites."""
    from .folders import markdown_files
    from .lockfile import lock_path
    from .pipeline import FOLDER_LOCK

    notes: list[Path] = [command.config] if command.config else []
    locks: list[Path] = []
    for s in command.sources:
        p = Path(s)
        if p.is_dir():
            at_root = command.root is not None and p.resolve() == command.root
            locks.append(p / FOLDER_LOCK)
            for f in markdown_files(p, skip_readme=at_root):
                notes.append(f)
                locks.append(lock_path(f))
        else:
            notes.append(p)
            locks.append(lock_path(p))
    return notes, locks


def notes_digest(command: Command) -> str:
    """The hash of the command, the code, the notes and the templates as they are now."""
    from .fingerprint import code_fingerprint

    h = hashlib.sha1()
    head = [
        __version__,
        code_fingerprint(),
        os.getcwd(),
        list(command.names),
        str(command.out_dir.resolve()),
        command.strict,
        command.options,
    ]
    h.update(json.dumps(head, sort_keys=True, default=str).encode())
    _files(h, "note", command.files[0])
    hash_tree(h, command.templates)
    return h.hexdigest()


def digest(command: Command, notes: str, images: list[str]) -> str:
    """`notes_digest` with the lock files and the images as they are now."""
    h = hashlib.sha1(notes.encode())
    _files(h, "lock", command.files[1])
    hash_stats(h, images)
    return h.hexdigest()


def _files(h, kind: str, paths: list[Path]) -> None:
    for p in paths:
        h.update(f"\x00{kind}\x00{p}\x00".encode())
        try:
            h.update(p.read_bytes())
        except OSError:
            h.update(b"\x01absent")


def up_to_date(command: Command) -> tuple[str | None, dict | None]:
    """The notes' digest (None when they cannot all be read: the build will say why), and the
    last build's record when nothing it read or wrote changed since (else None)."""
    from .errors import SourceError

    try:
        notes = notes_digest(command)
    except (OSError, SourceError):
        return None, None
    try:
        record = json.loads(command.record_path().read_text("utf-8"))
        images, outputs = record["images"], record["outputs"]
        if record["digest"] != digest(command, notes, images):
            return notes, None
        for path, size, mtime in outputs:
            st = os.stat(path)
            if (st.st_size, st.st_mtime_ns) != (size, mtime):
                return notes, None
    except (OSError, ValueError, KeyError, TypeError):
        return notes, None
    _sweep(command)
    return notes, record


def _sweep(command: Command) -> None:
    """What a killed build left behind goes, as the normal build would remove it."""
    from .atomic import sweep
    from .pipeline import LOCK_SUFFIX

    sweep(command.out_dir)
    for folder in {p.parent for p in command.files[1]}:
        sweep(folder, only=LOCK_SUFFIX)


def remember(
    command: Command, notes: str | None, units, outputs: list[Path], messages: list[str]
) -> None:
    """Record a finished build (every output written or kept, lock files committed) that read
    the notes `notes` digests; nothing, if they changed while it ran."""
    from .atomic import write_atomic
    from .errors import SourceError

    images = sorted(_images(units))
    try:
        if notes is None or notes_digest(command) != notes:
            command.record_path().unlink(missing_ok=True)
            return
        stats = []
        for p in outputs:
            st = os.stat(p)
            stats.append([str(p), st.st_size, st.st_mtime_ns])
        record = {
            "digest": digest(command, notes, images),
            "images": images,
            "outputs": stats,
            "messages": messages,
        }
        path = command.record_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(record, ensure_ascii=False).encode("utf-8"))
    except (OSError, SourceError):
        pass


def _images(units) -> set[str]:
    """Every local image the documents looked at, found or not: the parse cache's list and the
    images of section notes."""
    from .parsecache import doc_images, image_files
    from .stamps import note_images

    out: set[str] = set()
    for unit in units:
        for part in unit.files or [unit]:
            out |= image_files(doc_images(part.doc), part.source.parent)
            out |= note_images(part)
    return out
