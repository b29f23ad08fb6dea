"""The ``policykg`` command line: a thin layer over the library API.

Exit codes (also in ``--help``): 0 done / conforms; 1 ``validate`` found results
at or above ``--fail-on`` (report still written); 2 trouble — bad usage, an
unreadable, empty, binary or oversized input, an undeterminable language, an
RDF or SPARQL parse error, an unknown query or parameter; 130 interrupted.
"""

from __future__ import annotations

import io
import logging
import re
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import click
from rdflib import Dataset, Graph

from policykg import __version__, export, languages, pipeline, results
from policykg.errors import BatchError, InputError, PolicyKGError, QueryError
from policykg.reading import MAX_BYTES, format_of, read_bytes_source, read_source

EXIT_CODES = """\b
Exit codes:
  0    done; the graph conforms below --fail-on
  1    validate: results at or above --fail-on (the report is still written)
  2    trouble: bad usage or input, parse error, unknown query or parameter
  130  interrupted"""

log = logging.getLogger("policykg")


class State:
    verbose = 0
    quiet = False


STATE = State()


def output_options(formats: list[str], default: str | None) -> Callable[[Any], Any]:
    """``-o/--output`` and ``-f/--format``, spelled the same on every command.

    Without a ``default`` the format comes from -o's extension, else it is the first
    of ``formats`` (the command's own fallback: table, dot, turtle)."""

    def deco(fn: Any) -> Any:
        fn = click.option("-o", "--output", metavar="FILE",
                          help="Write here instead of standard output (written atomically).")(fn)
        fallback = "" if default else f" (default: from -o's extension, else {formats[0]})"
        fn = click.option("-f", "--format", "fmt", type=click.Choice(formats, case_sensitive=False),
                          default=default, show_default=default is not None,
                          help=f"Output format{fallback}.")(fn)
        return fn

    return deco


RDF_OUT = ["turtle", "ttl", "nt", "ntriples", "nquads", "nq", "trig", "json-ld", "jsonld", "xml"]


VERBOSE_HELP = "More detail on stderr; -vv shows tracebacks."
QUIET_HELP = "No progress and no summaries on stderr."


def _more_global(ctx: click.Context, param: click.Parameter, value: int | bool) -> None:
    """-v/-vv/-q given after the subcommand: added to those given before it."""
    if not value:
        return
    if param.name == "verbose":
        STATE.verbose += int(value)
    else:
        STATE.quiet = True
    _configure_logging()


def global_options() -> list[click.Option]:
    """The group's -v/-q as options of a subcommand too (``policykg query NAME FILE -q``),
    as git, pip and ROBOT accept them on either side of the subcommand."""
    return [click.Option(["-v", "--verbose"], count=True, expose_value=False, callback=_more_global,
                         help=VERBOSE_HELP),
            click.Option(["-q", "--quiet"], is_flag=True, expose_value=False, callback=_more_global,
                         help=QUIET_HELP)]


class PolicykgGroup(click.Group):
    """The main group: every subcommand also takes the global options."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        cmd.params.extend(global_options())
        if cmd.short_help is None and cmd.help:
            cmd.short_help = first_sentence(cmd.help)
        super().add_command(cmd, name)


SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'`(])")
"""Where a sentence ends: not after "Art." before "13", nor "e.g." before a word."""


def first_sentence(help_text: str) -> str:
    """A command's summary in the command list: the whole first sentence of its help,
    wrapped there rather than cut. click's own cut stops at the first word ending in a
    full stop ("GDPR Art.") or at 45 characters."""
    paragraph = " ".join(help_text.split("\n\n", 1)[0].split())
    return SENTENCE_END.split(paragraph, 1)[0]


@click.group(cls=PolicykgGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="policykg")
@click.option("-v", "--verbose", count=True, help=VERBOSE_HELP)
@click.option("-q", "--quiet", is_flag=True, help=QUIET_HELP)
def cli(verbose: int, quiet: bool) -> None:
    """Turn privacy policies into a DPV knowledge graph of their data practices.

    Every fact keeps its evidence: the exact span of policy text it came from.
    """
    STATE.verbose, STATE.quiet = verbose, quiet
    _configure_logging()


def _configure_logging() -> None:
    """stderr logging at the level -v/-vv ask for (set again when they come after the subcommand)."""
    level = logging.DEBUG if STATE.verbose > 1 else logging.INFO if STATE.verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s: %(message)s", stream=sys.stderr)
    logging.getLogger().setLevel(level)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, _OneLine) for f in handler.filters):
            handler.addFilter(_OneLine())


class _OneLine(logging.Filter):
    """Library warnings as one line each, each said once: rdflib logs a full traceback
    for every ill-typed literal ("abc"^^xsd:integer) it reads. -vv keeps tracebacks."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if STATE.verbose > 1:
            return True
        record.exc_info = record.exc_text = None
        record.stack_info = None
        record.msg, record.args = " ".join(record.getMessage().split()), None
        if record.msg in self.seen or len(self.seen) > 10_000:
            return False
        self.seen.add(record.msg)
        return True


def info(message: str) -> None:
    if not STATE.quiet:
        click.echo(message, err=True)


def warn(message: str) -> None:
    click.echo(f"Warning: {message}", err=True)


