"""What the CLI writes, as RDF people expect it (issue 20): the project's prefixes in
every Turtle/TriG, JSON-LD compacted with a context, no duplicate statements,
global options anywhere, help texts without faults, streamed extraction."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from policykg.namespaces import PREFIXES
from tests.conftest import POLICIES
from tests.test_cli import run

PREFIX_LINE = re.compile(r"^@prefix\s+([\w.-]*):\s*<([^>]*)>\s*\.\s*$", re.M)


def canonical(data: bytes, fmt: ox.RdfFormat, graphs: bool = False) -> set[object]:
    """The statements of ``data`` with canonical blank-node labels: two serialisations
    are isomorphic exactly when these sets are equal. Without ``graphs``: the union
    of the graphs (as triples)."""
    quads = ox.parse(data, fmt)
    ds = ox.Dataset(quads if graphs else (ox.Quad(q.subject, q.predicate, q.object) for q in quads))
    ds.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(ds)


def _prefixes(turtle: str) -> dict[str, str]:
    return dict(PREFIX_LINE.findall(turtle))


def _assert_project_prefixes(turtle: str, *needed: str) -> None:
    """Every prefix written is the project's own for that namespace; ``needed`` are there."""
    found = _prefixes(turtle)
    ours = {k: str(v) for k, v in PREFIXES.items()}
    for prefix, iri in found.items():
        assert ours.get(prefix) == iri, f"@prefix {prefix}: <{iri}> is not the project's"
    for prefix in needed:
        assert found.get(prefix) == ours[prefix], f"no {prefix}: prefix"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("store") / "s"
    r = run(CliRunner(), "-q", "build", str(POLICIES), "--store", str(path), "--no-answers")
    assert r.exit_code == 0, r.output
    return path


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("extract") / "graph.ttl"
    r = run(CliRunner(), "-q", "extract", str(POLICIES), "-o", str(out))
    assert r.exit_code == 0, r.output
    return out


# 1. prefixes

@pytest.mark.parametrize("fmt", ["turtle", "trig"])
def test_extract_writes_the_projects_prefixes(runner: CliRunner, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"g.{fmt}"
    r = run(runner, "extract", str(POLICIES), "-f", fmt, "-o", str(out))
    assert r.exit_code == 0, r.output
    _assert_project_prefixes(out.read_text("utf-8"), "dpv", "oa", "pkg", "dct", "org")


@pytest.mark.parametrize("fmt", ["turtle", "trig"])
def test_export_of_a_file_writes_the_projects_prefixes(runner: CliRunner, extracted: Path, fmt: str) -> None:
    r = run(runner, "export", str(extracted), "-f", fmt)
    assert r.exit_code == 0, r.output
    _assert_project_prefixes(r.stdout, "dpv", "oa", "pkg", "org")


@pytest.mark.parametrize("fmt", ["turtle", "trig"])
def test_export_of_the_store_writes_the_projects_prefixes(runner: CliRunner, store: Path, fmt: str) -> None:
    r = run(runner, "export", "--store", str(store), "-f", fmt)
    assert r.exit_code == 0, r.output
    _assert_project_prefixes(r.stdout, "dpv", "oa", "pkg", "org")


def test_a_validation_report_in_turtle_has_the_projects_prefixes(runner: CliRunner, extracted: Path) -> None:
    r = run(runner, "validate", str(extracted), "-f", "turtle")
    assert r.exit_code in (0, 1), r.output
    _assert_project_prefixes(r.stdout, "sh", "dpv")


def test_a_diff_in_turtle_has_the_projects_prefixes(runner: CliRunner, tmp_path: Path) -> None:
    old = tmp_path / "iptor.txt"
    old.write_text((POLICIES / "iptor.txt").read_text("utf-8"), "utf-8")
    new = tmp_path / "new" / "iptor.txt"
    new.parent.mkdir()
    new.write_text(old.read_text("utf-8").replace("Google Analytics", "Hotjar"), "utf-8")
    r = run(runner, "diff", str(old), str(new), "-f", "turtle")
    assert r.exit_code == 1, r.output
    _assert_project_prefixes(r.stdout, "dpv", "org")


# 2. JSON-LD

def _json_ld_context(doc: object) -> dict[str, str]:
    assert isinstance(doc, dict) and "@context" in doc, "JSON-LD without @context"
    return doc["@context"]  # type: ignore[no-any-return]


def test_extract_json_ld_is_compacted_with_the_projects_context(runner: CliRunner, tmp_path: Path,
                                                                  extracted: Path) -> None:
    out = tmp_path / "g.jsonld"
    r = run(runner, "extract", str(POLICIES), "-o", str(out))
    assert r.exit_code == 0, r.output
    text = out.read_text("utf-8")
    doc = json.loads(text)
    assert _json_ld_context(doc) == {k: str(v) for k, v in PREFIXES.items()}
    assert '"dpv:hasPurpose"' in text and "https://w3id.org/dpv#hasPurpose" not in text
    # read back (by Oxigraph's parser, as policykg reads graphs): the graph the Turtle has
    assert canonical(text.encode(), ox.RdfFormat.JSON_LD) == canonical(extracted.read_bytes(), ox.RdfFormat.TURTLE)


def test_json_ld_keeps_one_named_graph_per_policy(runner: CliRunner, tmp_path: Path) -> None:
    r = run(runner, "extract", str(POLICIES), "-f", "json-ld")
    assert r.exit_code == 0, r.output
    graphs = {q.graph_name.value for q in ox.parse(r.stdout_bytes, ox.RdfFormat.JSON_LD)
              if isinstance(q.graph_name, ox.NamedNode)}
    assert {f"https://w3id.org/policykg/id/graph/{p.stem}" for p in POLICIES.glob("*.txt")} <= graphs


def test_export_of_the_store_as_json_ld_has_the_context(runner: CliRunner, store: Path) -> None:
    r = run(runner, "export", "--store", str(store), "-f", "json-ld")
    assert r.exit_code == 0, r.output
    assert _json_ld_context(json.loads(r.stdout)) == {k: str(v) for k, v in PREFIXES.items()}


def test_the_shipped_context_file_is_the_projects_prefixes() -> None:
    from policykg.resources import ontology_dir

    doc = json.loads((ontology_dir() / "context.jsonld").read_text("utf-8"))
    assert _json_ld_context(doc) == {k: str(v) for k, v in PREFIXES.items()}


# 3. export without duplicates

@pytest.mark.parametrize("fmt", ["nt", "turtle", "xml"])
def test_export_of_the_store_writes_each_statement_once(runner: CliRunner, store: Path, fmt: str) -> None:
    r = run(runner, "export", "--store", str(store), "-f", fmt)
    assert r.exit_code == 0, r.output
    parsed = {"nt": ox.RdfFormat.N_TRIPLES, "turtle": ox.RdfFormat.TURTLE, "xml": ox.RdfFormat.RDF_XML}[fmt]
    triples = [(q.subject, q.predicate, q.object) for q in ox.parse(r.stdout_bytes, parsed)]
    assert triples and len(triples) == len(set(triples))
    if fmt == "nt":  # and nothing lost: the union of the policy graphs, as N-Quads has them
        nq = run(runner, "export", "--store", str(store), "-f", "nquads")
        bookkeeping = {f"https://w3id.org/policykg/id/graph/{n}" for n in ("build", "ontology", "knowledge-base")}
        union = {(q.subject, q.predicate, q.object) for q in ox.parse(nq.stdout_bytes, ox.RdfFormat.N_QUADS)
                 if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value not in bookkeeping}
        assert set(triples) == union
