"""The CLI through click's CliRunner: commands, formats, exit codes, and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import ConjunctiveGraph, Dataset, Graph
from rdflib.namespace import RDF

from policykg.namespaces import DPV
from tests.conftest import POLICIES

EN = ("Acme Privacy Policy\n\nAcme Widgets AB is the data controller. We use your e-mail address to send "
      "newsletters with Mailchimp, based on your consent. We keep it for 24 months.\n")


def run(runner: CliRunner, *args: str, input: bytes | str | None = None):  # type: ignore[no-untyped-def]
    """Invoke like a user: through main(), so exit codes are the real ones."""
    from policykg import cli as cli_mod

    return runner.invoke(_Main(cli_mod.main), list(args), input=input)


class _Main:
    """Adapter so CliRunner can call policykg.cli.main (which calls sys.exit)."""

    def __init__(self, fn):  # type: ignore[no-untyped-def]
        self.fn = fn
        self.name = "policykg"

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # type: ignore[no-untyped-def]
        self.fn(list(args or []))


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    p = tmp_path / "acme.txt"
    p.write_text(EN, encoding="utf-8")
    return p


def test_help_lists_every_command(runner: CliRunner) -> None:
    r = run(runner, "--help")
    assert r.exit_code == 0
    for cmd in ("text", "extract", "validate", "query", "queries", "export", "evaluate", "run"):
        assert cmd in r.output
    assert "Exit codes" in r.output


def test_text_prints_the_indexed_text(runner: CliRunner, tmp_path: Path) -> None:
    p = tmp_path / "p.md"
    p.write_text("# Title\n\nSome **bold** text.\n", encoding="utf-8")
    r = run(runner, "text", str(p))
    assert r.exit_code == 0 and r.output == "Title\n\nSome bold text.\n"


@pytest.mark.parametrize("fmt,check", [
    ("turtle", lambda b: Graph().parse(data=b, format="turtle")),
    ("nt", lambda b: Graph().parse(data=b, format="nt")),
    # JSON-LD keeps one named graph per policy, as N-Quads and TriG do: read as their union
    ("json-ld", lambda b: ConjunctiveGraph().parse(data=b, format="json-ld")),
])
def test_extract_formats(runner: CliRunner, policy: Path, fmt: str, check) -> None:  # type: ignore[no-untyped-def]
    r = run(runner, "-q", "extract", str(policy), "-f", fmt)
    assert r.exit_code == 0, r.output
    g = check(r.stdout_bytes)
    assert len(list(g.subjects(RDF.type, DPV.PrivacyNotice))) == 1


def test_extract_reads_a_windows_1252_file_and_says_so(runner: CliRunner, tmp_path: Path) -> None:
    p = tmp_path / "legacy.txt"
    p.write_bytes((POLICIES / "iptor.txt").read_text().encode("cp1252", errors="replace"))
    r = run(runner, "extract", str(p), "-f", "nt")
    assert r.exit_code == 0, r.output
    assert "not UTF-8, read as windows-1252" in r.stderr and "legacy.txt" in r.stderr
    assert "Iptor" in r.stdout


def test_extract_nquads_puts_each_policy_in_its_own_graph(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "all.nq"
    r = run(runner, "-q", "extract", str(POLICIES), "-o", str(out))
    assert r.exit_code == 0, r.output
    ds = Dataset()
    ds.parse(out, format="nquads")
    named = [c for c in ds.graphs() if len(c) and str(c.identifier).startswith("https://w3id.org/policykg/id/graph/")
             and not str(c.identifier).endswith("/derived")]
    assert len(named) == 5
    for c in named:
        assert len(list(c.subjects(RDF.type, DPV.PrivacyNotice))) == 1


def test_extract_from_stdin_needs_an_id(runner: CliRunner) -> None:
    r = run(runner, "extract", "-", input=EN)
    assert r.exit_code == 2 and "--id" in r.output
    r = run(runner, "-q", "extract", "-", "--id", "acme", input=EN)
    assert r.exit_code == 0 and '"acme"' in r.output


@pytest.mark.parametrize("content,cause", [
    (b"", "empty"), (b"\x00\x00\x00\xff", "binary"), (b"\xfe\xff\xd8\x00", "UTF-16"),
    (b"xqz plorf wibble snark qwerty zxcv blorp frobnicate", "language"),
])
def test_bad_policy_input_exits_2_and_leaves_no_output(runner: CliRunner, tmp_path: Path, content: bytes,
                                                        cause: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    out = tmp_path / "graph.ttl"
    r = run(runner, "extract", str(bad), "-o", str(out))
    assert r.exit_code == 2
    assert "bad.txt" in r.output and cause in r.output
    assert r.output.count("Error") == 1
    assert not out.exists() and not list(tmp_path.glob(".graph.ttl*"))


def test_fail_fast_keeps_the_previous_output(runner: CliRunner, tmp_path: Path, policy: Path) -> None:
    out = tmp_path / "graph.ttl"
    out.write_text("previous", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    r = run(runner, "extract", str(policy), str(tmp_path / "empty.txt"), "-o", str(out), "--fail-fast")
    assert r.exit_code == 2 and out.read_text() == "previous"
    assert r.stderr.strip() == f"Error: {tmp_path / 'empty.txt'}: is empty: there is no policy text to read"


def test_extract_goes_on_past_bad_files_and_lists_them(runner: CliRunner, tmp_path: Path, policy: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    out = tmp_path / "out" / "graph.nq"
    out.parent.mkdir()
    r = run(runner, "extract", str(tmp_path), "-o", str(out))
    assert r.exit_code == 2
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("Error: ")]
    assert [e.split(": ")[1] for e in errors] == [str(tmp_path / "binary.txt"), str(tmp_path / "empty.txt")]
    assert "2 of 3 policies failed" in r.stderr and "Traceback" not in r.stderr
    ds = Dataset()
    ds.parse(out, format="nquads")
    assert {str(g.identifier).rsplit("/", 1)[-1] for g in ds.graphs() if len(g)} >= {"acme"}


def test_when_every_file_fails_nothing_is_written(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.md").write_bytes(b"   \n")
    out = tmp_path / "graph.ttl"
    r = run(runner, "extract", str(tmp_path), "-o", str(out))
    assert r.exit_code == 2 and r.stderr.count("Error: ") == 2 and not out.exists()


@pytest.mark.parametrize("identifier,why", [("a/b", "path separator"), ("../x", "path separator"),
                                            ("x..y", "'..'"), ("a\tb", "control")])
def test_an_id_that_would_make_bad_iris_is_refused(runner: CliRunner, identifier: str, why: str) -> None:
    r = run(runner, "extract", "-", "--id", identifier, input=EN)
    assert r.exit_code == 2 and why in r.stderr and r.stdout == ""


def test_an_id_colliding_with_a_file_is_an_error_not_a_merge(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a-b.txt").write_text(EN, encoding="utf-8")
    r = run(runner, "extract", "-", str(tmp_path / "a-b.txt"), "--id", "a b", input=EN)
    assert r.exit_code == 2 and "would share the identifier 'a-b'" in r.stderr and "--id" in r.stderr
    assert r.stdout == ""


def test_missing_path(runner: CliRunner) -> None:
    r = run(runner, "extract", "/no/such/policy.txt")
    assert r.exit_code == 2 and "/no/such/policy.txt" in r.output


def test_a_language_policykg_cannot_read_is_named_and_refused(runner: CliRunner, tmp_path: Path) -> None:
    p = tmp_path / "pl.txt"
    p.write_text("Polityka prywatności\n\nPrzetwarzamy Twoje dane osobowe w celu świadczenia usług. Korzystamy z "
                 "usługi Mailchimp do wysyłania newslettera. Masz prawo dostępu do swoich danych. "
                 "Kontakt: prywatnosc@przyklad.pl\n", encoding="utf-8")
    r = run(runner, "extract", str(p))
    assert r.exit_code == 2
    assert "pl.txt" in r.stderr and "Polish (pl)" in r.stderr and "--lang" in r.stderr
    r = run(runner, "extract", str(p), "--lang", "en")  # the user may insist
    assert r.exit_code == 0 and "Mailchimp" in r.stdout


def test_text_in_no_language_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    p = tmp_path / "noise.txt"
    p.write_text("xqz plorf wibble snark 12345 qwerty zxcv blorp vvv kkk\n", encoding="utf-8")
    r = run(runner, "extract", str(p))
    assert r.exit_code == 2 and "cannot tell which language" in r.stderr


def test_validate_exit_codes(runner: CliRunner, tmp_path: Path, policy: Path) -> None:
    good = tmp_path / "good.ttl"
    assert run(runner, "-q", "extract", str(policy), "-o", str(good)).exit_code == 0
    r = run(runner, "validate", str(good))
    assert r.exit_code == 0, r.output
    assert "Violations: 0" in r.output
    bad = Path(__file__).parent / "shapes" / "invalid" / "HandlingAnnotationShape-001.ttl"
    r = run(runner, "validate", str(bad))
    assert r.exit_code == 1 and "HandlingAnnotationShape" in r.output and "Violations: 1" in r.output
    r = run(runner, "validate", str(bad), "-f", "json")
    assert r.exit_code == 1 and json.loads(r.stdout)["counts"]["Violation"] == 1
    r = run(runner, "validate", str(bad), "--fail-on", "none")
    assert r.exit_code == 0


def test_validate_controllerless_handling_exits_1(runner: CliRunner) -> None:
    bad = Path(__file__).parent / "shapes" / "invalid" / "HandlingControllerShape-001.ttl"
    r = run(runner, "validate", str(bad))
    assert r.exit_code == 1 and "HandlingControllerShape" in r.output


@pytest.mark.parametrize("content", ["@prefix x: <y> . this is not turtle", ""])
def test_malformed_graph_exits_2(runner: CliRunner, tmp_path: Path, content: str) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text(content, encoding="utf-8")
    for args in (("validate", str(bad)), ("query", "rights-matrix", str(bad)), ("export", str(bad), "-f", "nt")):
        r = run(runner, *args)
        assert r.exit_code == 2, args
        assert "broken.ttl" in r.output


def test_query_formats_and_errors(runner: CliRunner) -> None:
    corpus = str(Path(__file__).parent / "queries" / "corpus.ttl")
    r = run(runner, "query", "shared-processors", corpus, "-f", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["results"]["bindings"][0]["vendorCount"]["value"] == "2"
    r = run(runner, "query", "vendors-naming-recipient", corpus, "-p", "recipient", "org:mailchimp", "-f", "csv")
    assert r.exit_code == 0 and r.stdout.count("\n") == 2 and "acme" in r.stdout
    r = run(runner, "query", "rights-matrix", corpus, "-f", "tsv")
    assert r.exit_code == 0 and r.stdout.startswith("?vendor\t?right")
    r = run(runner, "query", "rights-matrix", corpus, "-f", "table")
    assert r.exit_code == 0 and "(18 rows)" in r.stdout
    assert run(runner, "query", "no-such-query", corpus).exit_code == 2
    r = run(runner, "query", "rights-matrix", corpus, "-p", "nope", "x")
    assert r.exit_code == 2 and "nope" in r.output
    r = run(runner, "query", "vendors-naming-recipient", corpus, "-p", "recipient", "not an iri")
    assert r.exit_code == 2


def test_query_from_a_file(runner: CliRunner, tmp_path: Path) -> None:
    q = tmp_path / "mine.rq"
    q.write_text("#+ title: Notices\n#+ description: All notices.\n"
                 "PREFIX dpv: <https://w3id.org/dpv#>\nSELECT ?n WHERE { ?n a dpv:PrivacyNotice }\n")
    r = run(runner, "query", str(q), str(Path(__file__).parent / "queries" / "corpus.ttl"))
    assert r.exit_code == 0 and r.stdout.count("\n") == 3
    q.write_text("#+ title: Broken\n#+ description: x\nSELECT WHERE {")
    assert run(runner, "query", str(q), str(Path(__file__).parent / "queries" / "corpus.ttl")).exit_code == 2


CORPUS_TTL = str(Path(__file__).parent / "queries" / "corpus.ttl")
NOTICES = "PREFIX dpv: <https://w3id.org/dpv#>\nSELECT ?n WHERE { ?n a dpv:PrivacyNotice } ORDER BY ?n\n"
CONSTRUCT = ("PREFIX dpv: <https://w3id.org/dpv#>\nPREFIX dct: <http://purl.org/dc/terms/>\n"
             "CONSTRUCT { ?n dct:identifier ?id } WHERE { ?n a dpv:PrivacyNotice ; dct:identifier ?id }\n")


def test_a_query_file_without_a_header_runs_named_by_its_stem(runner: CliRunner, tmp_path: Path) -> None:
    q = tmp_path / "my.rq"
    q.write_text(NOTICES, encoding="utf-8")
    r = run(runner, "query", str(q), CORPUS_TTL)
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[0] == "n" and len(r.stdout.splitlines()) == 3
    q.write_text("SELECT WHERE {", encoding="utf-8")
    r = run(runner, "query", str(q), CORPUS_TTL)
    assert r.exit_code == 2 and r.output.startswith("Error: my: SPARQL syntax error")


@pytest.mark.parametrize("fmt, parse", [
    ("turtle", "turtle"), (None, "turtle"), ("nt", "nt"), ("nquads", "nquads"), ("trig", "trig"),
    ("json-ld", "json-ld"), ("xml", "xml")])
def test_construct_gives_rdf_in_every_rdf_format(runner: CliRunner, tmp_path: Path, fmt: str | None,
                                                 parse: str) -> None:
    q = tmp_path / "ids.rq"
    q.write_text(CONSTRUCT, encoding="utf-8")
    r = run(runner, "query", str(q), CORPUS_TTL, *(("-f", fmt) if fmt else ()))
    assert r.exit_code == 0, r.output
    ds = Dataset()
    ds.parse(data=r.stdout, format=parse)
    ids = sorted(str(o) for _, p, o, _ in ds.quads((None, None, None, None)))
    assert ids == ["acme", "borg"]
    assert all(g is None or g == ds.default_graph.identifier  # no graph name invented for the triples
               for *_, g in ds.quads((None, None, None, None)))


def test_describe_gives_rdf(runner: CliRunner, tmp_path: Path) -> None:
    q = tmp_path / "d.rq"
    q.write_text("DESCRIBE <https://w3id.org/policykg/id/n-acme>", encoding="utf-8")
    r = run(runner, "query", str(q), CORPUS_TTL, "-f", "nt")
    assert r.exit_code == 0, r.output
    subjects = {s for s, _, _ in Graph().parse(data=r.stdout, format="nt")}
    assert str(next(iter(subjects))) == "https://w3id.org/policykg/id/n-acme" and len(subjects) == 1


@pytest.mark.parametrize("text, fmt", [(CONSTRUCT, "csv"), (CONSTRUCT, "table"), (CONSTRUCT, "json"),
                                       (NOTICES, "turtle"), ("ASK { ?s ?p ?o }", "nt")])
def test_a_format_that_does_not_fit_the_query_form_is_a_clear_error(runner: CliRunner, tmp_path: Path,
                                                                    text: str, fmt: str) -> None:
    q = tmp_path / "q.rq"
    q.write_text(text, encoding="utf-8")
    r = run(runner, "query", str(q), CORPUS_TTL, "-f", fmt)
    assert r.exit_code == 2 and r.stdout == ""
    assert f"-f {fmt} is not a format for the answer of" in r.output and "use " in r.output


def test_ask_in_json_ends_with_a_newline(runner: CliRunner, tmp_path: Path) -> None:
    q = tmp_path / "ask.rq"
    q.write_text("ASK { ?s a <https://w3id.org/dpv#PrivacyNotice> }", encoding="utf-8")
    r = run(runner, "query", str(q), CORPUS_TTL, "-f", "json")
    assert r.exit_code == 0 and r.stdout.endswith("}\n") and json.loads(r.stdout) == {"head": {}, "boolean": True}


SPARQL_RESULTS = "{http://www.w3.org/2005/sparql-results#}"


def test_select_and_ask_as_w3c_sparql_xml_results(runner: CliRunner, tmp_path: Path) -> None:
    """The structure of the spec's example (SPARQL 1.1 Query Results XML Format §2), and
    Oxigraph's parser reads back the same solutions as the JSON results."""
    import io
    import xml.etree.ElementTree as ET

    import pyoxigraph as ox

    q = tmp_path / "q.rq"
    q.write_text("PREFIX dpv: <https://w3id.org/dpv#>\nPREFIX dct: <http://purl.org/dc/terms/>\n"
                 "SELECT ?n ?id ?lang ?none WHERE { ?n a dpv:PrivacyNotice ; dct:identifier ?id "
                 "OPTIONAL { ?n dct:language ?lang } OPTIONAL { ?n <urn:x:none> ?none } } ORDER BY ?n", encoding="utf-8")
    r = run(runner, "query", str(q), CORPUS_TTL, "-f", "xml")
    assert r.exit_code == 0 and r.stdout.endswith("</sparql>\n")
    root = ET.fromstring(r.stdout.encode("utf-8"))
    assert root.tag == SPARQL_RESULTS + "sparql"
    assert [v.get("name") for v in root.find(SPARQL_RESULTS + "head")] == ["n", "id", "lang", "none"]
    first = root.find(SPARQL_RESULTS + "results")[0]
    assert [(b.get("name"), b[0].tag.split("}")[1]) for b in first][:2] == [("n", "uri"), ("id", "literal")]
    assert "none" not in [b.get("name") for b in first]  # unbound: no binding element

    def solutions(text: str, fmt: ox.QueryResultsFormat) -> list[list[str | None]]:
        res = ox.parse_query_results(io.BytesIO(text.encode("utf-8")), fmt)
        return [[None if s[v] is None else str(s[v]) for v in res.variables] for s in res]

    from_xml = solutions(r.stdout, ox.QueryResultsFormat.XML)
    assert from_xml == solutions(run(runner, "query", str(q), CORPUS_TTL, "-f", "json").stdout,
                                 ox.QueryResultsFormat.JSON)
    assert len(from_xml) == 2 and from_xml[0][1] == '"acme"' and from_xml[0][3] is None
    q.write_text("ASK { ?s a <https://w3id.org/dpv#PrivacyNotice> }", encoding="utf-8")
    r = run(runner, "query", str(q), CORPUS_TTL, "-f", "xml")
    root = ET.fromstring(r.stdout.encode("utf-8"))
    assert root.find(SPARQL_RESULTS + "boolean").text == "true"


