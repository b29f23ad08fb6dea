"""The native SHACL engine gives pyshacl's report (shacl.py, validation.py)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from policykg.pipeline import extract_paths
from policykg.shacl import UnsupportedShapes
from policykg.validation import Result, load_shapes, validate

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "tests" / "shapes").glob("*/*.ttl"))


def _key(r: Result) -> tuple:
    blank = lambda x: "_:" if x and x.startswith("_:") else x  # noqa: E731 - labels differ, positions do not
    return (r.severity, blank(r.focus), r.path, blank(r.value), blank(r.shape), r.component, r.message,
            r.message_sv, r.notice)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_native_equals_pyshacl_on_every_shape_example(example: Path, shapes: Graph) -> None:
    data = Graph().parse(example)
    reference = Counter(map(_key, validate(data, shapes).results))
    native = Counter(map(_key, validate(data, shapes, engine="native").results))
    assert native == reference
    if example.parent.name == "invalid":
        assert native, "an invalid example must give results"


def test_native_equals_pyshacl_on_bundled_policies(shapes: Graph) -> None:
    ds = extract_paths([ROOT / "data" / "policies"])
    data = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        data.add((s, p, o))
    reference = validate(data, shapes)
    native = validate(data, shapes, engine="native")
    assert Counter(map(_key, native.results)) == Counter(map(_key, reference.results))
    assert reference.results  # the bundled policies have transparency gaps: the comparison is not vacuous


SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def _shapes(tmp_path: Path, text: str) -> Graph:
    f = tmp_path / "shapes.ttl"
    f.write_text(SHAPES + text, encoding="utf-8")
    return load_shapes([str(f)])


def _refusal(tmp_path: Path, text: str) -> str:
    with pytest.raises(UnsupportedShapes) as exc:
        validate(Graph(), _shapes(tmp_path, text), engine="native")
    return str(exc.value)


def test_sparql_it_cannot_run_is_refused_naming_the_shape(tmp_path: Path) -> None:
    msg = _refusal(tmp_path, "ex:S a sh:NodeShape ; sh:targetClass ex:C ; "
                             "sh:sparql [ sh:select 'SELECT $this { $shapesGraph ?p ?o }' ] .")
    assert "the shape <http://example.org/S>: $shapesGraph in a SPARQL query" in msg and "--engine pyshacl" in msg


def test_a_sparql_based_component_is_refused_not_ignored(tmp_path: Path) -> None:
    """A parameter outside sh: is a SHACL-SPARQL constraint component when one declares
    it; ignoring it gave a wrong 'conforms'."""
    msg = _refusal(tmp_path, """
        ex:Comp a sh:ConstraintComponent ; sh:parameter [ sh:path ex:maxWords ] ;
            sh:validator [ sh:ask 'ASK { FILTER (false) }' ] .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; ex:maxWords 3 .""")
    assert "<http://example.org/S>: the SPARQL-based constraint component <http://example.org/Comp>" in msg


def test_blank_node_shapes_are_named_by_name_or_found_by_line(tmp_path: Path) -> None:
    named = _refusal(tmp_path, """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
        sh:property [ sh:name "word count" ; sh:path ex:p ; sh:sparql [ sh:select 'SELECT $this { $shapesGraph ?p ?o }' ] ] .""")
    assert "the shape 'word count' (a blank node) (shapes.ttl line 4): $shapesGraph" in named
    anonymous = _refusal(tmp_path, """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
        sh:property [ sh:path ex:p ;
                      sh:sparql [ sh:select 'SELECT $this { $shapesGraph ?p ?o }' ] ] .""")
    assert "a blank-node property shape with sh:path <http://example.org/p> (the sh:property of " \
           "<http://example.org/S>) (shapes.ttl line 5): $shapesGraph" in anonymous


def test_recursion_is_refused_not_a_crash(tmp_path: Path) -> None:
    msg = _refusal(tmp_path, """ex:Person a sh:NodeShape ; sh:targetClass ex:Person ;
        sh:property [ sh:path ex:knows ; sh:node ex:Person ] .""")
    assert "recursion" in msg and "<http://example.org/Person>" in msg


def test_an_ill_formed_path_is_refused(tmp_path: Path) -> None:
    """A path that is a list and an inverse path at once was read as the inverse."""
    msg = _refusal(tmp_path, """ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:class ex:C ;
        sh:path [ rdf:first ex:p ; rdf:rest ( ex:q ) ; sh:inversePath ex:p ] .""")
    assert "<http://example.org/S>: an ill-formed path (a blank node that is sh:inversePath and rdf:first)" in msg


def test_a_deactivated_shape_is_skipped_whatever_it_uses(tmp_path: Path) -> None:
    shapes = _shapes(tmp_path, """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:deactivated true ;
        sh:sparql [ sh:select 'SELECT $this {}' ] .
        ex:T a sh:NodeShape ; sh:targetClass ex:C ; sh:class ex:D .""")
    data = Graph().parse(data="<http://example.org/x> a <http://example.org/C> .", format="turtle")
    report = validate(data, shapes, engine="native")
    assert [(r.shape, r.component) for r in report.results] == [("http://example.org/T", "sh:ClassConstraintComponent")]


def test_every_target_type_is_validated(tmp_path: Path) -> None:
    """targetNode, targetSubjectsOf, targetObjectsOf and implicit class targets: none skipped."""
    shapes = _shapes(tmp_path, """
        ex:A a sh:NodeShape ; sh:targetNode ex:x ; sh:class ex:Nothing .
        ex:B a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:class ex:Nothing .
        ex:C a sh:NodeShape ; sh:targetObjectsOf ex:p ; sh:nodeKind sh:Literal .
        ex:D a sh:NodeShape, rdfs:Class ; sh:class ex:Nothing .""")
    data = Graph().parse(data="""@prefix ex: <http://example.org/> .
        ex:y ex:p ex:z . ex:w a ex:D .""", format="turtle")
    native = {(r.shape.rsplit("/", 1)[-1], r.focus.rsplit("/", 1)[-1]) for r in validate(data, shapes, "native").results}
    assert native == {("A", "x"), ("B", "y"), ("C", "z"), ("D", "w")}
    assert native == {(r.shape.rsplit("/", 1)[-1], r.focus.rsplit("/", 1)[-1])
                      for r in validate(data, shapes, "pyshacl").results}


def test_target_subjects_of_on_the_bundled_policies_equals_pyshacl(tmp_path: Path, bundled_graph: Graph) -> None:
    """The case the issue found: 0 results natively, 207 with pyshacl."""
    shapes = _shapes(tmp_path, """@prefix dpv: <https://w3id.org/dpv#> .
        ex:S a sh:NodeShape ; sh:targetSubjectsOf dpv:hasPurpose ;
            sh:property [ sh:path dpv:hasLegalBasis ; sh:minCount 1 ; sh:severity sh:Info ] .""")
    native, reference = validate(bundled_graph, shapes, "native"), validate(bundled_graph, shapes, "pyshacl")
    assert native.results, "the bundled policies have handlings without a legal basis"
    # without sh:message pyshacl writes a message of its own; the native engine leaves it empty
    assert Counter(_key(r)[:6] for r in native.results) == Counter(_key(r)[:6] for r in reference.results)


def test_custom_severity_is_reported_as_given(tmp_path: Path) -> None:
    shapes = _shapes(tmp_path, "ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:class ex:C ; sh:severity ex:Minor .")
    for engine in ("native", "pyshacl"):
        report = validate(Graph(), shapes, engine)
        assert [r.severity for r in report.results] == ["http://example.org/Minor"], engine
        assert (None, SH.resultSeverity, URIRef("http://example.org/Minor")) in report.report_graph
        assert report.fails("violation") and not report.conforms  # a custom severity counts as a violation


def test_has_value_on_a_node_shape_reports_no_value(tmp_path: Path) -> None:
    shapes = _shapes(tmp_path, "ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:hasValue ex:y .")
    for engine in ("native", "pyshacl"):
        [r] = validate(Graph(), shapes, engine).results
        assert (r.focus, r.value, r.component) == ("http://example.org/x", None, "sh:HasValueConstraintComponent")


def test_paths_are_shown_as_sparql_paths(shapes: Graph) -> None:
    data = Graph().parse(data="""
        @prefix dpv: <https://w3id.org/dpv#> . @prefix dct: <http://purl.org/dc/terms/> .
        <http://example.org/n> a dpv:PrivacyNotice ; dct:identifier "x" ; dct:language "en" .""",
                         format="turtle")
    paths = {r.path for r in validate(data, shapes).results}
    assert "^dpv:hasNotice/dpv:hasPurpose" in paths
    assert "^dpv:hasNotice/(dpv:hasDataProcessor|dpv:hasRecipientThirdParty|dpv:hasRecipient)" in paths
