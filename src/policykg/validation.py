"""SHACL validation, and one report people and scripts can read.

Two engines give the same report: pyshacl (the reference) and the native engine
of :mod:`policykg.shacl` (compiled checks, the bulk path). ``auto`` uses the
native engine only when it implements every feature the shapes use, and pyshacl
otherwise, saying why (:attr:`Report.fallback`): no shapes graph gets a
plausible but wrong report.

Conformance follows the SHACL spec in every format: a graph conforms when there
is no result at all, whatever its severity. The severity threshold
(``--fail-on``) decides only the exit code: ``violation`` corresponds to
pySHACL's ``--allow-warnings``, ``warning`` to ``--allow-infos``, and ``info``
to pySHACL's default; a custom severity (an IRI of one's own) counts as a
violation. Results are grouped by the policy (notice) they concern.
"""

from __future__ import annotations

import io
import json
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import IO

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, RDF, SH

from policykg.errors import InputError, PolicyKGError
from policykg.namespaces import DPV, OA, PKG
from policykg.resources import shapes_dir

SEVERITIES = {"violation": 3, "warning": 2, "info": 1, "none": 99}
_SEV_NAME = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_SEV_NODE = {v: k for k, v in _SEV_NAME.items()}


def level(severity: str) -> int:
    """The rank of a severity for ``--fail-on``; a custom severity ranks as a violation."""
    return SEVERITIES.get(severity.lower(), SEVERITIES["violation"])


def severity_name(node: object) -> str:
    """"Violation", "Warning", "Info", or the IRI of a custom severity."""
    return _SEV_NAME.get(node, str(node))  # type: ignore[call-overload]


def severity_node(name: str) -> URIRef:
    return _SEV_NODE.get(name) or URIRef(name)


@dataclass(slots=True)
class Result:
    """One validation result. Slotted, with its repeated strings shared (see
    :func:`shared`): a store of 100,000 policies gives ~1.7 million of them."""

    severity: str
    notice: str
    focus: str
    path: str | None
    value: str | None
    shape: str
    message: str
    message_sv: str | None
    component: str | None = None  # e.g. sh:MinCountConstraintComponent


@dataclass
class Report:
    """The results of one run (one report, however many policies), the
    sh:ValidationReport graph, the engine that gave them and, when ``auto`` did
    not use the native engine, why."""

    results: list[Result]
    report_graph: Graph
    engine: str = "native"
    fallback: str | None = None

    @property
    def conforms(self) -> bool:
        """The SHACL spec's conformance: no result at all, of any severity."""
        return not self.results

    def counts(self) -> dict[str, int]:
        c = Counter(r.severity for r in self.results)
        out = {k: c.pop(k, 0) for k in ("Violation", "Warning", "Info")}
        return out | dict(sorted(c.items()))  # custom severities after the three of SHACL

    def fails(self, fail_on: str = "violation") -> bool:
        threshold = SEVERITIES[fail_on]
        return any(level(r.severity) >= threshold for r in self.results)

    def summary(self) -> str:
        c = self.counts()
        custom = "".join(f"  {k}: {n}" for k, n in c.items() if k not in ("Violation", "Warning", "Info"))
        return f"Violations: {c['Violation']}  Warnings: {c['Warning']}  Info: {c['Info']}" + custom

    def to_text(self, lang: str = "en") -> str:
        buf = io.StringIO()
        self.write_text(buf, lang)
        return buf.getvalue()

    def write_text(self, fh: IO[str], lang: str = "en") -> None:
        """The report for people, grouped by policy, written policy by policy
        (a report of a large store is not built as one string)."""
        if not self.results:
            fh.write("Conforms: no results.\n" + self.summary() + "\n")
            return
        for notice, group in groupby(sorted(self.results, key=attrgetter("notice")), key=attrgetter("notice")):
            rs = list(group)
            c = Counter(r.severity for r in rs)
            lines = [f"== {notice}: " + ", ".join(f"{n} {k.lower() if k in _SEV_NODE else k}"
                                                  for k, n in sorted(c.items(), key=_severity_order))]
            for r in sorted(rs, key=_order):
                msg = (r.message_sv if lang == "sv" and r.message_sv else r.message) or r.component or ""
                where = f" {r.path}" if r.path else ""
                lines.append(f"  {r.severity:9} {r.shape.rsplit('#', 1)[-1]}: {msg}")
                lines.append(f"            focus {r.focus}{where}" + (f" = {r.value}" if r.value else ""))
            fh.write("\n".join(lines) + "\n")
        fh.write(self.summary() + "\n")

    def to_json(self) -> str:
        buf = io.StringIO()
        self.write_json(buf)
        return buf.getvalue()

    def write_json(self, fh: IO[str]) -> None:
        """``json.dumps(..., indent=2)`` of the report, written result by result."""
        head = json.dumps({"conforms": self.conforms, "counts": self.counts()}, indent=2, ensure_ascii=False)
        if not self.results:
            fh.write(head[:-2] + ',\n  "results": []\n}')
            return
        fh.write(head[:-2] + ',\n  "results": [\n')
        last = len(self.results) - 1
        for n, r in enumerate(self.results):
            item = json.dumps(asdict(r), indent=2, ensure_ascii=False).replace("\n", "\n    ")
            fh.write("    " + item + (",\n" if n < last else "\n"))
        fh.write("  ]\n}")


