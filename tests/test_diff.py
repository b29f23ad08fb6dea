"""What changed between two versions of a policy (diff.py) and `policykg diff`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from policykg import diff
from policykg.build import build_store
from policykg.cli import cli
from policykg.pipeline import policy_files
from policykg.reading import read_source
from tests.conftest import shared_dir

PKG = Namespace("https://w3id.org/policykg#")
ORG = Namespace("https://w3id.org/policykg/org/")

V1 = """Privacy policy of Acme Widgets AB

Acme Widgets AB is the data controller for the processing of your personal data.

We use your e-mail address to send you our newsletter. We use Mailchimp to send newsletters.

We keep your account data for 6 months after you close your account.

Your personal data is transferred to the United States.

You have the right to access your personal data.
"""
V2 = (V1.replace("for 6 months", "for 24 months")
      .replace("transferred to the United States.", "transferred to the United States under the standard "
               "contractual clauses adopted by the European Commission.")
      .replace("We use Mailchimp to send newsletters.", "We use Mailchimp and Hotjar to send newsletters."))


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    old, new = tmp_path / "old" / "acme.txt", tmp_path / "new" / "acme.txt"
    old.write_text(V1, encoding="utf-8")
    new.write_text(V2, encoding="utf-8")
    return old, new


def _by(d: diff.Diff, kind: str, aspect: str) -> list[diff.Change]:
    return [c for c in d.changes if c.kind == kind and c.aspect == aspect]


def test_added_changed_retention_and_safeguards(versions: tuple[Path, Path]) -> None:
    d = diff.diff_files(str(versions[0]), str(versions[1]))
    assert d.identifier == "acme" and d.changed
    [hotjar] = _by(d, "added", "processor")
    assert hotjar.label == "Hotjar" and "Hotjar" in hotjar.new_evidence[0].exact and not hotjar.old_evidence
    [kept] = _by(d, "changed", "retention")
    assert (kept.old, kept.new, kept.old_days, kept.new_days) == (["P6M"], ["P24M"], 180, 730)
    assert "6 months" in kept.old_evidence[0].exact and "24 months" in kept.new_evidence[0].exact
    assert kept.old_evidence[0].placed is not None and kept.old_evidence[0].placed.status == "lost"  # reworded
    [us] = _by(d, "changed", "transfer")
    assert str(us.value) == "<https://w3id.org/dpv/loc#US>"
    assert us.old == [] and us.new == ["https://w3id.org/dpv/legal/eu/gdpr#SCCByCommission"]
    assert not _by(d, "removed", "processor")  # Mailchimp is still there
    assert d.anchoring["kept"] + d.anchoring["moved"] + d.anchoring["lost"] == len(
        diff.read_file(str(versions[0]))[0].anchors)



FACT_QUOTES = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX pkg: <https://w3id.org/policykg#>
SELECT ?p ?v ?start ?end WHERE {
  ?a pkg:aboutProperty ?p ; pkg:aboutValue ?v ; oa:hasTarget ?t .
  ?t oa:hasSelector ?s . ?s oa:start ?start ; oa:end ?end .
}"""


def test_each_fact_quotes_its_own_annotation() -> None:
    """Evidence per fact: every quote a diff shows for a fact is the target of an annotation
    that names that fact's property and value (a transfer's also its safeguards'), not any
    other sentence of the passage that holds it; and every fact has one."""
    from policykg.pipeline import extract_source

    dpv = "https://w3id.org/dpv#"
    checked = 0
    for f in sorted((Path(__file__).resolve().parents[1] / "data" / "policies").glob("*.txt")):
        version, _ = diff.read_file(str(f))
        g = extract_source(read_source(f)).graph
        named: dict[tuple[int, int], set[tuple[str, str]]] = {}
        for p, v, start, end in g.query(FACT_QUOTES):
            named.setdefault((int(start), int(end)), set()).add((str(p), str(v)))
        nodes = {str(o) for o in g.objects(None, URIRef(dpv + "hasStorageCondition"))}
        for fact in version.facts.values():
            assert fact.evidence, f"{f.name}: {fact.aspect} {fact.label} has no quote"
            for e in fact.evidence:
                about = named[(e.start, e.end)]
                ok = {pv for pv in about if pv[0] == fact.predicate}
                if fact.aspect == "retention":
                    assert any(v in nodes for _, v in ok), (f.name, fact.label, e.exact)
                elif fact.aspect == "transfer":
                    assert ok or {pv for pv in about if pv[0] in (dpv + "hasLegalBasis", dpv + "hasProcessing")}
                else:
                    assert (fact.predicate, str(fact.value).strip("<>")) in {(p, v.strip('"')) for p, v in ok} or \
                        any(v == fact.value.value for _, v in ok), (f.name, fact.aspect, fact.label, e.exact)
                checked += 1
    assert checked > 100


