"""Parsed documents kept between runs: a file is parsed again only when it changed.

The key is everything a parse reads: the file's bytes, the name it is shown by, its folder,
the folder images must stay in, the front-matter defaults and the code (`fingerprint`). Whether an
image exists is read too: each entry lists the image files it looked at (size and change
time, or absent), and an entry whose images changed is parsed again. The cache lives with the
build cache (`cache.cache_root()`); deleting it is always safe, and one that cannot be read
or written only costs time. Only qadeck writes it, in the user's own cache folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from . import __version__
from .model import Document, Image

FOLDER = "parsed"
KEEP = 400  # entries kept; the oldest go first
LARGE = 32_000  # bytes: a file this large keeps its emitted sections on disk as well


def key(data: bytes, shown: str, base_dir: Path, root: Path | None, defaults: Any) -> str:
    h = hashlib.sha1()
    from .fingerprint import code_fingerprint

    where = [str(base_dir.resolve()), str(root.resolve() if root else "")]
    meta = [__version__, code_fingerprint(), shown, *where]
    h.update(json.dumps([meta, defaults], sort_keys=True, default=str).encode())
    h.update(b"\x00")
    h.update(data)
    return h.hexdigest()


def cached_parse(p: Path, shown: str, root: Path | None, defaults: Any) -> Document:
    """The file's Document: from the cache when its bytes and images are as they were."""
    from .sourcefile import read_source

    data = read_source(p, shown)
    k = key(data, shown, p.parent, root, defaults)
    entry = _MEMO.get(k) or _read(k)
    if entry is None or entry[1] != stats([path for path, _ in entry[1]]):
        from .parse import parse_bytes
        from .sectioncache import Memo

        # A large file keeps its sections too: after one edit only that section is emitted.
        place = key(b"", shown, p.parent, root, "sections") if len(data) > LARGE else None
        # what this process kept in memory is what that file holds, or newer
        memo = Memo(_read_sections(place) if place and place not in _SECTIONS_READ else None)
        if place:
            _SECTIONS_READ.add(place)
        doc = parse_bytes(data, p, shown, root, defaults, memo)
        entry = (doc, stats(sorted(image_files(doc_images(doc), p.parent))))
        _write(k, entry)
        if place:
            _write(place, memo.stored())
    if len(_MEMO) > KEEP:
        _MEMO.clear()
    _MEMO[k] = entry
    return entry[0]


# (document, the image files it looked at with their size and change time): on disk, and in
# memory for one long-running process (`qadeck watch`).
Entry = tuple[Document, list[tuple[str, tuple[int, int] | None]]]
_MEMO: dict[str, Entry] = {}
_SECTIONS_READ: set[str] = set()  # the files of kept sections this process has read
# Writes held back until `flush` (`qadeck watch` answers first, then writes the cache).
_PENDING: dict[str, object] | None = None


def defer_writes() -> None:
    """Hold the cache's writes until `flush`: a long-running process keeps what it parsed in
    memory, so the disk copy, for the next process, can wait until after the rebuild."""
    global _PENDING
    if _PENDING is None:
        _PENDING = {}


def flush() -> None:
    """Write what `defer_writes` held back (the newest entry of each key)."""
    while _PENDING:
        k = next(iter(_PENDING))
        _store(k, _PENDING.pop(k))


def forget() -> None:
    """Drop what this process keeps in memory (parsed files, sections, chunks)."""
    from . import sectioncache

    _MEMO.clear()
    _SECTIONS_READ.clear()
    sectioncache._ENTRIES.clear()
    sectioncache._CHUNKS.clear()


def _folder() -> Path:
    from .cache import cache_root

    return cache_root() / FOLDER


def _read(k: str) -> Entry | None:
    try:
        with open(_folder() / f"{k}.pickle", "rb") as f:
            doc, deps = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return None
    return (doc, deps) if isinstance(doc, Document) and isinstance(deps, list) else None


def _read_sections(k: str) -> dict[str, Any] | None:
    """The sections and chunks a large file's last parse kept (`Memo.stored`)."""
    try:
        with open(_folder() / f"{k}.pickle", "rb") as f:
            found = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def _write(k: str, entry: object) -> None:
    if _PENDING is not None:
        _PENDING[k] = entry
    else:
        _store(k, entry)


def _store(k: str, entry: object) -> None:
    from .atomic import write_atomic

    try:
        folder = _folder()
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / f"{k}.pickle", pickle.dumps(entry, protocol=5))
        _trim(folder)
    except OSError:
        pass


def doc_images(doc: Document) -> Iterator[Image]:
    return (image for card in doc.cards for image in card.images)


def image_files(images: Iterable[Image], base_dir: Path | None) -> set[str]:
    """Every local image file the parse looked at, found or not."""
    out: set[str] = set()
    for image in images:
        if image.remote:
            continue
        if image.path:
            out.add(image.path)
        else:
            src = unquote(image.src.split("#", 1)[0].split("?", 1)[0])
            out.add(str(((base_dir or Path(".")) / src).resolve()))
    return out


def stats(paths: list[str]) -> list[tuple[str, tuple[int, int] | None]]:
    out: list[tuple[str, tuple[int, int] | None]] = []
    for p in paths:
        try:
            st = os.stat(p)
            out.append((p, (st.st_size, st.st_mtime_ns)))
        except OSError:
            out.append((p, None))
    return out


def _trim(folder: Path) -> None:
    entries = list(folder.glob("*.pickle"))
    if len(entries) <= KEEP:
        return
    entries.sort(key=lambda p: p.stat().st_mtime)
    for old in entries[: len(entries) - KEEP]:
        old.unlink(missing_ok=True)
