"""`qadeck translate`: export, import, and both around a command of the user's (`--with`)."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import click

from .cli import BuildError, _load_all, _run, _with_config


class _TranslateGroup(click.Group):
    """`translate export …`, `translate import …`, and `translate --with CMD SOURCES`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_TranslateGroup)
def translate() -> None:
    """Translate notes: export what is missing or stale, import it back, or run both around
    a command of yours (`translate --with CMD SOURCES`)."""


_lang = click.option("--lang", default="en", show_default=True, help="The target language.")
_sources = click.argument("sources", nargs=-1, type=click.Path())


@translate.command("export")
@_sources
@_lang
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write here (default: stdout)."
)
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "po"]), default="jsonl", show_default=True
)
def export_cmd(sources, lang: str, output: str | None, fmt: str) -> None:
    """Write a record for every card and title of SOURCES whose translation is missing or
    stale (JSON Lines, or gettext PO for Poedit and Weblate)."""
    from .translate import INSTRUCTIONS, to_jsonl, to_po

    base = Path(output).resolve().parent if output else Path.cwd()
    recs = _export(sources, lang, base)
    data = to_po(recs, lang) if fmt == "po" else to_jsonl(recs)
    if output:
        from .atomic import write_atomic

        write_atomic(Path(output), data.encode("utf-8"))
        if fmt == "jsonl":
            write_atomic(Path(output + ".instructions.txt"), INSTRUCTIONS.encode("utf-8"))
        click.echo(f"{len(recs)} records to translate into {lang} written to {output}", err=True)
    else:
        click.echo(data, nl=False)


def _export(sources, lang: str, base: Path):
    from .translate import records, relative

    config, chosen = _with_config(sources)
    units = _run(lambda: _load_all(chosen, False, config))
    out = []
    for unit in units:
        for part in unit.files or [unit]:
            lines = part.source.read_text("utf-8").replace("\r\n", "\n").split("\n")
            out += records(part.doc, lines, lang, relative(part.source, base))
    return out


@translate.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_cmd(file: str) -> None:
    """Write the filled translations of FILE back into the notes as `::: lang` blocks."""
    path = Path(file)
    text = path.read_bytes().decode("utf-8", "replace")
    _import(path, text, path.resolve().parent)


def _import(where: Path, text: str, base: Path) -> None:
    from .atomic import Staging
    from .identity import exclusive
    from .pipeline import load
    from .translate import import_records, read_filled

    items, problems = read_filled(where, text)
    if problems:
        raise BuildError([str(d) for d in problems])
    config, _ = _with_config((str(base),))
    root = config.root if config else base

    def loader(path: Path):
        inside = path.is_relative_to(root.resolve())
        return _run(lambda: load(path, root=root if inside else None, config=config))

    staging = Staging()
    try:
        from .translate import locate

        paths = sorted({locate(base, str(i.get("file", ""))) for _, i in items}, key=str)
        import contextlib

        with contextlib.ExitStack() as held:
            for p in paths:
                if p.is_file():
                    held.enter_context(exclusive(p))
            outcome, problems = import_records(items, where, base, loader, staging)
            if problems:
                raise BuildError([str(d) for d in problems] + ["nothing was written"])
            staging.commit()
    finally:
        staging.discard()
    click.echo(
        f"{outcome.written} translations written in {len(outcome.files)} files, "
        f"{outcome.unchanged} already there, {outcome.empty} left untranslated",
        err=True,
    )


@translate.command("run", hidden=True)
@_sources
@_lang
@click.option("--with", "command", required=True, help="A command: JSON Lines in, filled out.")
def run_cmd(sources, lang: str, command: str) -> None:
    """Export, run COMMAND on the records (stdin → stdout), import what it filled."""
    from .translate import INSTRUCTIONS, to_jsonl

    base = Path.cwd()
    recs = _export(sources, lang, base)
    if not recs:
        click.echo(f"nothing to translate into {lang}", err=True)
        return
    import os
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as note:
        note.write(INSTRUCTIONS)
    env = {**os.environ, "QADECK_LANG": lang, "QADECK_INSTRUCTIONS": note.name}
    try:
        proc = subprocess.Popen(
            command, shell=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
        )
    except OSError as e:
        raise BuildError([f"error: cannot run {command!r}: {e.strerror}"]) from None
    feed = threading.Thread(target=_feed, args=(proc, to_jsonl(recs)), daemon=True)
    feed.start()
    lines: list[str] = []
    assert proc.stdout is not None
    with click.progressbar(
        length=len(recs), label=f"translating into {lang}", file=sys.stderr
    ) as bar:
        for raw in proc.stdout:
            lines.append(raw.decode("utf-8", "replace"))
            bar.update(1)
    code = proc.wait()
    feed.join()
    os.unlink(note.name)
    if code != 0:
        raise BuildError([f"error: {command!r} exited with status {code}; nothing was written"])
    _import(Path("<" + command + ">"), "".join(lines), base)


def _feed(proc: subprocess.Popen, data: str) -> None:
    assert proc.stdin is not None
    try:
        proc.stdin.write(data.encode("utf-8"))
        proc.stdin.close()
    except BrokenPipeError:
        pass
