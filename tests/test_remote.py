"""Push to and query a real Oxigraph server on 127.0.0.1 (the `oxigraph` PyPI package)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from policykg import results
from policykg.export import load_ontology
from policykg.queries import list_queries, prepare
from tests.test_cli import run

CORPUS = Path(__file__).parent / "queries" / "corpus.ttl"
PARAMS = {"evidence-for-purpose": {"vendor": "acme"}}


def _oxigraph() -> str | None:
    local = Path(sys.executable).parent / "oxigraph"
    return str(local) if local.exists() else shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory):  # type: ignore[no-untyped-def]
    yield from _serve(tmp_path_factory.mktemp("oxi"))


@pytest.fixture
def empty_server(tmp_path_factory):  # type: ignore[no-untyped-def]
    yield from _serve(tmp_path_factory.mktemp("oxi-empty"))


def _serve(location: Path):  # type: ignore[no-untyped-def]
    exe = _oxigraph()
    if exe is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    port = _free_port()
    proc = subprocess.Popen([exe, "serve", "--location", str(location),
                             "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("oxigraph serve did not start")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


def _rows(csv_text: str, text: str | None = None) -> list[tuple[str, ...]]:
    rows = list(csv.reader(io.StringIO(csv_text)))
    # GROUP_CONCAT order is not defined by SPARQL: compare its parts as a set (by the query's
    # own separator when the query text is given)
    from policykg.ordering import plan

    p = plan(text) if text else None
    seps = [(p.concat.get(n) if p else ", ") for n in rows[0]] if rows else []
    return sorted(tuple(sep.join(sorted(c.split(sep))) if sep else c for c, sep in zip(r, seps, strict=False))
                  for r in rows[1:])


@pytest.mark.endpoint
def test_every_canned_query_gives_the_same_rows_remotely(runner: CliRunner, server: str) -> None:
    r = run(runner, "-q", "push", str(CORPUS), "--endpoint", f"{server}/store", "--replace")
    assert r.exit_code == 0, r.output
    local = Graph().parse(CORPUS) + load_ontology()
    for q in list_queries():
        text = q.bind(PARAMS.get(q.name, {}))
        want = _rows(results.to_csv(local.query(prepare(text))))
        r = run(runner, "query", q.name, "--endpoint", f"{server}/query",
                *[a for k, v in PARAMS.get(q.name, {}).items() for a in ("-p", k, v)])
        assert r.exit_code == 0, (q.name, r.output)
        assert _rows(r.stdout) == want, q.name


@pytest.mark.endpoint
def test_push_keeps_one_named_graph_per_policy(runner: CliRunner, server: str, tmp_path: Path) -> None:
    policy = tmp_path / "acme.txt"
    policy.write_text("Acme AB is the data controller. We send newsletters with Mailchimp based on your "
                      "consent.\n", encoding="utf-8")
    nq = tmp_path / "acme.nq"
    assert run(runner, "-q", "extract", str(policy), "-o", str(nq)).exit_code == 0
    assert run(runner, "-q", "push", str(nq), "--endpoint", f"{server}/store", "--replace").exit_code == 0
    q = tmp_path / "graphs.rq"
    q.write_text("#+ title: Graphs\n#+ description: Named graphs.\n"
                 "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }\n", encoding="utf-8")
    r = run(runner, "query", str(q), "--endpoint", f"{server}/query")
    assert "https://w3id.org/policykg/id/graph/acme" in r.stdout


def test_unreachable_endpoint_is_one_clear_error(runner: CliRunner) -> None:
    port = _free_port()  # nothing listens there
    r = run(runner, "query", "rights-matrix", "--endpoint", f"http://127.0.0.1:{port}/query", "--timeout", "5")
    assert r.exit_code == 2 and "cannot be reached" in r.output and r.output.count("Error") == 1
    r = run(runner, "push", str(CORPUS), "--endpoint", f"http://127.0.0.1:{port}/store", "--timeout", "5")
    assert r.exit_code == 2 and "cannot be reached" in r.output


@pytest.mark.endpoint
def test_http_error_is_one_clear_error(runner: CliRunner, server: str) -> None:
    r = run(runner, "push", str(CORPUS), "--endpoint", f"{server}/no-such-service")
    assert r.exit_code == 2 and "HTTP 4" in r.output


@pytest.mark.endpoint
def test_store_and_endpoint_give_the_same_rows(runner: CliRunner, empty_server: str, tmp_path: Path) -> None:
    """The embedded store, pushed to a real server: every canned query, same rows."""
    store = tmp_path / "store"
    seeds = Path(__file__).resolve().parents[1] / "data" / "policies"
    assert run(runner, "-q", "build", str(seeds), "--store", str(store), "-j", "1").exit_code == 0
    r = run(runner, "-q", "push", "--store", str(store), "--endpoint", f"{empty_server}/store", "--replace")
    assert r.exit_code == 0, r.output
    compared = 0
    for q in list_queries():
        params = [a for k, v in PARAMS.get(q.name, {}).items() for a in ("-p", k, v)]
        local = run(runner, "query", q.name, "--store", str(store), *params)
        remote_ = run(runner, "query", q.name, "--endpoint", f"{empty_server}/query", *params)
        assert local.exit_code == 0 and remote_.exit_code == 0, (q.name, local.output, remote_.output)
        text = q.bind(PARAMS.get(q.name, {}))
        assert _rows(remote_.stdout, text) == _rows(local.stdout, text), q.name
        compared += bool(_rows(local.stdout))
    assert compared >= 10, "most canned queries have rows on the bundled policies"


@pytest.mark.endpoint
def test_scorecard_from_the_endpoint_equals_the_store(runner: CliRunner, empty_server: str, tmp_path: Path) -> None:
    store = tmp_path / "store"
    seeds = Path(__file__).resolve().parents[1] / "data" / "policies"
    assert run(runner, "-q", "build", str(seeds), "--store", str(store), "-j", "1").exit_code == 0
    assert run(runner, "-q", "push", "--store", str(store), "--endpoint", f"{empty_server}/store").exit_code == 0
    local = run(runner, "scorecard", "--store", str(store), "-f", "json")
    remote_ = run(runner, "scorecard", "--endpoint", f"{empty_server}/query", "-f", "json")
    assert local.exit_code == 0 and remote_.exit_code == 0, remote_.output
    same = [{k: v for k, v in json.loads(r.stdout).items() if k != "provenance"} for r in (remote_, local)]
    assert same[0] == same[1]  # all but the provenance, which names the inputs
    assert len(json.loads(local.stdout)["vendors"]) == 5


class _Canned:
    """A real HTTP server on 127.0.0.1 that answers every request with one fixed body:
    stands in for servers whose answers differ from Oxigraph's."""

    def __init__(self, body: bytes, content_type: str) -> None:
        import http.server
        import threading

        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.send_response(200)
                self.send_header("Content-Type", outer.content_type)
                self.send_header("Content-Length", str(len(outer.body)))
                self.end_headers()
                self.wfile.write(outer.body)

            def log_message(self, *args: object) -> None:
                pass

        self.body, self.content_type = body, content_type
        self.httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/sparql"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.mark.endpoint
