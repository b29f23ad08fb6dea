"""Every canned query parses, has a valid header, and gives its expected rows on a small graph."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from rdflib import Graph

from policykg import results
from policykg.errors import QueryError
from policykg.export import load_ontology
from policykg.queries import Param, find_query, inject_values, list_queries, prepare, to_term

HERE = Path(__file__).parent / "queries"
QUERIES = list_queries()
PARAMS = {"evidence-for-purpose": {"vendor": "acme"}}


@pytest.fixture(scope="module")
def corpus() -> Graph:
    return Graph().parse(HERE / "corpus.ttl") + load_ontology()


def test_there_are_at_least_ten_queries() -> None:
    assert len(QUERIES) >= 10


@pytest.mark.parametrize("q", QUERIES, ids=lambda q: q.name)
def test_query_parses_and_has_header(q) -> None:  # type: ignore[no-untyped-def]
    assert q.title and q.description
    prepare(q.text, q.name)


@pytest.mark.parametrize("q", QUERIES, ids=lambda q: q.name)
def test_query_expected_rows(q, corpus: Graph) -> None:  # type: ignore[no-untyped-def]
    expected_file = HERE / f"{q.name}.csv"
    assert expected_file.exists(), f"no expected rows for {q.name}"
    res = corpus.query(prepare(q.bind(PARAMS.get(q.name, {})), q.name))
    got = list(csv.reader(io.StringIO(results.to_csv(res))))
    want = list(csv.reader(io.StringIO(expected_file.read_text(encoding="utf-8"))))
    assert got[0] == want[0]
    # GROUP_CONCAT order is not defined by SPARQL: compare its parts as a set
    def norm(rows: list[list[str]]) -> list[tuple[str, ...]]:
        return sorted(tuple(", ".join(sorted(c.split(", "))) for c in r) for r in rows)
    assert norm(got[1:]) == norm(want[1:])


def test_parameters_are_values_blocks_not_substitution() -> None:
    q = find_query("vendors-naming-recipient")
    text = q.bind({"recipient": "org:mailchimp"})
    assert "VALUES ?recipient { <https://w3id.org/policykg/org/mailchimp> }" in text
    prepare(text)


def test_values_go_into_the_outermost_where_not_a_comment() -> None:
    text = "# WHERE { not here }\nSELECT ?x WHERE { ?x ?p ?o }"
    out = inject_values(text, ["VALUES ?x { 1 }"])
    assert out.index("VALUES") > out.index("SELECT")


def test_injection_attempts_become_literals() -> None:
    term = to_term('x" } ; DROP ALL ; #', Param("vendor"))
    assert term.n3().startswith('"x\\" }')


@pytest.mark.parametrize("bad", ["not an iri", "<a b>"])
def test_ill_typed_iri_parameter(bad: str) -> None:
    with pytest.raises(QueryError):
        to_term(bad, Param("recipient", "iri"))


def test_unknown_and_missing_parameters() -> None:
    with pytest.raises(QueryError, match="no parameter"):
        find_query("rights-matrix").bind({"nope": "1"})
    with pytest.raises(QueryError, match="needs the parameter"):
        find_query("evidence-for-purpose").bind({})


def test_unknown_query() -> None:
    with pytest.raises(QueryError, match="unknown query"):
        find_query("no-such-query")


def test_json_is_w3c_sparql_results(corpus: Graph) -> None:
    q = find_query("shared-processors")
    data = json.loads(results.to_json(corpus.query(prepare(q.bind({})))))
    assert data["head"]["vars"] == ["recipient", "recipientLabel", "vendorCount", "vendors"]
    row = data["results"]["bindings"][0]
    assert row["recipient"] == {"type": "uri", "value": "https://w3id.org/policykg/org/google-analytics"}


def test_every_query_runs_on_the_bundled_graph(bundled_graph) -> None:  # type: ignore[no-untyped-def]
    g = bundled_graph + load_ontology()
    for q in QUERIES:
        res = g.query(prepare(q.bind({"vendor": "iptor"} if q.name == "evidence-for-purpose" else {})))
        assert res.vars


# --- parameters are exact RDF terms (issue 22) ---------------------------------------

ECHO = """#+ title: Echo
#+ description: Returns its parameter unchanged.
#+ params:
#+   - name: v
#+     type: {type}
SELECT ?v WHERE {{ }}
"""
ECHO_UNPROJECTED = """#+ title: Echo through a filter
#+ description: The parameter is not projected, so it is bound as a VALUES block.
#+ params:
#+   - name: v
#+     type: {type}
SELECT ?out WHERE {{ BIND(?v AS ?out) }}
"""


def _echo(tmp_path: Path, kind: str, template: str = ECHO):  # type: ignore[no-untyped-def]
    from policykg.queries import load_query

    p = tmp_path / f"echo-{kind}-{len(template)}.rq"
    p.write_text(template.format(type=kind), encoding="utf-8")
    return load_query(p)


def _round_trip(q, raw: str):  # type: ignore[no-untyped-def]
    """The value as the store, rdflib and a remote server's parser get it back."""
    import pyoxigraph as ox
    from rdflib import Graph as G

    from policykg.queries import evaluate

    via_store = [row[0] for row in evaluate(ox.Store(), q, {"v": raw})]
    via_rdflib = [row[0] for row in G().query(q.text, initBindings=q.terms({"v": raw}))]
    via_text = [row[0] for row in ox.Store().query(q.bind({"v": raw}))]  # what --endpoint sends
    return via_store, via_rdflib, via_text


