"""The ``policykg`` command line: a thin layer over the library API.

Exit codes (also in ``--help``): 0 done / conforms; 1 ``validate`` found results
at or above ``--fail-on`` (report still written); 2 trouble — bad usage, an
unreadable, empty, binary or oversized input, an undeterminable language, an
RDF or SPARQL parse error, an unknown query or parameter; 130 interrupted.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rdflib import Dataset, Graph

from policykg import __version__, export, languages, pipeline, results
from policykg.errors import InputError, PolicyKGError
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
    """``-o/--output`` and ``-f/--format``, spelled the same on every command."""

    def deco(fn: Any) -> Any:
        fn = click.option("-o", "--output", metavar="FILE",
                          help="Write here instead of standard output (written atomically).")(fn)
        fn = click.option("-f", "--format", "fmt", type=click.Choice(formats, case_sensitive=False),
                          default=default, show_default=default is not None,
                          help="Output format" + ("" if default else " (default: from -o's extension, else turtle)")
                          + ".")(fn)
        return fn

    return deco


RDF_OUT = ["turtle", "ttl", "nt", "ntriples", "nquads", "nq", "trig", "json-ld", "jsonld", "xml"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="policykg")
@click.option("-v", "--verbose", count=True, help="More detail on stderr; -vv shows tracebacks.")
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summaries on stderr.")
def cli(verbose: int, quiet: bool) -> None:
    """Turn privacy policies into a DPV knowledge graph of their data practices.

    Every fact keeps its evidence: the exact span of policy text it came from.
    """
    STATE.verbose, STATE.quiet = verbose, quiet
    logging.basicConfig(level=logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s: %(message)s", stream=sys.stderr)


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
def extract(paths: tuple[str, ...], output: str | None, fmt: str | None, lang: str, identifier: str | None,
            input_format: str, limit: int | None, max_bytes: int, progress: bool | None, derived: bool) -> None:
    """Extract policies (files or folders of .txt, .md, .html) into a graph.

    In N-Quads and TriG each policy is its own named graph, so one policy can
    later be replaced without touching the others.

    \b
    Examples:
      policykg extract data/policies -o graph.ttl
      policykg extract policy.html -f nquads > policy.nq
      cat policy.txt | policykg extract - --id acme -f json-ld
    """
    rdf_fmt = export.rdf_format(fmt, output)
    ds = Dataset()
    if "-" in paths:
        if not identifier:
            raise click.UsageError("reading a policy from standard input needs --id NAME")
        src = read_bytes_source(sys.stdin.buffer.read(), identifier, input_format, max_bytes=max_bytes)
        result = pipeline.extract_source(src, lang)
        pipeline.add_extraction(ds, result, derived)
        for w in result.warnings:
            warn(w)
    files = [p for p in paths if p != "-"]
    if files:
        found = pipeline.policy_files(files, on_warning=warn)
        if limit is not None:
            found = found[:limit]
        show = progress if progress is not None else (sys.stderr.isatty() and len(found) > 1)
        show = show and not STATE.quiet
        with click.progressbar(found, label="Extracting", file=sys.stderr, show_pos=True) if show \
                else _null(found) as bar:
            for f in bar:
                result = pipeline.extract_source(read_source(f, max_bytes=max_bytes), lang)
                pipeline.add_extraction(ds, result, derived)
                for w in result.warnings:
                    warn(w)
    data = export.serialize(ds, rdf_fmt)
    export.write_output(data, output)
    n = len([g for g in ds.graphs() if g.identifier != ds.default_graph.identifier and len(g)
             and not str(g.identifier).endswith("/derived")])
    info(f"Extracted {n} polic{'y' if n == 1 else 'ies'}" + (f" to {output}" if output and output != "-" else ""))


STORE_OPTION = click.option(
    "--store", "store_path", envvar="POLICYKG_STORE", type=click.Path(file_okay=False), metavar="DIR",
    help="The embedded store (default: $POLICYKG_STORE, else ./policykg-store).")


def _open_store(store_path: str | None, create: bool = False, read_only: bool = True):  # type: ignore[no-untyped-def]
    from policykg.store import Store, default_path

    return Store(store_path or default_path(), create=create, read_only=read_only)


def _store_given(store_path: str | None) -> bool:
    from policykg.store import Store, default_path

    return store_path is not None or Store.exists(default_path())


@cli.command("build")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@STORE_OPTION
@click.option("-j", "--jobs", type=click.IntRange(1, 256), help="Worker processes (default: all cores).")
@click.option("--prune", is_flag=True, help="Remove policies whose file is gone from PATHS.")
@click.option("--force", is_flag=True, help="Re-extract every policy, changed or not.")
@click.option("--lang", type=click.Choice(["auto", *languages.codes()]), default="auto", show_default=True)
@click.option("--max-bytes", type=int, default=MAX_BYTES, show_default=True, help="Largest policy accepted.")
@click.option("--answers/--no-answers", default=True, show_default=True,
              help="Evaluate the canned queries after a build that changed the store and keep their "
                   "answers, so that `query` reads them instead of evaluating again.")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: on a TTY).")
def build_cmd(paths: tuple[str, ...], store_path: str | None, jobs: int | None, prune: bool, force: bool,
              lang: str, max_bytes: int, answers: bool, progress: bool | None) -> None:
    """Build or update the embedded store from folders of policies.

    Only new or changed policies (by content hash) are extracted, in parallel;
    each one replaces its named graph in one transaction, so an interrupted
    build leaves every policy either fully old or fully new. Policies whose
    file is gone stay until --prune. Files that cannot be read are listed and
    the build goes on (exit 2 at the end).

    Then the canned queries without parameters are evaluated once and their
    answers kept with the store, valid until its next change (--no-answers
    skips this: at 10,000 policies it takes about two minutes, and queries
    then evaluate live).

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
                              answers=answers, on_answer=on_answer)
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


