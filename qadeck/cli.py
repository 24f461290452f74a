"""The command line: the only place that prints or exits. Heavy work is imported lazily."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from pathlib import Path

import click

from . import __version__


class Terminated(KeyboardInterrupt):
    """SIGTERM (sent by `timeout`, `kill`, `docker stop`), handled like Ctrl-C."""


def _on_sigterm(signum, frame) -> None:
    raise Terminated()


class BuildError(click.ClickException):
    """Source problems, printed as `path:line:col: error: message`, exit status 1."""

    exit_code = 1

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines

    def show(self, file=None) -> None:
        for line in self.lines:
            click.echo(line, err=True)


def _templates_dir(chosen: str | None) -> Path:
    """Ours, unless the user names a folder: a `templates/` folder that happens to be in the
    working directory (Obsidian vaults have one) is never picked up, since templates are code."""
    from .assets import default_templates

    return Path(chosen) if chosen else default_templates()


def _warn(lines) -> None:
    for line in lines:
        click.echo(str(line), err=True)


def _common(f):
    f = click.argument("sources", nargs=-1, type=click.Path())(f)
    f = click.option("--strict", is_flag=True, help="Treat warnings as errors.")(f)
    return f


def _build_options(f):
    """What every output command takes; each renderer adds its own options (`Option`)."""
    f = click.option(
        "--out",
        "out_dir",
        default="dist",
        show_default=True,
        type=click.Path(file_okay=False),
        help="Folder for the outputs.",
    )(f)
    f = click.option(
        "--templates",
        "templates",
        type=click.Path(file_okay=False, exists=True),
        help="Your own template folder (anki/, pdf/, html/), rendered in Jinja2's sandbox.",
    )(f)
    f = click.option(
        "--dry-run",
        is_flag=True,
        help="Show added, changed, renamed and removed cards; write nothing.",
    )(f)
    return f


class Outputs(click.Group):
    """A command for every registered renderer (built-ins and the `qadeck.renderers` entry
    points), made when asked for, and `all` for every one of them."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from .renderers import registry

        return sorted({*super().list_commands(ctx), *registry(), "all"})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is not None:
            return command
        from .renderers import registry

        names = list(registry())
        if name == "all":
            return _output_command("all", names, f"Build every output: {', '.join(names)}.")
        return _output_command(name, [name], None) if name in names else None


def _output_command(command: str, names: list[str], help_text: str | None) -> click.Command:
    from .renderers import RendererMissing, options_of, renderer_class

    try:
        classes = [renderer_class(n) for n in names]
    except RendererMissing as e:
        problem = str(e)

        def broken(**_) -> None:
            raise BuildError([f"error: {problem}"])

        return click.Command(command, callback=broken, help=f"(unavailable: {problem})")
    options: dict[str, click.Option] = {}
    for cls in classes:
        for o in options_of(cls):
            options.setdefault(
                o.name,
                click.Option(
                    [f"--{o.name}"],
                    type=o.click_type(),
                    is_flag=o.flag,
                    default=o.default,
                    show_default=o.default is not None and not o.flag,
                    help=o.help,
                ),  # fmt: skip
            )

    def run(sources, strict, out_dir, templates, dry_run, **chosen) -> None:
        from click.core import ParameterSource

        here = click.get_current_context()

        def given(param: str) -> bool:
            return here.get_parameter_source(param) is not ParameterSource.DEFAULT

        config, sources = _with_config(sources)
        run_names = names
        if config is not None:
            if not given("out_dir"):
                out_dir = str(config.root / config.out)
            if not templates and config.templates:
                templates = str(config.root / config.templates)
                if not Path(templates).is_dir():
                    raise BuildError([f"{config.path}: error: no templates folder {templates}"])
            for key, value in config.pdf.items():
                if key in chosen and not given(key):
                    chosen[key] = value
            if command == "all" and config.outputs:
                run_names = [n for n in config.outputs if n in names]
        _build(sources, run_names, Path(out_dir), strict, dry_run, chosen, templates, config)

    run.__doc__ = help_text or _first_line(classes[0].__doc__) or f"Build the {command} output."
    made = click.command(command)(_common(_build_options(run)))
    made.params.extend(options.values())
    return made


