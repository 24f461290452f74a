"""The PDF engine: WeasyPrint behind a fetcher that opens only what the build resolved, and
large sheets on every core.

Large sheets are runs of whole sections rendered in parallel processes, joined with pypdf,
then `page / pages` stamped from one small overlay document. Each run's PDF is cached
(`cache.cache_dir`), keyed by its HTML and the files it shows: after editing one card only
that card's run is rendered again."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import json
import multiprocessing as mp
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import RenderContext

if TYPE_CHECKING:
    from collections.abc import Iterator
    from concurrent.futures import ProcessPoolExecutor

    from .view import DocumentView


class RemoteFetchRefused(ValueError):
    pass


@dataclass(frozen=True)
class Allowed:
    """What the PDF may open: exactly the images the model resolved, and our templates."""

    files: frozenset[Path]
    roots: tuple[Path, ...]

    @classmethod
    def of(cls, view: DocumentView, ctx: RenderContext) -> Allowed:
        files = frozenset(Path(p).resolve() for p in view.media.values())
        return cls(files, ((ctx.templates / "pdf").resolve(),))

    def __contains__(self, path: Path) -> bool:
        return path in self.files or any(path.is_relative_to(r) for r in self.roots)


def local_fetcher(allowed: Allowed, warn):
    """A WeasyPrint URL fetcher that opens only `allowed` files (and data: URIs): an SVG's
    `xlink:href`, a stylesheet's `url()` or any other reference to something else is
    refused with a warning, never read."""
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher

    class LocalOnly(URLFetcher):
        def fetch(self, url: str, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            local = scheme == "file" and not urlsplit(url).netloc
            if local and Path(unquote(urlsplit(url).path)).resolve() in allowed:
                return super().fetch(url, headers)
            warn(f"pdf: refused to fetch {url[:120]}")
            raise RemoteFetchRefused(url)

    return LocalOnly(allowed_protocols={"file", "data"}, allow_redirects=False)


@contextlib.contextmanager
def collecting():
    """The cyclic garbage collector on for a layout, whatever the build chose: WeasyPrint's
    boxes are cycles, and without it every layout (chunk, or `--fit-pages` trial) would stay
    in memory until the process ends (1.35 GB instead of 0.52 GB for 2,000 cards, in the
    same time)."""
    was = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if not was:
            gc.collect()
            gc.disable()


def count_pages(html_text: str, ctx: RenderContext, allowed: Allowed) -> int:
    """How many pages the page takes, laid out but not written."""
    from weasyprint import HTML

    base = ctx.source.parent.resolve().as_uri() + "/"
    fetcher = local_fetcher(allowed, lambda _: None)
    with collecting():
        return len(HTML(string=html_text, base_url=base, url_fetcher=fetcher).render().pages)


def write_pdf(html_text: str, target: Path, ctx: RenderContext, allowed: Allowed) -> None:
    """Render the page for `target` (staged); nothing outside `allowed` is ever opened."""
    from weasyprint import HTML

    fetcher = local_fetcher(allowed, ctx.warn)
    base = ctx.source.parent.resolve().as_uri() + "/"
    document = HTML(string=html_text, base_url=base, url_fetcher=fetcher)
    with collecting():
        document.write_pdf(ctx.staging.stage(target))


OVERLAY = """<!doctype html><html><head><meta charset="utf-8"><style>
@page {{ size: {paper}; margin: 13mm 10mm 12mm 10mm;
  @bottom-center {{ content: counter(page) " / " counter(pages); font-size: 7pt; color: #666;
    font-family: "Noto Sans CJK SC", sans-serif; }} }}
div {{ break-after: page; }} div:last-child {{ break-after: auto; }}
</style></head><body>{pages}</body></html>"""


def _render(job: tuple[str, Allowed, str]) -> tuple[bytes, list[str]]:
    """Runs in a worker: one chunk's HTML, the files it may open, its base URL."""
    from weasyprint import HTML

    page, allowed, base = job
    warnings: list[str] = []
    fetcher = local_fetcher(allowed, warnings.append)
    html = HTML(string=page, base_url=base, url_fetcher=fetcher)
    with collecting():
        return html.write_pdf(), warnings


