"""Skip an output whose inputs did not change since it was written.

A stamp is a hash of everything a renderer reads: the document (its full repr: cards, keys,
translations, stale marks), the lock files as they stand, the templates folder, the options,
the images the document refers to (size and change time) and qadeck's version. After a build
the stamp is recorded with the lock files as the build left them, and with each output's size
and change time; the next build with the same stamp and untouched outputs renders nothing for
it and writes nothing (the warnings it gave are given again). Kept in the build cache: deleting
it only costs one full build.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from . import __version__
from .images import MD_IMAGE


class Stamps:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            data = json.loads(path.read_text("utf-8"))
            self.data: dict[str, Any] = data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            self.data = {}

    def fresh(self, name: str, stamp: str) -> dict | None:
        """The recorded entry when `name`'s output is up to date, else None."""
        entry = self.data.get(name)
        if not isinstance(entry, dict) or entry.get("stamp") != stamp:
            return None
        outputs = entry.get("outputs")
        if not isinstance(outputs, list) or not outputs:
            return None
        for path, size, mtime in outputs:
            try:
                st = os.stat(path)
            except OSError:
                return None
            if (st.st_size, st.st_mtime_ns) != (size, mtime):
                return None
        return entry

    def record(self, name: str, stamp: str, outputs: list[Path], warnings: list[str]) -> None:
        stats = []
        for p in outputs:
            try:
                st = os.stat(p)
            except OSError:
                return
            stats.append([str(p), st.st_size, st.st_mtime_ns])
        self.data[name] = {"stamp": stamp, "outputs": stats, "warnings": warnings}

    def forget(self, name: str) -> None:
        self.data.pop(name, None)

    def save(self) -> None:
        from .atomic import write_atomic

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, json.dumps(self.data, sort_keys=True).encode("utf-8"))
        except OSError:
            pass


def inputs_digest(loaded, templates: Path) -> str:
    """Everything but the renderer's name and the lock files."""
    from .fingerprint import code_fingerprint

    h = hashlib.sha1(f"{__version__}\x00{code_fingerprint()}".encode())
    h.update(repr(loaded.doc).encode())
    hash_tree(h, templates)
    hash_stats(h, sorted(_images(loaded)))
    return h.hexdigest()


def hash_tree(h, folder: Path) -> None:
    """Every file below `folder` into `h`: its path there and its bytes."""
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(b"\x00tree\x00" + str(p.relative_to(folder)).encode() + b"\x00")
            h.update(p.read_bytes())


def hash_stats(h, paths) -> None:
    """Each file's path, size and change time (or that it is absent) into `h`."""
    for path in paths:
        try:
            st = os.stat(path)
            h.update(f"\x00stat\x00{path}\x00{st.st_size}\x00{st.st_mtime_ns}".encode())
        except OSError:
            h.update(f"\x00stat\x00{path}\x00-".encode())


def locks_digest(loaded) -> str:
    """The lock files of `loaded` as they are now (every output's stamp holds them)."""
    h = hashlib.sha1()
    for part in (loaded, *loaded.files):
        h.update(part.lock.to_json().encode())
    return h.hexdigest()


def stamp(name: str, inputs: str, locks: str, options: dict) -> str:
    """The stamp of one output: its inputs, its own options and the lock files' digest
    (another output's options never make it stale)."""
    from .renderers import options_of, renderer_class

    own = {o.name.replace("-", "_") for o in options_of(renderer_class(name))}
    opts = {k: v for k, v in options.items() if k in own}
    h = hashlib.sha1(
        f"{name}\x00{inputs}\x00{locks}\x00{json.dumps(opts, sort_keys=True, default=str)}".encode()
    )
    return h.hexdigest()


def _images(loaded) -> set[str]:
    out: set[str] = set()
    for card in loaded.doc.cards:
        for image in card.images:
            if not image.remote and image.path:
                out.add(image.path)
    for part in loaded.files or [loaded]:
        out |= note_images(part)
    return out


def note_images(part) -> set[str]:
    """The local images a file's section notes show."""
    base = part.source.parent if part.source.is_file() else part.source
    out: set[str] = set()
    for section in part.doc.sections:
        for m in MD_IMAGE.finditer(section.notes):  # linear: the parser's own image pattern
            src = (m.group(1) or m.group(2) or "").strip()
            if src and "://" not in src:
                out.add(str((base / src).resolve()))
    return out