def test_a_change_quotes_its_fact_not_its_passage(tmp_path: Path) -> None:
    """Hotjar is added in the second sentence of a passage: the change quotes that sentence
    only; the controller is quoted where the policy names it, not in every passage."""
    old = _write(tmp_path / "a", V1)
    new = _write(tmp_path / "b", V2.replace("Acme Widgets AB is the data controller", "Acme Widgets AB, Sweden, is "
                                             "the data controller"))
    d = diff.diff_files(str(old), str(new))
    [hotjar] = _by(d, "added", "processor")
    assert [e.exact for e in hotjar.new_evidence] == ["We use Mailchimp and Hotjar to send newsletters."]
    version, _ = diff.read_file(str(old))
    [controller] = [f for f in version.facts.values() if f.aspect == "controller"]
    assert [e.exact for e in controller.evidence] == [
        "Acme Widgets AB is the data controller for the processing of your personal data."]

def test_a_version_against_itself_changes_nothing(versions: tuple[Path, Path]) -> None:
    d = diff.diff_files(str(versions[0]), str(versions[0]))
    assert not d.changed and d.unchanged > 5 and d.anchoring["moved"] == d.anchoring["lost"] == 0


def test_github_subprocessors_between_versions() -> None:
    """Expectations read from the two tables side by side."""
    folder = shared_dir("versions/github-subprocessors")

    def processors(old: str, new: str) -> tuple[set[str], set[str]]:
        d = diff.diff_files(str(folder / old), str(folder / new))
        added = {c.label for c in d.changes if c.kind == "added" and c.aspect == "processor"}
        removed = {c.label for c in d.changes if c.kind == "removed" and c.aspect == "processor"}
        return added, removed

    # VividCortex's row is gone in July 2025
    assert processors("2025-05-07_1b69a1f.md", "2025-07-23_652f448.md")[1] == {"VividCortex"}
    # August 2025 adds Hewlett-Packard, LambdaTest, Oracle and xAI
    added, removed = processors("2025-07-23_652f448.md", "2025-08-26_94de41c.md")
    assert added == {"Hewlett-Packard Limited", "LambdaTest", "Oracle America, Inc.", "xAI"} and not removed
    # March 2026 adds Tines, nothing else
    assert processors("2026-03-02_554c5eb.md", "2026-03-11_7e4eebc.md") == ({"Tines Automation Inc."}, set())
    # Splunk's row is gone in May 2024
    assert "Splunk" in processors("2024-04-17_d75dc1e.md", "2024-05-24_fc7552f.md")[1]


def test_every_change_quotes_the_version_where_it_holds() -> None:
    folder = shared_dir("versions/github-subprocessors")
    files = sorted(folder.glob("*.md"))
    texts = {f: read_source(f).text for f in files}
    checked = 0
    for old, new in zip(files, files[1:], strict=False):
        d = diff.diff_files(str(old), str(new))
        for c in d.changes:
            assert (c.kind == "added") == (not c.old_evidence) and (c.kind == "removed") == (not c.new_evidence)
            for e in c.old_evidence:
                assert texts[old][e.start:e.end] == e.exact
                if e.placed is not None and e.placed.start is not None:
                    assert texts[new][e.placed.start:e.placed.end] == e.exact
            for e in c.new_evidence:
                assert texts[new][e.start:e.end] == e.exact
            checked += 1
    assert checked > 30


# --- the command ---------------------------------------------------------------------------