def _severity_order(item: tuple[str, int]) -> tuple[int, bool, str]:
    """Most severe first; SHACL's own severities before custom ones of the same rank."""
    return -level(item[0]), item[0] not in _SEV_NODE, item[0]


def _order(r: Result) -> tuple[str, int, str, str, str, str]:
    """Report order: by policy, most severe first, then shape, focus, path and
    value, so that the same graph always gives the same report, byte for byte."""
    return (r.notice, -level(r.severity), r.shape, r.focus, r.path or "", r.value or "")


def shared(results: Iterable[Result]) -> list[Result]:
    """The results with their repeated strings (severity, policy, path, shape,
    messages, component) interned: results that come back from worker
    processes are unpickled with copies of their own, ~10x the memory."""
    intern = sys.intern
    out = list(results)
    for r in out:
        r.severity = intern(r.severity)
        r.notice = intern(r.notice)
        r.shape = intern(r.shape)
        r.message = intern(r.message)
        if r.path is not None:
            r.path = intern(r.path)
        if r.message_sv is not None:
            r.message_sv = intern(r.message_sv)
        if r.component is not None:
            r.component = intern(r.component)
    return out


def load_shapes(paths: list[str] | None = None) -> Graph:
    """The shapes graph: the given files/folders, or every bundled shape file."""
    g = Graph()
    sources = [Path(p) for p in paths] if paths else [shapes_dir()]
    read: list[Path] = []
    for src in sources:
        files = sorted(src.glob("*.ttl")) if src.is_dir() else [src]
        if not files:
            raise InputError("contains no shape files (*.ttl)", str(src))
        for f in files:
            if not f.exists():
                raise InputError("no such shapes file", str(f))
            try:
                parse_shapes(g, f)
            except Exception as exc:
                from policykg.loading import syntax_error

                why = syntax_error(f) or str(exc).splitlines()[0][:200]
                raise InputError(f"is not valid Turtle ({why})", str(f)) from None
            read.append(f)
    _SOURCES[id(g)] = (g, read)
    return g


def parse_shapes(g: Graph, source: Path | str) -> Graph:
    """Parse a shapes file into ``g`` with its literals as written: rdflib would
    otherwise turn ``"1"^^xsd:boolean`` into ``true``, and SHACL gives
    ``sh:uniqueLang "1"^^xsd:boolean`` no effect (only ``true`` switches it on)."""
    import rdflib

    before = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        return g.parse(source, format="turtle")
    finally:
        rdflib.NORMALIZE_LITERALS = before


_SOURCES: dict[int, tuple[Graph, list[Path]]] = {}
"""The files each shapes graph of :func:`load_shapes` was read from: a refusal
finds a blank-node shape by its line there."""

ENGINES = ("auto", "pyshacl", "native")


class ShaclError(PolicyKGError):
    """pyshacl could not validate with these shapes (an ill-formed shapes graph, a
    SHACL-SPARQL feature it does not implement): no report rather than a wrong one."""


