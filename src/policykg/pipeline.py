"""The library API: policies in, graphs out.

``extract_source`` runs every registered extractor on one policy and builds its
graph; ``extract_paths`` does it for files and folders, one named graph per
policy. The CLI and the tests call these functions.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.namespace import RDF

from policykg import extractors, language
from policykg.errors import InputError, PolicyKGError
from policykg.extractors.base import Document, Finding
from policykg.graph import build_triples
from policykg.inference import derive_triples
from policykg.iris import derived_graph_iri, graph_iri, slug
from policykg.namespaces import DPV, bind
from policykg.reading import SUFFIXES, Source, read_source
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
    """Extract one policy into its graph."""
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
    stems: dict[str, Path] = {}
    for f in out:
        key = slug(f.stem)  # the IRIs of a policy's notice and graph are made from this
        if key in stems and stems[key] != f:
            raise PolicyKGError(f"two policies would share the identifier {f.stem!r}: {stems[key]} and {f} "
                                "(rename one)")
        stems[key] = f
    return out


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


def extract_paths(paths: Iterable[str | Path], lang: str = "auto",
                  on_progress: Callable[[Path], None] | None = None,
                  on_warning: Callable[[str], None] | None = None,
                  limit: int | None = None) -> Dataset:
    """Extract files and folders into a dataset with one named graph per policy."""
    files = policy_files(paths)
    if limit is not None:
        files = files[:limit]
    ds = Dataset()
    bind(ds)
    for f in files:
        result = extract_source(read_source(f), lang)
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


def run_all(directory: str | Path, output_dir: str | Path, lang: str = "auto",
            on_warning: Callable[[str], None] | None = None,
            on_step: Callable[[str], None] | None = None) -> RunSummary:
    """extract -> validate -> every canned query -> graph.ttl (what `policykg run` does).

    Writes ``graph.ttl``, ``validation.txt`` and ``queries/<name>.csv`` under
    ``output_dir``, each file atomically.
    """
    from policykg import results
    from policykg.export import atomic_open, load_ontology, serialize
    from policykg.loading import load_graph
    from policykg.queries import list_queries, prepare
    from policykg.validation import validate

    step = on_step or (lambda _m: None)
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "queries").mkdir(exist_ok=True)
    files = policy_files([directory])
    step(f"Extracting {len(files)} policies from {directory}")
    ds = extract_paths(files, lang, on_warning=on_warning)
    data = serialize(ds, "turtle")
    with atomic_open(out / "graph.ttl") as fh:
        fh.write(data)
    graph = load_graph([str(out / "graph.ttl")])
    step("Validating with SHACL")
    report = validate(graph)
    with atomic_open(out / "validation.txt") as fh:
        fh.write(report.to_text().encode("utf-8"))
    step("Running the canned queries")
    with_onto = graph + load_ontology()
    lines = []
    queries = list_queries()
    width = max((len(q.name) for q in queries), default=0)
    for q in queries:
        if q.unbound:
            lines.append(f"  {q.name:{width}} (needs parameters; skipped)")
            continue
        res = with_onto.query(prepare(q.bind({}), q.name))
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
    return RunSummary(text, report.fails("violation"))
