"""The processor knowledge base, linking, derived transfers and the network."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

from policykg.extractors import Document, run
from policykg.extractors.organisations import lookup
from policykg.graph import build
from policykg.inference import derive
from policykg.iris import norm_name
from policykg.knowledge import providers
from policykg.namespaces import DPV, LOC, OA, PKG, PROV
from policykg.network import network, to_dot, to_graphml, to_svg
from tests.conftest import POLICIES, shared_dir
from tests.test_cli import run as cli_run


def test_knowledge_base_entries_are_complete() -> None:
    rows = providers()
    assert len(rows) >= 150
    for r in rows:
        assert r["label"] and r["category"] and r["country"] and r["source"].startswith("http"), r["id"]
    ids = {r["id"].rsplit("/", 1)[-1] for r in rows}
    assert all(r["parent"] in ids for r in rows if r["parent"])


def test_no_two_entries_share_a_name_or_alias() -> None:
    """Unless they are of different countries (the two Datatilsynet): the policy's language
    then decides which one a policy names (tests/test_precision.py)."""
    seen: dict[str, dict[str, str]] = {}
    for r in providers(include_authorities=True):
        for name in {norm_name(n) for n in [r["label"], *r["aliases"]]}:
            seen.setdefault(name, {})[r["id"]] = r["country"]
    for name, entries in seen.items():
        assert len(entries) == 1 or len(set(entries.values())) == len(entries), (name, entries)


def test_nordic_payment_providers_are_known() -> None:
    for name in ("Klarna", "Fortnox", "Visma", "Bambora", "Swish", "BankID"):
        assert lookup(name) is not None, name


def _graph(text: str, lang: str = "en") -> Graph:
    doc = Document("acme", text, lang)
    return build(doc, run(doc))


def test_derived_transfer_is_kept_apart_from_stated_facts() -> None:
    g = _graph("Acme AB is the data controller. We send newsletters with Mailchimp and keep invoices in Fortnox.")
    d = derive(g, "acme")
    nodes = list(d.subjects(RDF.type, PKG.PossibleTransfer))
    assert len(nodes) == 1  # Mailchimp (US); Fortnox is Swedish
    node = nodes[0]
    assert (node, DPV.hasThirdCountry, LOC.US) in d
    assert d.value(node, DPV.hasNotice) is None  # not a stated practice
    sources = set(d.objects(node, PROV.wasDerivedFrom))
    assert PKG.ProcessorHeadquartersRule in sources
    stated = [s for s in sources if s != PKG.ProcessorHeadquartersRule]
    assert stated and all(list(g.subjects(OA.hasBody, h)) for h in stated)  # evidence of the naming passage
    assert not list(g.subjects(RDF.type, PKG.PossibleTransfer))


def test_derived_facts_have_their_own_named_graph(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "all.nq"
    assert cli_run(runner, "-q", "extract", str(POLICIES), "-o", str(out)).exit_code == 0
    ds = Dataset()
    ds.parse(out, format="nquads")
    derived = [g for g in ds.graphs() if str(g.identifier).endswith("/derived") and len(g)]
    assert derived
    for g in derived:
        assert set(g.subjects(RDF.type, None)) == set(g.subjects(RDF.type, PKG.PossibleTransfer))


def test_linking_rate_of_gold_recipients() -> None:
    """Every gold recipient that is a known provider and that extraction finds is linked to its entry
    (a name with another country's legal form than the entry's is another company, by design)."""
    from policykg.extractors.organisations import _another_form
    from tests.conftest import extract_readable

    known = linked = 0
    for gold_dir, texts in ((shared_dir("gold"), POLICIES), (shared_dir("devset") / "gold", shared_dir("devset") / "texts")):
        ds, refused = extract_readable(texts)
        for f in sorted(gold_dir.glob("*.yaml")):
            if f.stem in refused:
                continue
            gd = yaml.safe_load(f.read_text(encoding="utf-8"))
            from policykg.iris import graph_iri

            orgs = {str(o) for _, p, o in ds.graph(graph_iri(gd["policy"]))
                    if p in (DPV.hasDataProcessor, DPV.hasRecipientThirdParty, DPV.hasRecipient)}
            for r in gd.get("recipients") or []:
                entry = next((lookup(n) for n in [r["name"], *(r.get("aliases") or [])] if lookup(n)), None)
                if entry is None or _another_form(r["name"], entry):
                    continue  # "Evry AS" (Norwegian) beside Tietoevry (FI): another company, its own node
                known += 1
                linked += str(entry.iri) in orgs
    assert known >= 25
    assert linked / known >= 0.95, (linked, known)


def test_network_formats(bundled_graph) -> None:  # type: ignore[no-untyped-def]
    net = network(bundled_graph)
    assert len(net.vendors) == 5 and net.edges
    labels = {r[1] for r in net.recipients}
    assert {"Google Analytics", "Mailchimp"} <= labels
    dot = to_dot(net)
    assert dot.startswith("graph policykg") and dot.count(" -- ") == len(net.edges)
    gml = to_graphml(net)
    assert gml.count("<edge ") == len(net.edges)
    svg = to_svg(net)
    assert svg.count("<line ") == len(net.edges) and "Mailchimp (US)" in svg


def test_vendors_and_network_commands(runner: CliRunner, tmp_path: Path) -> None:
    r = cli_run(runner, "vendors", "-f", "csv", "--country", "SE")
    assert r.exit_code == 0 and "Klarna" in r.stdout and ",US," not in r.stdout
    corpus = str(Path(__file__).parent / "queries" / "corpus.ttl")
    out = tmp_path / "net.svg"
    assert cli_run(runner, "network", corpus, "-o", str(out)).exit_code == 0
    assert out.read_text().startswith("<svg")
    assert URIRef  # keep import used
