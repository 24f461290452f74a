"""`make bench`: time qadeck against the bare engines and peers; write bench/results.json.

Every measurement runs in a fresh subprocess under GNU time (peak memory), several times;
the table shows median and min seconds, the ratios the issue asks for, and each target.
Sizes: BENCH_SIZES=100,1000,10000 (default); BENCH_REPS=3. The PDF is measured up to
BENCH_PDF_MAX cards (default 1000), as WeasyPrint takes minutes on 10,000 cards.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
sys.path.insert(0, str(HERE))
import generate  # noqa: E402

SIZES = [int(x) for x in os.environ.get("BENCH_SIZES", "100,1000,2000,10000").split(",")]
REPS = int(os.environ.get("BENCH_REPS", "3"))
PDF_MAX = int(os.environ.get("BENCH_PDF_MAX", "1000"))
PEER_VENV = HERE / "work" / "peer-venv"

SNIPPETS = {
    "parse": "from qadeck.parse import parse_file\nT0()\nparse_file(SRC)\nT1()",
    "bare_md_parse": (
        "from markdown_it import MarkdownIt\ntext = open(SRC, encoding='utf-8').read()\n"
        "md = MarkdownIt('commonmark').enable('table')\nT0()\nmd.parse(text)\nT1()"
    ),
    "md_to_html": (
        "from qadeck.parse import parse_file\nfrom qadeck.markup import render_markdown, render_inline\n"
        "doc = parse_file(SRC)\nT0()\nfor c in doc.cards:\n"
        "    render_inline(c.question); render_markdown(c.answer)\n"
        "    [render_markdown(t.answer) for t in c.translations.values()]\nT1()"
    ),
    "bare_md_render": (
        "from markdown_it import MarkdownIt\ntext = open(SRC, encoding='utf-8').read()\n"
        "md = MarkdownIt('commonmark').enable('table')\nT0()\nmd.render(text)\nT1()"
    ),
    "bare_genanki": (
        "import re, genanki\nfrom markdown_it import MarkdownIt\n"
        "text = open(SRC, encoding='utf-8').read()\nT0()\n"
        "md = MarkdownIt('commonmark').enable('table')\n"
        "parts = re.split(r'^#### ', text, flags=re.M)[1:]\n"
        "model = genanki.Model(1607392319, 'm', fields=[{'name': 'Q'}, {'name': 'A'}],\n"
        "    templates=[{'name': 'c', 'qfmt': '{{Q}}', 'afmt': '{{A}}'}])\n"
        "deck = genanki.Deck(2059400110, 'bench')\n"
        "for p in parts:\n    q, _, a = p.partition('\\n')\n"
        "    deck.add_note(genanki.Note(model=model, fields=[md.renderInline(q), md.render(a)]))\n"
        "genanki.Package(deck).write_to_file(OUT + '/bare.apkg')\nT1()"
    ),
    "bare_weasyprint": (
        "from pathlib import Path\nfrom qadeck.pipeline import load\n"
        "from qadeck.renderers import RenderContext\nfrom qadeck.renderers.pdf import PdfRenderer\n"
        "from weasyprint import HTML\nlo = load(Path(SRC))\n"
        "ctx = RenderContext(out_dir=Path(OUT), templates=Path(TPL), lock=lo.lock, source=lo.source)\n"
        "html = PdfRenderer().html(lo.doc, ctx, 'sheet', 'zh', 'A4')[0][0]\n"
        "T0()\nHTML(string=html, base_url=OUT).write_pdf(OUT + '/bare.pdf')\nT1()"
    ),
    # Our own share of a PDF build, in-process: parse + Markdown→HTML + templating.
    "pdf_overhead": (
        "from pathlib import Path\nimport weasyprint\nT0()\nfrom qadeck.pipeline import load\n"
        "from qadeck.renderers import RenderContext\nfrom qadeck.renderers.pdf import PdfRenderer\n"
        "lo = load(Path(SRC))\n"
        "ctx = RenderContext(out_dir=Path(OUT), templates=Path(TPL), lock=lo.lock, source=lo.source)\n"
        "html = PdfRenderer().html(lo.doc, ctx, 'sheet', 'zh', 'A4')[0][0]\nT1()"
    ),
}
# The floor of a deck build (issue 18): markdown-it-pyrs renders every card and genanki writes
# the deck, in a process of its own, with nothing of ours around it; timed as a whole process,
# like `build.py anki`.
FLOOR = (
    "import re, sys, genanki, markdown_it_pyrs\n"
    "src, out = sys.argv[1], sys.argv[2]\n"
    "text = open(src, encoding='utf-8').read()\n"
    "md = markdown_it_pyrs.MarkdownIt('commonmark').enable('table')\n"
    "model = genanki.Model(1607392319, 'm', fields=[{'name': 'Q'}, {'name': 'A'}],\n"
    "    templates=[{'name': 'c', 'qfmt': '{{Q}}', 'afmt': '{{A}}'}])\n"
    "deck = genanki.Deck(2059400110, 'bench')\n"
    "for p in re.split(r'^#### ', text, flags=re.M)[1:]:\n"
    "    q, _, a = p.partition('\\n')\n"
    "    deck.add_note(genanki.Note(model=model, fields=[md.render(q), md.render(a)]))\n"
    "genanki.Package(deck).write_to_file(out + '/floor.apkg')\n"
)
PRELUDE = (
    "import time, json, sys\n_t = {}\n"
    "def T0(): _t['a'] = time.perf_counter()\n"
    "def T1(): print(json.dumps({'seconds': time.perf_counter() - _t['a']}))\n"
)


def timed(cmd: list[str], cwd: Path = ROOT, env: dict | None = None) -> tuple[float, float, str]:
    """Run `cmd` under GNU time: (wall seconds, peak MB, stdout)."""
    start = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "@@%M", *cmd], cwd=cwd, capture_output=True, text=True,
        env={**os.environ, **(env or {})},
    )  # fmt: skip
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
    peak = int(re.findall(r"@@(\d+)", proc.stderr)[-1]) / 1024
    return wall, peak, proc.stdout


def snippet(name: str, src: Path, out: Path) -> tuple[float, float]:
    code = PRELUDE + f"SRC = {str(src)!r}\nOUT = {str(out)!r}\nTPL = {str(ROOT / 'templates')!r}\n"
    _, peak, stdout = timed([PY, "-c", code + SNIPPETS[name]])
    return json.loads(stdout.strip().splitlines()[-1])["seconds"], peak


def repeat(fn, reps: int = REPS) -> dict:
    runs = [fn() for _ in range(reps)]
    secs = [r[0] for r in runs]
    return {"median": statistics.median(secs), "min": min(secs), "peak_mb": max(r[1] for r in runs)}


def fresh(src: Path) -> None:
    """Forget what earlier builds remembered (lock file, HTML and PDF caches): a cold build."""
    for lock in src.parent.glob("*.qadeck-lock.json"):
        lock.unlink()
    shutil.rmtree(cache_of(src), ignore_errors=True)


def cache_of(src: Path) -> Path:
    """The build cache of one size's folder (QADECK_CACHE for its builds)."""
    return src.parent.parent / "cache"