@cli.command()
@click.argument("policy", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--max-bytes", type=int, default=MAX_BYTES, show_default=True, help="Largest policy accepted.")
@click.option("--input-format", type=click.Choice(["text", "markdown", "html"]),
              help="Format of standard input (files: from the extension).")
def text(policy: str, max_bytes: int, input_format: str | None) -> None:
    """Print the plain text that evidence offsets index (CONTRACT §4).

    For .txt files this is the file itself; for .md and .html it is the text
    policykg derives from the markup.
    """
    if policy == "-":
        src = read_bytes_source(sys.stdin.buffer.read(), "stdin", input_format or "text", max_bytes=max_bytes)
    else:
        src = read_source(policy, max_bytes=max_bytes)
    sys.stdout.write(src.text)


FAIL_FAST_OPTION = click.option(
    "--fail-fast", is_flag=True,
    help="Stop at the first policy that cannot be read or extracted (default: name it and go on; exit 2 at the end).")
TIME_LIMIT_OPTION = click.option(
    "--time-limit", "seconds", type=click.FloatRange(0), default=pipeline.DEFAULT_TIME_LIMIT, show_default=True,
    metavar="SECONDS", help="Most time one policy may take before it is stopped and named as failed (0: no limit).")

@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@output_options(RDF_OUT, None)
@click.option("--lang", type=click.Choice(["auto", *languages.codes()]), default="auto", show_default=True,
              help="Language of the policies; auto detects it per policy.")
@click.option("--id", "identifier", help="Policy identifier when reading standard input ('-').")
@click.option("--input-format", type=click.Choice(["text", "markdown", "html"]), default="text",
              help="Format of standard input.")
@click.option("--limit", type=int, help="Extract only the first N policies.")
@click.option("--max-bytes", type=int, default=MAX_BYTES, show_default=True, help="Largest policy accepted.")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: on a TTY).")
@click.option("--derived/--no-derived", default=True, show_default=True,
              help="Add possible transfers derived from the processors' headquarters (own named graph).")
@FAIL_FAST_OPTION
@TIME_LIMIT_OPTION
def extract(paths: tuple[str, ...], output: str | None, fmt: str | None, lang: str, identifier: str | None,
            input_format: str, limit: int | None, max_bytes: int, progress: bool | None, derived: bool,
            fail_fast: bool, seconds: float) -> None:
    """Extract policies (files or folders of .txt, .md, .html) into a graph.

    In N-Quads and TriG each policy is its own named graph, so one policy can
    later be replaced without touching the others.

    \b
    Examples:
      policykg extract data/policies -o graph.ttl
      policykg extract policy.html -f nquads > policy.nq
      cat policy.txt | policykg extract - --id acme -f json-ld

    A policy that cannot be read or extracted is named on stderr and the others
    go on; the output then holds the others and the exit code is 2
    (--fail-fast: stop at the first, write nothing).
    """
    from policykg.iris import check_identifier, derived_graph_iri, graph_iri
    from policykg.limits import TimeLimit, time_limit

    rdf_fmt = export.rdf_format(fmt, output)
    if "-" in paths:
        if not identifier:
            raise click.UsageError("reading a policy from standard input needs --id NAME")
        check_identifier(identifier)
    files = [p for p in paths if p != "-"]
    found = pipeline.policy_files(files, warn) if files else []
    if limit is not None:
        found = found[:limit]
    if "-" in paths:  # the --id must not make the IRIs of one of the files
        pipeline.check_unique([(identifier or "", "<stdin>"), *((f.stem, str(f)) for f in found)])
    failures: list[str] = []
    total = len(found) + ("-" in paths)
    show = progress if progress is not None else (sys.stderr.isatty() and len(found) > 1)
    show = show and not STATE.quiet

    def extractions() -> Iterator[pipeline.Extraction]:
        """Each policy's extraction in turn (the bar advances as each is written)."""
        if "-" in paths:
            try:
                with time_limit(seconds, "<stdin>"):
                    src = read_bytes_source(sys.stdin.buffer.read(), identifier or "", input_format,
                                            max_bytes=max_bytes)
                    result = pipeline.extract_source(src, lang)
            except TimeLimit as exc:
                raise PolicyKGError(exc.message, "<stdin>") from None
            except PolicyKGError as exc:
                if fail_fast or not found:
                    raise
                failures.append(exc.format_message())
            else:
                yield result
        if found:
            with click.progressbar(found, label="Extracting", file=sys.stderr, show_pos=True) if show \
                    else _null(found) as bar:
                for _, result, error in pipeline.extract_each(bar, lang, max_bytes, seconds, fail_fast):
                    if result is None:
                        failures.append(error or "")
                    else:
                        yield result

    def all_failed() -> None:
        if failures and len(failures) == total:
            raise BatchError([("", m) for m in failures])

    n = 0

    def write(fh: IO[bytes]) -> None:
        """Policy by policy in Turtle, N-Triples, N-Quads and TriG (memory stays that of
        one policy); JSON-LD and RDF/XML are one document, serialised at the end."""
        nonlocal n
        ds = None if rdf_fmt in export.STREAMED else Dataset()
        writer = export.PolicyWriter(fh, rdf_fmt)
        for result in extractions():
            for w in result.warnings:
                warn(w)
            n += bool(len(result.triples))
            if ds is not None:
                pipeline.add_extraction(ds, result, derived)
                continue
            writer.add(result.triples.to_ntriples(), str(graph_iri(result.identifier)))
            if derived and len(result.derived_triples):
                writer.add(result.derived_triples.to_ntriples(), str(derived_graph_iri(result.identifier)))
        all_failed()
        if ds is not None:
            if show:
                info(f"Writing {rdf_fmt}")
            fh.write(export.serialize(ds, rdf_fmt))

    if output and output != "-":
        with export.atomic_open(output) as fh:
            write(fh)
    else:
        out = io.BytesIO() if rdf_fmt not in export.STREAMED else sys.stdout.buffer
        write(out)
        if isinstance(out, io.BytesIO):
            sys.stdout.buffer.write(out.getvalue())
        sys.stdout.buffer.flush()
    info(f"Extracted {n} polic{'y' if n == 1 else 'ies'}" + (f" to {output}" if output and output != "-" else ""))
    _fail_batch(failures, total)