@cli.command()
@click.argument("graphs", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--shapes", "shapes", multiple=True, type=click.Path(exists=True),
              help="Shape files or folders (default: the bundled shapes/).")
@STORE_OPTION
@click.option("--engine", type=click.Choice(["auto", "pyshacl", "native"]), default="auto", show_default=True,
              help="pyshacl (the reference) or native (compiled SHACL Core, same report, ~100x faster); "
                   "auto = pyshacl for files, native for the store.")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None,
              help="Worker processes validating the store, either engine (default: all cores).")
@click.option("--fail-on", type=click.Choice(["violation", "warning", "info", "none"]), default="violation",
              show_default=True,
              help="Lowest severity that makes the exit code 1. violation = pySHACL --allow-warnings, "
                   "warning = --allow-infos, info = pySHACL's default.")
@output_options(["text", "human", "turtle", "json"], "text")
@click.option("--lang", "msg_lang", type=click.Choice(["en", "sv"]), default="en", show_default=True,
              help="Language of the messages in the text report.")
@click.option("--input-format", help="RDF format of the graphs (default: from the extension).")
def validate(graphs: tuple[str, ...], shapes: tuple[str, ...], store_path: str | None, engine: str,
             jobs: int | None, fail_on: str, output: str | None, fmt: str,
             msg_lang: str, input_format: str | None) -> None:
    """Validate graphs, or the embedded store, with SHACL: the graph contract and transparency gaps.

    The report is grouped by policy with a count per severity. Without GRAPH
    files the store is validated policy by policy. Exit 0 when nothing
    reaches --fail-on, 1 when something does, 2 when it could not run.
    """
    import os

    from policykg.validation import load_shapes, validate_store
    from policykg.validation import validate as run_validation

    shapes_graph = load_shapes(list(shapes) or None)
    fmt = "text" if fmt == "human" else fmt
    if graphs:
        data = _load(graphs, input_format)
        report = run_validation(data, shapes_graph, "pyshacl" if engine == "auto" else engine)
    else:
        if not _store_given(store_path):
            raise click.UsageError("give GRAPH files to validate, or --store DIR")
        store = _open_store(store_path)
        show = sys.stderr.isatty() and not STATE.quiet
        bar = click.progressbar(length=max(1, len(store.policies())), label="Validating", file=sys.stderr,
                                show_pos=True) if show else None

        def on_progress(done: int, total: int) -> None:
            if bar is not None:
                bar.update(1)

        try:
            report = validate_store(store, shapes_graph, "native" if engine == "auto" else engine,
                                    jobs or os.cpu_count() or 1, on_progress, keep_graph=fmt == "turtle")
        finally:
            if bar is not None:
                bar.render_finish()
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
              help="Bind a query parameter (as a VALUES block).")
@output_options(list(results.FORMATS), "csv")
@click.option("--input-format", help="RDF format of the graphs (default: from the extension).")
@click.option("--no-ontology", is_flag=True, help="Do not add the bundled ontology (class hierarchy, labels).")
@click.option("--endpoint", envvar="POLICYKG_ENDPOINT", metavar="URL",
              help="Run on a remote SPARQL 1.1 query endpoint instead of local GRAPH files "
                   "(env POLICYKG_ENDPOINT; credentials from POLICYKG_USER/POLICYKG_PASSWORD).")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds to wait for the endpoint.")
@STORE_OPTION
@click.option("--live", is_flag=True,
              help="On the store, evaluate the query even when the last build kept its answer.")