def _first_line(doc: str | None) -> str:
    return (doc or "").strip().split("\n", 1)[0]


@click.group(cls=Outputs, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qadeck")
def cli() -> None:
    """Compile Markdown interview notes into an Anki deck, a PDF cheat-sheet and an HTML page."""


@cli.command()
@_common
@click.option("--json", "as_json", is_flag=True, help="Print the whole AST as JSON.")
@click.option("--decisions", is_flag=True, help="Show why each heading became what it is.")
@click.option(
    "--collection",
    type=click.Path(dir_okay=False),
    help="Also report notes edited in this Anki collection (changes nothing).",
)
def check(
    sources: tuple[str, ...], strict: bool, as_json: bool, decisions: bool, collection
) -> None:
    """Parse SOURCES, cross-check them and print a summary."""
    from .report import check_report

    if collection:
        config, chosen = _with_config(sources)
        _sync(chosen, Path(collection), strict, False, True, _templates_dir(None), config, True)
        return

    config, sources = _with_config(sources)
    units = _run(lambda: _load_all(sources, strict, config))
    docs = [f for u in units for f in (u.files or [u])]
    if as_json:
        import json

        from .jsonout import document_to_dict

        payload = [document_to_dict(loaded.doc) for loaded in units]
        click.echo(
            json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=2)
        )
        return
    langs = tuple(config.languages) if config else ("en",)
    for loaded in docs:
        _warn(loaded.doc.warnings)
        click.echo(check_report(loaded.doc, decisions=decisions, langs=langs))
    for unit in units:
        if unit.files:
            n = len(unit.doc.cards)
            click.echo(f"{unit.source}: {len(unit.files)} files, {n} cards in one deck")
    if len(docs) > 1:
        from .report import cross_file_duplicates

        for line in cross_file_duplicates([d.doc for d in docs]):
            click.echo(line, err=True)
    if strict:
        from .report import missing_translations

        missing = [m for d in docs for lang in langs for m in missing_translations(d.doc, lang)]
        if missing:
            raise BuildError(missing)


@cli.command()
@_common
def plan(sources: tuple[str, ...], strict: bool) -> None:
    """Show which cards were added, changed, renamed or removed since the last build."""
    from .report import plan_report

    config, sources = _with_config(sources)
    for unit in _run(lambda: _load_all(sources, strict, config)):
        for loaded in unit.files or [unit]:
            click.echo(plan_report(loaded.doc, loaded.plan))


@cli.command("merge-lock")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--driver",
    is_flag=True,
    help="Run as git's merge driver: FILES are %O %A %B, the merged lock replaces %A.",
)
def merge_lock(files: tuple[str, ...], driver: bool) -> None:
    """Merge lock files left with git conflict markers: every card of both branches is kept,
    with the newer note time where both changed one."""
    import json

    from .errors import SourceError
    from .lockfile import from_data, has_conflict, merge, merge_text

    def read(path: Path):
        try:
            return from_data(path, json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError, RecursionError, OverflowError) as e:
            raise BuildError([f"{path}: error: not a lock file qadeck can merge ({e})"]) from None

    if driver:
        if len(files) != 3:
            raise click.UsageError("--driver takes three files: %O %A %B")
        _, ours, theirs = (Path(f) for f in files)
        _run(lambda: merge(read(ours), read(theirs)).save())
        return
    for name in files:
        path = Path(name)
        text = _run(lambda p=path: p.read_text(encoding="utf-8"))
        if not has_conflict(text):
            click.echo(f"{path}: no conflict markers; left as it is")
            continue
        try:
            merged = merge_text(path, text)
        except SourceError as e:
            raise BuildError([str(d) for d in e.diagnostics]) from None
        _run(merged.save)
        click.echo(f"{path}: merged both sides ({len(merged.entries)} cards); `git add` it")