def _fail_batch(failures: list[str], total: int) -> None:
    """Name every input a batch could not read, then exit 2."""
    if not failures:
        return
    for message in failures:
        click.echo(f"Error: {message}", err=True)
    info(f"{len(failures)} of {total} policies failed")
    sys.exit(2)


STORE_OPTION = click.option(
    "--store", "store_path", envvar="POLICYKG_STORE", type=click.Path(file_okay=False), metavar="DIR",
    help="The embedded store (default: $POLICYKG_STORE, else ./policykg-store).")


def _open_store(store_path: str | None, create: bool = False, read_only: bool = True):  # type: ignore[no-untyped-def]
    from policykg.store import Store, default_path

    return Store(store_path or default_path(), create=create, read_only=read_only)


def _default_store() -> str:
    from policykg.store import default_path

    return str(default_path())


def _store_given(store_path: str | None) -> bool:
    from policykg.store import Store, default_path

    return store_path is not None or Store.exists(default_path())


def _day_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An ISO date option (YYYY-MM-DD), checked."""
    if value is None:
        return None
    from policykg.versions import parse_day

    try:
        return parse_day(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


@cli.command("build")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@STORE_OPTION
@click.option("-j", "--jobs", type=click.IntRange(1, 256), help="Worker processes (default: all cores).")
@click.option("--prune", is_flag=True, help="Remove policies whose file is gone from PATHS.")
@click.option("--force", is_flag=True, help="Re-extract every policy, changed or not.")
@click.option("--checksum", is_flag=True,
              help="Read and hash every file, and the store's bookkeeping, instead of trusting what the last "
                   "build recorded (a file whose size, times and inode are unchanged is otherwise not read).")
@click.option("--lang", type=click.Choice(["auto", *languages.codes()]), default="auto", show_default=True)
@click.option("--max-bytes", type=int, default=MAX_BYTES, show_default=True, help="Largest policy accepted.")
@click.option("--answers/--no-answers", default=True, show_default=True,
              help="Evaluate the canned queries after a build that changed the store and keep their "
                   "answers, so that `query` reads them instead of evaluating again.")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: on a TTY).")
@click.option("--date", "version_date", metavar="YYYY-MM-DD", callback=_day_option,
              help="Date of the new versions whose text states none (default: the file's modification date).")
@click.option("--keep-versions", type=click.IntRange(1), metavar="N",
              help="Drop the versions of a policy beyond its N most recent (the current one counts).")
@click.option("--keep-since", metavar="YYYY-MM-DD", callback=_day_option,
              help="Drop the versions older than the one in force on this date.")
def build_cmd(paths: tuple[str, ...], store_path: str | None, jobs: int | None, prune: bool, force: bool,
              checksum: bool, lang: str, max_bytes: int, answers: bool, progress: bool | None, version_date: str | None,
              keep_versions: int | None, keep_since: str | None) -> None:
    """Build or update the embedded store from folders of policies.

    Only new or changed policies (by content hash) are extracted, in parallel;
    a file whose size, modification and status-change times and inode are those
    it had when last hashed is not read again (--checksum reads every file);
    each one replaces its named graph in one transaction, so an interrupted
    build leaves every policy either fully old or fully new. Policies whose
    file is gone stay until --prune. Files that cannot be read are listed and
    the build goes on (exit 2 at the end).

    A changed file becomes a new version of its policy: the old version's graph
    and file are kept, and what changed in its practices is recorded (see
    `policykg diff`). Its date is the one the text states, else --date, else the
    file's. --keep-versions and --keep-since drop old versions.

    Then the answers of the canned queries without parameters are brought up to
    date and kept with the store, in proportion to what changed (--no-answers
    skips this, and queries then evaluate live).

    \b
    Examples:
      policykg build data/policies --store ./policykg-store
      policykg query recipients-by-vendor --store ./policykg-store -f table
    """
    from policykg.build import build_store
    from policykg.store import default_path

    target = Path(store_path) if store_path else default_path()
    files = pipeline.policy_files(paths, on_warning=warn)
    show = progress if progress is not None else sys.stderr.isatty()
    show = show and not STATE.quiet
    bar = click.progressbar(length=len(files), label="Building", file=sys.stderr, show_pos=True) if show else None
    last = [0]

    def on_progress(done: int, total: int) -> None:
        if bar is not None:
            if bar.length != total:
                bar.length = total
            bar.update(done - last[0])
            last[0] = done

    bars = [bar]  # the bar on screen: the build's, then the answers'

    def on_answer(done: int, total: int, name: str) -> None:
        if not show or not total:
            return
        if bars[-1] is bar:
            if bar is not None:
                bar.render_finish()
            bars.append(click.progressbar(length=total, label="Answering canned queries", file=sys.stderr,
                                          show_pos=True, item_show_func=lambda item: item))
        b = bars[-1]
        b.update(done - b.pos, current_item=name or None)  # type: ignore[union-attr]

    try:
        summary = build_store(files, target, jobs, lang, prune, force, max_bytes, on_progress,
                              answers=answers, on_answer=on_answer, date=version_date,
                              keep_versions=keep_versions, keep_since=keep_since, checksum=checksum)
    finally:
        if bars[-1] is not None:
            bars[-1].render_finish()
    for w in summary.warnings:
        warn(w)
    for _, message in summary.failed:
        click.echo(f"Error: {message}", err=True)
    info(summary.text() + f" -> {target}")
    if summary.failed:
        sys.exit(2)


@cli.command("diff")
@click.argument("old")
@click.argument("new")
@click.argument("until", required=False, metavar="[DATE]")
@STORE_OPTION
@output_options(["table", "json", "turtle", "nt"], "table")
@click.option("--lang", type=click.Choice(["auto", *languages.codes()]), default="auto", show_default=True,
              help="Language of two policy files.")
def diff_cmd(old: str, new: str, until: str | None, store_path: str | None, output: str | None, fmt: str,
             lang: str) -> None:
    """What changed in a policy's practices between two versions, with evidence from each.

    \b
    policykg diff OLD NEW          two policy files
    policykg diff ID DATE [DATE]   a policy in the store: the version in force on
                                   the first date, against the one in force on the
                                   second (default: the current version)

    Lists the organisations and their roles, purposes, data, legal bases,
    transfers (destination, safeguards), retention periods, rights, measures,
    controller and authority that were added, removed or changed, each with the
    passage that states it in the old and/or new version; the old version's
    evidence is re-anchored in the new text (kept, moved or gone). As a table,
    JSON, or an RDF change set (turtle, nt).

    \b
    Exit codes: 0 no change in practices; 1 changes found; 2 trouble.

    \b
    Examples:
      policykg diff old/acme.md new/acme.md
      policykg diff acme 2025-01-01 --store ./policykg-store -f json
    """
    from policykg import diff
    from policykg.versions import parse_day

    files = Path(old).is_file() and Path(new).is_file() and until is None
    if files:
        d = diff.diff_files(old, new, lang)
    else:
        days = []
        for value in (new, until):
            if value is None:
                continue
            try:
                days.append(parse_day(value))
            except ValueError:
                missing = old if not Path(old).is_file() else new
                raise click.UsageError(f"give two policy files, or a policy identifier and dates (YYYY-MM-DD); "
                                       f"{missing!r} is neither a file nor a date") from None
        if not _store_given(store_path):
            raise click.UsageError(f"{old!r} is not a file: to compare versions in the store, give --store DIR "
                                   "(build one with `policykg build`)")
        store = _open_store(store_path)
        d = diff.diff_store(store, old, days[0], days[1] if len(days) > 1 else None)
    for n in d.notes:
        warn(n)
    if fmt == "json":
        data = diff.to_json(d)
    elif fmt in ("turtle", "nt"):
        data = diff.to_rdf(d, fmt)
    else:
        data = diff.to_table(d)
    export.write_output(data.encode("utf-8"), output)
    sys.exit(1 if d.changed else 0)


class _null:
    def __init__(self, items: list[Path]) -> None:
        self.items = items

    def __enter__(self) -> list[Path]:
        return self.items

    def __exit__(self, *a: object) -> None:
        return None


def _load(graphs: tuple[str, ...], input_format: str | None) -> Graph:
    from policykg.loading import load_graph

    return load_graph(graphs, input_format)


ENGINE_OPTION = click.option(
    "--engine", type=click.Choice(["auto", "pyshacl", "native"]), default="auto", show_default=True,
    help="pyshacl (the reference) or native (compiled SHACL Core and SHACL-SPARQL constraints, same report, "
         "~10x faster; refuses shapes that use a feature it does not implement, exit 2); auto = native when it "
         "implements every feature the shapes use, else pyshacl (said on stderr).")


@cli.command()
@click.argument("graphs", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--shapes", "shapes", multiple=True, type=click.Path(exists=True),
              help="Shape files or folders (default: the bundled shapes/).")
@STORE_OPTION
@ENGINE_OPTION
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None,
              help="Worker processes validating the store, either engine (default: all cores).")
@click.option("--fail-on", type=click.Choice(["violation", "warning", "info", "none"]), default="violation",
              show_default=True,
              help="Lowest severity that makes the exit code 1 (a custom severity counts as a violation). "
                   "violation = pySHACL --allow-warnings, warning = --allow-infos, info = pySHACL's default. "
                   "The report's sh:conforms is the SHACL spec's either way: true only without any result.")
@output_options(["text", "human", "turtle", "json"], "text")
@click.option("--lang", "msg_lang", type=click.Choice(["en", "sv"]), default="en", show_default=True,
              help="Language of the messages in the text report.")
@click.option("--input-format", help="RDF format of the graphs (default: from the extension).")
def validate(graphs: tuple[str, ...], shapes: tuple[str, ...], store_path: str | None, engine: str,
             jobs: int | None, fail_on: str, output: str | None, fmt: str,
             msg_lang: str, input_format: str | None) -> None:
    """Validate graphs, or the embedded store, with SHACL: the graph contract and transparency gaps.

    One report per run, grouped by policy with a count per severity. Without
    GRAPH files the store is validated policy by policy. Exit 0 when nothing
    reaches --fail-on, 1 when something does, 2 when it could not run.
    """
    import os

    from policykg.validation import choose_engine, load_shapes, validate_store
    from policykg.validation import validate as run_validation

    shapes_graph = load_shapes(list(shapes) or None)
    fmt = "text" if fmt == "human" else fmt
    engine, why = choose_engine(shapes_graph, engine)
    if why:
        info(f"Validating with pyshacl: {why}.")
    if graphs:
        data = _load(graphs, input_format)
        report = run_validation(data, shapes_graph, engine)
    else:
        if not _store_given(store_path):
            raise click.UsageError("give GRAPH files to validate, or --store DIR")
        store = _open_store(store_path)
        show = sys.stderr.isatty() and not STATE.quiet
        bar = click.progressbar(length=max(1, len(store.policies())), label="Validating", file=sys.stderr,
                                show_pos=True) if show else None

        def on_progress(done: int, total: int) -> None:
            if bar is not None:
                bar.update(done - bar.pos)

        try:
            report = validate_store(store, shapes_graph, engine, jobs or os.cpu_count() or 1, on_progress,
                                    keep_graph=fmt == "turtle")
        finally:
            if bar is not None:
                bar.render_finish()
    if report.fallback and report.fallback != why:  # a focus node only pyshacl can pre-bind: known at run time
        info(f"Validated with pyshacl: {report.fallback}.")
    if fmt == "turtle":
        export.write_output(export.serialize(report.report_graph, "turtle"), output)
    elif fmt == "json":
        export.write_text_output(lambda fh: (report.write_json(fh), fh.write("\n")), output)
    else:
        export.write_text_output(lambda fh: report.write_text(fh, msg_lang), output)
    if fmt != "text" or output:
        info(report.summary())
    if report.fails(fail_on):
        sys.exit(1)


@cli.command()
@click.argument("query")
@click.argument("graphs", nargs=-1, type=click.Path(allow_dash=True))
@click.option("-p", "--param", "params", nargs=2, multiple=True, metavar="NAME VALUE",
              help="Bind a query parameter, typed as its header declares (an RDF term, never query text).")
@click.option("-o", "--output", metavar="FILE",
              help="Write here instead of standard output (written atomically).")
@click.option("-f", "--format", "fmt", type=click.Choice(list(dict.fromkeys(results.FORMATS + results.RDF_FORMATS)),
                                                         case_sensitive=False),
              help="SELECT/ASK: table, csv (default), tsv, json or xml (W3C SPARQL results); "
                   "CONSTRUCT/DESCRIBE: turtle (default), nt, nquads, trig, json-ld or xml (RDF/XML).")
@click.option("--input-format", help="RDF format of the graphs (default: from the extension).")
@click.option("--no-ontology", is_flag=True, help="Do not add the bundled ontology (class hierarchy, labels).")
@click.option("--endpoint", envvar="POLICYKG_ENDPOINT", metavar="URL",
              help="Run on a remote SPARQL 1.1 query endpoint instead of local GRAPH files "
                   "(env POLICYKG_ENDPOINT; credentials from POLICYKG_USER/POLICYKG_PASSWORD).")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds to wait for the endpoint.")
@STORE_OPTION
@click.option("--live", is_flag=True,
              help="On the store, evaluate the query even when the last build kept its answer.")
@click.option("--time-limit", "seconds", type=click.FloatRange(0), default=0, metavar="SECONDS",
              help="Stop a local query that runs longer than this (default: no limit).")
def query(query: str, graphs: tuple[str, ...], params: tuple[tuple[str, str], ...], output: str | None,
          fmt: str | None, input_format: str | None, no_ontology: bool, endpoint: str | None, timeout: float,
          store_path: str | None, live: bool, seconds: float) -> None:
    """Run a canned query (by name) or any SPARQL 1.1 query file over graphs, the store or an endpoint.

    A .rq file needs no header (its name is the file stem); a #+ header can
    declare typed parameters (-p). SELECT and ASK give results, CONSTRUCT and
    DESCRIBE a graph (see -f). GRAPH files are loaded into an in-memory Oxigraph
    store with the ontology. Without GRAPH files the query runs on --endpoint if
    given (sent as written, parameters as a VALUES block), else on the embedded
    store (--store, $POLICYKG_STORE or ./policykg-store). There, the answer the
    last build kept for this exact query text is read when the store has not
    changed since (`build --answers`); --live evaluates it anyway.

    \b
    Examples:
      policykg query recipients-by-vendor graph.ttl -f table
      policykg query vendors-naming-recipient graph.ttl -p recipient org:mailchimp
      policykg query my-question.rq graph.ttl -f json
    """
    from policykg.limits import TimeLimit, run_limited
    from policykg.queries import evaluate, find_query

    q = find_query(query)
    values = dict(params)
    q.terms(values)  # a missing or ill-typed parameter is reported before anything is read
    fmt = (fmt or results.default_format(q.form)).casefold()
    results.check_format(q.form, fmt, q.name)
    if endpoint and not graphs:
        from policykg import remote

        # as written (no local parser refuses the server's own syntax); parameters as a VALUES block
        res = remote.query(endpoint, q.bind(values), timeout, graph=q.form in results.GRAPH_FORMS)
        export.write_output(results.to_bytes(res, fmt), output)
        return
    if not graphs and not _store_given(store_path):
        raise click.UsageError("give GRAPH files to query, --store DIR (build one with `policykg build`), "
                               "or --endpoint URL")
    if graphs:
        from policykg.loading import load_store

        data_store = load_store(graphs, input_format, with_ontology=not no_ontology)
        kept = None
    else:
        from policykg import answers

        store = _open_store(store_path)
        data_store = store._ox  # the store's Oxigraph
        kept = None if live else answers.lookup(store, q.bind(values))
    try:
        data = run_limited(lambda: results.to_bytes(kept if kept is not None else evaluate(data_store, q, values),
                                                    fmt), seconds)
    except TimeLimit as exc:
        raise QueryError(f"the query ran longer than {exc.seconds:g} s and was stopped (--time-limit)",
                         q.name) from None
    export.write_output(data, output)


@cli.command("queries")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def list_queries_cmd(fmt: str) -> None:
    """List the canned queries: name, title, parameters."""
    import json

    from policykg.queries import list_queries

    qs = list_queries()
    if fmt == "json":
        click.echo(json.dumps([{"name": q.name, "title": q.title, "description": q.description,
                                "params": [vars(p) for p in q.params], "tags": q.tags} for q in qs], indent=1))
        return
    width = max(len(q.name) for q in qs)
    for q in qs:
        ps = " ".join(f"[{p.name}:{p.type}]" if not p.required else f"{p.name}:{p.type}" for p in q.params)
        click.echo(f"{q.name.ljust(width)}  {q.title}" + (f"  {ps}" if ps else ""))


@cli.command("export")
@click.argument("graphs", nargs=-1, type=click.Path(allow_dash=True))
@output_options(RDF_OUT, None)
@click.option("--with-ontology", is_flag=True, help="Include the policykg ontology and the DPV terms it uses.")
@click.option("--input-format", help="RDF format of the graphs (default: from the extension).")
@STORE_OPTION
def export_cmd(graphs: tuple[str, ...], output: str | None, fmt: str | None, with_ontology: bool,
               input_format: str | None, store_path: str | None) -> None:
    """Convert graphs, or the embedded store, to an RDF format (Turtle, N-Triples, N-Quads, TriG, ...).

    Without GRAPH files the store is exported: N-Quads and TriG keep every
    named graph (policies, derived facts, ontology, knowledge base, build
    bookkeeping); triple formats get the union of the policy graphs.
    """
    from policykg.loading import load_dataset

    if not graphs:
        if not _store_given(store_path):
            raise click.UsageError("give GRAPH files to convert, or --store DIR")
        _export_store(store_path, export.rdf_format(fmt, output), output)
        return

    ds = load_dataset(graphs, input_format)
    if with_ontology:
        _add_ontology(ds)
    export.write_output(export.serialize(ds, export.rdf_format(fmt, output)), output)


@cli.command("push")
@click.argument("graphs", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--endpoint", envvar="POLICYKG_UPDATE_ENDPOINT", required=True, metavar="URL",
              help="Graph Store Protocol endpoint, e.g. http://127.0.0.1:7878/store (Oxigraph) or "
                   "http://host:3030/ds/data (Fuseki). Env POLICYKG_UPDATE_ENDPOINT.")
@click.option("--replace", is_flag=True,
              help="Also replace the server's default graph with the triples of no policy (PUT) instead of "
                   "adding them (POST); policy graphs are always replaced whole.")
@click.option("--graph", "default_graph", metavar="IRI",
              help="Push the triples outside any named graph as this one named graph, not split per policy.")
@click.option("--with-ontology/--no-ontology", default=True, show_default=True,
              help="Also push the ontology (class hierarchy and labels) into its own named graph.")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds to wait for the endpoint.")
@click.option("--input-format", help="RDF format of the graphs (default: from the extension).")
@STORE_OPTION
def push_cmd(graphs: tuple[str, ...], endpoint: str, replace: bool, default_graph: str | None,
             with_ontology: bool, timeout: float, input_format: str | None, store_path: str | None) -> None:
    """Push graphs, or the embedded store, to a remote SPARQL server, one named graph per policy.

    A graph file is split into one named graph per policy (its notice's graph, as
    the store names them); each is replaced whole, so pushing again changes
    nothing. Query them with `policykg query NAME --endpoint URL`; the server must
    query the union of its graphs by default (oxigraph serve --union-default-graph).
    Without GRAPH files the store is pushed graph by graph (policies, derived
    facts, ontology, knowledge base), so memory does not grow with its size.
    """
    from policykg import remote
    from policykg.loading import load_dataset

    if not graphs:
        if not _store_given(store_path):
            raise click.UsageError("give GRAPH files to push, or --store DIR")
        store = _open_store(store_path)
        if not store.policies():
            raise InputError("holds no policy: nothing to push", str(store.path))
        n = 0
        for name, nt in store.graphs_ntriples(with_reference=with_ontology):
            n += remote.push_ntriples(nt, name, endpoint, True, timeout)
        info(f"Pushed {n} triples to {endpoint}")
        return

    ds = load_dataset(graphs, input_format)
    n = remote.push(ds, endpoint, replace, default_graph, timeout, source=", ".join(graphs))
    if with_ontology:
        ontology = Dataset()
        _add_ontology(ontology)
        n += remote.push(ontology, endpoint, True, None, timeout)
    info(f"Pushed {n} triples to {endpoint}")


def _add_ontology(ds: Dataset) -> None:
    """The ontology (class hierarchy, labels) as a named graph of its own."""
    from policykg.export import load_ontology
    from policykg.iris import ONTOLOGY_GRAPH

    onto = ds.graph(ONTOLOGY_GRAPH)
    for t in load_ontology():
        onto.add(t)


def _export_store(store_path: str | None, rdf_fmt: str, output: str | None) -> None:
    """Stream the store through Oxigraph's serialisers (no rdflib graph in memory).

    Triple formats get the union of the policy graphs with each triple once; JSON-LD
    goes through rdflib to be compacted with the project's context (held in memory)."""
    import pyoxigraph as ox

    from policykg.iris import ONTOLOGY_GRAPH
    from policykg.namespaces import prefix_map
    from policykg.store import BUILD_GRAPH, KB_GRAPH

    formats = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
               "trig": ox.RdfFormat.TRIG, "xml": ox.RdfFormat.RDF_XML, "json-ld": ox.RdfFormat.JSON_LD}
    if rdf_fmt not in formats:
        raise click.UsageError(f"the store can be exported as {', '.join(formats)}, not {rdf_fmt}")
    store = _open_store(store_path)
    if rdf_fmt == "json-ld":
        export.write_output(export.serialize(export.store_to_dataset(store._ox), "json-ld"), output)
        return
    skip = [ox.NamedNode(str(g)) for g in (BUILD_GRAPH, ONTOLOGY_GRAPH, KB_GRAPH)]

    def dump(fh: Any) -> None:
        if rdf_fmt in ("nquads", "trig"):
            store.dump(fh, formats[rdf_fmt])
        else:
            ox.serialize(export.union_triples(store._ox, skip), fh, formats[rdf_fmt], prefixes=prefix_map())

    guard = export.XmlGuard if rdf_fmt == "xml" else (lambda fh: fh)  # no output XML cannot parse
    if output and output != "-":
        with export.atomic_open(output) as fh:
            dump(guard(fh))
    elif rdf_fmt == "xml":  # held until it is known to be writable: no half document on stdout
        buf = io.BytesIO()
        dump(guard(buf))
        sys.stdout.buffer.write(buf.getvalue())
    else:
        dump(sys.stdout.buffer)


