"""Where builds keep what they can reuse: rendered HTML and PDF chunks.

Outside `dist/` (which users copy and share): `$QADECK_CACHE`, else `$XDG_CACHE_HOME/qadeck`,
else `~/.cache/qadeck`, one folder per output folder. Deleting it is always safe.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def cache_root() -> Path:
    own = os.environ.get("QADECK_CACHE")
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(own) if own else Path(xdg or Path.home() / ".cache") / "qadeck"


def cache_dir(out_dir: Path) -> Path:
    root = cache_root()
    tag = hashlib.blake2b(str(out_dir.resolve()).encode(), digest_size=8).hexdigest()
    return root / f"{out_dir.resolve().name}-{tag}"
