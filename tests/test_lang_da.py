"""Danish (da, issue 18): a policy of our own making and sentences of our own.

tests/policies/da-example.txt is an invented travel agency's policy; every fact asserted here is one a
reader finds in it, and none is found without the Danish profile and labels (ontology/languages/da.yaml,
ontology/vocab/da/): without them a Danish policy is refused ("no vocabularies").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from policykg.namespaces import DPV
from policykg.pipeline import extract_source
from policykg.reading import Source, read_source
from tests.test_lang_nb import EMAIL, GDPR, LOC, NAME, PD, D, facts

POLICY = Path(__file__).parent / "policies" / "da-example.txt"
ORG = "https://w3id.org/policykg/org/"


def graph(text: str) -> Graph:
    return extract_source(Source("t", "t.txt", "text", text), "da").graph


def values(text: str) -> set[tuple[str, str]]:
    return facts(graph(text))


@pytest.fixture(scope="module")
def example() -> set[tuple[str, str]]:
    result = extract_source(read_source(POLICY))
    assert result.lang == "da"  # detected, not forced
    return facts(result.graph)


@pytest.mark.parametrize("prop,value", [
    # the publisher and controller by its legal form, the date of the last change
    ("publisher", "Havbrise Rejser ApS"), ("hasDataController", "Havbrise Rejser ApS"), ("modified", "2025-02-03"),
    # named processors: "hostes af Nordhavn Hosting A/S, som er vores databehandler", "sendes via Mailchimp"
    ("hasDataProcessor", "Nordhavn Hosting A/S"), ("hasDataProcessor", "Mailchimp"),
    # rights in the Regulation's words, withdrawal of consent and the complaint
    ("hasRight", GDPR + "A15"), ("hasRight", GDPR + "A16"), ("hasRight", GDPR + "A17"), ("hasRight", GDPR + "A20"),
    ("hasRight", GDPR + "A21"), ("hasRight", GDPR + "A7-3"), ("hasRight", GDPR + "A77"),
    ("hasAuthority", "Datatilsynet"),  # the Danish one (below: the policy's language decides)
    # legal bases: art. 6, stk. 1, litra b and f, samtykke, retlig forpligtelse
    ("hasLegalBasis", D + "Contract"), ("hasLegalBasis", D + "Consent"), ("hasLegalBasis", D + "LegitimateInterest"),
    ("hasLegalBasis", D + "LegalObligation"),
    # durations in words and digits: "fem år", "24 måneder", "30 dage"
    ("duration", "P5Y"), ("duration", "P24M"), ("duration", "P30D"),
    # a transfer to the USA under standard contractual clauses
    ("hasProcessing", D + "Transfer"), ("hasThirdCountry", LOC + "US"), ("hasLegalBasis", GDPR + "SCCByCommission"),
    ("hasPurpose", D + "CustomerOrderManagement"), ("hasPurpose", D + "FulfilmentOfContractualObligation"),
    ("hasPurpose", D + "DirectMarketing"), ("hasPurpose", D + "ServiceUsageAnalytics"),
    ("hasPurpose", D + "ImproveExistingProductsAndServices"), ("hasPurpose", D + "LegalCompliance"),
    ("hasPersonalData", PD + "Name"), ("hasPersonalData", PD + "BirthDate"), ("hasPersonalData", PD + "EmailAddress"),
    ("hasPersonalData", PD + "TelephoneNumber"), ("hasPersonalData", PD + "PhysicalAddress"),
    ("hasPersonalData", PD + "Financial"), ("hasPersonalData", PD + "Passport"), ("hasPersonalData", PD + "IPAddress"),
    ("hasPersonalData", PD + "UserAgent"), ("hasPersonalData", PD + "UID"),
    ("hasDataSubject", D + "Visitor"), ("hasDataSubject", D + "Subscriber"),
    ("hasTechnicalOrganisationalMeasure", D + "EncryptionInTransfer"),
    ("hasTechnicalOrganisationalMeasure", D + "AccessControlMethod"),
    ("hasTechnicalOrganisationalMeasure", D + "DataProcessingAgreement"),
])
def test_the_example_policy_states(example: set[tuple[str, str]], prop: str, value: str) -> None:
    assert (prop, value) in example


def test_the_example_policy_states_nothing_it_does_not_say(example: set[tuple[str, str]]) -> None:
    """"Vi sælger aldrig dine personoplysninger til tredjeparter": no third party among the recipients;
    an order ("bestilling") names no job ("stilling"), payment data ("betalingsoplysninger") no payment
    handling, and "Vi bruger" no users."""
    for absent in [("hasRecipient", D + "ThirdParty"), ("hasPersonalData", PD + "Job"),
                   ("hasPurpose", D + "PaymentManagement"), ("hasDataSubject", D + "User")]:
        assert absent not in example


# --- inflection and compounds ------------------------------------------------------------------

@pytest.mark.parametrize("sentence,prop,value", [
    # definite and plural forms of a label
    ("Vi gemmer kundernes e-mailadresser i kunderegistret.", "hasDataSubject", D + "Customer"),
    ("Vi gemmer kundernes e-mailadresser i kunderegistret.", "hasPersonalData", PD + "EmailAddress"),
    ("Personoplysningerne deles med vores leverandører.", "hasRecipient", D + "ServiceProvider"),
    ("Du kan til enhver tid trække dit samtykke tilbage.", "hasRight", GDPR + "A7-3"),
    ("Du kan anmode om at få en kopi af dine oplysninger.", "hasRight", GDPR + "A15"),
    ("Du har ret til at få dine oplysninger slettet.", "hasRight", GDPR + "A17"),
    # a label as the head of a compound
    ("Vi registrerer dit arbejdstelefonnummer.", "hasPersonalData", PD + "TelephoneNumber"),
    ("Vi har indgået databehandleraftaler med alle leverandører.", "hasTechnicalOrganisationalMeasure",
     D + "DataProcessingAgreement"),
    # "til" marks a purpose before a noun
    ("Vi bruger din e-mailadresse til kampagner.", "hasPurpose", D + "DirectMarketing"),
    # durations in Danish words and units
    ("Oplysningerne opbevares i tolv måneder.", "duration", "P12M"),
    ("Oplysningerne opbevares i atten måneder.", "duration", "P18M"),
    ("Logfilerne slettes efter seks uger.", "duration", "P6W"),
    # Danish legal forms: the controller is named on the handlings of the data it is responsible for
    ("Solvang Tømrer I/S er dataansvarlig. Vi gemmer dit navn.", "hasDataController", "Solvang Tømrer I/S"),
    ("Fjordens Mejeri A.M.B.A. er dataansvarlig. Vi gemmer dit navn.", "hasDataController",
     "Fjordens Mejeri A.M.B.A."),
    ("Lyngby Data IVS er dataansvarlig. Vi gemmer dit navn.", "hasDataController", "Lyngby Data IVS"),
    ("Havbrise ApS er dataansvarlig. Dit navn opbevares hos Bølge Data K/S.", "hasDataProcessor", "Bølge Data K/S"),
])
def test_danish_forms_are_read(sentence: str, prop: str, value: str) -> None:
    assert (prop, value) in values(sentence)


@pytest.mark.parametrize("text,prop,present,absent", [
    # "bruger" is also the verb: "vi bruger" names no users
    ("Vi bruger cookies.", "hasPersonalData", PD + "UID", D + "User"),
    # a web address is no postal address
    ("Vi gemmer IP-adressen og webadressen, du kom fra.", "hasPersonalData", PD + "IPAddress", PD + "PhysicalAddress"),
    # an order ("bestilling") and a setting ("indstilling") are no position ("stilling")
    ("Vi bruger dine bestillinger til at levere varerne.", "hasPurpose", D + "DeliveryOfGoods", PD + "Job"),
    ("Du kan ændre dine indstillinger for cookies.", "hasPersonalData", PD + "Preference", PD + "Job"),
])
def test_a_compound_or_a_verb_is_not_the_label(text: str, prop: str, present: str, absent: str) -> None:
    found = {v for p, v in values(text) if p in (prop, "hasDataSubject", "hasPersonalData")}
    assert present in found and absent not in found


@pytest.mark.parametrize("text,absent", [
    # a complaint about goods ("reklamation") is no advertising ("reklame")
    ("Vi bruger dine oplysninger til at behandle din reklamation.", ("hasPurpose", D + "Advertising")),
    # "pas på" (take care) names no passport
    ("Pas på din adgangskode.", ("hasPersonalData", PD + "Passport")),
    # a domain name is no person's name
    ("Vi registrerer dit domænenavn.", ("hasPersonalData", PD + "Name")),
    # an access restriction is a measure, not the right to restriction
    ("Vi har adgangsbegrænsning på vores systemer, og du kan kontakte os.", ("hasRight", GDPR + "A18")),
    # a list of sub-processors is no record of processing activities
    ("Du kan se en fortegnelse over vores underdatabehandlere.", ("hasTechnicalOrganisationalMeasure", D + "ROPA")),
])
def test_a_word_that_only_looks_like_a_label_is_no_fact(text: str, absent: tuple[str, str]) -> None:
    assert absent not in values(text)


def test_the_words_those_look_like_are_facts() -> None:
    """The labels the previous test guards against are read where they are meant."""
    assert ("hasPurpose", D + "Advertising") in values("Vi bruger cookies til at vise dig reklamer.")
    assert ("hasPersonalData", PD + "Passport") in values("Vi gemmer dit pasnummer.")
    assert ("hasRight", GDPR + "A18") in values("Du har ret til begrænsning af behandlingen.")


# --- denials ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text,stated,denied", [
    # a denial cancels its clause, not the clause after "men"
    ("Vi gemmer ikke dit kortnummer, men vi gemmer dit navn.", NAME, ("hasPersonalData", PD + "PaymentCardNumber")),
    # a denial after the subject
    ("Vi gemmer dit navn. Dit CPR-nummer gemmes ikke.", NAME, ("hasPersonalData", PD + "OfficialID")),
    ("Vi sælger aldrig dine oplysninger til tredjeparter, men vi deler dem med leverandører.",
     ("hasRecipient", D + "ServiceProvider"), ("hasRecipient", D + "ThirdParty")),
    # "Hvis du ikke er kunde": the "ikke" is the condition's, and denies nothing
    ("Hvis du ikke er kunde hos os, gemmer vi kun din e-mailadresse.", EMAIL, None),
])
def test_a_denial_cancels_what_it_denies(text: str, stated: tuple[str, str], denied: tuple[str, str] | None) -> None:
    found = values(text)
    assert stated in found and denied not in found


def test_a_right_is_no_retention_statement() -> None:
    """"slettes" says how long data is kept; the right to erasure is "sletning", "få ... slettet"."""
    found = values("Du har en konto hos os. Ordrehistorikken slettes efter tre år.")
    assert ("duration", "P3Y") in found
    assert ("hasRight", GDPR + "A17") not in found


def test_the_right_to_restriction_is_the_regulations_phrase() -> None:
    """"begrænsning af behandlingen" is the right; limiting cookies in a browser ("begrænse") is not."""
    assert ("hasRight", GDPR + "A18") in values("Du har ret til begrænsning af behandlingen.")
    assert ("hasRight", GDPR + "A18") not in values("Du kan begrænse brugen af cookies i din browser.")


def test_the_danish_datatilsynet_is_named_by_its_danish_names() -> None:
    """"Datatilsynet i Danmark" is the Danish authority (the knowledge base's additions for da)."""
    g = graph("Havbrise ApS er dataansvarlig. Du har ret til at klage til Datatilsynet i Danmark.")
    assert {str(o) for o in g.objects(None, DPV.hasAuthority)} == {ORG + "datatilsynet-dk"}


def test_the_authority_is_the_danish_datatilsynet() -> None:
    """Norway's and Denmark's authorities are both called Datatilsynet: the policy's language
    decides which one it names."""
    g = extract_source(read_source(POLICY)).graph
    authorities = set(g.objects(None, DPV.hasAuthority))
    assert authorities == {URIRef(ORG + "datatilsynet-dk")}