@cli.command("evaluate")
@click.argument("graph", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--gold", required=True, type=click.Path(), help="Folder of gold annotations (*.yaml).")
@click.option("--texts", type=click.Path(), help="Folder of the policy texts, to check evidence offsets.")
@output_options(["table", "json"], "table")
def evaluate_cmd(graph: tuple[str, ...], gold: str, texts: str | None, output: str | None, fmt: str) -> None:
    """Score a graph against gold annotations: precision, recall, F1 per aspect.

    Also checks evidence: every handling has an annotation, and every
    annotation's offsets point at its quote in the policy text.
    """
    from policykg.errors import one_line
    from policykg.evaluation import evaluate, load_gold

    data = _load(graph, None)
    try:
        ev = evaluate(data, load_gold(gold), texts)
    except (AttributeError, TypeError, KeyError, ValueError) as exc:  # YAML that parses but is not the schema
        what = "is not UTF-8" if isinstance(exc, UnicodeDecodeError) else "does not follow the gold schema"
        raise InputError(f"a gold annotation file {what} ({type(exc).__name__}: "
                         f"{one_line(exc, 120)})", gold) from None
    out = ev.to_json() + "\n" if fmt == "json" else ev.to_table()
    export.write_output(out.encode("utf-8"), output)


@cli.command("scorecard")
@click.argument("graphs", nargs=-1, type=click.Path(allow_dash=True))
@output_options(["table", "csv", "json", "html"], None)
@click.option("--lang", "ui_lang", type=click.Choice(["en", "sv"]), default="en", show_default=True,
              help="Language of labels and messages.")
@click.option("--shapes", "shapes", multiple=True, type=click.Path(exists=True),
              help="Shape files or folders (default: the bundled shapes/).")
@click.option("--input-format", help="RDF format of the graphs (default: from the extension).")
@STORE_OPTION
@click.option("--endpoint", envvar="POLICYKG_ENDPOINT", metavar="URL",
              help="Read the policies from a remote SPARQL 1.1 query endpoint (one named graph each).")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds to wait for the endpoint.")
@ENGINE_OPTION
@click.option("--texts", type=click.Path(exists=True, file_okay=False), metavar="DIR",
              help="Folder of the policy files (<identifier>.txt/.md/.html): each quote shown in its context, "
                   "the text embedded, its SHA-256 in the header.")
def scorecard_cmd(graphs: tuple[str, ...], output: str | None, fmt: str | None, ui_lang: str,
                  shapes: tuple[str, ...], input_format: str | None, store_path: str | None,
                  endpoint: str | None, timeout: float, engine: str, texts: str | None) -> None:
    """GDPR Art. 13/14 transparency scorecard: what each vendor discloses, with the passage.

    One row per vendor, one column per disclosure item: stated (with evidence),
    missing (a SHACL result of the item's shape) or not applicable. Format from
    -f or -o's extension (.html, .csv, .json); default table.
    """
    from policykg import scorecard as sc
    from policykg.scorecard import build_scorecard, to_csv, to_html, to_json, to_table
    from policykg.validation import choose_engine, load_shapes
    from policykg.validation import validate as run_validation

    if fmt is None and output and output != "-":
        fmt = {".html": "html", ".htm": "html", ".csv": "csv", ".json": "json"}.get(Path(output).suffix.casefold())
    shapes_graph = load_shapes(list(shapes) or None)
    engine, why = choose_engine(shapes_graph, engine)
    if why:
        info(f"Validating with pyshacl: {why}.")
    if graphs:
        data = _load(graphs, input_format)
        report = run_validation(data, shapes_graph, engine)
        # the items' queries run on Oxigraph: files parsed again by it (10x faster than converting
        # rdflib's terms), standard input (read once) converted
        if "-" in graphs:
            store = sc.oxigraph_store(data)
        else:
            from policykg.loading import load_store

            store = load_store(graphs, input_format, with_ontology=False)
        show = sys.stderr.isatty() and not STATE.quiet
        bar = click.progressbar(length=1, label="Scoring", file=sys.stderr, show_pos=True) if show else None

        def on_progress(done: int, total: int) -> None:
            if bar is not None:
                bar.length = total
                bar.update(done - bar.pos)

        try:
            card = build_scorecard(data, report, shapes_graph, store, on_progress)
        finally:
            if bar is not None:
                bar.render_finish()
    elif endpoint:
        from policykg import remote
        from policykg.scorecard import scorecard_by_policy

        names = remote.policy_graphs(endpoint, timeout)
        if not names:
            raise PolicyKGError("holds no policy graph (no named graph with a dpv:PrivacyNotice); push policies "
                                "there with `policykg push`", endpoint)
        card = scorecard_by_policy((remote.fetch_graph(endpoint, g, timeout) for g in names), shapes_graph, engine)
    elif _store_given(store_path):
        from policykg.scorecard import scorecard_by_policy

        store = _open_store(store_path)
        card = scorecard_by_policy((store.policy_graph(i) for i in sorted(store.policies())), shapes_graph, engine)
    else:
        raise click.UsageError("give GRAPH files, --store DIR or --endpoint URL")
    card.provenance = sc.provenance(graphs or [endpoint or str(store_path or _default_store())])
    if texts:
        sc.attach_texts(card, texts)
    render = {"csv": to_csv, "json": lambda c, lang: to_json(c), "html": to_html}.get(fmt or "table", to_table)
    export.write_output(render(card, ui_lang).encode("utf-8"), output)


@cli.command("vendors")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@click.option("--category", help="Only providers whose service category contains this (e.g. Analytics).")
@click.option("--country", help="Only providers headquartered in this ISO country code (e.g. US).")
def vendors_cmd(fmt: str, category: str | None, country: str | None) -> None:
    """List the bundled knowledge base of service providers (and authorities)."""
    import csv
    import io
    import json

    from policykg.knowledge import providers

    rows = [p for p in providers()
            if (not category or category.casefold() in (p["category"] or "").casefold())
            and (not country or (p["country"] or "").casefold() == country.casefold())]
    cols = ["id", "label", "aliases", "country", "category", "parent", "legal_entity", "source"]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=1, ensure_ascii=False))
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, cols, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({**r, "aliases": "; ".join(r["aliases"])})
        click.echo(buf.getvalue(), nl=False)
    else:
        for r in rows:
            click.echo(f"{r['label'][:34]:34}  {r['country'] or '':3} {(r['category'] or '')[:30]:30}  {r['source']}")
        info(f"{len(rows)} providers")


