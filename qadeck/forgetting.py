"""`qadeck forget`: drop removed cards from lock files, so their notice stops."""

from __future__ import annotations

from pathlib import Path

from .errors import SourceError
from .lockfile import Lock, lock_path
from .model import Diagnostic, Span


def forget_keys(source: Path, keys: list[str]) -> list[str]:
    """Forget each key (`key`, or `file~key` in a folder) that left `source`; a key still in
    the source, or unknown, is an error and nothing is written."""
    from .folders import file_prefix, markdown_files

    by_prefix = {}
    if source.is_dir():
        by_prefix = {file_prefix(source, p): p for p in markdown_files(source)}
    locks: dict[Path, Lock] = {}
    problems, done = [], []
    for key in keys:
        path, local = source, key
        if source.is_dir():
            prefix, _, local = key.rpartition("~")
            path = by_prefix.get(prefix)
            if path is None:
                problems.append(f"{key}: no file of {source} has this key")
                continue
        lock = locks.setdefault(path, Lock.load(lock_path(path)))
        entry = lock.entries.get(local)
        if entry is None:
            problems.append(f"{key}: not in {lock.path}")
        elif not entry.removed:
            problems.append(f"{key}: still in the notes; remove the card from the source first")
        else:
            del lock.entries[local]
            done.append(f"forgot #{key}  {entry.question}")
    if problems:
        raise SourceError([Diagnostic("error", Span(str(source), 0), p) for p in problems])
    for lock in locks.values():
        lock.save()
    return done
