"""The native SHACL engine gives pyshacl's report (shacl.py, validation.py)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph

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


def test_unsupported_feature_is_refused(tmp_path: Path) -> None:
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .""", format="turtle")
    with pytest.raises(UnsupportedShapes, match="closed"):
        validate(Graph(), shapes, engine="native")


def test_paths_are_shown_as_sparql_paths(shapes: Graph) -> None:
    data = Graph().parse(data="""
        @prefix dpv: <https://w3id.org/dpv#> . @prefix dct: <http://purl.org/dc/terms/> .
        <http://example.org/n> a dpv:PrivacyNotice ; dct:identifier "x" ; dct:language "en" .""",
                         format="turtle")
    paths = {r.path for r in validate(data, shapes).results}
    assert "^dpv:hasNotice/dpv:hasPurpose" in paths
    assert "^dpv:hasNotice/(dpv:hasDataProcessor|dpv:hasRecipientThirdParty|dpv:hasRecipient)" in paths
