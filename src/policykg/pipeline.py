"""The library API: policies in, graphs out.

``extract_source`` runs every registered extractor on one policy and builds its
graph; ``extract_paths`` does it for files and folders, one named graph per
policy. The CLI and the tests call these functions.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.namespace import RDF

from policykg import extractors, language
from policykg.collector import paused
from policykg.errors import BatchError, InputError, PolicyKGError
from policykg.extractors.base import Document, Finding
from policykg.graph import build_triples
from policykg.inference import derive_triples
from policykg.iris import check_identifier, derived_graph_iri, graph_iri, slug
from policykg.limits import TimeLimit, time_limit
from policykg.namespaces import DPV, bind
from policykg.reading import MAX_BYTES, SUFFIXES, Source, read_source
from policykg.segmenting import segment
from policykg.triples import Triples

log = logging.getLogger(__name__)

LANGUAGE_NEUTRAL = ["organisations", "metadata", "transfers", "retention"]
"""What still works on a policy in a language without vocabularies: names,
e-mails, dates, acronyms (SCC, DPF), countries and durations in digits."""


@dataclass
class Extraction:
    """The result for one policy: stated and derived triples, warnings.

    ``graph``/``derived`` give them as rdflib graphs (built on first use): the
    store path never needs rdflib, small in-memory work and pyshacl do.
    """

    identifier: str
    lang: str
    triples: Triples
    warnings: list[str] = field(default_factory=list)
    derived_triples: Triples = field(default_factory=Triples)

    @cached_property
    def graph(self) -> Graph:
        return self.triples.to_graph()

    @cached_property
    def derived(self) -> Graph:
        return self.derived_triples.to_graph()


def resolve_language(src: Source, requested: str = "auto", text: str | None = None) -> tuple[str, list[str]]:
    """The language to extract with, and any warning for the user.

    A text in no recognisable language, or in a language policykg has no
    vocabularies for, is an error naming the language: a graph of names and dates
    only would read as a policy that states nothing (``--lang`` overrides).
    ``text`` is what to judge by (the policy's prose, without front matter or code).
    """
    if requested != "auto":
        return requested, []
    lang, confidence = language.detect(src.text if text is None else text)
    readable = ", ".join(language.supported())
    if lang == "und":
        raise InputError("cannot tell which language this policy is written in (no language "
                         f"recognised with confidence, {confidence:.0%}); pass --lang ({readable}) "
                         "if it is one policykg reads", src.path)
    if not language.is_supported(lang):
        raise InputError(f"is written in {language.name(lang)}, a language policykg has no vocabularies "
                         f"for (it reads {readable}); pass --lang to read it as one of those", src.path)
    return lang, []


def extract_findings(src: Source, lang: str = "auto") -> tuple[Document, list[Finding], list[str]]:
    """The document and the findings its graph is built from, with warnings for the user
    (what checks of the graph against the words that produced it need)."""
    blocks = segment(src.text)
    if not blocks:
        raise InputError("has no policy text: only front matter, markup or code", src.path)
    prose = "\n".join(src.text[b.start:b.end] for b in blocks)
    code, warnings = resolve_language(src, lang, prose)
    if src.encoding != "utf-8":
        warnings = [*warnings, f"{src.path}: not UTF-8, read as {src.encoding}; evidence offsets index the "
                               "decoded text (policykg text prints it)"]
    doc = Document(src.identifier, src.text, code)
    doc.blocks = blocks  # segmented once
    only = None if language.is_supported(code) else LANGUAGE_NEUTRAL
    return doc, extractors.run(doc, only), warnings


def extract_source(src: Source, lang: str = "auto") -> Extraction:
    """Extract one policy into its graph (with the cyclic garbage collector paused
    throughout: see :mod:`policykg.collector`)."""
    with paused():
        return _extract(src, lang)  # its document is freed before the collector runs again


def _extract(src: Source, lang: str) -> Extraction:
    doc, findings, warnings = extract_findings(src, lang)
    triples = build_triples(doc, findings)
    return Extraction(src.identifier, doc.lang, triples, warnings, derive_triples(triples, src.identifier))


def policy_files(paths: Iterable[str | Path], on_warning: Callable[[str], None] | None = None) -> list[Path]:
    """Expand folders, recursively, into their policy files (.txt, .md, .html), sorted.

    Subfolders are read too (a crawl keeps one folder per site); hidden files and folders
    are not; a symbolic link that leads back into a folder already read is followed once;
    files of other types are skipped with one warning per folder.
    """
    warn = on_warning or log.warning
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = _walk(p, warn)
            if not found:
                raise InputError("contains no policy files (.txt, .md, .html)", str(p))
            out.extend(found)
        elif p.exists():
            out.append(p)
        else:
            raise InputError("no such file or folder", str(p))
    check_unique([(f.stem, str(f)) for f in dict.fromkeys(out)])
    return out


def check_unique(named: Iterable[tuple[str, str]]) -> None:
    """Refuse two inputs whose identifiers make the same IRIs (``--id "a b"`` and a file
    ``a-b.txt``, ``Acme.txt`` and ``acme.html``): the second would silently join the
    first's named graph. ``named`` is (identifier, where it comes from)."""
    seen: dict[str, tuple[str, str]] = {}
    for identifier, origin in named:
        key = slug(identifier)  # the IRIs of a policy's notice and graph are made from this
        if key in seen and seen[key][1] != origin:
            first, where = seen[key]
            raise PolicyKGError(f"two policies would share the identifier {key!r}: {where} "
                                f"({first!r}) and {origin} ({identifier!r}); rename one"
                                + (" or choose another --id" if "<stdin>" in (where, origin) else ""))
        seen.setdefault(key, (identifier, origin))


def _walk(root: Path, warn: Callable[[str], None]) -> list[Path]:
    found: list[Path] = []
    seen: set[str] = set()
    for folder, dirs, files in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:  # a link back into a folder already read: no loop
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        other = []
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(folder) / name
            if path.suffix.lower() in SUFFIXES and path.is_file():
                found.append(path)
            else:
                other.append(name)
        if other:
            warn(f"{folder}: skipped {len(other)} file{'s' if len(other) > 1 else ''} that {'are' if len(other) > 1 else 'is'} "
                 f"not a policy (.txt, .md, .html): {', '.join(other[:3])}{', ...' if len(other) > 3 else ''}")
    return sorted(found)


DEFAULT_TIME_LIMIT = 120.0
"""Seconds one policy may take in a batch (extract, run): a policy takes tens of
milliseconds, so this is far from any real one and bounds the batch."""


def extract_file(path: Path, lang: str = "auto", max_bytes: int = MAX_BYTES,
                 seconds: float | None = DEFAULT_TIME_LIMIT) -> Extraction:
    """Read and extract one policy file within ``seconds`` (None: no limit)."""
    with time_limit(seconds, str(path)):
        check_identifier(path.stem, str(path))
        return extract_source(read_source(path, max_bytes=max_bytes), lang)


def extract_each(files: Iterable[Path], lang: str = "auto", max_bytes: int = MAX_BYTES,
                 seconds: float | None = DEFAULT_TIME_LIMIT, fail_fast: bool = False
                 ) -> Iterator[tuple[Path, Extraction | None, str | None]]:
    """(file, extraction, None) or (file, None, one-line error) for each file, going on
    past a file that cannot be read or extracted (``fail_fast``: raise at the first).

    A failure that is not the input's fault (a bug) is reported as an internal error
    for that file, so the rest of the batch is still extracted."""
    for f in files:
        try:
            yield f, extract_file(f, lang, max_bytes, seconds), None
        except PolicyKGError as exc:
            if fail_fast:
                raise
            yield f, None, exc.format_message()
        except TimeLimit as exc:
            if fail_fast:
                raise InputError(exc.message, str(f)) from None
            yield f, None, f"{f}: {exc.message}"
        except Exception as exc:  # noqa: BLE001 - a bug, reported for this file; the batch goes on
            if fail_fast:
                raise
            yield f, None, f"{f}: internal error while extracting ({type(exc).__name__}: {exc})"


def extract_paths(paths: Iterable[str | Path], lang: str = "auto",
                  on_progress: Callable[[Path], None] | None = None,
                  on_warning: Callable[[str], None] | None = None,
                  limit: int | None = None, failures: list[tuple[str, str]] | None = None,
                  seconds: float | None = DEFAULT_TIME_LIMIT) -> Dataset:
    """Extract files and folders into a dataset with one named graph per policy.

    Without ``failures`` the first bad file raises; with it, each bad file is
    appended as (path, message) and the others are extracted."""
    files = policy_files(paths, on_warning)
    if limit is not None:
        files = files[:limit]
    ds = Dataset()
    bind(ds)
    for f, result, error in extract_each(files, lang, seconds=seconds, fail_fast=failures is None):
        if result is None:
            assert failures is not None and error is not None
            failures.append((str(f), error))
        else:
            add_extraction(ds, result)
            for w in result.warnings:
                (on_warning or log.warning)(w)
        if on_progress:
            on_progress(f)
    return ds


def add_extraction(ds: Dataset, result: Extraction, derived: bool = True) -> None:
    """Stated facts in the policy's named graph; derived ones in a graph of their own."""
    named = ds.graph(graph_iri(result.identifier))
    named.addN((s, p, o, named) for s, p, o in result.triples)
    if derived and len(result.derived_triples):
        extra = ds.graph(derived_graph_iri(result.identifier))
        extra.addN((s, p, o, extra) for s, p, o in result.derived_triples)


@dataclass
class RunSummary:
    text: str
    failed: bool
    failures: list[tuple[str, str]] = field(default_factory=list)  # (path, message): files not extracted


def run_all(directory: str | Path, output_dir: str | Path, lang: str = "auto",
            on_warning: Callable[[str], None] | None = None,
            on_step: Callable[[str], None] | None = None, fail_fast: bool = False,
            seconds: float | None = DEFAULT_TIME_LIMIT) -> RunSummary:
    """extract -> validate -> every canned query -> graph.ttl (what `policykg run` does).

    Writes ``graph.ttl``, ``validation.txt`` and ``queries/<name>.csv`` under
    ``output_dir``, each file atomically. A policy that cannot be extracted is
    listed in ``failures`` and the others go on (``fail_fast``: stop at it).
    """
    from policykg import results
    from policykg.export import atomic_open, serialize
    from policykg.loading import load_graph, load_store
    from policykg.queries import evaluate, list_queries
    from policykg.validation import validate

    step = on_step or (lambda _m: None)
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "queries").mkdir(exist_ok=True)
    files = policy_files([directory], on_warning)
    step(f"Extracting {len(files)} policies from {directory}")
    failures: list[tuple[str, str]] = []
    ds = extract_paths(files, lang, on_warning=on_warning, failures=None if fail_fast else failures,
                       seconds=seconds)
    if failures and len(failures) == len(files):
        raise BatchError(failures)
    data = serialize(ds, "turtle")
    with atomic_open(out / "graph.ttl") as fh:
        fh.write(data)
    graph = load_graph([str(out / "graph.ttl")])
    step("Validating with SHACL")
    report = validate(graph)
    with atomic_open(out / "validation.txt") as fh:
        fh.write(report.to_text().encode("utf-8"))
    step("Running the canned queries")
    store = load_store([str(out / "graph.ttl")])  # Oxigraph in memory, with the ontology: 100x rdflib's speed
    lines = []
    queries = list_queries()
    width = max((len(q.name) for q in queries), default=0)
    for q in queries:
        if q.unbound:
            lines.append(f"  {q.name:{width}} (needs parameters; skipped)")
            continue
        res = evaluate(store, q, {})
        csv_text = results.to_csv(res)
        with atomic_open(out / "queries" / f"{q.name}.csv") as fh:
            fh.write(csv_text.encode("utf-8"))
        lines.append(f"  {q.name:{width}} {len(res):5} rows")
    notices = len(set(graph.subjects(RDF.type, DPV.PrivacyNotice)))
    handlings = len(set(graph.subjects(RDF.type, DPV.PersonalDataHandling)))
    text = "\n".join([
        f"Policies: {notices}  handlings: {handlings}  triples: {len(graph)}",
        f"Graph: {out / 'graph.ttl'}",
        f"Validation ({out / 'validation.txt'}): {report.summary()}",
        f"Queries ({out / 'queries'}/*.csv):",
        *lines,
    ])
    return RunSummary(text, report.fails("violation"), failures)