@cli.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False))
@click.option("--title", default="", help="The notes' title (default: the folder's name).")
def init(folder: str, title: str) -> None:
    """Make FOLDER a notes repository: qadeck.toml, a sample note, .gitignore and a README."""
    from .starter import create

    made = _run(lambda: create(Path(folder), title))
    for path in made:
        click.echo(f"created {path}")
    where = "" if Path(folder).resolve() == Path.cwd().resolve() else f"cd {folder} && "
    click.echo(f"next: {where}qadeck all   (then import dist/*.apkg into Anki)")


@cli.command()
@_common
@click.option("--collection", type=click.Path(dir_okay=False), help="A collection.anki2 file.")
@click.option("--profile", help="An Anki profile name: its collection in Anki's usual place.")
@click.option(
    "--prefer",
    type=click.Choice(["anki", "notes"]),
    default="anki",
    show_default=True,
    help="Which side wins where a note was edited in Anki.",
)
@click.option("--dry-run", is_flag=True, help="Print what would change; change nothing.")
@click.option("--templates", type=click.Path(file_okay=False, exists=True), help="Your templates.")
def sync(sources, strict, collection, profile, prefer, dry_run, templates) -> None:
    """Apply SOURCES to an Anki collection (close Anki first): add, update, move, and delete
    the notes of removed cards; an edit made in Anki is kept and reported."""
    from .sync import profile_collection

    if bool(collection) == bool(profile):
        raise click.UsageError("name the collection: --collection PATH or --profile NAME")
    path = Path(collection) if collection else profile_collection(profile)
    config, sources = _with_config(sources)
    if config and not templates and config.templates:
        templates = str(config.root / config.templates)
    _sync(sources, path, strict, prefer == "notes", dry_run, _templates_dir(templates), config)


def _sync(sources, path: Path, strict, prefer_notes, dry_run, templates, config, report_only=False):
    import tempfile

    from .pipeline import save_locks
    from .renderers import RenderContext
    from .renderers.anki import AnkiRenderer
    from .sync import apply_sync, backup, open_collection, plan_sync

    root = config.root.resolve() if config else None
    with _locked_units(sources, strict, config) as units, tempfile.TemporaryDirectory() as tmp:
        col = _run(lambda: open_collection(path))
        try:
            for loaded in units:
                ctx = RenderContext(Path(tmp), templates, loaded.lock, loaded.source, root=root)
                plan = plan_sync(col, loaded, ctx, prefer_notes)
                lines = plan.lines(loaded.doc.name)
                if report_only:
                    lines = [x for x in lines if ": warning:" in x or x.startswith("    ")]
                for line in lines:
                    click.echo(line, err=": warning:" in line or line.startswith("    "))
                if dry_run or report_only:
                    continue
                click.echo(f"backup: {_run(lambda: backup(col, path))}")

                def build_apkg(lo=loaded, c=ctx) -> Path:
                    made = AnkiRenderer().render(lo.doc, c)
                    c.staging.commit()
                    return made[0]

                apply_sync(col, plan, loaded, ctx, build_apkg)
                _run(lambda lo=loaded: save_locks(lo))
        finally:
            col.close()


@cli.command()
@click.argument("source", type=click.Path(exists=True))
@click.argument("keys", nargs=-1, required=True)
def forget(source: str, keys: tuple[str, ...]) -> None:
    """Drop cards that left SOURCE from its lock file (the keys the removal notice lists),
    once you have deleted their notes in Anki yourself."""
    from .forgetting import forget_keys
    from .identity import exclusive

    with exclusive(Path(source)):
        for line in _run(lambda: forget_keys(Path(source), list(keys))):
            click.echo(line)


