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


# 5. global options before or after the subcommand

def test_quiet_after_the_subcommand(runner: CliRunner, tmp_path: Path, extracted: Path) -> None:
    loud = run(runner, "extract", str(POLICIES / "iptor.txt"), "-o", str(tmp_path / "a.ttl"))
    assert loud.exit_code == 0 and "Extracted 1 policy" in loud.stderr
    for args in (["-q", "extract", str(POLICIES / "iptor.txt"), "-o", str(tmp_path / "b.ttl")],
                 ["extract", str(POLICIES / "iptor.txt"), "-o", str(tmp_path / "b.ttl"), "-q"],
                 ["extract", "-q", str(POLICIES / "iptor.txt"), "-o", str(tmp_path / "b.ttl")]):
        r = run(runner, *args)
        assert r.exit_code == 0, r.output
        assert r.stderr == "", args
    r = run(runner, "query", "recipients-by-vendor", str(extracted), "-q")
    assert r.exit_code == 0 and r.stderr == "" and r.stdout.startswith("vendor,")


@pytest.mark.parametrize("args", [["-vv", "extract", "X"], ["extract", "X", "-vv"], ["extract", "-v", "X", "-v"],
                                  ["-v", "extract", "X", "--verbose"]])
def test_verbose_counts_before_and_after_the_subcommand(runner: CliRunner, args: list[str]) -> None:
    import logging

    from policykg import cli

    path = str(POLICIES / "iptor.txt")
    r = run(runner, *[path if a == "X" else a for a in args], "-f", "nt")
    assert r.exit_code == 0, r.output
    assert cli.STATE.verbose == 2 and logging.getLogger().level == logging.DEBUG


def test_every_command_takes_the_global_options() -> None:
    from policykg.cli import cli

    for name, cmd in cli.commands.items():
        opts = {o for p in cmd.params for o in getattr(p, "opts", [])}
        assert {"-q", "--quiet", "-v", "--verbose"} <= opts, name


# 6. help texts

def _commands():  # type: ignore[no-untyped-def]
    from policykg.cli import cli

    return sorted(cli.commands.items())


SPOKEN = {"SHACL", "SPARQL", "JSON", "YAML", "SKOS", "DOT", "OWL"}
"""Acronyms said as words (a SHACL shape), not letter by letter (an RDF graph)."""
ARTICLE_WORD = re.compile(r"\b([Aa]n?) ([A-Za-z]\w*)")


def wrong_article(text: str) -> str | None:
    """The first 'a integer', 'a iri', 'an date', 'a RDF' in ``text``: an acronym goes by
    the sound of its first letter's name (an RDF, a URL); words in u and h are let be
    (a user, an update)."""
    for m in ARTICLE_WORD.finditer(text):
        article, word = m.group(1).lower(), m.group(2)
        if len(word) > 1 and word.isupper() and word not in SPOKEN:
            vowel = word[0] in "AEFHILMNORSX"
        elif word[0].lower() in "uh":
            continue
        else:
            vowel = word[0].lower() in "aeio"
        if vowel != (article == "an"):
            return m.group()
    return None


def test_the_article_check_knows_its_faults() -> None:
    assert wrong_article("must be a integer") == "a integer"
    assert wrong_article("must be a iri") == "a iri"
    assert wrong_article("as a RDF graph") == "a RDF"
    assert wrong_article("an RDF format, a URL, an IRI, a SHACL shape, a user, an update, an integer") is None


def test_the_command_list_shows_each_commands_whole_first_sentence(runner: CliRunner) -> None:
    r = run(runner, "--help")
    assert r.exit_code == 0
    listing = " ".join(r.stdout.split("Commands:", 1)[1].split("Exit codes", 1)[0].split())
    for name, cmd in _commands():
        paragraph = " ".join((cmd.help or "").split("\n\n", 1)[0].split())
        sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z])", paragraph, maxsplit=1)[0]
        assert f"{name} {sentence}" in listing, f"{name}: summary cut short"


def test_every_help_text_renders_and_names_defaults_that_exist(runner: CliRunner) -> None:
    for name, cmd in _commands():
        r = run(runner, name, "--help")
        assert r.exit_code == 0, name
        assert wrong_article(r.stdout) is None, f"{name}: {wrong_article(r.stdout)}"
        for param in cmd.params:
            if not isinstance(param.type, __import__("click").Choice):
                continue
            named = re.search(r"else (\w[\w-]*)\)", getattr(param, "help", None) or "")
            if named:
                assert named.group(1) in param.type.choices, f"{name} {param.opts}: default {named.group(1)!r}"
            if isinstance(param.default, str):
                assert str(param.default) in param.type.choices, f"{name} {param.opts}"


def test_scorecard_and_network_write_the_format_their_help_names(runner: CliRunner, extracted: Path) -> None:
    card = run(runner, "scorecard", str(extracted))
    assert card.exit_code == 0 and card.stdout.lstrip()[:1] not in ("@", "<", "{")  # a table, not Turtle
    net = run(runner, "network", str(extracted))
    assert net.exit_code == 0 and net.stdout.startswith(("digraph", "graph", "strict"))


@pytest.mark.parametrize("args", [
    ["extract", "--limit", "x", "X"], ["extract", "--time-limit", "-1", "X"], ["build", "-j", "0", "X"],
    ["extract", "-f", "nope", "X"], ["query", "shared-processors", "G", "-p", "minVendors", "x"],
    ["query", "vendors-naming-recipient", "G", "-p", "recipient", "not an iri"],
    ["query", "retention-grew", "G", "-p", "since", "x"], ["diff", "acme", "x", "--store", "S"],
])
def test_parameter_type_errors_are_plain_english(runner: CliRunner, args: list[str], extracted: Path,
                                                 tmp_path: Path) -> None:
    subst = {"X": str(POLICIES / "iptor.txt"), "G": str(extracted), "S": str(tmp_path)}
    r = run(runner, *[subst.get(a, a) for a in args])
    assert r.exit_code == 2
    message = r.stderr.strip().splitlines()[-1]
    assert message.startswith("Error: ") and wrong_article(message) is None, message
