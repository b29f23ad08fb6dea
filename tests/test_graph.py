"""The graph of the bundled policies follows CONTRACT.md."""

from __future__ import annotations

from rdflib import Literal
from rdflib.namespace import DCTERMS, RDF

from policykg.namespaces import DPV, OA
from policykg.reading import read_source
from tests.conftest import POLICIES


def test_one_notice_per_policy(bundled_graph) -> None:  # type: ignore[no-untyped-def]
    ids = {str(o) for n in bundled_graph.subjects(RDF.type, DPV.PrivacyNotice)
           for o in bundled_graph.objects(n, DCTERMS.identifier)}
    assert ids == {p.stem for p in POLICIES.glob("*.txt")}


def test_every_handling_has_evidence_that_quotes_the_text(bundled_graph) -> None:  # type: ignore[no-untyped-def]
    g = bundled_graph
    texts = {p.stem: read_source(p).text for p in POLICIES.glob("*.txt")}
    handlings = set(g.subjects(RDF.type, DPV.PersonalDataHandling))
    assert handlings
    for h in handlings:
        anns = list(g.subjects(OA.hasBody, h))
        assert anns, h
    checked = 0
    for a in g.subjects(RDF.type, OA.Annotation):
        target = g.value(a, OA.hasTarget)
        ident = str(g.value(g.value(target, OA.hasSource), DCTERMS.identifier))
        start = end = exact = None
        for sel in g.objects(target, OA.hasSelector):
            if (sel, RDF.type, OA.TextPositionSelector) in g:
                start, end = int(g.value(sel, OA.start)), int(g.value(sel, OA.end))
            else:
                exact = str(g.value(sel, OA.exact))
        assert texts[ident][start:end] == exact
        checked += 1
    assert checked >= len(handlings)


def test_every_handling_has_notice_and_controller(bundled_graph) -> None:  # type: ignore[no-untyped-def]
    g = bundled_graph
    for h in g.subjects(RDF.type, DPV.PersonalDataHandling):
        assert g.value(h, DPV.hasNotice) is not None
        assert g.value(h, DPV.hasDataController) is not None
    # purposes are DPV concepts the policy states, never a stand-in for an unstated one
    purposes = set(g.objects(None, DPV.hasPurpose))
    assert purposes and all(str(p).startswith("https://w3id.org/dpv#") for p in purposes)


def test_a_passage_without_a_purpose_gets_none() -> None:
    from policykg.pipeline import extract_source
    from policykg.reading import Source

    text = ("Privacy policy\n\nWe use your e-mail address to send our newsletter.\n\n"
            "Rights\n\nYou may ask for a copy of your personal data.\n")
    g = extract_source(Source("t", "t.txt", "text", text), "en").graph
    by_text = {}
    for a in g.subjects(RDF.type, OA.Annotation):
        h = g.value(a, OA.hasBody)
        if (h, RDF.type, DPV.PersonalDataHandling) in g:
            for t in g.objects(a, OA.hasTarget):
                for sel in g.objects(t, OA.hasSelector):
                    exact = g.value(sel, OA.exact)
                    if exact is not None:
                        by_text[str(exact)] = set(g.objects(h, DPV.hasPurpose))
    assert by_text["We use your e-mail address to send our newsletter."] == {DPV.DirectMarketing}
    assert by_text["You may ask for a copy of your personal data."] == set()


def test_values_are_iris_not_strings(bundled_graph) -> None:  # type: ignore[no-untyped-def]
    for p in (DPV.hasPurpose, DPV.hasPersonalData, DPV.hasDataSubject, DPV.hasLegalBasis, DPV.hasRight):
        assert not any(isinstance(o, Literal) for o in bundled_graph.objects(None, p))


def test_same_organisation_same_iri_across_policies(bundled_graph) -> None:  # type: ignore[no-untyped-def]
    g = bundled_graph
    ga = [o for o in g.subjects(RDF.type, DPV.Organisation) if str(o).endswith("/google-analytics")]
    assert len(ga) == 1
    notices = {g.value(h, DPV.hasNotice) for h in g.subjects(None, ga[0]) if (h, RDF.type, DPV.PersonalDataHandling) in g}
    assert len(notices) >= 2
