"""SHACL-SPARQL constraints in the native engine (policykg.shacl_sparql): pre-binding,
what SHACL forbids in a query, and the fall-back to pyshacl where it cannot pre-bind."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from policykg.shacl import InvalidShapes
from policykg.shacl_sparql import PreBindingError, prebind, query_problems
from policykg.validation import load_shapes, validate
from tests.test_cli import run

PRE = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
"""


def test_prebinding_writes_the_term_everywhere_and_keeps_strings() -> None:
    q = 'SELECT $this ?v WHERE { BIND ($this AS ?that) FILTER bound($this) ?that ex:p "$this" . # $this\n}'
    assert prebind(q, {"this": "<urn:a>"}) == (
        'SELECT (<urn:a> AS ?this) ?v WHERE { BIND (<urn:a> AS ?that) FILTER (true) ?that ex:p "$this" . # $this\n}')


def test_prebinding_a_subquery_returns_this_under_a_name_of_its_own() -> None:
    q = "SELECT $this WHERE { { SELECT $this ?x WHERE { $this ex:p ?x } } }"
    assert prebind(q, {"this": "<urn:a>"}) == (
        "SELECT (<urn:a> AS ?this) WHERE { { SELECT (<urn:a> AS ?this_pkg2) ?x WHERE { <urn:a> ex:p ?x } } }")


@pytest.mark.parametrize(("query", "why"), [
    ("SELECT $this WHERE { $this ?p ?o MINUS { $this ex:q ?o } }", "MINUS"),
    ("SELECT $this WHERE { VALUES ?o { 1 } $this ?p ?o }", "VALUES"),
    ("SELECT $this WHERE { SERVICE <http://x> { $this ?p ?o } }", "SERVICE"),
    ("SELECT $this WHERE { BIND (1 AS $this) }", "re-binds"),
    ("SELECT $this WHERE { { SELECT ?o WHERE { $this ?p ?o } } }", "subquery"),
    ("SELECT $this WHERE { { SELECT * WHERE { $this ?p ?o } } }", "subquery"),
])
def test_what_shacl_forbids_is_invalid(query: str, why: str) -> None:
    problems = query_problems(query)
    assert problems and all(invalid for invalid, _ in problems) and why in problems[0][1]


def test_keywords_in_strings_names_and_variables_are_no_problem() -> None:
    assert query_problems('SELECT $this ?values WHERE { $this ex:values ?values FILTER (?values != "MINUS") }') == []


def _shapes(tmp_path: Path, text: str) -> Path:
    f = tmp_path / "shapes.ttl"
    f.write_text(PRE + text, encoding="utf-8")
    return f


def test_an_invalid_query_is_refused_by_every_engine_naming_the_shape(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    """pyshacl refused it as 'A SPARQL Constraint must not contain a VALUES clause', naming no shape
    (and policykg crashed on the ValidationFailure it returned): now one line, exit 2, the shape."""
    shapes = _shapes(tmp_path, "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select "
                               "'SELECT $this WHERE { VALUES ?p { ex:p } $this ?p ?o }' ] .")
    data = tmp_path / "data.ttl"
    data.write_text("<http://example.org/a> a <http://example.org/C> .", encoding="utf-8")
    for engine in ("auto", "native", "pyshacl"):
        r = run(runner, "validate", str(data), "--shapes", str(shapes), "--engine", engine)
        assert r.exit_code == 2 and r.stdout == ""
        assert r.stderr == ("Error: the shapes are not valid SHACL: the shape <http://example.org/S>: its SPARQL "
                            "query has a VALUES clause, which SHACL does not allow\n"), engine
    with pytest.raises(InvalidShapes):
        validate(Graph(), load_shapes([str(shapes)]), engine="pyshacl")


def test_a_blank_focus_node_goes_to_pyshacl_under_auto(tmp_path: Path) -> None:
    """A blank node cannot be written into a query: ``native`` says so, ``auto`` takes
    pyshacl (and says why) and gets the reference report."""
    shapes = load_shapes([str(_shapes(tmp_path, "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ "
                                                "sh:select 'SELECT $this ?value WHERE { $this <http://example.org/p> ?value }' ] ."))])
    data = Graph().parse(data="@prefix ex: <http://example.org/> . [ a ex:C ; ex:p 1 ] . ex:a a ex:C .",
                         format="turtle")
    with pytest.raises(PreBindingError, match="blank node"):
        validate(data, shapes, engine="native")
    auto = validate(data, shapes)
    assert auto.engine == "pyshacl" and "cannot pre-bind the blank node" in (auto.fallback or "")
    assert [(r.value, r.component) for r in auto.results] == [("1", "sh:SPARQLConstraintComponent")]


def test_results_follow_the_solution_and_messages_are_filled_in(tmp_path: Path) -> None:
    shapes = load_shapes([str(_shapes(tmp_path, """ex:S a sh:NodeShape ; sh:targetNode ex:a ;
        sh:sparql [ sh:message "{$this} has {?value}"@en ;
                    sh:select 'SELECT $this ?path ?value WHERE { $this ?path ?value FILTER (?path = <http://example.org/p>) }' ] ."""))])
    data = Graph().parse(data="@prefix ex: <http://example.org/> . ex:a ex:p ex:b ; ex:q ex:c .", format="turtle")
    [r] = validate(data, shapes, engine="native").results
    assert (r.focus, r.path, r.value) == ("http://example.org/a", "<http://example.org/p>", "http://example.org/b")
    assert r.message == "http://example.org/a has http://example.org/b"


def test_scorecard_of_a_store_with_sparql_shapes_runs_natively(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    """It exited 2 refusing sh:sparql; a component shape goes to pyshacl, said on stderr."""
    from policykg.build import build_store
    from policykg.pipeline import policy_files
    from tests.conftest import POLICIES, ROOT

    build_store(policy_files([POLICIES / "infobric.txt"]), tmp_path / "store", jobs=1)
    shapes = ["--shapes", str(ROOT / "shapes"), "--shapes", str(ROOT / "shapes" / "sparql")]
    r = run(runner, "scorecard", "--store", str(tmp_path / "store"), *shapes, "-f", "json")
    assert r.exit_code == 0 and "pyshacl" not in r.stderr, r.output
    component = tmp_path / "component.ttl"
    component.write_text(PRE + """ex:Comp a sh:ConstraintComponent ; sh:parameter [ sh:path ex:needs ] ;
        sh:validator [ a sh:SPARQLAskValidator ; sh:ask 'ASK { FILTER (true) }' ] .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; ex:needs ex:p .""", encoding="utf-8")
    r = run(runner, "scorecard", "--store", str(tmp_path / "store"), *shapes, "--shapes", str(component))
    assert r.exit_code == 0, r.output
    assert "Validating with pyshacl: the native engine cannot validate the shape <http://example.org/S>" in r.stderr
    r = run(runner, "scorecard", "--store", str(tmp_path / "store"), "--shapes", str(component), "--engine", "native")
    assert r.exit_code == 2 and "--engine pyshacl or auto" in r.stderr