@cli.command("network")
@click.argument("graphs", nargs=-1, required=True, type=click.Path(allow_dash=True))
@output_options(["dot", "graphml", "svg"], None)
@click.option("--input-format", help="RDF format of the graphs (default: from the extension).")
def network_cmd(graphs: tuple[str, ...], output: str | None, fmt: str | None, input_format: str | None) -> None:
    """The vendor <-> recipient network as DOT, GraphML or an SVG picture.

    Format from -f, or from -o's extension (.dot, .graphml, .svg); default DOT.
    """
    from policykg.network import network, to_dot, to_graphml, to_svg

    if fmt is None and output and output != "-":
        fmt = {".graphml": "graphml", ".svg": "svg"}.get(Path(output).suffix.casefold(), "dot")
    net = network(_load(graphs, input_format))
    text_ = {"graphml": to_graphml, "svg": to_svg}.get(fmt or "dot", to_dot)(net)
    export.write_output(text_.encode("utf-8"), output)


@cli.command()
@click.argument("directory", required=False, type=click.Path())
@click.option("-o", "--output-dir", default="policykg-out", show_default=True, type=click.Path(file_okay=False),
              help="Folder for graph.ttl, validation.txt and queries/*.csv.")
@click.option("--lang", type=click.Choice(["auto", *languages.codes()]), default="auto", show_default=True)
@FAIL_FAST_OPTION
@TIME_LIMIT_OPTION
def run(directory: str | None, output_dir: str, lang: str, fail_fast: bool, seconds: float) -> None:
    """The quick start: extract -> validate -> every canned query -> Turtle.

    DIRECTORY defaults to ./data/policies (the bundled policies in a checkout).
    A policy that cannot be extracted is named and the others go on (exit 2 at
    the end; --fail-fast stops at it).
    """
    from policykg.pipeline import run_all

    directory = directory or "data/policies"
    if not Path(directory).exists():
        raise InputError("no such folder (give the folder of your policies)", directory)
    summary = run_all(directory, output_dir, lang, on_warning=warn,
                      on_step=None if STATE.quiet else info, fail_fast=fail_fast, seconds=seconds)
    click.echo(summary.text)
    _fail_batch([message for _, message in summary.failures], len(summary.failures))
    if summary.failed:
        sys.exit(1)


def main(argv: list[str] | None = None) -> None:
    """Entry point: map every failure to one line on stderr and an exit code."""
    try:
        rv = cli.main(args=argv, prog_name="policykg", standalone_mode=False)
        sys.exit(rv if isinstance(rv, int) else 0)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except (KeyboardInterrupt, click.exceptions.Abort):
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # a bug: say so in one line, traceback only with -vv
        if STATE.verbose > 1:
            traceback.print_exc()
        click.echo(f"Error: internal error: {type(exc).__name__}: {exc} (run with -vv for the traceback)",
                   err=True)
        sys.exit(2)


__all__ = ["cli", "main", "format_of"]
