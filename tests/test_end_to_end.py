"""Bundled policies -> graph -> SHACL -> every canned query -> Turtle, and the score against gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import RDF

from policykg.evaluation import evaluate, load_gold
from policykg.export import serialize
from policykg.namespaces import DPV
from policykg.pipeline import extract_paths
from tests.conftest import POLICIES, extract_readable, shared_dir
from tests.test_cli import run


def test_quick_start_on_the_bundled_policies(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = run(runner, "-q", "run", str(POLICIES), "-o", str(out))
    assert r.exit_code == 0, r.output
    g = Graph().parse(out / "graph.ttl")
    assert len(list(g.subjects(RDF.type, DPV.PrivacyNotice))) == 5
    assert "Violations: 0" in (out / "validation.txt").read_text()
    csvs = {p.stem: p.read_text() for p in (out / "queries").glob("*.csv")}
    assert "Google Analytics" in csvs["vendors-naming-recipient"]
    assert csvs["shared-processors"].count("\n") >= 2  # at least one processor shared by two vendors


def test_readme_shows_what_make_run_prints(runner: CliRunner, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The summary in the README's quick start is the one `make run` prints (up to its "...")."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("\n```\nPolicies:", 1)[1].split("```", 1)[0]
    shown = [line for line in ("Policies:" + block).splitlines() if line.strip() and line.strip() != "..."]
    monkeypatch.chdir(tmp_path)
    r = run(runner, "run", str(POLICIES), "-o", "policykg-out")
    assert r.exit_code == 0, r.output
    printed = r.output.splitlines()
    assert len(shown) >= 5 and all(line in printed for line in shown), (shown, printed)


def test_seed_extraction_quality(bundled_graph) -> None:  # type: ignore[no-untyped-def]
    ev = evaluate(bundled_graph, load_gold(shared_dir("gold")), POLICIES)
    t = ev.total
    assert ev.evidence["bad"] == 0 and ev.evidence["checked"] > 0
    assert ev.evidence["with_evidence"] == ev.evidence["handlings"]
    assert t.f1 >= 0.87, ev.to_table()  # 0.889 on 2026-11-23
    assert t.precision >= 0.90, ev.to_table()


# The eight devset policies the rules were checked on until 2026-11-23; the other six (a
# Norwegian, Danish and Finnish one among them) came later and are scored with them below.
FIRST_EIGHT = {"sv-norrplex", "sv-sweeptrack", "sv-agronod", "sv-omniwise", "en-safespring",
               "en-lucidtech", "en-gueststatus", "de-temme"}


def test_devset_extraction_quality(tmp_path: Path) -> None:
    from policykg import languages

    devset = shared_dir("devset")
    ds, refused = extract_readable(devset / "texts")  # a policy in a language policykg cannot read is refused alone
    gold = load_gold(devset / "gold")
    for slug, why in refused.items():  # ... and only for want of its language's vocabularies
        lang = {"no": "nb"}.get(str(gold[slug]["language"]), str(gold[slug]["language"]))
        assert lang not in languages.codes() and "written in" in why, (slug, why)
    path = tmp_path / "dev.ttl"
    path.write_bytes(serialize(ds, "turtle"))
    g = Graph().parse(path)
    ev = evaluate(g, gold, devset / "texts")
    assert ev.evidence["bad"] == 0
    read = {k: v for k, v in gold.items() if k not in refused}
    assert evaluate(g, read, devset / "texts").total.f1 >= 0.85, ev.to_table()  # 0.863 on 2026-12-05 (11 read)
    first = evaluate(g, {k: v for k, v in gold.items() if k in FIRST_EIGHT}, devset / "texts")
    assert first.total.f1 >= 0.87, first.to_table()  # 0.898 on 2026-11-23
    assert first.total.precision >= 0.86, first.to_table()
    json.loads(ev.to_json())


def test_renamed_files_give_the_same_facts(tmp_path: Path) -> None:
    """No code path depends on the seed file names."""
    for i, p in enumerate(sorted(POLICIES.glob("*.txt"))):
        (tmp_path / f"policy{i}.txt").write_bytes(p.read_bytes())
    original = extract_paths([POLICIES])
    renamed = extract_paths([tmp_path])
    preds = [DPV.hasPurpose, DPV.hasPersonalData, DPV.hasRight, DPV.hasLegalBasis]
    for p in preds:
        assert set(original.objects(None, p)) == set(renamed.objects(None, p))


def test_invented_company_names_give_the_same_practices(tmp_path: Path) -> None:
    """Replacing a vendor's names by invented ones changes the names, nothing else."""
    from policykg.extractors import Document, run

    text = (POLICIES / "ip1.txt").read_text(encoding="utf-8")
    invented = text.replace("iP.1 Networks AB", "Zorblax Kvist AB").replace("iP.1", "Zorblax")
    a = run(Document("a", text, "sv"))
    b = run(Document("b", invented, "sv"))
    for aspect in ("purposes", "personal_data", "rights", "legal_bases", "measures", "retention"):
        assert {f.value for f in a if f.aspect == aspect} == {f.value for f in b if f.aspect == aspect}, aspect
    assert {f.label for f in b if f.aspect == "controller"} == {"Zorblax Kvist AB"}
    assert {f.label for f in a if f.aspect == "recipients"} == {f.label for f in b if f.aspect == "recipients"}
