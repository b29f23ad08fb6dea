"""The validation report: its order, its JSON and text forms, and its memory sharing."""

from __future__ import annotations

import json
import pickle
import random
from dataclasses import asdict
from pathlib import Path

from rdflib import Graph

from policykg.validation import Report, Result, shared


def _results() -> list[Result]:
    """Results with ties on (policy, severity, shape, focus) that only path or value break."""
    out = []
    for i in range(12):
        out.append(Result(["Violation", "Warning", "Info"][i % 3], f"policy-{i % 2}", "https://x/notice",
                          "dpv:hasNotice" if i % 4 else None, f"https://x/handling/{i}" if i % 5 else None,
                          f"https://w3id.org/policykg/shapes#S{i % 2}", "Ett \"meddelande\"\növer två rader",
                          "ett meddelande" if i % 2 else None, "sh:MinCountConstraintComponent"))
    return out


def _report(results: list[Result]) -> Report:
    rs = list(results)
    rs.sort(key=lambda r: (r.notice, -["", "Info", "Warning", "Violation"].index(r.severity), r.shape,
                           r.focus, r.path or "", r.value or ""))
    return Report(rs, Graph())


def test_json_is_json_dumps_of_the_whole_report() -> None:
    for rs in ([], _results()[:1], _results()):
        rep = _report(rs)
        whole = json.dumps({"conforms": not rep.results, "counts": rep.counts(),
                            "results": [asdict(r) for r in rep.results]}, indent=2, ensure_ascii=False)
        assert rep.to_json() == whole


def test_text_report_does_not_depend_on_the_order_results_arrive_in() -> None:
    texts = set()
    for seed in range(5):
        rs = _results()
        random.Random(seed).shuffle(rs)
        texts.add(Report(rs, Graph()).to_text("sv"))
    assert len(texts) == 1
    text = texts.pop()
    assert text.index("== policy-0") < text.index("== policy-1")
    assert text.rstrip().endswith("Violations: 4  Warnings: 4  Info: 4")
    # ties on the focus are broken by the value: handling/1 is listed before handling/7
    lines = text.splitlines()
    assert lines.index("== policy-1: 2 violation, 2 warning, 2 info") < \
        next(n for n, line in enumerate(lines) if line.endswith("= https://x/handling/1")) < \
        next(n for n, line in enumerate(lines) if line.endswith("= https://x/handling/7"))


def test_shared_interns_strings_that_came_back_from_a_worker() -> None:
    copies = pickle.loads(pickle.dumps(_results())) + pickle.loads(pickle.dumps(_results()))
    assert copies[0].message is not copies[12].message
    lean = shared(copies)
    assert lean[0].message is lean[12].message
    assert lean[0].shape is lean[2].shape and lean[1].notice is lean[13].notice
    assert [asdict(r) for r in lean] == [asdict(r) for r in _results() + _results()]


