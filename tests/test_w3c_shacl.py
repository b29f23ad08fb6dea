"""The W3C SHACL test suite (../shared/w3c-shacl-tests): never a silent wrong answer.

Every test runs through the native engine, through ``policykg validate`` as a user
runs it (auto, native and pyshacl), and through ``validate --store --shapes``. Each
either gives the expected report — conformance and the set of (focus node, path,
value, severity, source shape, constraint component) — or, where the brief allows,
is refused with a clear error. pyshacl itself runs too, with its known failures
recorded, so that a broken harness (one that passes everything) is noticed.
"""

from __future__ import annotations

from collections import Counter

import pytest
from click.testing import CliRunner
from rdflib import Graph

from tests.conftest import shared_dir
from tests.test_cli import run
from tests.w3c_shacl import W3CTest, load_suite, outcome, report_of


@pytest.fixture(scope="module")
def suite() -> list[W3CTest]:
    tests = load_suite(shared_dir("w3c-shacl-tests"))
    assert Counter(t.suite for t in tests) == {"core": 98, "sparql": 22}
    return tests


def _native(test: W3CTest) -> tuple[str, str]:
    from policykg.shacl import UnsupportedShapes
    from policykg.validation import load_shapes, validate

    data = Graph().parse(test.data, format="turtle")
    try:
        report = validate(data, load_shapes([str(test.shapes)]), engine="native")
    except UnsupportedShapes as exc:
        return outcome(test, None, str(exc))
    return outcome(test, report.report_graph, None)


def _cli(runner: CliRunner, test: W3CTest, *args: str) -> tuple[str, str]:
    """``policykg validate`` as a user runs it; the Turtle report compared with the expected one.
    Exit codes must agree with the report: 0 conforms, 1 results (--fail-on info), 2 refused."""
    r = run(runner, "validate", *args, "--shapes", str(test.shapes), "-f", "turtle", "--fail-on", "info")
    if r.exit_code == 2:  # one clear line, after the note that auto took pyshacl (if it did)
        lines = r.stderr.strip().splitlines()
        assert lines[-1].startswith("Error: ") and all(x.startswith("Validating with pyshacl") for x in lines[:-1]), \
            r.stderr
        return outcome(test, None, lines[-1])
    assert r.exit_code in (0, 1), r.output
    report = Graph().parse(data=r.stdout, format="turtle")
    conforms, _ = report_of(report)
    assert r.exit_code == (0 if conforms else 1), f"exit {r.exit_code} with sh:conforms {conforms}"
    return outcome(test, report, None)


def _tally(outcomes: dict[str, tuple[str, str]], suite: list[W3CTest], part: str) -> Counter[str]:
    return Counter(outcomes[t.name][0] for t in suite if t.suite == part)


def _wrong(outcomes: dict[str, tuple[str, str]]) -> dict[str, str]:
    return {name: why for name, (o, why) in outcomes.items() if o == "wrong"}


def test_native_engine_is_never_silently_wrong(suite: list[W3CTest]) -> None:
    outcomes = {t.name: _native(t) for t in suite}
    assert _wrong(outcomes) == {}
    for name, (o, why) in outcomes.items():
        if o == "refused":  # names the shape and the feature
            assert "cannot validate the shape" in why and "validate with --engine pyshacl" in why, (name, why)
    core = _tally(outcomes, suite, "core")
    assert core["pass"] >= 96, core
    # the two it refuses are the ill-formed "strange" paths (a list that is also an inverse path)
    assert {n for n, (o, _) in outcomes.items() if o == "refused" and n.startswith("core/")} == {
        "core/path/path-strange-001", "core/path/path-strange-002"}
    # SHACL-SPARQL constraints run natively (Oxigraph); what the engine does not do is refused, never
    # ignored: the three SPARQL-based constraint components and $shapesGraph. The seven tests where a
    # processor must fail (MINUS, VALUES, SERVICE, AS $this, subqueries without $this) pass by refusal.
    assert _tally(outcomes, suite, "sparql") == {"pass": 18, "refused": 4}
    assert {n for n, (o, _) in outcomes.items() if o == "refused" and n.startswith("sparql/")} == {
        "sparql/component/optional-001", "sparql/component/propertyValidator-select-001",
        "sparql/component/validator-001", "sparql/pre-binding/shapesGraph-001"}