@pytest.mark.parametrize("raw", [
    'a "quoted"\nline', 'back\\slash \\" and \\u0022', "tab\there", "} ; DROP ALL ; #", "\x01\x7f", "é😀",
    "trailing space ", "",
])
def test_string_parameters_come_back_unchanged(raw: str, tmp_path: Path) -> None:
    from policykg.queries import to_oxigraph

    for template in (ECHO, ECHO_UNPROJECTED):
        q = _echo(tmp_path, "string", template)
        store, rdflib_rows, text = _round_trip(q, raw)
        assert [str(t) for t in rdflib_rows] == [raw]
        assert [t.value for t in (r for r in text)] == [raw]
        assert [str(t) for t in store] == [raw]
        assert to_oxigraph(q.terms({"v": raw})["v"]).value == raw


@pytest.mark.parametrize("kind,bad", [
    ("lang-string", "Datainspektionen@sv\n"), ("lang-string", "x@not a tag"), ("integer", "12\n"),
    ("integer", " 12"), ("integer", "99999999999999999999"), ("date", "2024-01-01\n"), ("date", "2024-13-01"),
    ("iri", "https://example.org/a b"), ("iri", "https://example.org/\n"), ("iri", "<https://example.org/x>\n"),
])
def test_a_value_that_does_not_fit_its_type_is_refused_not_changed(kind: str, bad: str) -> None:
    with pytest.raises(QueryError, match="must be"):
        to_term(bad, Param("v", kind))


def test_typed_parameters_keep_their_type(tmp_path: Path) -> None:
    assert to_term("Datainspektionen@sv", Param("v", "lang-string")).language == "sv"
    assert to_term("-0042", Param("v", "integer")).toPython() == -42
    q = _echo(tmp_path, "lang-string")
    store, rdflib_rows, text = _round_trip(q, "a@b@en-GB")
    assert [(str(t), t.language) for t in store] == [("a@b", "en-gb")] or \
        [(str(t), t.language) for t in store] == [("a@b", "en-GB")]


def test_a_service_clause_is_refused_on_local_data(tmp_path: Path) -> None:
    import pyoxigraph as ox

    from policykg.queries import evaluate, load_query

    p = tmp_path / "remote.rq"
    p.write_text("#+ title: t\n#+ description: d\nSELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }\n",
                 encoding="utf-8")
    with pytest.raises(QueryError, match="SERVICE"):
        evaluate(ox.Store(), load_query(p), {})


@pytest.mark.parametrize("content,message", [
    (b"\xff\xfeS\x00E\x00", "not valid UTF-8"), (b"SELECT \x00 WHERE {}", "NUL"), (b"  \n", "empty"),
])
def test_a_query_file_that_is_not_sparql_text_is_one_clear_error(content: bytes, message: str,
                                                                tmp_path: Path) -> None:
    from policykg.queries import load_query

    p = tmp_path / "bad.rq"
    p.write_bytes(content)
    with pytest.raises(QueryError, match=message) as err:
        load_query(p)
    assert str(p) in err.value.format_message()