def test_store_validation_is_the_same_in_workers_in_process_and_with_pyshacl(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The store's three paths — native in worker processes (results only, no report
    graph), native in-process, pyshacl per policy — give the same results."""
    from pathlib import Path

    from policykg import validation
    from policykg.build import build_store
    from policykg.pipeline import policy_files
    from policykg.store import Store

    policies = Path(__file__).resolve().parents[1] / "data" / "policies"
    build_store(policy_files([policies]), tmp_path / "store", jobs=1)
    store = Store(tmp_path / "store", create=False, read_only=True)

    def key(r: Result) -> tuple:  # type: ignore[type-arg]
        return (r.notice, r.severity, r.shape, r.focus, r.path, r.value, r.component, r.message)

    in_process = validation.validate_store(store, jobs=1)
    monkeypatch.setattr(validation, "PARALLEL_FROM", 1)
    in_workers = validation.validate_store(store, jobs=2)
    reference = validation.validate_store(store, engine="pyshacl", jobs=2)
    assert in_process.results, "the bundled policies have transparency gaps: the comparison is not vacuous"
    assert len({r.notice for r in in_process.results}) == 5
    assert [key(r) for r in in_workers.results] == [key(r) for r in in_process.results]
    assert sorted(map(key, reference.results)) == sorted(map(key, in_process.results))


# --- one honest report, through the CLI as a user runs it ----------------------------------

SHAPES = Path(__file__).resolve().parents[1] / "shapes"
SPARQL_SHAPE = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix dpv: <https://w3id.org/dpv#> .
<http://example.org/LegalBasisShape> a sh:NodeShape ; sh:targetSubjectsOf dpv:hasPurpose ;
    sh:severity sh:Warning ;
    sh:sparql [ sh:message "no legal basis" ;
                sh:select "SELECT $this WHERE { FILTER NOT EXISTS { $this <https://w3id.org/dpv#hasLegalBasis> ?b } }" ] .
"""
# the same check as a SPARQL-based constraint component: the native engine does not implement those
COMPONENT_SHAPE = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix dpv: <https://w3id.org/dpv#> .
@prefix ex: <http://example.org/> .
ex:NeedsComponent a sh:ConstraintComponent ; sh:parameter [ sh:path ex:needs ] ;
    sh:nodeValidator [ a sh:SPARQLSelectValidator ; sh:message "no legal basis" ;
        sh:select "SELECT $this WHERE { FILTER NOT EXISTS { $this $needs ?b } }" ] .
ex:LegalBasisShape a sh:NodeShape ; sh:targetSubjectsOf dpv:hasPurpose ; sh:severity sh:Warning ;
    ex:needs dpv:hasLegalBasis .
