"""The results table: medians, ratios against the bare engines and peers, and each target."""

from __future__ import annotations


def _m(r: dict | None, key: str = "median") -> float | None:
    return r[key] if r else None


def _fmt(x: float | None, unit: str = "s") -> str:
    if x is None:
        return "—"
    return f"{x:.3f}{unit}" if unit == "s" else f"{x:.2f}{unit}"


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def table(res: dict) -> str:
    lines = ["", "qadeck benchmark (seconds: median / min; peak memory of the process)", ""]
    head = f"{'cards':>6} {'measure':<24} {'median':>9} {'min':>9} {'peak MB':>8}"
    lines += [head, "-" * len(head)]
    for n, r in res["sizes"].items():
        for key, v in r.items():
            if isinstance(v, dict):
                peak = f"{v['peak_mb']:.0f}"
                lines.append(f"{n:>6} {key:<24} {v['median']:>9.3f} {v['min']:>9.3f} {peak:>8}")
    lines += ["", "ratios (ours ÷ reference, medians)", ""]
    for n, r in res["sizes"].items():
        pairs = [
            ("parse ÷ markdown-it-py parse", r.get("parse"), r.get("bare_md_parse")),
            ("md→html ÷ markdown-it-py render", r.get("md_to_html"), r.get("bare_md_render")),
            ("anki ÷ markdown-it-py+genanki", r.get("anki"), r.get("bare_genanki")),
            ("anki ÷ markdown-it-pyrs+genanki floor", r.get("anki"), r.get("floor_pyrs_genanki")),
            ("anki ÷ ankdown (cold)", r.get("anki"), r.get("ankdown")),
            ("anki one-edit rebuild ÷ ankdown", r.get("anki_rebuild_one_edit"), r.get("ankdown")),
            ("anki one-edit rebuild ÷ cold anki", r.get("anki_rebuild_one_edit"), r.get("anki")),
            ("html ÷ pandoc --standalone", r.get("html"), r.get("pandoc")),
            ("pdf ÷ bare WeasyPrint", r.get("pdf"), r.get("bare_weasyprint")),
        ]
        for label, a, b in pairs:
            ratio = _ratio(_m(a), _m(b))
            if ratio is not None:
                lines.append(f"{n:>6} {label:<36} {ratio:>6.2f}×")
    lines += ["", "targets", ""] + [
        f"{'met ' if ok else 'MISS'}  {text}" for ok, text in checks(res)
    ]
    return "\n".join(lines)


def checks(res: dict) -> list[tuple[bool, str]]:
    out: list[tuple[bool, str]] = []
    s = res["startup_help"]["median"]
    out.append((s < 0.3, f"start-up `build.py --help` {s:.3f}s < 0.3s"))
    if res.get("noop_make"):
        out.append((True, f"no-op `make`: {res['noop_make']['median']:.3f}s"))
    if res.get("folder_100_files_all"):
        t = res["folder_100_files_all"]["median"]
        out.append((t < 60, f"`all` on a 100-file folder (2,000 cards) {t:.1f}s (< 60s)"))
        peak = res["folder_100_files_all"]["peak_mb"]
        out.append((peak < 600, f"`all` on the 100-file folder: peak {peak:.0f} MB (< 600 MB)"))
    for cmd, r in (res.get("folder_100_no_change") or {}).items():
        t = _m(r)
        out.append((t < 0.3, f"100-file folder: {cmd} rebuild no change {t:.2f}s (< 0.3s)"))
    sizes = res["sizes"]
    big = sizes.get("10000")
    if big:
        ratio = _ratio(_m(big["parse"]), _m(big["bare_md_parse"]))
        out.append((ratio <= 1.3, f"10k parse + AST {ratio:.2f}× markdown-it-py's parse (≤ 1.3×)"))
        a = _m(big["anki"])
        out.append((a < 2.0, f"10k `build.py anki` {a:.2f}s (< 2s)"))
        ratio = _ratio(a, _m(big["bare_genanki"]))
        out.append((ratio <= 1.5, f"10k anki {ratio:.2f}× markdown-it-py + genanki (≤ 1.5×)"))
        if big.get("pandoc"):
            ratio = _ratio(_m(big["html"]), _m(big["pandoc"]))
            out.append((ratio <= 1.0, f"10k html {ratio:.2f}× pandoc --standalone (≤ 1×)"))
        peak = max(big["anki"]["peak_mb"], big["html"]["peak_mb"])
        out.append((peak < 500, f"10k peak memory {peak:.0f} MB (< 500 MB; PDF excepted)"))
    r = sizes.get("2000")
    if r and r.get("floor_pyrs_genanki"):
        ratio = _ratio(_m(r["anki"]), _m(r["floor_pyrs_genanki"]))
        out.append(
            (ratio <= 1.3, f"2000 cards: cold anki {ratio:.2f}× the pyrs+genanki floor (≤ 1.3×)")
        )
    if r and r.get("ankdown"):
        ratio = _ratio(_m(r["anki"]), _m(r["ankdown"]))
        out.append((ratio <= 1.0, f"2000 cards: cold anki {ratio:.2f}× ankdown (≤ 1×)"))
    for key in ("anki_rebuild_one_edit", "html_rebuild_one_edit"):
        if r and r.get(key):
            edit = _m(r[key])
            peer = f", ankdown cold {_m(r['ankdown']):.2f}s" if r.get("ankdown") else ""
            ok = edit < 0.3 and (not r.get("ankdown") or edit < _m(r["ankdown"]))
            out.append((ok, f"2000 cards: {key.replace('_', ' ')} {edit:.2f}s (< 0.3s{peer})"))
    for n, r in sizes.items():  # issue 18: rebuilds that find nothing changed, and watch
        for key in ("anki_rebuild_no_change", "html_rebuild_no_change", "all_rebuild_no_change"):
            if r.get(key) and n in ("2000", "10000"):
                t = _m(r[key])
                out.append((t < 0.3, f"{n} cards: {key.replace('_', ' ')} {t:.2f}s (< 0.3s)"))
        if r.get("watch_latency_anki_html"):
            t = _m(r["watch_latency_anki_html"]) * 1000
            out.append(
                (t < 150, f"{n} cards: watch, write → renamed anki+html {t:.0f} ms (< 150 ms)")
            )
        if r.get("pdf") and n in ("2000", "10000"):
            peak = max(r["pdf"]["peak_mb"], (r.get("all") or r["pdf"])["peak_mb"])
            out.append((peak < 600, f"{n} cards: PDF / all peak {peak:.0f} MB (< 600 MB)"))
        if r.get("pdf_rebuild_one_edit") and r.get("pdf"):
            edit, full = _m(r["pdf_rebuild_one_edit"]), _m(r["pdf"])
            out.append(
                (
                    edit < full / 4,
                    f"{n} cards: PDF after one edit {edit:.1f}s, {edit / full:.0%} of the full build {full:.1f}s (< 25%)",
                )
            )
        if r.get("pdf_overhead") and r.get("bare_weasyprint"):
            over = _m(r["pdf_overhead"]) / _m(r["bare_weasyprint"])
            out.append(
                (
                    over < 0.15,
                    f"{n} cards: PDF overhead (parse+markup+templating) {over:.0%} of the bare WeasyPrint render (< 15%)",
                )
            )
    return out