def test_syntax_errors_keep_the_parsers_position(tmp_path: Path) -> None:
    import pyoxigraph as ox

    from policykg.queries import evaluate, load_query

    p = tmp_path / "broken.rq"
    p.write_text("#+ title: t\n#+ description: d\nSELECT ?x WHERE {\n  ?x ?p\n}\n", encoding="utf-8")
    with pytest.raises(QueryError, match=r"SPARQL syntax error: error at [56]:[0-9]+") as err:
        evaluate(ox.Store(), load_query(p), {})
    assert "\n" not in err.value.format_message()


# --- the same rows on a real Virtuoso (Debian's virtuoso-opensource) -------------------------

VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/db.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {d}/temp.db
TransactionFile = {d}/temp.trx
[Parameters]
ServerPort = {sql}
DirsAllowed = ., {d}
NumberOfBuffers = 2000
MaxDirtyBuffers = 1200
[HTTPServer]
ServerPort = {http}
ServerRoot = {d}
ServerThreads = 2
[SPARQL]
ResultSetMaxRows = 10000
MaxQueryExecutionTime = 60
"""


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory, corpus: Graph):  # type: ignore[no-untyped-def]
    """A Virtuoso 7 server on 127.0.0.1 holding the corpus and the ontology."""
    import subprocess

    from tests.test_remote import running_virtuoso

    d = tmp_path_factory.mktemp("virtuoso")
    with running_virtuoso(d) as (sql, http):
        corpus.serialize(d / "corpus.nt", format="nt", encoding="utf-8")
        load = f"DB.DBA.TTLP_MT(file_to_string_output('{d}/corpus.nt'), '', 'urn:corpus', 0);"
        subprocess.run(["isql-vt", str(sql), "dba", "dba", f"exec={load}"], check=True, capture_output=True,
                       timeout=60)
        yield f"http://127.0.0.1:{http}/sparql"


def _strings(value: object) -> str:
    text = "" if value is None else str(value)
    text = {"1": "true", "0": "false"}.get(text, text)  # Virtuoso answers booleans as 1/0
    return " ".join(sorted(re.split(r",? ", text)))  # GROUP_CONCAT order is not defined by SPARQL


@pytest.mark.endpoint
@pytest.mark.parametrize("q", QUERIES, ids=lambda q: q.name)
def test_query_gives_the_same_rows_on_virtuoso(q, corpus: Graph, virtuoso: str) -> None:  # type: ignore[no-untyped-def]
    """Plain SPARQL 1.1, evidence per fact included: the same answers on a second engine, every
    column compared: durations as policykg reads them back (Virtuoso 7 answers "P2Y" as "24"
    months), their day counts (pkg:days) as they are."""
    from policykg import remote

    text = q.bind(PARAMS.get(q.name, {}))
    res = corpus.query(prepare(text, q.name))
    names = [str(v) for v in res.vars]
    local = sorted(tuple(_strings(r[i]) for i in range(len(names))) for r in res)
    answer = remote.query(virtuoso, text)
    assert [str(v) for v in answer.vars] == names
    assert sorted(tuple(_strings(b.get(v)) for v in answer.vars) for b in answer.bindings) == local


@pytest.mark.endpoint
def test_a_query_for_an_endpoint_is_sent_as_written(virtuoso: str, tmp_path: Path) -> None:
    """bif: is Virtuoso's own prefix, declared by the server only (rdflib and Oxigraph refuse
    the query): it reaches the server unparsed and gives the server's answer."""
    from click.testing import CliRunner

    from tests.test_cli import run

    q = tmp_path / "bif.rq"
    q.write_text('SELECT (bif:upper("dpo") AS ?u) WHERE { }\n', encoding="utf-8")
    with pytest.raises(Exception, match="bif"):
        prepare(q.read_text(encoding="utf-8"))
    r = run(CliRunner(), "query", str(q), "--endpoint", virtuoso, "-f", "csv")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == ["u", "DPO"]


