"""The W3C SHACL test suite read as data, and reports compared as its harnesses do.

Used by ``tests/test_w3c_shacl.py`` and by ``benchmarks/shacl_engines.py``. A test
is one ``sht:Validate`` entry of the suite's manifests: a data graph, a shapes
graph, and either the expected ``sh:ValidationReport`` or ``sht:Failure`` (a
conforming processor must refuse the shapes). Two reports are equal when their
conformance and their *sets* of results are: each result is (focus node, path,
value, severity, source shape, constraint component). Blank nodes cannot be
matched across graphs, so a blank focus node, value or shape compares as
"a blank node" and a blank path by its structure (``^ex:p``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")

Key = tuple[object, ...]


@dataclass(frozen=True)
class W3CTest:
    """One test of the suite."""

    name: str  # e.g. "core/node/class-001"
    label: str
    data: Path
    shapes: Path
    conforms: bool | None  # None: the processor must fail (sht:Failure)
    results: frozenset[Key]

    @property
    def suite(self) -> str:
        return self.name.split("/", 1)[0]


def load_suite(root: Path) -> list[W3CTest]:
    """Every test reachable from ``root/manifest.ttl`` through ``mf:include``, in file order."""
    out: list[W3CTest] = []
    seen: set[Path] = set()

    def read(manifest: Path) -> None:
        if manifest in seen:
            return
        seen.add(manifest)
        g = Graph().parse(manifest, format="turtle")
        for inc in g.objects(None, MF.include):
            read(_path(inc))
        for lst in g.objects(None, MF.entries):
            for entry in Collection(g, lst):
                out.append(_test(g, entry, manifest, root))

    read((root / "manifest.ttl").resolve())
    return out


def _path(iri: object) -> Path:
    return Path(unquote(urlparse(str(iri)).path))


def _test(g: Graph, entry: object, manifest: Path, root: Path) -> W3CTest:
    action = g.value(entry, MF.action)  # type: ignore[arg-type]
    data, shapes = g.value(action, SHT.dataGraph), g.value(action, SHT.shapesGraph)  # type: ignore[arg-type]
    expected = g.value(entry, MF.result)  # type: ignore[arg-type]
    name = str(manifest.relative_to(root.resolve()).parent / str(entry).rsplit("/", 1)[-1])
    label = str(g.value(entry, RDFS.label) or "")  # type: ignore[arg-type]
    if expected == SHT.Failure:
        return W3CTest(name, label, _path(data), _path(shapes), None, frozenset())
    conforms, results = report_of(g, expected)
    return W3CTest(name, label, _path(data), _path(shapes), conforms, results)


def report_of(g: Graph, report: object | None = None) -> tuple[bool, frozenset[Key]]:
    """(sh:conforms, the set of result keys) of the report node ``report`` of ``g``
    (default: the one ``sh:ValidationReport`` of ``g``)."""
    if report is None:
        reports = list(g.subjects(RDF.type, SH.ValidationReport))
        if len(reports) != 1:
            raise AssertionError(f"a report graph must hold one sh:ValidationReport, not {len(reports)}")
        report = reports[0]
    conforms = g.value(report, SH.conforms)  # type: ignore[arg-type]
    if not isinstance(conforms, Literal) or not isinstance(conforms.toPython(), bool):
        raise AssertionError(f"sh:conforms is {conforms!r}, not a boolean")
    return bool(conforms.toPython()), frozenset(result_key(g, r) for r in g.objects(report, SH.result))  # type: ignore[arg-type]


def result_key(g: Graph, r: object) -> Key:
    """(focus, path, value, severity, source shape, component) of one result."""
    def term(p: URIRef) -> object:
        v = g.value(r, p)  # type: ignore[arg-type]
        return "_:" if isinstance(v, BNode) else v

    path = g.value(r, SH.resultPath)  # type: ignore[arg-type]
    return (term(SH.focusNode), None if path is None else path_key(g, path), term(SH.value),
            term(SH.resultSeverity), term(SH.sourceShape), term(SH.sourceConstraintComponent))


def path_key(g: Graph, p: object) -> object:
    """A SHACL path by its structure, so that blank-node paths of two graphs compare."""
    if not isinstance(p, BNode):
        return p
    for prop, mark in ((SH.inversePath, "^"), (SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"),
                       (SH.zeroOrOnePath, "?")):
        inner = g.value(p, prop)
        if inner is not None:
            return (mark, path_key(g, inner))
    alt = g.value(p, SH.alternativePath)
    if alt is not None:
        return ("|", tuple(path_key(g, x) for x in Collection(g, alt)))
    if g.value(p, RDF.first) is not None:
        return ("/", tuple(path_key(g, x) for x in Collection(g, p)))
    return "_:"


def outcome(test: W3CTest, report: Graph | None, error: str | None) -> tuple[str, str]:
    """("pass" | "refused" | "wrong", why) for what an engine did on ``test``:
    returned the report graph ``report``, or failed with ``error``."""
    if error is not None:
        if test.conforms is None:
            return "pass", "failed, as it must"
        return "refused", error
    assert report is not None
    if test.conforms is None:
        return "wrong", "gave a report where a processor must fail"
    conforms, results = report_of(report)
    if conforms != test.conforms or results != test.results:
        missing = sorted(map(repr, test.results - results))
        extra = sorted(map(repr, results - test.results))
        return "wrong", (f"conforms {conforms} (expected {test.conforms}); missing {missing}; "
                         f"unexpected {extra}")
    return "pass", ""