def _worker_start() -> None:
    """A worker dies with the process that started it, and quietly on SIGTERM."""
    import signal

    from ..concurrent import die_with_parent

    die_with_parent()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def write_parallel(
    pages: list[str], target: Path, ctx: RenderContext, allowed: Allowed, paper: str
) -> None:
    from pypdf import PdfReader
    from weasyprint import HTML

    from ..cache import cache_dir

    gc.collect()  # the parse's and the templates' garbage, before the sheet's peak
    cache = ChunkCache(cache_dir(ctx.out_dir) / "pdf", target.name)
    keys = [cache.key("c", page, paper) for page in pages]
    results: list[tuple[bytes, list[str]] | None] = [cache.get(k) for k in keys]
    todo = [i for i, r in enumerate(results) if r is None]
    if todo:
        base = ctx.source.parent.resolve().as_uri() + "/"
        jobs = [(pages[i], allowed, base) for i in todo]
        workers = min(len(todo), os.cpu_count() or 2)
        # Started afresh, not forked: a forked worker would hold the whole document and its
        # views (a quarter of a GB at 10,000 cards) beside the layout of its chunk.
        with _workers(workers) as pool:
            for i, result in zip(todo, pool.map(_render, jobs), strict=True):
                results[i] = result
                cache.put(keys[i], *result)
    datas = []
    for result in results:
        assert result is not None
        datas.append(result[0])
        ctx.warnings.extend(result[1])
    with collecting():
        total = sum(len(PdfReader(io.BytesIO(data)).pages) for data in datas)
        stamps = OVERLAY.format(paper=paper, pages="<div></div>" * total)
        overlay_key = cache.key("p", stamps, paper)
        cached = cache.get(overlay_key)
        overlay = cached[0] if cached else HTML(string=stamps).write_pdf()
    if not cached:
        cache.put(overlay_key, overlay, [])
    keys.append(overlay_key)
    # Joined in a process of its own: pypdf's object trees of hundreds of pages would come
    # on top of the document this process holds.
    with _workers(1) as pool:
        pool.submit(_join, datas, overlay, str(ctx.staging.stage(target))).result()
    cache.keep(keys)


@contextlib.contextmanager
def _workers(n: int) -> Iterator[ProcessPoolExecutor]:
    """`n` processes started afresh. One that dies (killed, out of memory) stops the build
    with a clear error: a `multiprocessing.Pool` would wait for it for ever."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from ..concurrent import RendererStopped

    pool = ProcessPoolExecutor(n, mp.get_context("spawn"), initializer=_worker_start)
    try:
        with pool:
            yield pool
    except BrokenProcessPool:
        raise RendererStopped.worker("pdf") from None


def _join(datas: list[bytes], overlay: bytes, path: str) -> None:
    """Runs in a worker: the chunks' pages in order, each stamped with its page number."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in datas:
        writer.append(PdfReader(io.BytesIO(data)))
    for page, stamp in zip(writer.pages, PdfReader(io.BytesIO(overlay)).pages, strict=True):
        page.merge_page(stamp)
    with open(path, "wb") as f:
        writer.write(f)


class ChunkCache:
    """PDFs of sheet chunks by content. Best effort: a damaged entry is rendered again."""

    def __init__(self, folder: Path, output: str) -> None:
        self.folder = folder
        self.manifest = folder / f"{output}.json"

    @staticmethod
    def key(kind: str, page: str, paper: str) -> str:
        """`kind` ("c" for a chunk, "p" for page numbers), then a hash of the HTML, the paper,
        the WeasyPrint version and every local file shown."""
        import weasyprint

        h = hashlib.sha256(f"{weasyprint.__version__}\0{paper}\0{page}".encode())
        for url in sorted(set(re.findall(r'src="file://([^"]+)"', page))):
            try:
                st = Path(url).stat()
                h.update(f"\0{url}\0{st.st_size}\0{st.st_mtime_ns}".encode())
            except OSError:
                h.update(f"\0{url}\0missing".encode())
        return kind + h.hexdigest()[:31]

    def get(self, key: str) -> tuple[bytes, list[str]] | None:
        try:
            data = (self.folder / f"{key}.pdf").read_bytes()
            warnings = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not data.startswith(b"%PDF") or not data.rstrip().endswith(b"%%EOF"):
            return None
        return data, [str(w) for w in warnings]

    def put(self, key: str, data: bytes, warnings: list[str]) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for name, body in (
                (f"{key}.json", json.dumps(warnings).encode()),
                (f"{key}.pdf", data),
            ):
                tmp = self.folder / f".{name}.tmp{os.getpid()}"
                tmp.write_bytes(body)
                os.replace(tmp, self.folder / name)
        except OSError:
            pass  # no cache this time

    def keep(self, keys: list[str]) -> None:
        """Record this output's chunks; drop the entries no output records any more."""
        try:
            self.manifest.write_text(json.dumps(keys), encoding="utf-8")
            live: set[str] = set()
            for m in self.folder.glob("*.json"):
                try:
                    data = json.loads(m.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    continue
                if isinstance(data, list) and m.stem.endswith(".pdf"):
                    live.update(str(k) for k in data)
            for f in self.folder.iterdir():
                stem = f.name.split(".", 1)[0]
                if f.suffix in (".pdf", ".json") and len(stem) == 32 and stem not in live:
                    f.unlink()
        except OSError:
            pass