def test_validate_auto_passes_the_core_suite(runner: CliRunner, suite: list[W3CTest]) -> None:
    outcomes = {t.name: _cli(runner, t, str(t.data)) for t in suite}
    assert _wrong(outcomes) == {}
    core, sparql = _tally(outcomes, suite, "core"), _tally(outcomes, suite, "sparql")
    assert core == {"pass": 98}, core
    # the native engine answers SHACL-SPARQL constraints, pyshacl the components; $shapesGraph is
    # refused by both, exit 2 (prefixes declared through owl:imports, which pyshacl cannot find
    # in a graph read by policykg, pass natively)
    assert sparql == {"pass": 21, "refused": 1}, sparql
    assert "$shapesGraph" in outcomes["sparql/pre-binding/shapesGraph-001"][1]


def test_validate_native_refuses_or_is_right(runner: CliRunner, suite: list[W3CTest]) -> None:
    outcomes = {t.name: _cli(runner, t, str(t.data), "--engine", "native") for t in suite}
    assert _wrong(outcomes) == {}
    assert _tally(outcomes, suite, "core")["pass"] >= 96


def test_validate_pyshacl_has_one_known_core_failure(runner: CliRunner, suite: list[W3CTest]) -> None:
    """The reference through the same harness: only ``sh:uniqueLang "1"^^xsd:boolean`` is
    wrong (pyshacl reads it as true; SHACL gives it no effect). Conformance follows the
    spec here, so a shape of severity Warning no longer 'conforms' (severity-001)."""
    outcomes = {t.name: _cli(runner, t, str(t.data), "--engine", "pyshacl") for t in suite}
    assert set(_wrong(outcomes)) == {"core/property/uniqueLang-002"}
    assert _tally(outcomes, suite, "core") == {"pass": 97, "wrong": 1}
    # $shapesGraph, and prefixes declared through owl:imports: pyshacl finds prefixes only among
    # the data graph's own @prefix bindings, which a graph read by policykg does not carry
    assert _tally(outcomes, suite, "sparql") == {"pass": 20, "refused": 2}
    assert "Unknown namespace prefix" in outcomes["sparql/node/prefixes-001"][1]


def test_pyshacl_itself_has_its_known_failures(suite: list[W3CTest]) -> None:
    """pyshacl called directly (its defaults): the harness finds exactly the failures
    pyshacl is known for — a harness that passed everything would be no check."""
    from pyshacl import validate

    outcomes = {}
    for t in suite:
        try:
            _, report, _ = validate(Graph().parse(t.data, format="turtle"),
                                    shacl_graph=Graph().parse(t.shapes, format="turtle"))
            # some failures come back as the report (a ValidationFailure) instead of being raised
            outcomes[t.name] = outcome(t, report, None) if isinstance(report, Graph) else \
                outcome(t, None, str(report))
        except Exception as exc:  # noqa: BLE001 - pyshacl raises several types; any is a refusal here
            outcomes[t.name] = outcome(t, None, f"{type(exc).__name__}: {exc}")
    assert set(_wrong(outcomes)) == {"core/property/uniqueLang-002"}
    assert _tally(outcomes, suite, "core") == {"pass": 97, "wrong": 1}
    assert outcomes["sparql/pre-binding/shapesGraph-001"][0] == "refused"


def _store_outcome(store, test: W3CTest, shapes: Graph, engine: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    from policykg.validation import PolicyKGError, validate_store

    try:
        report = validate_store(store, shapes, engine, jobs=1, keep_graph=True)
    except PolicyKGError as exc:
        return outcome(test, None, str(exc))
    return outcome(test, report.report_graph, None)


def test_store_with_custom_shapes_equals_pyshacl(suite: list[W3CTest]) -> None:
    """The store validated with custom shapes (auto: native where it can) gives the
    report of pyshacl on the same store, test by test; each test is the store's one
    policy (an in-memory store: the on-disk one is the same code, and
    tests/test_validation.py runs ``validate --store --shapes`` on disk). The one
    difference allowed is where pyshacl is wrong and the native engine right
    (``sh:uniqueLang "1"^^xsd:boolean``), and where pyshacl cannot run the test and the
    native engine can (prefixes declared through owl:imports)."""
    from policykg.store import Extracted, Store
    from policykg.validation import load_shapes

    store, previous, differ = Store(None), None, {}
    for n, t in enumerate(suite):
        ident = f"w3c-{n}"
        nt = Graph().parse(t.data, format="turtle").serialize(format="nt")
        store.write([Extracted(ident, str(t.data), str(n), nt, "")], remove=[previous] if previous else [])
        previous = ident
        shapes = load_shapes([str(t.shapes)])
        auto, reference = _store_outcome(store, t, shapes, "auto"), _store_outcome(store, t, shapes, "pyshacl")
        if auto[0] != reference[0] or (auto[0] == "wrong" and auto[1] != reference[1]):
            differ[t.name] = (auto[0], reference[0])
    assert differ == {"core/property/uniqueLang-002": ("pass", "wrong"), "sparql/node/prefixes-001": ("pass", "refused")}
