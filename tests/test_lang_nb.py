"""Norwegian Bokmål (nb, issue 18): policies of our own making and sentences of our own.

tests/policies/nb-fjellvind.txt is an invented web shop's policy (its Nynorsk twin is
nn-fjellvind.txt), tests/policies/nb-example.txt an invented app's; every fact asserted here is one a
reader finds in it, and none is found without the Bokmål profile and labels (ontology/languages/nb.yaml,
ontology/vocab/nb/): without them a Bokmål policy is refused or yields names and dates only.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, RDFS

from policykg.namespaces import DPV
from policykg.pipeline import extract_source
from policykg.reading import Source, read_source

POLICIES = Path(__file__).parent / "policies"
POLICY = POLICIES / "nb-fjellvind.txt"
D = "https://w3id.org/dpv#"
PD = "https://w3id.org/dpv/pd#"
GDPR = "https://w3id.org/dpv/legal/eu/gdpr#"
LOC = "https://w3id.org/dpv/loc#"


def facts(g: Graph) -> set[tuple[str, str]]:
    """(property local name, value IRI, organisation label or storage duration) of the notice and its handlings."""
    notice = next(g.subjects(RDF.type, DPV.PrivacyNotice))
    out: set[tuple[str, str]] = set()
    for s in {notice, *g.subjects(DPV.hasNotice, notice)}:
        for p, o in g.predicate_objects(s):
            name = str(p).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            if p == DPV.hasStorageCondition:
                out |= {("duration", str(v)) for d in g.objects(o, DPV.hasDuration) for v in g.objects(d, RDF.value)}
            elif (o, RDF.type, DPV.Organisation) in g:
                out.add((name, str(g.value(o, RDFS.label))))
            else:
                out.add((name, str(o)))
    return out


def values(text: str, lang: str = "nb") -> set[tuple[str, str]]:
    return facts(extract_source(Source("t", "t.txt", "text", text), lang).graph)


@pytest.fixture(scope="module")
def example() -> set[tuple[str, str]]:
    result = extract_source(read_source(POLICY))
    assert result.lang == "nb"  # detected, not forced
    return facts(result.graph)


@pytest.mark.parametrize("prop,value", [
    ("publisher", "Fjellvind Sykkel AS"), ("hasDataController", "Fjellvind Sykkel AS"),
    ("modified", "2024-03-14"),
    # named processors: "driftes av Skyhavn Drift AS", "sendes med Mailchimp"
    ("hasDataProcessor", "Skyhavn Drift AS"), ("hasDataProcessor", "Mailchimp"),
    # rights in the Regulation's words, and the authority
    ("hasRight", GDPR + "A15"), ("hasRight", GDPR + "A16"), ("hasRight", GDPR + "A17"), ("hasRight", GDPR + "A20"),
    ("hasRight", GDPR + "A21"), ("hasRight", GDPR + "A7-3"), ("hasRight", GDPR + "A77"),
    ("hasAuthority", "Datatilsynet"),
    # legal bases: art. 6 nr. 1 bokstav b, samtykke, berettiget interesse, rettslig forpliktelse
    ("hasLegalBasis", D + "Contract"), ("hasLegalBasis", D + "Consent"), ("hasLegalBasis", D + "LegitimateInterest"),
    ("hasLegalBasis", D + "LegalObligation"),
    # durations in words and digits: "tre år", "fem år", "90 dager"
    ("duration", "P3Y"), ("duration", "P5Y"), ("duration", "P90D"),
    # a transfer to the USA under standard contractual clauses
    ("hasProcessing", D + "Transfer"), ("hasThirdCountry", LOC + "US"), ("hasLegalBasis", GDPR + "SCCByCommission"),
    ("hasPurpose", D + "DeliveryOfGoods"), ("hasPurpose", D + "FulfilmentOfContractualObligation"),
    ("hasPurpose", D + "DirectMarketing"), ("hasPurpose", D + "ServiceUsageAnalytics"),
    ("hasPurpose", D + "ImproveExistingProductsAndServices"), ("hasPurpose", D + "LegalCompliance"),
    ("hasPersonalData", PD + "Name"), ("hasPersonalData", PD + "PhysicalAddress"),
    ("hasPersonalData", PD + "EmailAddress"), ("hasPersonalData", PD + "TelephoneNumber"),
    ("hasPersonalData", PD + "BirthDate"), ("hasPersonalData", PD + "Financial"), ("hasPersonalData", PD + "IPAddress"),
    ("hasPersonalData", PD + "UserAgent"), ("hasPersonalData", PD + "UID"),
    ("hasTechnicalOrganisationalMeasure", D + "EncryptionInTransfer"),
    ("hasTechnicalOrganisationalMeasure", D + "AccessControlMethod"),
    ("hasTechnicalOrganisationalMeasure", D + "DataProcessingAgreement"),
])
def test_the_example_policy_states(example: set[tuple[str, str]], prop: str, value: str) -> None:
    assert (prop, value) in example


def test_the_example_policy_denies_selling_to_third_parties(example: set[tuple[str, str]]) -> None:
    """"Vi selger aldri personopplysningene dine til tredjeparter": no third party among the recipients,
    while the suppliers it does name are recipients."""
    assert ("hasRecipient", D + "ServiceProvider") in example
    assert ("hasRecipient", D + "ThirdParty") not in example


# --- inflection and compounds ------------------------------------------------------------------

@pytest.mark.parametrize("sentence,prop,value", [
    # definite and plural forms of a label
    ("Vi lagrer kundenes e-postadresser i kunderegisteret.", "hasDataSubject", D + "Customer"),
    ("Vi lagrer kundenes e-postadresser i kunderegisteret.", "hasPersonalData", PD + "EmailAddress"),
    ("Personopplysningene deles med leverandørene våre.", "hasRecipient", D + "ServiceProvider"),
    ("Du kan når som helst trekke samtykket tilbake.", "hasRight", GDPR + "A7-3"),
    ("Du kan be om å få en kopi av opplysningene.", "hasRight", GDPR + "A15"),
    # a label as the head of a compound
    ("Vi registrerer jobbtelefonnummeret ditt.", "hasPersonalData", PD + "TelephoneNumber"),
    ("Vi har inngått databehandleravtaler med alle leverandører.", "hasTechnicalOrganisationalMeasure",
     D + "DataProcessingAgreement"),
    # "til" marks a purpose before a noun
    ("Vi bruker e-postadressen din til kampanjer.", "hasPurpose", D + "DirectMarketing"),
    # durations and legal forms
    ("Opplysningene lagres i tolv måneder.", "duration", "P12M"),
    ("Loggene slettes etter seks uker.", "duration", "P6W"),
    # legal forms: the controller is named on the handlings of the data it is responsible for
    ("Solberg Snekkeri ENK er behandlingsansvarlig. Vi lagrer navnet ditt.", "hasDataController",
     "Solberg Snekkeri ENK"),
    ("Nordlys Data ASA er behandlingsansvarlig. Vi lagrer navnet ditt.", "hasDataController", "Nordlys Data ASA"),
    ("Fjellvind AS er behandlingsansvarlig. Navnet ditt lagres hos Bergheim Data DA.", "hasDataProcessor",
     "Bergheim Data DA"),
])
def test_bokmal_forms_are_read(sentence: str, prop: str, value: str) -> None:
    assert (prop, value) in values(sentence)


@pytest.mark.parametrize("text,prop,present,absent", [
    # a login is no logging, an enrolment no message, an agreement with a processor no contract basis
    ("Vi bruker BankID ved innloggingen.", "hasTechnicalOrganisationalMeasure", D + "AuthenticationProtocols",
     D + "ActivityMonitoring"),
    ("Innmeldingen registreres med navn.", "hasPersonalData", PD + "Name", PD + "Communication"),
    ("Vi har en databehandleravtale med leverandøren.", "hasTechnicalOrganisationalMeasure",
     D + "DataProcessingAgreement", D + "Contract"),
    # "bruker" is also the verb: "vi bruker" names no users
    ("Vi bruker informasjonskapsler.", "hasPersonalData", PD + "UID", D + "User"),
    # "til" before a determiner or a person marks no purpose
    ("Vi gir opplysninger om kampanjer til våre leverandører og bruker e-postadressen din til kampanjer.",
     "hasPurpose", D + "DirectMarketing", D + "SellProducts"),
    # a web address is no postal address
    ("Vi lagrer IP-adressen og nettadressen du kom fra.", "hasPersonalData", PD + "IPAddress", PD + "PhysicalAddress"),
])
def test_a_compound_or_a_verb_is_not_the_label(text: str, prop: str, present: str, absent: str) -> None:
    found = {v for p, v in values(text) if p in (prop, "hasDataSubject", "hasLegalBasis")}
    assert present in found and absent not in found


# --- denials ----------------------------------------------------------------------------------

NAME, EMAIL = ("hasPersonalData", PD + "Name"), ("hasPersonalData", PD + "EmailAddress")


@pytest.mark.parametrize("text,stated,denied", [
    # a denial cancels its clause, not the clause after "men"
    ("Vi lagrer ikke kortnummeret ditt, men vi lagrer navnet ditt.", NAME, ("hasPersonalData", PD + "PaymentCardNumber")),
    # a denial after the subject
    ("Vi lagrer navnet ditt. Fødselsnummeret ditt lagres ikke.", NAME, ("hasPersonalData", PD + "OfficialID")),
    ("Vi selger aldri opplysningene dine til tredjeparter, men vi deler dem med leverandører.",
     ("hasRecipient", D + "ServiceProvider"), ("hasRecipient", D + "ThirdParty")),
    # "Dersom du ikke er kunde": the "ikke" is the condition's, and denies nothing
    ("Dersom du ikke er kunde hos oss, lagrer vi bare e-postadressen din.", EMAIL, None),
])
def test_a_denial_cancels_what_it_denies(text: str, stated: tuple[str, str], denied: tuple[str, str] | None) -> None:
    found = values(text)
    assert stated in found and denied not in found


def test_a_right_is_no_retention_statement() -> None:
    """"slettes" says how long data is kept; the right to erasure is "sletting", "få slettet"."""
    found = values("Du har en konto hos oss. Ordrehistorikken slettes etter tre år.")
    assert ("duration", "P3Y") in found
    assert ("hasRight", GDPR + "A17") not in found
    assert ("hasRight", GDPR + "A17") in values("Du har rett til å få opplysningene slettet.")


@pytest.mark.parametrize("stated,mentioned,prop,value", [
    # the right to restriction is the Regulation's phrase, not any "begrense" (limit)
    ("Du har rett til begrensning av behandlingen.", "Du kan begrense bruken av informasjonskapsler i nettleseren.",
     "hasRight", GDPR + "A18"),
    # unsubscribing from a newsletter is no objection (issue 16); "reservere seg" is
    ("Du kan reservere deg mot direkte markedsføring.", "Du kan melde deg av nyhetsbrevet.", "hasRight", GDPR + "A21"),
    # a location is data where it is collected, not where a server stands
    ("Vi samler inn lokasjon fra appen.", "Serverens lokasjon er i Irland.", "hasPersonalData", PD + "Location"),
    # comments are data where they are collected
    ("Vi lagrer kommentarer du skriver.", "Kommentarer til denne erklæringen er velkomne.", "hasPersonalData",
     PD + "Opinion"),
])
def test_an_everyday_word_is_a_fact_only_in_its_relation(stated: str, mentioned: str, prop: str, value: str) -> None:
    assert (prop, value) in values(stated)
    assert (prop, value) not in values(mentioned)


# --- tests/policies/nb-example.txt: an app's policy -------------------------------------------

@pytest.fixture(scope="module")
def app_policy() -> set[tuple[str, str]]:
    result = extract_source(read_source(POLICIES / "nb-example.txt"))
    assert result.lang == "nb"
    return facts(result.graph)


@pytest.mark.parametrize("fact", [
    ("hasPersonalData", PD + "Name"), ("hasPersonalData", PD + "EmailAddress"),
    ("hasPersonalData", PD + "TelephoneNumber"), ("hasPersonalData", PD + "IPAddress"),
    ("hasPurpose", D + "DirectMarketing"), ("hasLegalBasis", D + "Consent"), ("hasLegalBasis", D + "Contract"),
    ("hasRight", GDPR + "A15"), ("hasRight", GDPR + "A16"), ("hasRight", GDPR + "A17"), ("hasRight", GDPR + "A20"),
    ("hasRight", GDPR + "A21"), ("hasRight", GDPR + "A77"), ("hasRight", GDPR + "A7-3"),
    ("hasLegalBasis", GDPR + "SCCByCommission"), ("hasThirdCountry", LOC + "US"),
    ("hasDataProcessor", "Mailchimp"), ("hasDataProcessor", "Nordlys Drift"), ("hasDataProcessor", "Hetzner"),
    ("duration", "P5Y"), ("duration", "P12M"), ("duration", "P90D"), ("publisher", "Fjordlys AS"),
])
def test_the_facts_of_the_app_policy(app_policy: set[tuple[str, str]], fact: tuple[str, str]) -> None:
    assert fact in app_policy


def test_a_denial_and_compounds_in_the_app_policy_style() -> None:
    intro = "Fjordlys AS er behandlingsansvarlig. "
    assert ("hasPersonalData", PD + "EmailAddress") not in values(intro + "Vi deler ikke e-postadressen din med annonsører.")
    assert ("hasPersonalData", PD + "EmailAddress") in values(
        intro + "Vi lagrer kundens e-postadresse og medlemsnummeret ditt.")
    # "utlevering" (disclosure) is no delivery of goods
    found = values(intro + "Grunnlaget for utlevering av navn til leverandører er avtalen.")
    assert ("hasLegalBasis", D + "Contract") in found
    assert ("hasPurpose", D + "DeliveryOfGoods") not in found