def build(cmd: str, src: Path, out: Path, cold: bool = True, *extra: str) -> tuple[float, float]:
    if cold:
        fresh(src)
    cache = {"QADECK_CACHE": str(cache_of(src))}
    argv = [PY, str(ROOT / "build.py"), cmd, str(src), "--out", str(out), *extra]
    wall, peak, _ = timed(argv, env=cache)
    return wall, peak


def ankdown_source(src: Path, folder: Path) -> Path:
    """The same cards in ankdown's syntax (front % back ---)."""
    from qadeck.parse import parse_file

    doc = parse_file(src)
    body = "\n---\n".join(f"{c.question}\n%\n{c.answer}\n%\nbench" for c in doc.cards)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cards.md").write_text(body + "\n", encoding="utf-8")
    return folder


def peer_tools() -> dict[str, str | None]:
    found = {"pandoc": shutil.which("pandoc"), "ankdown": None}
    exe = PEER_VENV / "bin" / "ankdown"
    if not exe.exists():
        try:
            subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
            subprocess.run(
                [str(PEER_VENV / "bin" / "pip"), "install", "-q", "ankdown==0.7.1"],
                check=True, capture_output=True,
            )  # fmt: skip
        except subprocess.CalledProcessError as e:
            print(f"ankdown not available: {e}", file=sys.stderr)
    found["ankdown"] = str(exe) if exe.exists() else None
    return found