def test_query_parameters_reach_the_query_unchanged(runner: CliRunner, tmp_path: Path) -> None:
    q = tmp_path / "echo.rq"
    q.write_text("#+ title: Echo\n#+ description: d\n#+ params:\n#+   - name: v\n#+     type: string\n"
                 "SELECT ?v WHERE { }\n", encoding="utf-8")
    corpus = str(Path(__file__).parent / "queries" / "corpus.ttl")
    value = 'line one\n"quoted" \\" \\u0022\ttab'
    r = run(runner, "query", str(q), corpus, "-p", "v", value, "-f", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["results"]["bindings"] == [{"v": {"type": "literal", "value": value}}]
    r = run(runner, "query", "vendors-naming-recipient", corpus, "-p", "recipient", "org:mailchimp\n")
    assert r.exit_code == 2 and "must be an IRI" in r.output


def test_a_query_file_that_is_not_utf8_is_one_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    q = tmp_path / "latin1.rq"
    q.write_bytes("#+ title: Café\n#+ description: d\nSELECT * WHERE { ?s ?p 'é' }\n".encode("latin-1"))
    r = run(runner, "query", str(q), str(Path(__file__).parent / "queries" / "corpus.ttl"))
    assert r.exit_code == 2 and r.output.strip() == f"Error: {q}: is not valid UTF-8 (byte 13); SPARQL files are UTF-8"


def test_a_query_past_its_time_limit_is_stopped(runner: CliRunner, tmp_path: Path) -> None:
    q = tmp_path / "slow.rq"
    q.write_text("#+ title: Slow\n#+ description: d\n"
                 "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }\n", encoding="utf-8")
    # a real process: the query cannot be cancelled inside Oxigraph, the process exit stops it
    r = subprocess.run([sys.executable, "-c", "from policykg.cli import main; main()", "query", str(q),
                        str(Path(__file__).parent / "queries" / "corpus.ttl"), "--time-limit", "0.5"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and r.stderr == f"Error: {q.stem}: the query ran longer than 0.5 s and was stopped " \
        "(--time-limit)\n"


def test_an_ill_typed_literal_is_one_warning_line_not_a_traceback(runner: CliRunner, tmp_path: Path) -> None:
    g = tmp_path / "ill.ttl"
    g.write_text('@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n'
                 '<http://ex/a> <http://ex/p> "abc"^^xsd:integer, "def"^^xsd:integer, "1.x"^^xsd:decimal .\n',
                 encoding="utf-8")
    for fmt in ("xml", "nt"):  # a real process: logging writes to the process's stderr
        r = subprocess.run([sys.executable, "-c", "from policykg.cli import main; main()", "export", str(g),
                            "-f", fmt], capture_output=True, text=True, timeout=120)
        assert r.returncode == 0 and ('"abc"' in r.stdout or ">abc<" in r.stdout)
        lines = r.stderr.splitlines()
        assert lines and all(ln.startswith("WARNING: ") for ln in lines), r.stderr
        assert len(lines) == len(set(lines))  # each said once


def test_queries_lists_them(runner: CliRunner) -> None:
    r = run(runner, "queries")
    assert r.exit_code == 0 and len(r.stdout.strip().splitlines()) >= 10
    assert "vendors-naming-recipient" in r.stdout
    data = json.loads(run(runner, "queries", "-f", "json").stdout)
    assert all(q["title"] for q in data)


def test_export_with_ontology(runner: CliRunner, tmp_path: Path) -> None:
    corpus = str(Path(__file__).parent / "queries" / "corpus.ttl")
    out = tmp_path / "x.trig"
    r = run(runner, "export", corpus, "-o", str(out), "--with-ontology")
    assert r.exit_code == 0
    ds = Dataset()
    ds.parse(out, format="trig")
    assert any(str(c.identifier).endswith("graph/ontology") and len(c) > 100 for c in ds.graphs())


def test_evaluate_command(runner: CliRunner, tmp_path: Path, policy: Path) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "acme.yaml").write_text(
        "policy: acme\nlanguage: en\ncontrollers:\n  - name: Acme Widgets AB\n"
        "recipients:\n  - name: Mailchimp\npurposes:\n  - any_of: [dpv:DirectMarketing]\n"
        "legal_bases:\n  - any_of: [dpv:Consent]\nretention:\n  - duration: P24M\n", encoding="utf-8")
    graph = tmp_path / "g.ttl"
    run(runner, "-q", "extract", str(policy), "-o", str(graph))
    r = run(runner, "evaluate", str(graph), "--gold", str(gold), "--texts", str(policy.parent), "-f", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    for aspect in ("controllers", "recipients", "purposes", "legal_bases", "retention"):
        assert data["aspects"][aspect]["found"] == 1, aspect
    assert data["evidence"]["bad"] == 0 and data["evidence"]["checked"] > 0


def test_run_goes_on_past_a_bad_file(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "policies"
    src.mkdir()
    (src / "acme.txt").write_text(EN, encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    r = run(runner, "-q", "run", str(src), "-o", str(tmp_path / "out"))
    assert r.exit_code == 2
    assert r.stderr.strip() == f"Error: {src / 'empty.txt'}: is empty: there is no policy text to read"
    assert "acme" in (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    r = run(runner, "-q", "run", str(src), "-o", str(tmp_path / "out2"), "--fail-fast")
    assert r.exit_code == 2 and not (tmp_path / "out2" / "graph.ttl").exists()


def test_run_writes_graph_validation_and_query_results(runner: CliRunner, tmp_path: Path, policy: Path) -> None:
    out = tmp_path / "out"
    r = run(runner, "-q", "run", str(policy.parent), "-o", str(out))
    assert r.exit_code == 0, r.output
    assert (out / "graph.ttl").exists() and (out / "validation.txt").exists()
    assert len(list((out / "queries").glob("*.csv"))) >= 10
    assert "Policies: 1" in r.stdout


def test_version(runner: CliRunner) -> None:
    r = run(runner, "--version")
    assert r.exit_code == 0 and "policykg" in r.output


# --- the embedded store ------------------------------------------------------------

@pytest.fixture(scope="module")
def built_store(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    store = tmp_path_factory.mktemp("st") / "store"
    r = run(CliRunner(), "build", str(POLICIES), "--store", str(store), "-j", "2")
    assert r.exit_code == 0, r.output
    assert "extracted 5" in r.stderr
    return store


def test_build_again_extracts_nothing(runner: CliRunner, built_store: Path) -> None:
    r = run(runner, "build", str(POLICIES), "--store", str(built_store))
    assert r.exit_code == 0 and "extracted 0, unchanged 5" in r.stderr


def test_query_the_store(runner: CliRunner, built_store: Path, tmp_path: Path) -> None:
    r = run(runner, "query", "recipients-by-vendor", "--store", str(built_store), "-f", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)["results"]["bindings"]
    assert {b["vendor"]["value"] for b in rows} >= {"iptor", "ip1"}
    files = run(runner, "query", "recipients-by-vendor", str(tmp_path / "g.ttl"))
    assert files.exit_code == 2  # no such file: still one clear error


def test_query_without_graph_or_store_is_a_usage_error(runner: CliRunner, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("POLICYKG_STORE", raising=False)
    r = run(runner, "query", "recipients-by-vendor")
    assert r.exit_code == 2 and "--store" in r.output


def test_validate_the_store(runner: CliRunner, built_store: Path) -> None:
    r = run(runner, "validate", "--store", str(built_store), "-f", "json")
    assert r.exit_code == 0, r.output  # warnings only: below --fail-on violation
    report = json.loads(r.stdout)
    assert report["counts"]["Violation"] == 0 and report["counts"]["Warning"] > 0
    assert {x["notice"] for x in report["results"]} <= {"iptor", "isopartner", "ip1", "infobric", "ipdots"}
    strict = run(runner, "validate", "--store", str(built_store), "--fail-on", "warning")
    assert strict.exit_code == 1


def test_export_the_store(runner: CliRunner, built_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.nq"
    r = run(runner, "export", "--store", str(built_store), "-o", str(out))
    assert r.exit_code == 0, r.output
    ds = Dataset()
    ds.parse(out, format="nquads")
    names = {str(g.identifier) for g in ds.graphs()}
    assert "https://w3id.org/policykg/id/graph/iptor" in names
    assert "https://w3id.org/policykg/id/graph/ontology" in names
    ttl = tmp_path / "all.ttl"
    assert run(runner, "export", "--store", str(built_store), "-o", str(ttl)).exit_code == 0
    g = Graph().parse(ttl)
    assert len(set(g.subjects(RDF.type, DPV.PrivacyNotice))) == 5


def test_store_in_use_is_one_clear_error(runner: CliRunner, built_store: Path) -> None:
    from policykg.store import Store

    holder = Store(built_store)
    r = run(runner, "build", str(POLICIES), "--store", str(built_store))
    del holder
    assert r.exit_code == 2 and "in use" in r.output


def test_scorecard_of_the_store_equals_the_files(runner: CliRunner, built_store: Path, tmp_path: Path) -> None:
    ttl = tmp_path / "g.ttl"
    assert run(runner, "-q", "extract", str(POLICIES), "-o", str(ttl)).exit_code == 0
    files = run(runner, "scorecard", str(ttl), "-f", "json")
    store = run(runner, "scorecard", "--store", str(built_store), "-f", "json")
    assert files.exit_code == 0 and store.exit_code == 0, store.output
    same = [{k: v for k, v in json.loads(r.stdout).items() if k != "provenance"} for r in (store, files)]
    assert same[0] == same[1]  # all but the provenance, which names the inputs


def test_a_file_of_only_front_matter_or_code_is_one_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "fm.md").write_text("---\ntitle: Privacy policy\ndate: 2024-01-01\n---\n", encoding="utf-8")
    (tmp_path / "code.txt").write_text("import Layout from '../layouts/Base.astro';\n"
                                       "export default function Privacy() {\nreturn (\n<div>\n</div>\n);\n}\n",
                                       encoding="utf-8")
    for name in ("fm.md", "code.txt"):
        out = tmp_path / f"{name}.ttl"
        r = run(runner, "extract", str(tmp_path / name), "-o", str(out))
        assert r.exit_code == 2, r.output
        assert name in r.output and "no policy text" in r.output
        assert not out.exists()


def test_folders_are_read_recursively_and_links_do_not_loop(runner: CliRunner, tmp_path: Path) -> None:
    site = tmp_path / "crawl" / "acme.example"
    site.mkdir(parents=True)
    (site / "acme.txt").write_text("Acme AB is the controller. We store your e-mail address for six months.\n",
                                   encoding="utf-8")
    (site / "logo.png").write_bytes(b"\x89PNG")
    (tmp_path / "crawl" / ".cache").mkdir()
    (tmp_path / "crawl" / ".cache" / "old.txt").write_text("We keep nothing.\n", encoding="utf-8")
    (site / "loop").symlink_to(tmp_path / "crawl", target_is_directory=True)
    r = run(runner, "extract", str(tmp_path / "crawl"), "-o", str(tmp_path / "g.ttl"))
    assert r.exit_code == 0, r.output
    assert "logo.png" in r.stderr and "not a policy" in r.stderr
    g = Graph().parse(tmp_path / "g.ttl")
    assert len(list(g.subjects(RDF.type, DPV.PrivacyNotice))) == 1  # acme once; .cache not read


def test_shared_processors_lists_organisations_not_recipient_categories(runner: CliRunner,
                                                                        bundled_ttl: Path) -> None:
    """dpv:ThirdParty, dpv:Authority, dpv:ServiceProvider (categories the bundled policies name
    as recipients) are not processors shared by several vendors."""
    r = run(runner, "query", "shared-processors", str(bundled_ttl))
    assert r.exit_code == 0, r.output
    recipients = [line.split(",")[0] for line in r.stdout.splitlines()[1:]]
    assert recipients and all(x.startswith("https://w3id.org/policykg/org/") for x in recipients), recipients


def test_run_evaluates_the_canned_queries_on_oxigraph(runner: CliRunner, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """`run` loads graph.ttl into an in-memory Oxigraph store for the canned queries (rdflib took
    22 of make run's 32 s), with the same rows in the same order as `query` on the file."""
    src = tmp_path / "policies"
    src.mkdir()
    (src / "acme.txt").write_text(EN, encoding="utf-8")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("rdflib evaluated SPARQL")

    with monkeypatch.context() as m:
        m.setattr(Graph, "query", refuse)
        r = run(runner, "-q", "run", str(src), "-o", str(tmp_path / "out"))
    assert r.exit_code == 0, r.output
    for name in ("recipients-by-vendor", "retention-periods", "rights-matrix"):
        q = run(runner, "query", name, str(tmp_path / "out" / "graph.ttl"))
        assert (tmp_path / "out" / "queries" / f"{name}.csv").read_text(encoding="utf-8") == q.stdout
        assert len(q.stdout.splitlines()) > 1