def test_an_answer_that_is_not_sparql_results_is_one_clear_error(runner: CliRunner) -> None:
    srv = _Canned(b"<html><body>Welcome to the proxy</body></html>", "application/sparql-results+json")
    try:
        r = run(runner, "query", "rights-matrix", "--endpoint", srv.url)
    finally:
        srv.close()
    assert r.exit_code == 2 and "did not answer with SPARQL JSON results" in r.output
    assert r.output.count("Error") == 1


@pytest.mark.endpoint
def test_legacy_typed_literals_of_older_servers_are_read(runner: CliRunner) -> None:
    """SPARQL 1.0-era servers (Virtuoso) send "typed-literal"; the answer is read all the same."""
    body = json.dumps({"head": {"vars": ["vendor", "n"]}, "results": {"bindings": [
        {"vendor": {"type": "literal", "value": "acme"},
         "n": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "3"}}]}})
    srv = _Canned(body.encode(), "application/sparql-results+json")
    try:
        r = run(runner, "query", "rights-matrix", "--endpoint", srv.url, "-f", "json")
    finally:
        srv.close()
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["results"]["bindings"] == [{"vendor": {"type": "literal", "value": "acme"},
                                            "n": {"type": "literal", "value": "3",
                                                  "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]


# --- push: one named graph per policy, nothing refused, idempotent -------------------------

def _server_graphs(runner: CliRunner, query_url: str, tmp_path: Path) -> dict[str, tuple[int, int]]:
    """Per named graph on the server: (triples, triples about a blank node)."""
    q = tmp_path / "graphs.rq"
    q.write_text("#+ title: Graphs\n#+ description: Triples and blank nodes per named graph.\n"
                 "SELECT ?g (COUNT(*) AS ?n) (SUM(IF(isBlank(?s), 1, 0)) AS ?blanks) "
                 "WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g\n", encoding="utf-8")
    r = run(runner, "query", str(q), "--endpoint", query_url, "-f", "csv")
    assert r.exit_code == 0, r.output
    return {row[0]: (int(row[1]), int(row[2])) for row in list(csv.reader(io.StringIO(r.stdout)))[1:]}


@pytest.mark.endpoint
def test_push_of_a_graph_file_names_one_graph_per_policy_and_is_idempotent(
        runner: CliRunner, empty_server: str, tmp_path: Path) -> None:
    """A Turtle file of two policies: their own graphs, as the store names them; a second
    push without --replace leaves the server as it was (it added every blank node again)."""
    assert run(runner, "-q", "push", str(CORPUS), "--endpoint", f"{empty_server}/store").exit_code == 0
    first = _server_graphs(runner, f"{empty_server}/query", tmp_path)
    base = "https://w3id.org/policykg/id/graph/"
    assert set(first) == {base + "acme", base + "acme/derived", base + "borg", base + "borg/derived",
                          base + "ontology"}
    assert first[base + "acme"][1] > 0, "the corpus has blank nodes (targets, selectors, durations)"
    assert run(runner, "-q", "push", str(CORPUS), "--endpoint", f"{empty_server}/store").exit_code == 0
    assert _server_graphs(runner, f"{empty_server}/query", tmp_path) == first


def test_push_refuses_to_push_nothing(runner: CliRunner, tmp_path: Path) -> None:
    port = _free_port()  # refused before anything is sent: no server needed
    empty = tmp_path / "prefixes.ttl"
    empty.write_text("@prefix ex: <http://example.org/> .\n", encoding="utf-8")
    r = run(runner, "push", str(empty), "--endpoint", f"http://127.0.0.1:{port}/store")
    assert r.exit_code == 2 and "nothing to push" in r.output and str(empty) in r.output
    other = tmp_path / "other.ttl"
    other.write_text("<http://example.org/a> <http://example.org/p> 1 .\n", encoding="utf-8")
    r = run(runner, "push", str(other), "--endpoint", f"http://127.0.0.1:{port}/store")
    assert r.exit_code == 2 and "holds no policy" in r.output and "--graph" in r.output


@pytest.mark.endpoint
def test_push_with_graph_sends_any_graph_whole(runner: CliRunner, empty_server: str, tmp_path: Path) -> None:
    other = tmp_path / "other.ttl"
    other.write_text("<http://example.org/a> <http://example.org/p> 1 .\n", encoding="utf-8")
    r = run(runner, "-q", "push", str(other), "--endpoint", f"{empty_server}/store", "--graph", "urn:x:mine",
            "--no-ontology")
    assert r.exit_code == 0, r.output
    assert _server_graphs(runner, f"{empty_server}/query", tmp_path) == {"urn:x:mine": (1, 0)}


@pytest.mark.endpoint
def test_scorecard_of_an_endpoint_without_policies_is_one_clear_error(runner: CliRunner,
                                                                      empty_server: str) -> None:
    r = run(runner, "scorecard", "--endpoint", f"{empty_server}/query")
    assert r.exit_code == 2 and "holds no policy graph" in r.output and r.output.count("Error") == 1
    assert r.stdout == "" or "Vendor" not in r.stdout


def test_day_counts_travel_beside_durations() -> None:
    from policykg.remote import duration_days, with_day_counts

    assert [duration_days(d) for d in ("P2Y", "P6M", "P2W", "P10D", "PT48H", "P1Y6M", "P", "6")] == \
        [730, 180, 14, 10, 2, 545, None, None]
    nt = '_:d <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> "P6M"^^<http://www.w3.org/2001/XMLSchema#duration> .\n'
    once = with_day_counts(nt)
    assert once.endswith('_:d <https://w3id.org/policykg#days> "180"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')
    assert with_day_counts(once) == once


def test_values_virtuoso_writes_differently_are_read_as_every_engine_writes_them() -> None:
    from rdflib import XSD, Literal, Variable
    from rdflib.query import Result

    from policykg.remote import canonical

    res = Result("SELECT")
    res.vars = [Variable("x")]
    res.bindings = [{Variable("x"): Literal(lex, datatype=dt)} for lex, dt in
                    [("1", XSD.boolean), ("0", XSD.boolean), ("24", XSD.duration), ("6", XSD.duration),
                     ("864000.0", XSD.duration), ("129600.0", XSD.duration), ("P7Y", XSD.duration),
                     ("1", XSD.integer)]]
    assert [str(b[Variable("x")]) for b in canonical(res).bindings] == \
        ["true", "false", "P2Y", "P6M", "P10D", "P1DT12H", "P7Y", "1"]


# --- every canned query on two real servers: Oxigraph and Virtuoso 7 ------------------------

VIRTUOSO_UPDATE = 'GRANT SPARQL_UPDATE TO "SPARQL";'


@contextlib.contextmanager
def running_virtuoso(d: Path) -> Iterator[tuple[int, int]]:
    """A Virtuoso 7 (Debian's virtuoso-opensource) with its files in ``d``, on two free ports of
    127.0.0.1: (SQL port, HTTP port); stopped on exit. Skips the test without Virtuoso."""
    import urllib.request

    from tests.test_queries import VIRTUOSO_INI

    if not (shutil.which("virtuoso-t") and shutil.which("isql-vt")):
        pytest.skip("needs Virtuoso (Debian's virtuoso-opensource; .ci/run installs it)")
    sql, http = _free_port(), _free_port()
    (d / "virtuoso.ini").write_text(VIRTUOSO_INI.format(d=d, sql=sql, http=http), encoding="utf-8")
    proc = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(d / "virtuoso.ini")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{http}/sparql?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    pytest.fail("virtuoso-t did not start: " + (d / "virtuoso.log").read_text(errors="replace")[-500:])
                time.sleep(0.3)
        yield sql, http
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture
def virtuoso_server(tmp_path_factory):  # type: ignore[no-untyped-def]
    """A Virtuoso 7 that takes Graph Store Protocol pushes at /sparql-graph-crud:
    (query URL, store URL)."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso-push")) as (sql, http):
        subprocess.run(["isql-vt", str(sql), "dba", "dba", f"exec={VIRTUOSO_UPDATE}"], check=True,
                       capture_output=True, timeout=60)
        yield f"http://127.0.0.1:{http}/sparql", f"http://127.0.0.1:{http}/sparql-graph-crud"


@pytest.fixture
def oxigraph_server(empty_server: str) -> tuple[str, str]:
    return f"{empty_server}/query", f"{empty_server}/store"


def _duration_value(text: str) -> tuple[int, float] | str:
    """(months, seconds) of an ISO 8601 duration: "P24M" and "P2Y" are one xsd:duration value."""
    import re

    m = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?", text)
    if not m or not text.strip("PT"):
        return text
    y, mo, d, h, mi = (int(x or 0) for x in m.groups()[:5])
    return y * 12 + mo, d * 86400 + h * 3600 + mi * 60 + float(m.group(6) or 0)


@pytest.mark.endpoint
@pytest.mark.parametrize("engine", ["oxigraph_server", "virtuoso_server"])
def test_every_canned_query_gives_the_same_rows_in_the_same_order_on_every_server(
        runner: CliRunner, engine: str, request: pytest.FixtureRequest) -> None:
    """Pushed with `policykg push`, queried with `policykg query --endpoint`: every canned
    query answers the rows of the local run, in the same order (ORDER BY on plain strings,
    GROUP_CONCAT of sorted rows, booleans and day counts every server writes alike)."""
    query_url, store_url = request.getfixturevalue(engine)
    r = run(runner, "-q", "push", str(CORPUS), "--endpoint", store_url)
    assert r.exit_code == 0, r.output
    with_rows = 0
    for q in list_queries():
        params = [a for k, v in PARAMS.get(q.name, {}).items() for a in ("-p", k, v)]
        local = run(runner, "query", q.name, str(CORPUS), *params, "-f", "csv")
        remote_ = run(runner, "query", q.name, "--endpoint", query_url, *params, "-f", "csv")
        assert local.exit_code == 0 and remote_.exit_code == 0, (q.name, local.output, remote_.output)
        want, got = (list(csv.reader(io.StringIO(x.stdout))) for x in (local, remote_))
        assert got[0] == want[0], q.name
        if "duration" in want[0]:
            i = want[0].index("duration")
            want, got = ([[*r[:i], _duration_value(r[i]), *r[i + 1:]] for r in rows] for rows in (want, got))
        assert got == want, q.name
        with_rows += len(want) > 1
    assert with_rows >= 14, "nearly every canned query has rows on the corpus"