"""


def _report_nodes(turtle: str) -> tuple[list[object], int]:
    """(sh:conforms of each sh:ValidationReport, the number of top-level results):
    pyshacl also writes nested results (sh:detail of an sh:node failure), which explain
    a result and are no results of their own."""
    from rdflib.namespace import RDF, SH

    g = Graph().parse(data=turtle, format="turtle")
    reports = list(g.subjects(RDF.type, SH.ValidationReport))
    return [g.value(r, SH.conforms).toPython() for r in reports], len([o for r in reports for o in g.objects(r, SH.result)])


def test_conforms_is_the_same_in_turtle_and_json_and_fail_on_decides_the_exit(bundled_ttl: Path) -> None:
    """Warnings only: the graph does not conform (SHACL), in Turtle as in JSON; it was
    sh:conforms true beside 32 results. --fail-on violation exits 0, warning exits 1."""
    from click.testing import CliRunner

    from tests.test_cli import run

    runner = CliRunner()
    for engine in ("auto", "pyshacl"):
        ttl = run(runner, "validate", str(bundled_ttl), "-f", "turtle", "--engine", engine)
        js = run(runner, "validate", str(bundled_ttl), "-f", "json", "--engine", engine)
        assert ttl.exit_code == js.exit_code == 0, ttl.output  # warnings and infos: below --fail-on violation
        conforms, results = _report_nodes(ttl.stdout)
        report = json.loads(js.stdout)
        assert report["counts"]["Violation"] == 0 and results == len(report["results"]) > 0
        assert conforms == [False] and report["conforms"] is False, engine
        assert run(runner, "validate", str(bundled_ttl), "--engine", engine, "--fail-on", "warning").exit_code == 1


def test_the_store_gives_one_report_per_run(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from policykg.build import build_store
    from policykg.pipeline import policy_files
    from tests.test_cli import run

    policies = Path(__file__).resolve().parents[1] / "data" / "policies"
    build_store(policy_files([policies]), tmp_path / "store", jobs=1)
    runner = CliRunner()
    ttl = run(runner, "validate", "--store", str(tmp_path / "store"), "-f", "turtle")
    js = run(runner, "validate", "--store", str(tmp_path / "store"), "-f", "json")
    assert ttl.exit_code == js.exit_code == 0, ttl.output
    assert "Validating with pyshacl" not in ttl.stderr  # the bundled shapes: the native engine
    conforms, results = _report_nodes(ttl.stdout)
    assert conforms == [False] and results == len(json.loads(js.stdout)["results"]) > 0

    # custom shapes the native engine does not implement: pyshacl, said on stderr, same report
    shapes = tmp_path / "component.ttl"
    shapes.write_text(COMPONENT_SHAPE, encoding="utf-8")
    store = str(tmp_path / "store")
    auto = run(runner, "validate", "--store", store, "--shapes", str(shapes), "-f", "json", "-j", "2")
    assert auto.exit_code == 0, auto.output
    assert "Validating with pyshacl: the native engine cannot validate the shape " \
           "<http://example.org/LegalBasisShape>: the SPARQL-based constraint component " \
           "<http://example.org/NeedsComponent> (parameter <http://example.org/needs>)." in auto.stderr
    found = json.loads(auto.stdout)
    assert found["conforms"] is False and found["counts"]["Warning"] > 0
    reference = run(runner, "validate", "--store", store, "--shapes", str(shapes), "-f", "json",
                    "--engine", "pyshacl", "-j", "1")
    assert json.loads(reference.stdout) == found
    native = run(runner, "validate", "--store", store, "--shapes", str(shapes), "--engine", "native")
    assert native.exit_code == 2 and native.stdout == ""
    assert native.stderr.strip() == (
        "Error: the native SHACL engine cannot validate the shape <http://example.org/LegalBasisShape>: "
        "the SPARQL-based constraint component <http://example.org/NeedsComponent> (parameter "
        "<http://example.org/needs>); validate with --engine pyshacl or auto")

    # the same check as an sh:sparql constraint: the native engine, the same results as pyshacl
    sparql = tmp_path / "sparql.ttl"
    sparql.write_text(SPARQL_SHAPE, encoding="utf-8")
    native = run(runner, "validate", "--store", store, "--shapes", str(sparql), "-f", "json")
    assert native.exit_code == 0 and "pyshacl" not in native.stderr, native.stderr
    reference = run(runner, "validate", "--store", store, "--shapes", str(sparql), "-f", "json", "--engine", "pyshacl")

    def keys(out: str) -> list[tuple[object, ...]]:
        return sorted((r["focus"], r["path"] or "", r["value"] or "", r["severity"], r["component"])
                      for r in json.loads(out)["results"])
    assert keys(native.stdout) == keys(reference.stdout) and len(keys(native.stdout)) == found["counts"]["Warning"]


def test_auto_takes_the_native_engine_for_the_bundled_shapes_and_pyshacl_otherwise(tmp_path: Path) -> None:
    from policykg.validation import choose_engine, load_shapes

    assert choose_engine(load_shapes()) == ("native", None)
    sparql = tmp_path / "sparql.ttl"
    sparql.write_text(SPARQL_SHAPE, encoding="utf-8")
    assert choose_engine(load_shapes([str(sparql)])) == ("native", None)
    shapes = tmp_path / "component.ttl"
    shapes.write_text(COMPONENT_SHAPE, encoding="utf-8")
    engine, why = choose_engine(load_shapes([str(shapes)]))
    assert engine == "pyshacl" and "SPARQL-based constraint component" in (why or "")
    assert choose_engine(load_shapes([str(shapes)]), "pyshacl") == ("pyshacl", None)


def test_custom_severities_rank_as_violations_and_are_counted_apart() -> None:
    rs = [Result("http://example.org/Minor", "p", "f", None, None, "s", "m", None),
          Result("Warning", "p", "f", None, None, "s", "m", None)]
    rep = Report(rs, Graph())
    assert rep.fails("violation") and not rep.conforms
    assert rep.counts() == {"Violation": 0, "Warning": 1, "Info": 0, "http://example.org/Minor": 1}
    assert rep.summary().endswith("http://example.org/Minor: 1")
    assert "== p: 1 http://example.org/Minor, 1 warning" in rep.to_text()