@pytest.mark.endpoint
def test_typed_parameters_and_construct_on_an_endpoint(virtuoso: str, corpus: Graph, tmp_path: Path) -> None:
    """-p values go to the server as a VALUES block (terms written by Oxigraph's N-Triples
    serialiser), so the canned query's rows are the local ones; CONSTRUCT comes back as RDF."""
    from click.testing import CliRunner

    from tests.test_cli import CORPUS_TTL, run

    args = ("vendors-naming-recipient", "-p", "recipient", "org:mailchimp", "-f", "csv")
    remote = run(CliRunner(), "query", *args, "--endpoint", virtuoso)
    local = run(CliRunner(), "query", *args[:1], CORPUS_TTL, *args[1:])
    assert remote.exit_code == 0 and local.exit_code == 0, remote.output
    assert sorted(remote.stdout.splitlines()) == sorted(local.stdout.splitlines())
    assert len(local.stdout.splitlines()) == 2
    q = tmp_path / "ids.rq"
    q.write_text("PREFIX dpv: <https://w3id.org/dpv#>\nPREFIX dct: <http://purl.org/dc/terms/>\n"
                 "CONSTRUCT { ?n dct:identifier ?id } WHERE { ?n a dpv:PrivacyNotice ; dct:identifier ?id }\n",
                 encoding="utf-8")
    r = run(CliRunner(), "query", str(q), "--endpoint", virtuoso, "-f", "nt")
    assert r.exit_code == 0, r.output
    assert sorted(str(o) for o in Graph().parse(data=r.stdout, format="nt").objects()) == ["acme", "borg"]


def test_every_duration_has_its_day_count_and_retention_periods_orders_by_it(bundled_ttl: Path) -> None:
    """graph.py writes pkg:days (xsd:integer) beside each xsd:duration when the graph is built,
    as the ontology declares it: every server can order by it (not only what `push` sent)."""
    from click.testing import CliRunner
    from rdflib import RDF, XSD, Literal, URIRef

    from policykg.remote import duration_days
    from tests.test_cli import run

    days = URIRef("https://w3id.org/policykg#days")
    onto = load_ontology()
    assert (days, URIRef("http://www.w3.org/2000/01/rdf-schema#range"), XSD.integer) in onto
    g = Graph().parse(bundled_ttl)
    durations = [(d, v) for d, v in g.subject_objects(RDF.value) if isinstance(v, Literal) and v.datatype == XSD.duration]
    assert len(durations) >= 2
    for d, v in durations:
        assert list(g.objects(d, days)) == [Literal(duration_days(str(v)), datatype=XSD.integer)], v
    r = run(CliRunner(), "query", "retention-periods", str(bundled_ttl))
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    counts = [int(row["days"]) for row in rows if row["days"]]
    assert len(counts) >= 2 and counts == sorted(counts, reverse=True)


class _Recording:
    """A real Oxigraph store that keeps what it was asked."""

    def __init__(self, store) -> None:  # type: ignore[no-untyped-def]
        self.store, self.calls = store, []

    def query(self, text: str, **kwargs):  # type: ignore[no-untyped-def]
        self.calls.append((text, kwargs))
        return self.store.query(text, **kwargs)


@pytest.mark.parametrize("name", ["evidence-for-purpose", "retention-periods"])
def test_the_vendor_parameter_reaches_the_subquery_on_oxigraph(name: str) -> None:
    """Oxigraph's substitutions do not restrict a subquery (one vendor of 200 took 0.30 s,
    against 0.0015 s with a VALUES block there): the store gets the VALUES block."""
    import pyoxigraph as ox

    from policykg.queries import evaluate

    store = ox.Store()
    store.load(path=str(HERE / "corpus.ttl"), format=ox.RdfFormat.TURTLE)
    rec = _Recording(store)
    res = evaluate(rec, find_query(name), {"vendor": "acme"})  # type: ignore[arg-type]
    assert {str(r[0]) for r in res} == {"acme"}
    (text, kwargs), = rec.calls
    assert not kwargs.get("substitutions")
    inner = text.index("{ SELECT ?vendor")
    assert text.index('VALUES ?vendor { "acme" }') > inner
