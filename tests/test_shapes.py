"""Each shape has a conforming and a violating example; the violation names the shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

from policykg.validation import load_shapes, validate
from tests.conftest import ROOT
from tests.shapes.make_examples import PRE

HERE = Path(__file__).parent / "shapes"
PKS = "https://w3id.org/policykg/shapes#"
SHAPES = load_shapes()
NAMED = sorted(str(s)[len(PKS):] for s in set(SHAPES.subjects(SH.severity, None)) if str(s).startswith(PKS))


def test_shapes_graph_is_valid_shacl() -> None:
    conforms, _, text = shacl_validate(SHAPES, meta_shacl=True, inference="none")
    assert conforms, text


@pytest.mark.parametrize("shape", NAMED)
def test_shape_has_messages_in_both_languages_and_a_reason(shape: str) -> None:
    node = URIRef(PKS + shape)
    langs = {m.language for m in SHAPES.objects(node, SH.message)}
    assert {"en", "sv"} <= langs
    assert SHAPES.value(node, URIRef("http://www.w3.org/2000/01/rdf-schema#comment")) is not None


@pytest.mark.parametrize("shape", NAMED)
def test_every_shape_has_examples(shape: str) -> None:
    assert list((HERE / "valid").glob(f"{shape}-*.ttl")), f"no valid example for {shape}"
    assert list((HERE / "invalid").glob(f"{shape}-*.ttl")), f"no invalid example for {shape}"


def test_base_example_conforms_to_every_shape() -> None:
    assert validate(Graph().parse(HERE / "base.ttl"), SHAPES).results == []


@pytest.mark.parametrize("path", sorted((HERE / "valid").glob("*.ttl")), ids=lambda p: p.stem)
def test_valid_examples_conform(path: Path) -> None:
    """A valid example has no violation, and nothing from the shape it is named after."""
    shape = PKS + path.stem.rsplit("-", 1)[0]
    report = validate(Graph().parse(path), SHAPES)
    assert not report.fails("violation"), report.to_text()
    assert not [r for r in report.results if r.shape == shape], report.to_text()


@pytest.mark.parametrize("path", sorted((HERE / "invalid").glob("*.ttl")), ids=lambda p: p.stem)
def test_invalid_example_is_reported_by_its_shape(path: Path) -> None:
    shape = PKS + path.stem.rsplit("-", 1)[0]
    report = validate(Graph().parse(path), SHAPES)
    named = [r for r in report.results if r.shape == shape]
    assert named, f"{path.name}: no result from {shape}; got {[r.shape for r in report.results]}"
    expected = str(SHAPES.value(URIRef(shape), SH.severity)).rsplit("#", 1)[-1]
    assert all(r.severity == expected for r in named)


def test_bundled_graph_conforms(bundled_graph) -> None:  # type: ignore[no-untyped-def]
    report = validate(bundled_graph, SHAPES)
    assert not report.fails("violation"), report.to_text()


def test_severity_threshold() -> None:
    g = Graph().parse(HERE / "invalid" / "HandlingControllerShape-001.ttl")
    report = validate(g, SHAPES)
    assert report.fails("violation") and report.counts()["Violation"] >= 1
    assert "HandlingControllerShape" in report.to_text()
    assert RDF.type  # keep import used


# --- SHACL-SPARQL: the exact per-fact check (shapes/sparql/, not loaded by default) ------

SPARQL_SHAPES = load_shapes([str(ROOT / "shapes"), str(ROOT / "shapes" / "sparql")])
FACT_SHAPES = ("HandlingFactAnnotationShape", "NoticeFactAnnotationShape")


def _with(update: str) -> Graph:
    g = Graph().parse(HERE / "base.ttl")
    g.update(PRE + update)
    return g


@pytest.mark.parametrize("shape", FACT_SHAPES)
def test_sparql_shapes_say_why_in_both_languages(shape: str) -> None:
    node = URIRef(PKS + shape)
    assert {m.language for m in SPARQL_SHAPES.objects(node, SH.message)} >= {"en", "sv"}
    assert SPARQL_SHAPES.value(node, RDFS.comment) is not None
    assert SPARQL_SHAPES.value(node, SH.severity) == SH.Violation


def test_base_example_conforms_to_the_sparql_shapes() -> None:
    assert validate(Graph().parse(HERE / "base.ttl"), SPARQL_SHAPES).results == []


@pytest.mark.parametrize(("update", "shape"), [
    # the value is named for another handling only: SHACL Core cannot see it, SPARQL can
    ("INSERT DATA { ex:h2 dpv:hasPersonalData pd:EmailAddress }", "HandlingFactAnnotationShape"),
    # another notice states a right that only the first notice's annotation names
    ('INSERT DATA { ex:notice-b a dpv:PrivacyNotice ; dct:identifier "b" ; dct:language "en" ; '
     'dpv:hasRight <https://w3id.org/dpv/legal/eu/gdpr#A15> }', "NoticeFactAnnotationShape"),
    # a controller that no annotation of the handling's notice names
    ('INSERT DATA { ex:notice-b a dpv:PrivacyNotice ; dct:identifier "b" ; dct:language "en" . '
     'ex:h3 a dpv:PersonalDataHandling ; dpv:hasNotice ex:notice-b ; dpv:hasDataController org:acme ; '
     'dpv:hasPurpose dpv:DirectMarketing . ex:a6 oa:hasBody ex:h3 }',
     "HandlingFactAnnotationShape"),
])
def test_a_fact_without_its_own_annotation_is_a_violation(update: str, shape: str) -> None:
    g = _with(update)
    assert not [r for r in validate(g, SHAPES).results if r.severity == "Violation"]  # Core passes it
    named = [r for r in validate(g, SPARQL_SHAPES).results if r.shape == PKS + shape]
    assert named and all(r.severity == "Violation" for r in named)


@pytest.mark.parametrize("update", [
    "INSERT DATA { ex:h2 dpv:hasPersonalData pd:EmailAddress }",
    'INSERT DATA { ex:notice-b a dpv:PrivacyNotice ; dct:identifier "b" ; dct:language "en" ; '
    'dpv:hasRight <https://w3id.org/dpv/legal/eu/gdpr#A15> }',
])
def test_the_native_engine_gives_pyshacls_report_on_the_sparql_shapes(update: str) -> None:
    """The SPARQL shapes run natively (Oxigraph, tests/test_shacl_sparql.py) with the
    results of pyshacl: focus, path, value, shape, component and severity."""
    g = _with(update)
    native, reference = validate(g, SPARQL_SHAPES, engine="native"), validate(g, SPARQL_SHAPES, engine="pyshacl")

    def key(r):  # type: ignore[no-untyped-def]
        return r.severity, r.focus, r.path or "", r.value or "", r.shape, r.component or ""
    assert sorted(map(key, native.results)) == sorted(map(key, reference.results))
    assert any(r.component == "sh:SPARQLConstraintComponent" for r in native.results)


def test_a_bundled_policy_conforms_to_the_sparql_shapes() -> None:
    from policykg.pipeline import extract_source
    from policykg.reading import read_source

    g = extract_source(read_source(ROOT / "data" / "policies" / "infobric.txt")).graph
    assert not validate(g, SPARQL_SHAPES).fails("violation")
