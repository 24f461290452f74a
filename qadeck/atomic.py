"""Atomic writes: a file in `dist/` is either the old one or the whole new one, never half."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target`, else vanishes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        raise


def write_atomic(target: Path, data: bytes) -> None:
    with atomic_path(target) as tmp, open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


class Staging:
    """All outputs of one build, lock files included: written to temporary files, then
    renamed into place together.

    A renderer asks `stage(target)` for a temporary path beside `target` and writes there.
    `commit()` first makes every staged file durable (the step that meets a full disk), then
    renames them; should a rename fail, the files already renamed are put back, so the
    outputs and the lock move together or not at all. `discard()` (on any failure, Ctrl-C
    and SIGTERM included) removes the temporary files. A build killed outright leaves them
    behind; their names carry the build's process id, and `sweep` removes them later.
    """

    def __init__(self) -> None:
        self.staged: list[tuple[Path, Path]] = []

    def stage(self, target: Path) -> Path:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp", dir=target.parent)
        os.close(fd)
        self.staged.append((Path(tmp), target))
        return Path(tmp)

    def write(self, target: Path, data: bytes) -> None:
        tmp = self.stage(target)
        with open(tmp, "wb") as f:
            f.write(data)

    def commit(self) -> list[Path]:
        for tmp, _ in self.staged:
            with open(tmp, "rb+") as f:
                os.fsync(f.fileno())
            os.chmod(tmp, 0o644)
        backups: list[tuple[Path, Path | None]] = []  # (target, its previous file kept aside)
        try:
            for tmp, target in self.staged:
                backups.append((target, _keep_aside(target)))
                os.replace(tmp, target)
        except BaseException:
            _put_back(backups)
            raise
        for _, backup in backups:
            if backup is not None:
                with contextlib.suppress(OSError):
                    backup.unlink()
        done = [target for _, target in self.staged]
        self.staged.clear()
        return done

    def discard(self) -> None:
        for tmp, _ in self.staged:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        self.staged.clear()


def temp_prefix(target: Path) -> str:
    """`.<name>.<pid>.`: a temporary file says whose it is, so a later build can tell
    the leftovers of a killed build from the files of one still running."""
    return f".{target.name}.{os.getpid()}."


def _keep_aside(target: Path) -> Path | None:
    """A second name (hard link) for the file about to be replaced, to restore it from."""
    if not target.exists():
        return None
    backup = Path(tempfile.mktemp(prefix=temp_prefix(target), suffix=".tmp", dir=target.parent))
    try:
        os.link(target, backup)
    except OSError:
        return None  # no hard links here: this file cannot be restored, the others can
    return backup


def _put_back(backups: list[tuple[Path, Path | None]]) -> None:
    for target, backup in reversed(backups):
        with contextlib.suppress(OSError):
            if backup is not None:
                os.replace(backup, target)
            elif target.exists():
                target.unlink()


_OURS = re.compile(r"^\.(?P<name>.+?)\.(?:(?P<pid>\d+)\.)?[A-Za-z0-9_]{8}\.tmp$")
LEGACY_AGE = 3600  # seconds: temporary files from before names carried a pid


def sweep(folder: Path, only: str = "") -> None:
    """Remove temporary files our builds left in `folder` when they were killed: those of a
    process that no longer runs (or, without a pid in the name, older than an hour).
    `only`: just those staged for files whose name ends so (lock files beside the notes)."""
    import time

    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        m = _OURS.match(entry.name)
        if not m or not m.group("name").endswith(only) or not entry.is_file(follow_symlinks=False):
            continue
        pid = m.group("pid")
        with contextlib.suppress(OSError):
            if pid is not None:
                if int(pid) == os.getpid() or _alive(int(pid)):
                    continue
            elif time.time() - entry.stat().st_mtime < LEGACY_AGE:
                continue
            os.unlink(entry.path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