def _with_config(sources: tuple[str, ...]):
    """The notes repository's config (qadeck.toml, found from the first source or from here)
    and the sources to build: those given, with the notes root standing for the sources its
    config names; none given, the config's."""
    from .config import find, load

    if sources and not Path(sources[0]).exists():
        return None, list(sources)  # reported as missing
    found = find(Path(sources[0]) if sources else Path.cwd())
    if found is None:
        if not sources:
            raise click.UsageError(
                "no SOURCES, and no qadeck.toml here or above: name the notes to build, "
                "or make a notes repository with `qadeck init`"
            )
        return None, list(sources)
    config = _run(lambda: load(found))
    chosen: list[str] = []
    for s in sources or (str(config.root),):
        if Path(s).resolve() == config.root.resolve():
            chosen += [str(p) for p in config.source_paths()]
        else:
            chosen.append(s)
    return config, chosen


def _listed(config) -> tuple[Path, ...]:
    return tuple(p.resolve() for p in config.source_paths()) if config else ()


@contextlib.contextmanager
def _locked_units(sources, strict: bool, config):
    """Every source locked (in one order: no deadlock), then loaded and cross-checked, before
    anything is written."""
    from .identity import exclusive
    from .pipeline import expand_sources

    paths = _run(lambda: expand_sources(list(sources), _listed(config)))
    with contextlib.ExitStack() as held:
        for path in sorted({p.resolve() for p in paths}, key=str):
            held.enter_context(exclusive(path))
        yield _run(lambda: _load_all(sources, strict, config))


def _load_all(sources, strict: bool, config=None):
    from .errors import SourceError
    from .pipeline import check_identities, expand_sources, load

    loaded, problems = [], []
    for path in expand_sources(list(sources), _listed(config)):
        try:
            loaded.append(load(path, strict, config=config))
        except SourceError as e:
            problems.extend(e.diagnostics)
    if problems:
        raise SourceError(problems)
    check_identities(loaded)
    return loaded


def _build(
    sources,
    names,
    out_dir: Path,
    strict: bool,
    dry_run: bool,
    options: dict,
    chosen=None,
    config=None,
    quiet: bool = False,
) -> list[str]:
    """Build; print what was written (unless `quiet`) and return it."""
    from .pipeline import build
    from .report import plan_report, removed_report

    # A build makes millions of short-lived objects and few cycles: the cyclic collector
    # would cost a third of the run. The process is about to end anyway.
    gc.disable()
    templates = _templates_dir(chosen)
    root = config.root.resolve() if config else None
    command = None
    if not dry_run and not quiet:
        from .quick import Command, up_to_date

        command = Command(
            tuple(names), tuple(sources), out_dir, templates, options, strict,
            config.path if config else None, root,
        )  # fmt: skip
        notes, record = up_to_date(command)
        if record is not None:
            _warn(record["messages"])
            for path, _, _ in record["outputs"]:
                click.echo(f"up to date {path}")
            return []
    done: list[str] = []
    messages: list[str] = []
    outputs: list[Path] = []
    with _locked_units(sources, strict, config) as units:
        for loaded in units:
            _warn(loaded.doc.warnings)
            messages += map(str, loaded.doc.warnings)
            if dry_run:
                for part in loaded.files or [loaded]:
                    click.echo(plan_report(part.doc, part.plan))
                continue
            with _progress(loaded, names) as step:
                written, ctx = _run(
                    lambda lo=loaded: build(
                        lo, names, out_dir, templates, options, strict, step, root
                    )
                )
            _warn(ctx.warnings)
            removed = removed_report(loaded.plan, loaded.doc)
            _warn(removed)
            messages += [*map(str, ctx.warnings), *removed]
            outputs += [*written, *ctx.unchanged]
            done += [str(p) for p in written]
            if quiet:
                continue
            for p in written:
                click.echo(f"wrote {p}")
            for p in ctx.unchanged:
                click.echo(f"up to date {p}")
        if command is not None:
            from .quick import remember

            remember(command, notes, units, outputs, messages)
    return done


