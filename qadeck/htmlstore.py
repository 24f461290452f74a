"""Rendered card HTML kept between builds, outside `dist/` (`cache.cache_dir`).

A build opens a store, hands it to the renderers through the render context, and saves it
when every output is written; nothing here is global.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from .model import Image

_SHAPING = ("markup.py", "fastrender.py", "highlight.py", "links.py", "dialect.py", "scan.py")


class HtmlStore:
    """Rendered HTML kept between builds (`cache.cache_dir`), keyed by
    a hash of the Markdown, the images it may show and the code and libraries that render it.
    A build records what it used and saves only that, so the file never outgrows the notes."""

    def __init__(self) -> None:
        self.on = False
        self.old: dict[str, str] = {}
        self.used: dict[str, str] = {}

    def open(self, path: Path) -> None:
        import json

        self.on, self.used = True, {}
        try:
            data = json.loads(path.read_bytes().decode("utf-8", "surrogatepass"))
            self.old = data["html"] if data.get("version") == _code_version() else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.old = {}

    def save(self, path: Path) -> None:
        import json

        from .atomic import write_atomic

        if not self.on:
            return
        self.on = False
        data = {"version": _code_version(), "html": self.used}
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps(data, ensure_ascii=False)
            write_atomic(path, text.encode("utf-8", "surrogatepass"))

    def close(self) -> None:
        self.on, self.old, self.used = False, {}, {}

    def key(self, kind: str, source: str, images: Mapping[str, Image] | None) -> str:
        shows = images and ("![" in source or "<img" in source.lower())
        sig = _images_signature(images) if shows else ""
        data = f"{kind}\0{sig}\0{source}".encode("utf-8", "surrogatepass")
        return hashlib.blake2b(data, digest_size=16).hexdigest()

    def through(self, kind: str, source: str, images: Mapping[str, Image] | None, render) -> str:
        """`render(source, images)`, or what an earlier build kept of it."""
        if not self.on:
            return render(source, images)
        key = self.key(kind, source, images)
        done = self.used.get(key) or self.old.get(key)
        if not isinstance(done, str):
            done = render(source, images)
        self.used[key] = done
        return done


@lru_cache(maxsize=8)
def _images_signature(images: Mapping[str, Image]) -> str:
    from .images import media_name

    return repr(sorted((src, i.path and media_name(i.path)) for src, i in images.items()))


@lru_cache(maxsize=1)
def _code_version() -> str:
    """The modules that shape card HTML and the libraries they use."""
    from importlib.metadata import version

    here = Path(__file__).parent
    parts = [(here / name).read_bytes() for name in _SHAPING]
    for lib in ("markdown-it-py", "markdown-it-pyrs", "mdit-py-plugins", "pygments"):
        with contextlib.suppress(Exception):
            parts.append(version(lib).encode())
    return hashlib.blake2b(b"\0".join(parts), digest_size=16).hexdigest()