def test_cli_files_table_json_rdf_and_exit_codes(versions: tuple[Path, Path], runner: CliRunner,
                                                 tmp_path: Path) -> None:
    old, new = map(str, versions)
    r = runner.invoke(cli, ["diff", old, new])
    assert r.exit_code == 1 and "+ processor  Hotjar" in r.stdout and "P6M -> P24M (longer)" in r.stdout
    same = runner.invoke(cli, ["diff", old, old])
    assert same.exit_code == 0 and "No change in practices" in same.stdout

    out = tmp_path / "changes.json"
    r = runner.invoke(cli, ["diff", old, new, "-f", "json", "-o", str(out)])
    assert r.exit_code == 1 and r.stdout == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["counts"] == {"added": 1, "removed": 0, "changed": 2, "unchanged": data["counts"]["unchanged"]}
    retention = next(c for c in data["changes"] if c["aspect"] == "retention")
    assert retention["oldDays"] == 180 and retention["newDays"] == 730
    assert retention["oldEvidence"][0]["inNewText"]["status"] == "lost"
    anchors = data["anchoring"]["annotations"]
    assert len(anchors) == data["anchoring"]["kept"] + data["anchoring"]["moved"] + data["anchoring"]["lost"]
    new_text = versions[1].read_text(encoding="utf-8")
    old_text = versions[0].read_text(encoding="utf-8")
    for a in anchors:  # a .txt file is its own plain text: offsets index it
        if a["status"] != "lost":
            assert new_text[a["newStart"]:a["newEnd"]] == old_text[a["start"]:a["end"]]

    r = runner.invoke(cli, ["diff", old, new, "-f", "turtle"])
    g = Graph().parse(data=r.stdout, format="turtle")
    [added] = list(g.subjects(RDF.type, PKG.Addition))
    assert (added, RDF.object, ORG.hotjar) in g and (added, RDF.type, RDF.Statement) in g
    [grew] = [c for c in g.subjects(PKG.aspect, None) if str(g.value(c, PKG.aspect)) == "retention"]
    assert int(g.value(grew, PKG.newDays)) > int(g.value(grew, PKG.oldDays))  # type: ignore[arg-type]
    ev = g.value(grew, PKG.newEvidence)
    quote = [s for s in g.objects(g.value(ev, URIRef("http://www.w3.org/ns/oa#hasTarget")),
                                  URIRef("http://www.w3.org/ns/oa#hasSelector"))
             if g.value(s, URIRef("http://www.w3.org/ns/oa#exact")) is not None]
    assert "24 months" in str(g.value(quote[0], URIRef("http://www.w3.org/ns/oa#exact")))

    bad = runner.invoke(cli, ["diff", old, str(tmp_path / "missing.txt")])
    assert bad.exit_code == 2
    assert not list(tmp_path.glob(".changes.json.*"))  # nothing half-written


def test_cli_versions_in_the_store(tmp_path: Path, runner: CliRunner) -> None:
    corpus, target = tmp_path / "policies", tmp_path / "store"
    corpus.mkdir()
    policy = corpus / "acme.txt"
    for text, day in ((V1, "2024-01-10"), (V2, "2025-06-01")):
        policy.write_text(text, encoding="utf-8")
        build_store(policy_files([corpus]), target, jobs=1, date=day)
    store = ["--store", str(target)]
    r = runner.invoke(cli, ["diff", "acme", "2024-03-01", *store, "-f", "json"])
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert data["old"]["date"] == "2024-01-10" and data["new"]["date"] == "2025-06-01"
    assert data["old"]["number"] == 1 and data["new"]["number"] == 2
    from_files = diff.to_json(diff.diff_files(str(_write(tmp_path / "a", V1)), str(_write(tmp_path / "b", V2))))
    def summary(changes: list[dict]) -> list[tuple]:  # type: ignore[type-arg]
        return [(c["change"], c["aspect"], c.get("oldDays"), c.get("newDays")) for c in changes]

    assert summary(data["changes"]) == summary(json.loads(from_files)["changes"])

    same = runner.invoke(cli, ["diff", "acme", "2024-02-01", "2024-12-31", *store])
    assert same.exit_code == 0 and "both dates fall on the same version" in same.stderr
    too_early = runner.invoke(cli, ["diff", "acme", "2023-01-01", *store])
    assert too_early.exit_code == 2 and "no version on or before 2023-01-01" in too_early.stderr
    unknown = runner.invoke(cli, ["diff", "nobody", "2024-03-01", *store])
    assert unknown.exit_code == 2 and "no policy 'nobody'" in unknown.stderr
    not_a_date = runner.invoke(cli, ["diff", "acme", "last-week", *store])
    assert not_a_date.exit_code == 2 and "neither a file nor a date" in not_a_date.stderr


def _write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "acme.txt").write_text(text, encoding="utf-8")
    return folder / "acme.txt"


def test_store_diff_reads_an_old_version_again_with_this_policykg(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A version extracted by another policykg is re-extracted from its archived file, so the
    diff shows what the policy changed, not what the extractor did."""
    import policykg.store as store_module
    from policykg.store import Store

    corpus, target = tmp_path / "policies", tmp_path / "store"
    corpus.mkdir()
    (corpus / "acme.txt").write_text(V1, encoding="utf-8")
    monkeypatch.setattr(store_module, "fingerprint", lambda: "an-older-policykg")
    build_store(policy_files([corpus]), target, jobs=1, date="2024-01-10")
    monkeypatch.undo()
    (corpus / "acme.txt").write_text(V2, encoding="utf-8")
    build_store(policy_files([corpus]), target, jobs=1, date="2025-06-01")
    d = diff.diff_store(Store(target, read_only=True), "acme", "2024-06-01")
    assert not d.notes and len(d.changes) == 3
    shutil.rmtree(target)