def choose_engine(shapes: Graph, engine: str = "auto") -> tuple[str, str | None]:
    """(the engine to use, why the native one steps aside or None).

    ``native`` raises :class:`policykg.shacl.UnsupportedShapes` (exit 2) when the
    shapes use a feature it does not implement; ``auto`` then takes pyshacl.
    Shapes that are not valid SHACL (:class:`policykg.shacl.InvalidShapes`, e.g. a
    SPARQL constraint with VALUES) are refused whatever the engine, naming the shape:
    pyshacl refuses them too, without saying which."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}")
    from policykg.shacl import InvalidShapes, UnsupportedShapes

    try:
        compiled(shapes)
    except InvalidShapes:
        raise
    except UnsupportedShapes as exc:
        if engine == "native":
            raise
        return "pyshacl", None if engine == "pyshacl" else f"the native engine cannot validate {exc.reason}"
    return ("pyshacl", None) if engine == "pyshacl" else ("native", None)


def validate(data: Graph, shapes: Graph | None = None, engine: str = "auto") -> Report:
    """Validate ``data`` against ``shapes`` (default: the bundled shapes).

    ``engine``: ``auto`` (native when it implements every feature the shapes
    use, else pyshacl; :attr:`Report.fallback` says why), ``pyshacl`` (the
    reference) or ``native`` (the compiled engine of :mod:`policykg.shacl`,
    same report; refuses shapes it cannot validate exactly).
    """
    shapes = shapes if shapes is not None else load_shapes()
    requested = engine
    engine, why = choose_engine(shapes, engine)
    if engine == "native":
        from policykg.shacl import Index
        from policykg.shacl_sparql import PreBindingError

        try:
            raw = compiled(shapes).validate(Index(data))
            return _report(raw, shapes, lambda focus: _notice_of(data, focus))
        except PreBindingError as exc:
            if requested != "auto":
                raise
            why = exc.reason
    report_graph = run_pyshacl(data, shapes)
    results = []
    # top-level results only: nested ones (sh:detail, from sh:node) explain a result, they are not results
    top = {r for rep in report_graph.subjects(RDF.type, SH.ValidationReport) for r in report_graph.objects(rep, SH.result)}
    for node in top:
        sev = severity_name(report_graph.value(node, SH.resultSeverity) or SH.Violation)
        focus = report_graph.value(node, SH.focusNode)
        path = report_graph.value(node, SH.resultPath)
        value = report_graph.value(node, SH.value)
        shape = report_graph.value(node, SH.sourceShape)
        component = report_graph.value(node, SH.sourceConstraintComponent)
        msgs = {(m.language or "en"): str(m) for m in report_graph.objects(node, SH.resultMessage)
                if isinstance(m, Literal)}
        results.append(Result(sev, _notice_of(data, focus), _show(focus),
                              path_text(report_graph, path) if path is not None else None,
                              _show(value) if value is not None else None, _show(shape),
                              msgs.get("en") or next(iter(msgs.values()), ""), msgs.get("sv"),
                              _component(component)))
    results.sort(key=_order)
    return Report(results, report_graph, "pyshacl", why)


def run_pyshacl(data: Graph, shapes: Graph) -> Graph:
    """pyshacl's sh:ValidationReport graph, its sh:conforms as the SHACL spec
    says (no result of any severity), or :class:`ShaclError` when pyshacl cannot
    validate with these shapes."""
    import logging

    # pyshacl logs (and prints tracebacks of) every ill-typed literal it meets: noise, not results
    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)
    try:
        _, report_graph, _ = shacl_validate(data, shacl_graph=shapes, inference="none", abort_on_first=False)
    except Exception as exc:  # noqa: BLE001 - pyshacl raises its ReportableRuntimeErrors, NotImplementedError,
        # RecursionError and bare Exceptions from rdflib's SPARQL parser: each means it cannot validate
        first = (str(getattr(exc, "message", "")) or str(exc) or type(exc).__name__).strip().splitlines()[0]
        raise ShaclError(f"pyshacl cannot validate with these shapes ({first[:300]})") from None
    if not isinstance(report_graph, Graph):  # pyshacl returns some failures instead of raising them
        first = (str(getattr(report_graph, "message", "")) or str(report_graph)).strip().splitlines()[0]
        raise ShaclError(f"pyshacl cannot validate with these shapes ({first[:300]})")
    for rep in list(report_graph.subjects(RDF.type, SH.ValidationReport)):
        report_graph.set((rep, SH.conforms, Literal((rep, SH.result, None) not in report_graph)))
    return report_graph


def _component(c: object) -> str | None:
    if c is None:
        return None
    return "sh:" + str(c)[len(str(SH)):] if str(c).startswith(str(SH)) else str(c)


_COMPILED: dict[int, tuple[Graph, object]] = {}


def compiled(shapes: Graph):  # type: ignore[no-untyped-def]
    """The shapes compiled for the native engine (once per shapes graph); raises
    :class:`policykg.shacl.UnsupportedShapes` (each time) when it cannot be."""
    from policykg.shacl import CompiledShapes, UnsupportedShapes

    hit = _COMPILED.get(id(shapes))
    if hit is None or hit[0] is not shapes:
        try:
            engine: object = CompiledShapes(shapes)
        except UnsupportedShapes as exc:
            src = _SOURCES.get(id(shapes))
            engine = exc.locate(src[1]) if src is not None and src[0] is shapes else exc
        hit = _COMPILED[id(shapes)] = (shapes, engine)
    if isinstance(hit[1], UnsupportedShapes):
        raise hit[1]
    return hit[1]


def _report(raw, shapes: Graph, notice_of, with_graph: bool = True) -> Report:  # type: ignore[no-untyped-def]
    """Native-engine results -> the same Report (and sh:ValidationReport graph) pyshacl gives.

    ``with_graph=False`` skips the report graph: workers of ``validate --store``
    return only results, and building a graph nobody reads was ~10% of their time.
    """
    results = []
    paths: dict[object, str] = {}  # a shape's path, as text once
    for r in raw:
        msgs = {(m.language or "en"): str(m) for m in r.messages}
        path = None
        if r.path is not None:
            path = paths.get(r.path)
            if path is None:
                path = paths[r.path] = path_text(shapes, r.path)
        results.append(Result(severity_name(r.severity), notice_of(r.focus), _show(r.focus), path,
                              _show(r.value) if r.value is not None else None, _show(r.shape),
                              msgs.get("en") or next(iter(msgs.values()), ""), msgs.get("sv"),
                              _component(r.component)))
    results.sort(key=_order)
    return Report(results, _report_graph(raw, shapes) if with_graph else Graph())


def _report_graph(raw, shapes: Graph) -> Graph:  # type: ignore[no-untyped-def]
    """The sh:ValidationReport graph of native-engine results, as pyshacl writes it."""
    g = Graph()
    g.bind("sh", SH)
    rep = BNode()
    g.add((rep, RDF.type, SH.ValidationReport))
    g.add((rep, SH.conforms, Literal(not raw)))
    for r in raw:
        node = BNode()
        g.add((rep, SH.result, node))
        g.add((node, RDF.type, SH.ValidationResult))
        g.add((node, SH.resultSeverity, r.severity))
        g.add((node, SH.focusNode, r.focus))
        g.add((node, SH.sourceShape, r.shape))
        g.add((node, SH.sourceConstraintComponent, r.component))
        if r.constraint is not None:
            g.add((node, SH.sourceConstraint, r.constraint))
        if r.path is not None:
            g.add((node, SH.resultPath, r.path))
            if isinstance(r.path, BNode):
                for t in shapes.cbd(r.path):
                    g.add(t)
        if r.value is not None:
            g.add((node, SH.value, r.value))
        for m in r.messages:
            g.add((node, SH.resultMessage, m))
    return g


def path_text(g: Graph, path: object) -> str:
    """A SHACL path as a SPARQL property path ("^dpv:hasNotice/dpv:hasPurpose"),
    readable where a blank-node label would not be."""
    from policykg.namespaces import PREFIXES

    def name(iri: object) -> str:
        for prefix, ns in PREFIXES.items():
            if str(iri).startswith(str(ns)):
                return f"{prefix}:{str(iri)[len(str(ns)):]}"
        return f"<{iri}>"

    def walk(p: object) -> str:
        if isinstance(p, URIRef):
            return name(p)
        inv = g.value(p, SH.inversePath)  # type: ignore[arg-type]
        if inv is not None:
            return "^" + walk(inv)
        alt = g.value(p, SH.alternativePath)  # type: ignore[arg-type]
        if alt is not None:
            return "(" + "|".join(walk(x) for x in Collection(g, alt)) + ")"
        for prop, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
            inner = g.value(p, prop)  # type: ignore[arg-type]
            if inner is not None:
                return "(" + walk(inner) + ")" + mark
        if g.value(p, RDF.first) is not None:  # type: ignore[arg-type]
            return "/".join(walk(x) for x in Collection(g, p))  # type: ignore[arg-type]
        return _show(p)

    return walk(path)


def _show(node: object) -> str:
    if isinstance(node, BNode):
        return "_:" + str(node)[:8]
    return str(node)


def _notice_of(g: Graph, focus: object) -> str:
    """The identifier of the policy a focus node belongs to, for grouping."""
    notice = None
    if isinstance(focus, (URIRef, BNode)):
        if (focus, RDF.type, DPV.PrivacyNotice) in g:
            notice = focus
        else:
            notice = g.value(focus, DPV.hasNotice) or g.value(focus, PKG.aboutNotice)
            if notice is None:
                for target in g.objects(focus, OA.hasTarget):
                    notice = g.value(target, OA.hasSource)
            if notice is None:
                for s, _ in g.subject_predicates(focus):
                    notice = g.value(s, DPV.hasNotice) or (
                        s if (s, RDF.type, DPV.PrivacyNotice) in g else None)
                    if notice is not None:
                        break
    if notice is None:
        return "(not tied to one policy)"
    ident = g.value(notice, DCTERMS.identifier)
    return str(ident) if ident is not None else str(notice)


# --- the store: one policy at a time ------------------------------------------------

PARALLEL_FROM = 50
"""Stores of fewer policies are validated natively in-process: starting workers costs more."""


def validate_store(store, shapes: Graph | None = None, engine: str = "auto", jobs: int = 1,  # type: ignore[no-untyped-def]
                   on_progress=None, keep_graph: bool = False) -> Report:  # type: ignore[no-untyped-def]
    """Validate every policy of an embedded store, each in its own graph, and merge
    the results into one report (``keep_graph``: with one sh:ValidationReport graph).

    The shapes are local to one policy (a notice, its handlings, their evidence
    and the organisations they name all live in the policy's named graph), so
    validating policy by policy gives the same results as validating the union,
    in memory bounded by one policy. ``native`` is the bulk path; ``pyshacl``
    (the reference, and what ``auto`` takes for shapes the native engine does
    not implement) runs in ``jobs`` worker processes.
    """
    shapes = shapes if shapes is not None else load_shapes()
    requested = engine
    engine, why = choose_engine(shapes, engine)
    if engine == "native":
        from policykg.shacl_sparql import PreBindingError

        try:
            return _native_store(store, shapes, jobs, on_progress, keep_graph)
        except PreBindingError as exc:
            if requested != "auto":
                raise
            engine, why = "pyshacl", exc.reason
    idents = sorted(store.policies())
    results: list[Result] = []
    merged = _MergedReport() if keep_graph else None
    shapes_nt = shapes.serialize(format="nt")
    texts = ((ident, store.policy_ntriples(ident), shapes_nt) for ident in idents)
    if jobs <= 1:  # in-process: no worker start-up for one job
        for n, (res, rg) in enumerate(map(_validate_one, texts), start=1):
            _collect(results, merged, res, rg, on_progress, n, len(idents))
    else:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as ex:
            for n, (res, rg) in enumerate(ex.map(_validate_one, texts, chunksize=4), start=1):
                _collect(results, merged, res, rg, on_progress, n, len(idents))
    results.sort(key=_order)
    return Report(results, merged.graph(not results) if merged is not None else Graph(), engine, why)


def _native_store(store, shapes: Graph, jobs: int, on_progress, keep_graph: bool) -> Report:  # type: ignore[no-untyped-def]
    """The native engine over every policy of a store: in-process, or in ``jobs``
    workers for large stores on disk."""
    idents = sorted(store.policies())
    results: list[Result] = []
    merged = _MergedReport() if keep_graph else None
    if jobs <= 1 or store.path is None or keep_graph or len(idents) < PARALLEL_FROM:
        engine_ = compiled(shapes)
        for n, ident in enumerate(idents, start=1):
            rep = _native_policy(store, engine_, shapes, ident, with_graph=keep_graph)
            results.extend(shared(rep.results))
            if merged is not None:
                merged.add(rep.report_graph)
            if on_progress:
                on_progress(n, len(idents))
    else:
        from concurrent.futures import ProcessPoolExecutor

        # workers open the store read-only (Oxigraph allows many readers) and each
        # validates a slice of the policies; only results travel back
        shapes_nt = shapes.serialize(format="nt")
        size = max(1, min(500, len(idents) // (jobs * 8) or 1))
        chunks = [idents[i:i + size] for i in range(0, len(idents), size)]
        done = 0
        with ProcessPoolExecutor(max_workers=jobs) as ex:
            for part in ex.map(_native_chunk, [(str(store.path), shapes_nt, c) for c in chunks]):
                results.extend(shared(part))
                done += size
                if on_progress:
                    on_progress(min(done, len(idents)), len(idents))
    results.sort(key=_order)
    return Report(results, merged.graph(not results) if merged is not None else Graph(), "native")


def _collect(results: list[Result], merged: _MergedReport | None, res: list[Result], report_nt: str,  # type: ignore[no-untyped-def]
             on_progress, n: int, total: int) -> None:
    """One policy's pyshacl results into the run's report."""
    results.extend(shared(res))
    if merged is not None:
        merged.add(Graph().parse(data=report_nt, format="nt"))
    if on_progress:
        on_progress(n, total)


class _MergedReport:
    """One sh:ValidationReport for a run over many policies: every policy's
    results, under one report node whose sh:conforms is the run's."""

    def __init__(self) -> None:
        self.g = Graph()
        self.g.bind("sh", SH)
        self.node = BNode()

    def add(self, part: Graph) -> None:
        reports = set(part.subjects(RDF.type, SH.ValidationReport))
        for s, p, o in part:
            if s in reports:
                if p == SH.result:
                    self.g.add((self.node, SH.result, o))
            else:
                self.g.add((s, p, o))

    def graph(self, conforms: bool) -> Graph:
        self.g.add((self.node, RDF.type, SH.ValidationReport))
        self.g.add((self.node, SH.conforms, Literal(conforms)))
        return self.g


_SHAPES_CACHE: dict[str, Graph] = {}
_WORKER_STORES: dict[str, object] = {}


def _worker_shapes(shapes_nt: str) -> Graph:
    """The shapes graph in a worker process, parsed once per process."""
    shapes = _SHAPES_CACHE.get(shapes_nt)
    if shapes is None:
        shapes = _SHAPES_CACHE[shapes_nt] = Graph().parse(data=shapes_nt, format="nt")
    return shapes


def _native_policy(store, engine_, shapes: Graph, ident: str,  # type: ignore[no-untyped-def]
                   with_graph: bool = True) -> Report:
    from policykg.shacl import Index

    raw = engine_.validate(Index(store.policy_triples(ident)))
    return _report(raw, shapes, lambda _f: ident, with_graph) if raw else Report([], Graph())


def _native_chunk(args: tuple[str, str, list[str]]) -> list[Result]:
    """Worker: the native engine over some policies of a store opened read-only."""
    from policykg.store import Store

    path, shapes_nt, idents = args
    shapes = _worker_shapes(shapes_nt)
    store = _WORKER_STORES.get(path)
    if store is None:
        store = _WORKER_STORES[path] = Store(path, create=False, read_only=True)
    engine_ = compiled(shapes)
    out: list[Result] = []
    for ident in idents:
        out.extend(_native_policy(store, engine_, shapes, ident, with_graph=False).results)
    return out


def _validate_one(args: tuple[str, str, str]) -> tuple[list[Result], str]:
    """Worker: pyshacl on one policy's N-Triples."""
    ident, data_nt, shapes_nt = args
    shapes = _worker_shapes(shapes_nt)
    rep = validate(Graph().parse(data=data_nt, format="nt"), shapes, "pyshacl")
    for r in rep.results:
        r.notice = ident
    return rep.results, rep.report_graph.serialize(format="nt")
