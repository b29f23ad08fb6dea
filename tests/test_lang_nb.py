"""Norwegian Bokmål: a policy of our own making (tests/policies/nb-example.txt) and its facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_precision import GDPR, LOC, PD, D, values

POLICY = Path(__file__).parent / "policies" / "nb-example.txt"


@pytest.fixture(scope="module")
def facts() -> set[tuple[str, str]]:
    return values(POLICY.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fact", [
    ("hasPersonalData", PD + "Name"), ("hasPersonalData", PD + "EmailAddress"),
    ("hasPersonalData", PD + "TelephoneNumber"), ("hasPersonalData", PD + "IPAddress"),
    ("hasPurpose", D + "DirectMarketing"), ("hasLegalBasis", D + "Consent"), ("hasLegalBasis", D + "Contract"),
    ("hasRight", GDPR + "A15"), ("hasRight", GDPR + "A16"), ("hasRight", GDPR + "A17"), ("hasRight", GDPR + "A20"),
    ("hasRight", GDPR + "A21"), ("hasRight", GDPR + "A77"), ("hasRight", GDPR + "A7-3"),
    ("hasLegalBasis", GDPR + "SCCByCommission"), ("hasThirdCountry", LOC + "US"),
    ("hasDataProcessor", "Mailchimp"), ("hasDataProcessor", "Nordlys Drift"), ("hasDataProcessor", "Hetzner"),
])
def test_the_facts_of_a_norwegian_policy(facts: set[tuple[str, str]], fact: tuple[str, str]) -> None:
    assert fact in facts


def test_norwegian_durations_and_publisher() -> None:
    from policykg.pipeline import extract_source
    from policykg.reading import read_source

    ex = extract_source(read_source(POLICY))
    assert ex.lang == "nb"
    g = ex.graph
    durations = {str(o) for o in g.objects(None, __import__("rdflib").RDF.value)}
    assert {"P5Y", "P12M", "P90D"} <= durations
    from rdflib.namespace import DCTERMS, RDFS
    pub = g.value(next(g.subjects(DCTERMS.identifier, None)), DCTERMS.publisher)
    assert str(g.value(pub, RDFS.label)) == "Fjordlys AS"


def test_norwegian_denial_and_compounds() -> None:
    v = values("Fjordlys AS er behandlingsansvarlig. Vi deler ikke e-postadressen din med annonsører.")
    assert ("hasPersonalData", PD + "EmailAddress") not in v
    v = values("Fjordlys AS er behandlingsansvarlig. Vi lagrer kundens e-postadresse og medlemsnummeret ditt.")
    assert ("hasPersonalData", PD + "EmailAddress") in v
    # "utlevering" (disclosure) is no delivery of goods
    v = values("Fjordlys AS er behandlingsansvarlig. Grunnlaget for utlevering av navn til leverandører er avtalen.")
    assert ("hasPurpose", D + "DeliveryOfGoods") not in v