def edit_one_card(src: Path, n: int) -> None:
    """Change one answer in the middle of the file."""
    text = src.read_text(encoding="utf-8")
    k = max(5, (n // 2) // 5 * 5)  # a card of the kind with a `第…条说明` line
    old = f"第{k}条说明。"
    assert old in text, old
    src.write_text(text.replace(old, f"第{k}条说明（已修改）。", 1), encoding="utf-8")


def measure_size(n: int, work: Path, peers: dict) -> dict:
    folder = work / f"n{n}"
    shutil.rmtree(folder, ignore_errors=True)
    src = generate.write(folder / "src", n)
    out = folder / "out"
    out.mkdir(parents=True)
    reps = REPS if n <= 1000 else max(1, REPS - 1)
    r: dict = {"cards": n, "bytes": src.stat().st_size}
    for name in ("parse", "bare_md_parse", "md_to_html", "bare_md_render", "bare_genanki"):
        r[name] = repeat(lambda name=name: snippet(name, src, out), reps)
    r["floor_pyrs_genanki"] = repeat(lambda: timed([PY, "-c", FLOOR, str(src), str(out)])[:2], reps)
    for cmd in ("anki", "html"):
        r[cmd] = repeat(lambda cmd=cmd: build(cmd, src, out), reps)
    build("anki", src, out)
    r["anki_rebuild_no_change"] = repeat(lambda: build("anki", src, out, cold=False), reps)
    build("html", src, out)
    r["html_rebuild_no_change"] = repeat(lambda: build("html", src, out, cold=False), reps)
    original = src.read_text(encoding="utf-8")
    if n == 2000:
        r["watch_latency_anki_html"] = watch_latency(src, out, n)
        src.write_text(original, encoding="utf-8")
    edit_one_card(src, n)
    r["anki_rebuild_one_edit"] = repeat(lambda: build("anki", src, out, cold=False), 1)
    src.write_text(original, encoding="utf-8")
    build("html", src, out, cold=False)
    edit_one_card(src, n)
    r["html_rebuild_one_edit"] = repeat(lambda: build("html", src, out, cold=False), 1)
    src.write_text(original, encoding="utf-8")
    if n == 2000:  # the PDF cache target: one edit in a 2,000-card source
        r["pdf"] = repeat(lambda: build("pdf", src, out), 1)
        edit_one_card(src, n)
        r["pdf_rebuild_one_edit"] = repeat(lambda: build("pdf", src, out, cold=False), 1)
        src.write_text(original, encoding="utf-8")
        build("all", src, out, cold=False)
        r["all_rebuild_no_change"] = repeat(lambda: build("all", src, out, cold=False), reps)
    if n <= PDF_MAX:
        r["pdf"] = repeat(lambda: build("pdf", src, out), reps)
        r["bare_weasyprint"] = repeat(lambda: snippet("bare_weasyprint", src, out), reps)
        r["pdf_overhead"] = repeat(lambda: snippet("pdf_overhead", src, out), reps)
        r["all"] = repeat(lambda: build("all", src, out), reps)
        r["all_rebuild_no_change"] = repeat(lambda: build("all", src, out, cold=False), reps)
    if peers["pandoc"]:
        cmd = [peers["pandoc"], "--standalone", "--metadata", "title=bench", "-f", "markdown",
               "-t", "html", str(src), "-o", str(out / "pandoc.html")]  # fmt: skip
        r["pandoc"] = repeat(lambda: timed(cmd)[:2], reps)
    if peers["ankdown"] and n <= 2000:
        cards = ankdown_source(src, folder / "ankdown")
        cmd = [peers["ankdown"], "-r", str(cards), "-p", str(out / "ankdown.apkg")]
        r["ankdown"] = repeat(lambda: timed(cmd, cwd=folder)[:2], reps)
    return r


def watch_latency(src: Path, out: Path, n: int, edits: int = 5) -> dict:
    """`qadeck watch --outputs anki,html`: from one answer's write to the line saying the
    renamed outputs are in place (median of `edits` saves)."""
    import threading

    env = {**os.environ, "QADECK_CACHE": str(cache_of(src))}
    proc = subprocess.Popen(
        [PY, str(ROOT / "build.py"), "watch", str(src), "--outputs", "anki,html", "--out", str(out)],
        stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    lines: list[tuple[float, str]] = []

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append((time.perf_counter(), line))

    threading.Thread(target=read, daemon=True).start()

    def wait(count: int) -> float:
        deadline = time.perf_counter() + 120
        while time.perf_counter() < deadline:
            done = [t for t, x in lines if "→" in x]
            if len(done) >= count:
                return done[count - 1]
            time.sleep(0.002)
        raise RuntimeError(f"watch gave no rebuild line: {lines}")

    wait(1)
    times = []
    text = src.read_text(encoding="utf-8")
    for k in range(edits):
        time.sleep(0.3)
        start = time.perf_counter()
        src.write_text(text.replace("第5条说明", f"第5条说明（改{k}）", 1), encoding="utf-8")
        times.append(wait(k + 2) - start)
    proc.send_signal(__import__("signal").SIGINT)
    proc.wait(timeout=30)
    times.sort()
    return {"median": times[len(times) // 2], "min": times[0], "peak_mb": 0.0}


def startup() -> dict:
    return repeat(lambda: timed([PY, str(ROOT / "build.py"), "--help"])[:2], 5)


def noop_make() -> dict | None:
    if not shutil.which("make"):
        return None
    subprocess.run(["make", "-s", "all"], cwd=ROOT, capture_output=True)
    return repeat(lambda: timed(["make", "-s", "all"])[:2], 3)


def folder_of_100(work: Path) -> tuple[dict, dict]:
    """`build.py all` on a 100-file folder (20 cards each), cold; then each command again
    with nothing changed."""
    folder = generate.write_folder(Path(tempfile.mkdtemp(dir=work)) / "notes", 100, 20)
    env = {"QADECK_CACHE": str(folder.parent / "cache")}

    def run(cmd: str) -> tuple[float, float]:
        return timed(
            [PY, str(ROOT / "build.py"), cmd, str(folder), "--out", str(folder.parent / "out")],
            env=env,
        )[:2]

    def cold() -> tuple[float, float]:
        for lock in folder.rglob("*lock.json"):
            lock.unlink()
        shutil.rmtree(folder.parent / "cache", ignore_errors=True)
        return run("all")

    result = repeat(cold, 1)
    again = {}
    for cmd in ("anki", "html", "all"):
        run(cmd)
        again[cmd] = repeat(lambda cmd=cmd: run(cmd), REPS)
    return result, again


def main() -> None:
    work = HERE / "work"
    work.mkdir(exist_ok=True)
    # An installed package carries its compiled bytecode (pip writes it); a checkout whose
    # environment sets PYTHONDONTWRITEBYTECODE would compile every module on every run.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "qadeck")], check=True)
    peers = peer_tools()
    results = {"startup_help": startup(), "noop_make": noop_make(), "sizes": {}}
    if os.environ.get("BENCH_FOLDER", "1") == "1":
        results["folder_100_files_all"], results["folder_100_no_change"] = folder_of_100(work)
    for n in SIZES:
        print(f"measuring {n} cards…", file=sys.stderr)
        results["sizes"][str(n)] = measure_size(n, Path(tempfile.mkdtemp(dir=work)), peers)
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(report(results))


def report(res: dict) -> str:
    from targets import table

    return table(res)


if __name__ == "__main__":
    main()
