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


# 7. extract streams, policy by policy

@pytest.mark.parametrize("fmt", ["turtle", "nt", "nquads", "trig"])
def test_streamed_extract_is_the_graph_of_the_whole_batch(runner: CliRunner, tmp_path: Path, fmt: str) -> None:
    """Written policy by policy, the output reads back as the graph serialised whole
    (as extract wrote it before), named graphs included, each statement once."""
    from policykg.export import serialize
    from policykg.pipeline import extract_paths

    out = tmp_path / f"g.{fmt}"
    r = run(runner, "extract", str(POLICIES), "-f", fmt, "-o", str(out))
    assert r.exit_code == 0, r.output
    parser = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
              "trig": ox.RdfFormat.TRIG}[fmt]
    whole = serialize(extract_paths([POLICIES]), fmt)
    quads = fmt in ("nquads", "trig")
    assert canonical(out.read_bytes(), parser, graphs=quads) == canonical(whole, parser, graphs=quads)
    if fmt == "nt":
        lines = out.read_text("utf-8").splitlines()
        assert len(lines) == len(set(lines))


def test_extract_writes_each_policy_before_reading_the_next(runner: CliRunner, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing of the batch is held: when a policy is read, the ones before it are in the
    (temporary) output file already, and the output is in place only at the end."""
    from policykg import pipeline

    out = tmp_path / "out" / "g.ttl"
    out.parent.mkdir()
    seen: list[tuple[str, int, bool]] = []
    real = pipeline.extract_file

    def spy(path: Path, *args: object, **kwargs: object) -> pipeline.Extraction:
        temp = [p for p in out.parent.iterdir() if p.name != out.name]
        seen.append((path.stem, sum(p.stat().st_size for p in temp), out.exists()))
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "extract_file", spy)
    r = run(runner, "extract", str(POLICIES), "-o", str(out))
    assert r.exit_code == 0, r.output
    assert len(seen) == 5 and seen[0][1] == 0
    assert all(size > 0 for _, size, _ in seen[1:]), seen  # the first policies were written already
    assert not any(exists for _, _, exists in seen) and out.exists()
    assert [p.name for p in out.parent.iterdir()] == ["g.ttl"]


def test_a_batch_in_which_every_policy_fails_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "a.txt").write_bytes(b"\x00\x01binary")
    (bad / "b.txt").write_text("", "utf-8")
    out = tmp_path / "g.nt"
    r = run(runner, "extract", str(bad), "-o", str(out))
    assert r.exit_code == 2 and not out.exists() and list(tmp_path.iterdir()) == [bad]
    r = run(runner, "extract", str(bad), "-f", "nt")
    assert r.exit_code == 2 and r.stdout == ""


# 4. parse errors with the parser's reason

BAD_TURTLE = '@prefix sh: <http://www.w3.org/ns/shacl#> .\n[] a sh:NodeShape ;\n  sh:targetClass "open .\n'
POSITION = re.compile(r"line \d+ (column \d+|between columns \d+ and \d+)")


@pytest.mark.parametrize("command", ["validate", "scorecard"])
def test_a_shapes_file_that_does_not_parse_is_named_with_line_column_and_reason(
        runner: CliRunner, tmp_path: Path, extracted: Path, command: str) -> None:
    shapes = tmp_path / "mine.ttl"
    shapes.write_text(BAD_TURTLE, "utf-8")
    r = run(runner, command, str(extracted), "--shapes", str(shapes))
    assert r.exit_code == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {shapes}: ")
    assert POSITION.search(lines[0]) and "end of file" in lines[0], lines[0]


@pytest.mark.parametrize("command", [["query", "recipients-by-vendor"], ["validate"], ["export"], ["scorecard"],
                                     ["network"], ["push", "--endpoint", "http://127.0.0.1:9/store"]])
@pytest.mark.parametrize("name,text", [("g.ttl", BAD_TURTLE), ("g.nt", "<a> <b> <c> .\n"),
                                       ("g.jsonld", '{"@id": "http://x/a", '), ("g.trig", "<http://g> { <http://a> ")])
def test_every_graph_input_that_does_not_parse_is_one_line_with_the_reason(
        runner: CliRunner, tmp_path: Path, command: list[str], name: str, text: str) -> None:
    graph = tmp_path / name
    graph.write_text(text, "utf-8")
    r = run(runner, *command, str(graph))
    assert r.exit_code == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {graph}: is not valid "), lines
    assert POSITION.search(lines[0]), lines[0]