def query(query: str, graphs: tuple[str, ...], params: tuple[tuple[str, str], ...], output: str | None,
          fmt: str, input_format: str | None, no_ontology: bool, endpoint: str | None, timeout: float,
          store_path: str | None, live: bool) -> None:
    """Run a canned query (by name) or a .rq file over graphs, the store or an endpoint.

    Without GRAPH files the query runs on --endpoint if given, else on the
    embedded store (--store, $POLICYKG_STORE or ./policykg-store). There, the
    answer the last build kept for this exact query text is read when the store
    has not changed since (`build --answers`); --live evaluates it anyway.

    \b
    Examples:
      policykg query recipients-by-vendor graph.ttl -f table
      policykg query vendors-naming-recipient graph.ttl -p recipient org:mailchimp
      policykg query my-question.rq graph.ttl -f json
    """
    from policykg.queries import find_query, prepare

    q = find_query(query)
    text_ = q.bind(dict(params))
    if endpoint and not graphs:
        from policykg import remote

        prepare(text_, q.name)  # a syntax error is reported as such, before any network traffic
        res = remote.query(endpoint, text_, timeout)
        export.write_output(results.render(res, fmt).encode("utf-8"), output)
        return
    if not graphs:
        if not _store_given(store_path):
            raise click.UsageError("give GRAPH files to query, --store DIR (build one with `policykg build`), "
                                   "or --endpoint URL")
        prepare(text_, q.name)
        store = _open_store(store_path)
        from policykg import answers

        try:
            res = None if live else answers.lookup(store, text_)
            if res is None:
                res = store.query(text_)
        except PolicyKGError as exc:
            raise PolicyKGError(str(exc.message), q.name) from None
        export.write_output(results.render(res, fmt).encode("utf-8"), output)
        return
    data = _load(graphs, input_format)
    if not no_ontology:
        from policykg.export import load_ontology

        data += load_ontology()
    try:
        res = data.query(prepare(text_, q.name))
    except PolicyKGError:
        raise
    except Exception as exc:
        raise PolicyKGError(f"query failed: {exc}", q.name) from None
    export.write_output(results.render(res, fmt).encode("utf-8"), output)


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
    """Stream the store through Oxigraph's serialisers (no rdflib graph in memory)."""
    import pyoxigraph as ox

    formats = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
               "trig": ox.RdfFormat.TRIG, "xml": ox.RdfFormat.RDF_XML, "json-ld": ox.RdfFormat.JSON_LD}
    if rdf_fmt not in formats:
        raise click.UsageError(f"the store can be exported as {', '.join(formats)}, not {rdf_fmt}")
    store = _open_store(store_path)
    if output and output != "-":
        with export.atomic_open(output) as fh:
            store.dump(fh, formats[rdf_fmt])
    else:
        store.dump(sys.stdout.buffer, formats[rdf_fmt])


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
    from policykg.evaluation import evaluate, load_gold

    ev = evaluate(_load(graph, None), load_gold(gold), texts)
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
def scorecard_cmd(graphs: tuple[str, ...], output: str | None, fmt: str | None, ui_lang: str,
                  shapes: tuple[str, ...], input_format: str | None, store_path: str | None,
                  endpoint: str | None, timeout: float) -> None:
    """GDPR Art. 13/14 transparency scorecard: what each vendor discloses, with the passage.

    One row per vendor, one column per disclosure item: stated (with evidence),
    missing (a SHACL result of the item's shape) or not applicable. Format from
    -f or -o's extension (.html, .csv, .json); default table.
    """
    from policykg.scorecard import build_scorecard, to_csv, to_html, to_json, to_table
    from policykg.validation import load_shapes
    from policykg.validation import validate as run_validation

    if fmt is None and output and output != "-":
        fmt = {".html": "html", ".htm": "html", ".csv": "csv", ".json": "json"}.get(Path(output).suffix.casefold())
    shapes_graph = load_shapes(list(shapes) or None)
    if graphs:
        data = _load(graphs, input_format)
        card = build_scorecard(data, run_validation(data, shapes_graph), shapes_graph)
    elif endpoint:
        from policykg import remote
        from policykg.scorecard import scorecard_by_policy

        names = remote.policy_graphs(endpoint, timeout)
        if not names:
            raise PolicyKGError("holds no policy graph (no named graph with a dpv:PrivacyNotice); push policies "
                                "there with `policykg push`", endpoint)
        card = scorecard_by_policy((remote.fetch_graph(endpoint, g, timeout) for g in names), shapes_graph)
    elif _store_given(store_path):
        from policykg.scorecard import scorecard_by_policy

        store = _open_store(store_path)
        card = scorecard_by_policy((store.policy_graph(i) for i in sorted(store.policies())), shapes_graph)
    else:
        raise click.UsageError("give GRAPH files, --store DIR or --endpoint URL")
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
def run(directory: str | None, output_dir: str, lang: str) -> None:
    """The quick start: extract -> validate -> every canned query -> Turtle.

    DIRECTORY defaults to ./data/policies (the bundled policies in a checkout).
    """
    from policykg.pipeline import run_all

    directory = directory or "data/policies"
    if not Path(directory).exists():
        raise InputError("no such folder (give the folder of your policies)", directory)
    summary = run_all(directory, output_dir, lang, on_warning=warn,
                      on_step=None if STATE.quiet else info)
    click.echo(summary.text)
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