@contextlib.contextmanager
def _progress(loaded, names: list[str]):
    """A progress bar for builds likely to take over a second, on a terminal only."""
    from .renderers import renderer_class

    apart = any(getattr(renderer_class(n), "runs_apart", False) for n in names)
    slow = apart or len(loaded.doc.cards) > 500
    if not (slow and sys.stderr.isatty()):
        yield None
        return
    with click.progressbar(
        length=len(names), label=f"building {loaded.doc.name}", file=sys.stderr,
        item_show_func=lambda n: n or "",
    ) as bar:  # fmt: skip
        yield lambda name: bar.update(1, name)


def _run(thunk):
    """Run a step; turn our errors into clean messages and exit codes."""
    from jinja2 import TemplateError, TemplateNotFound

    from .concurrent import RendererStopped
    from .errors import SourceError
    from .renderers import RendererMissing

    try:
        return thunk()
    except SourceError as e:
        raise BuildError([str(d) for d in e.diagnostics]) from None
    except (RendererMissing, RendererStopped) as e:
        raise BuildError([f"error: {e}"]) from None
    except TemplateNotFound as e:
        raise BuildError(
            [f"error: template {e.name} not found in the templates folder in use "
             "(--templates or qadeck.toml `templates`)"]
        ) from None  # fmt: skip
    except TemplateError as e:
        where = f"{e.filename}:{e.lineno}: " if getattr(e, "filename", None) else ""
        raise BuildError([f"{where}error: template: {e.message or type(e).__name__}"]) from None
    except Terminated:
        click.echo("terminated: outputs left as they were", err=True)
        sys.exit(143)
    except KeyboardInterrupt:
        click.echo("interrupted: outputs left as they were", err=True)
        sys.exit(130)
    except OSError as e:
        where = f"{e.filename}: " if e.filename else ""
        raise BuildError([f"{where}error: {e.strerror or e}"]) from None


def main() -> None:
    import signal

    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        cli(prog_name="qadeck")
    except Exception as e:  # noqa: BLE001 - a bug of ours: one clear line, not a traceback
        if os.environ.get("QADECK_DEBUG"):
            raise
        click.echo(
            f"error: qadeck failed unexpectedly ({type(e).__name__}: {e}); nothing was "
            "written. Run again with QADECK_DEBUG=1 to see where, and please report it",
            err=True,
        )
        sys.exit(1)


def _register_more() -> None:
    from .cli_translate import translate

    cli.add_command(translate)
    cli.add_command(watch)


@click.command()
@click.argument("sources", nargs=-1, type=click.Path())
@click.option("--outputs", help="Which outputs, comma-separated (default: all, or qadeck.toml's).")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), help="Output folder.")
@click.option("--templates", type=click.Path(file_okay=False, exists=True), help="Your templates.")
def watch(sources, outputs, out_dir, templates) -> None:
    """Build SOURCES, then rebuild on every save until Ctrl-C (one line per rebuild)."""
    from .renderers import options_of, registry, renderer_class
    from .watch import watch as run_watch

    config, chosen = _with_config(sources)
    names = list(registry())
    if outputs:
        names = [n.strip() for n in outputs.split(",") if n.strip()]
        unknown = [n for n in names if n not in registry()]
        if unknown:
            raise click.UsageError(f"unknown output {unknown[0]!r}: use {', '.join(registry())}")
    elif config is not None and config.outputs:
        names = [n for n in config.outputs if n in names]
    out = Path(out_dir or (config.root / config.out if config else "dist"))
    if not templates and config is not None and config.templates:
        templates = str(config.root / config.templates)
    options = {
        o.name.replace("-", "_"): o.default for n in names for o in options_of(renderer_class(n))
    }
    if config is not None:
        options.update({k: v for k, v in config.pdf.items() if k in options})
    paths = [Path(s) for s in chosen]
    if config is not None:
        paths.append(config.path)
    if templates:
        paths.append(Path(templates))
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise BuildError([f"{missing[0]}: error: no such file or folder"])

    def rebuild() -> list[str]:
        return _build(chosen, names, out, False, False, options, templates, config, quiet=True)

    run_watch(paths, out, rebuild)


_register_more()
