"""Finnish: a policy of our own making (tests/policies/fi-example.txt), and sentences of our own for
inflection (Snowball stems), compounds, consonant gradation and denials."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph
from rdflib.namespace import DCTERMS, RDFS

from policykg.lexicon import stem
from policykg.namespaces import DPV
from tests.test_precision import GDPR, LOC, PD, D, graph, values

POLICY = Path(__file__).parent / "policies" / "fi-example.txt"
INTRO = "Kuusikko Oy on rekisterinpitäjä. "


@pytest.fixture(scope="module")
def policy() -> Graph:
    from policykg.pipeline import extract_source
    from policykg.reading import read_source

    ex = extract_source(read_source(POLICY))
    assert ex.lang == "fi"  # detected, not passed
    return ex.graph


@pytest.fixture(scope="module")
def facts() -> set[tuple[str, str]]:
    return values(POLICY.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fact", [
    ("hasPersonalData", PD + "Name"), ("hasPersonalData", PD + "EmailAddress"),
    ("hasPersonalData", PD + "TelephoneNumber"), ("hasPersonalData", PD + "PhysicalAddress"),
    ("hasPersonalData", PD + "Financial"), ("hasPersonalData", PD + "IPAddress"), ("hasPersonalData", PD + "UserAgent"),
    ("hasPurpose", D + "CustomerOrderManagement"), ("hasPurpose", D + "PaymentManagement"),
    ("hasPurpose", D + "CustomerCare"), ("hasPurpose", D + "DirectMarketing"), ("hasPurpose", D + "LegalCompliance"),
    ("hasPurpose", D + "ImproveExistingProductsAndServices"),
    ("hasLegalBasis", D + "Contract"), ("hasLegalBasis", D + "Consent"), ("hasLegalBasis", D + "LegitimateInterest"),
    ("hasLegalBasis", D + "LegalObligation"),
    ("hasRight", GDPR + "A15"), ("hasRight", GDPR + "A16"), ("hasRight", GDPR + "A17"), ("hasRight", GDPR + "A20"),
    ("hasRight", GDPR + "A21"), ("hasRight", GDPR + "A77"), ("hasRight", GDPR + "A7-3"),
    ("hasLegalBasis", GDPR + "SCCByCommission"),
    ("hasTechnicalOrganisationalMeasure", D + "EncryptionAtRest"),
    ("hasTechnicalOrganisationalMeasure", D + "AccessControlMethod"),
    ("hasDataSubject", D + "Customer"),
    ("hasDataSource", D + "DataSubjectDataSource"),
    ("hasDataProcessor", "Paytrail Oyj"), ("hasDataProcessor", "Mailchimp"), ("hasDataProcessor", "Hetzner"),
])
def test_the_facts_of_a_finnish_policy(facts: set[tuple[str, str]], fact: tuple[str, str]) -> None:
    assert fact in facts


@pytest.mark.parametrize("fact", [
    ("hasRecipient", D + "ThirdParty"),  # "Emme myy henkilötietojasi kolmansille osapuolille."
    ("hasRight", GDPR + "A22"),
])
def test_what_the_finnish_policy_does_not_state(facts: set[tuple[str, str]], fact: tuple[str, str]) -> None:
    assert fact not in facts


def test_durations_publisher_authority_and_date(policy: Graph) -> None:
    durations = {str(o) for o in policy.objects(None, RDF.value)}
    assert {"P6Y", "P24M", "P90D"} <= durations  # "kuuden vuoden ajan": a number word in the genitive
    notice = next(policy.subjects(RDF.type, DPV.PrivacyNotice))
    assert str(policy.value(policy.value(notice, DCTERMS.publisher), RDFS.label)) == "Kuusikko Oy"
    assert str(policy.value(notice, DCTERMS.modified))[:10] == "2025-02-03"  # "3. helmikuuta 2025"
    authorities = {str(policy.value(o, RDFS.label)) for o in policy.objects(None, DPV.hasAuthority)}
    assert authorities == {"Tietosuojavaltuutetun toimisto"}  # "... joka Suomessa on tietosuojavaltuutettu"


def test_the_destination_of_a_transfer(facts: set[tuple[str, str]]) -> None:
    assert ("hasThirdCountry", LOC + "US") in facts  # "Mailchimp voi siirtää tietoja Yhdysvaltoihin."


REGISTER = Path(__file__).parent / "policies" / "fi-rekisteriseloste.txt"
"""The classic Finnish register description (rekisteriseloste): numbered sections, passive voice, third person."""


@pytest.fixture(scope="module")
def register_facts() -> set[tuple[str, str]]:
    return values(REGISTER.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fact", [
    ("hasPersonalData", PD + "Name"), ("hasPersonalData", PD + "OfficialID"), ("hasPersonalData", PD + "PhysicalAddress"),
    ("hasPersonalData", PD + "TelephoneNumber"), ("hasPersonalData", PD + "EmailAddress"), ("hasPersonalData", PD + "Financial"),
    ("hasPurpose", D + "CommunicationManagement"), ("hasPurpose", D + "PaymentManagement"),
    ("hasLegalBasis", D + "Contract"),  # "asiakassuhde": the customer relationship
    ("hasLegalBasis", D + "LegalObligation"),
    ("hasRight", GDPR + "A15"), ("hasRight", GDPR + "A16"), ("hasRight", GDPR + "A17"), ("hasRight", GDPR + "A77"),
    ("hasTechnicalOrganisationalMeasure", D + "PhysicalMeasure"), ("hasTechnicalOrganisationalMeasure", D + "AccessControlMethod"),
    ("hasTechnicalOrganisationalMeasure", D + "PasswordAuthentication"),
    ("hasTechnicalOrganisationalMeasure", D + "ConfidentialityAgreement"),
    ("hasDataSource", D + "DataSubjectDataSource"), ("hasAuthority", "Tietosuojavaltuutetun toimisto"),
])
def test_the_facts_of_a_register_description(register_facts: set[tuple[str, str]], fact: tuple[str, str]) -> None:
    assert fact in register_facts


@pytest.mark.parametrize("fact", [
    ("hasProcessing", D + "Transfer"),  # "Tietoja ei siirretä EU:n tai ETA:n ulkopuolelle." and its heading
    ("hasLocation", LOC + "EU"), ("hasLocation", LOC + "EEA"),  # where data is not sent, not where it is kept
    ("hasRight", GDPR + "A22"),  # "Tietoja ei käytetä automatisoituun päätöksentekoon."
    ("hasDataSubject", D + "User"),  # "käyttäjätunnuksin": by user names, no users
])
def test_what_a_register_description_does_not_state(register_facts: set[tuple[str, str]], fact: tuple[str, str]) -> None:
    assert fact not in register_facts


# --- inflection: one label, the cases a sentence puts it in ------------------------------------

def test_snowball_stems_are_used() -> None:
    assert stem("henkilötietoja", "fi") == stem("henkilötietojen", "fi") == stem("henkilötieto", "fi")
    assert stem("säilytetään", "fi") == stem("säilyttää", "fi")


@pytest.mark.parametrize("sentence", [
    "Säilytämme laskut 6 vuotta.",
    "Laskut säilytetään 6 vuotta.",
    "Kirjanpitoaineisto säilytetään kuuden vuoden ajan.",
    "Tiedot poistetaan 6 vuoden kuluttua.",
    "Tilitapahtumien säilytysaika on 6 vuotta.",
])
def test_retention_cues_in_their_cases(sentence: str) -> None:
    g = graph(INTRO + sentence, "fi")
    assert "P6Y" in {str(o) for o in g.objects(None, RDF.value)}


def test_a_duration_without_a_cue_is_no_retention() -> None:
    g = graph(INTRO + "Vastaamme yhteydenottoihin 30 päivän kuluessa.", "fi")
    assert "P30D" not in {str(o) for o in g.objects(None, RDF.value)}


@pytest.mark.parametrize("sentence,fact", [
    # t/d gradation: the plural nominative and the other cases have different stems
    ("Keräämme asiakkaiden yhteystiedot.", ("hasPersonalData", PD + "Contact")),
    ("Keräämme asiakkaiden yhteystietoja.", ("hasPersonalData", PD + "Contact")),
    ("Yhteystietojen avulla hoidamme tilauksesi.", ("hasPersonalData", PD + "Contact")),
    # -us nouns: sopimus / sopimuksen / sopimusta
    ("Käsittely perustuu sopimukseen.", ("hasLegalBasis", D + "Contract")),
    ("Käsittelyn oikeusperuste on asiakassopimuksen täyttäminen.", ("hasLegalBasis", D + "Contract")),
    ("Käsittelemme tietoja suostumuksesi perusteella.", ("hasLegalBasis", D + "Consent")),
    ("Käsittely perustuu suostumukseen.", ("hasLegalBasis", D + "Consent")),
    # -minen action nouns: nominative, partitive, translative
    ("Tietoja käytetään palvelun kehittämiseen.", ("hasPurpose", D + "ImproveExistingProductsAndServices")),
    ("Käytämme tietoja palvelun kehittämiseksi.", ("hasPurpose", D + "ImproveExistingProductsAndServices")),
    ("Käsittelyn tarkoitus on väärinkäytösten estäminen.", ("hasPurpose", D + "MisusePreventionAndDetection")),
    ("Käsittelemme tietoja väärinkäytösten estämiseksi.", ("hasPurpose", D + "MisusePreventionAndDetection")),
    # possessive suffixes and the partitive of the data
    ("Käsittelemme käyttäjien nimiä ja sähköpostiosoitteita.", ("hasPersonalData", PD + "Name")),
    ("Keräämme nimesi, sähköpostiosoitteesi ja puhelinnumerosi.", ("hasPersonalData", PD + "EmailAddress")),
    ("Keräämme nimesi, sähköpostiosoitteesi ja puhelinnumerosi.", ("hasPersonalData", PD + "TelephoneNumber")),
    ("Tallennamme asiakkaiden sähköpostiosoitteita.", ("hasPersonalData", PD + "EmailAddress")),
    ("Emme tallenna IP-osoitettasi pysyvästi, vaan se anonymisoidaan.", ("hasTechnicalOrganisationalMeasure",
                                                                       D + "Anonymisation")),
    ("Sinulla on oikeus saada pääsy tietoihisi.", ("hasRight", GDPR + "A15")),
    ("Sinulla on oikeus vaatia virheellisten tietojen oikaisemista.", ("hasRight", GDPR + "A16")),
    ("Voit käyttää tarkastusoikeuttasi ottamalla meihin yhteyttä.", ("hasRight", GDPR + "A15")),
    ("Sinulla on oikeus tehdä valitus valvontaviranomaiselle.", ("hasRight", GDPR + "A77")),
    # education: a job applicant's (with the application nearby), or the studies a person is in
    ("Käsittelemme hakemuksesi, ansioluettelosi ja koulutustietosi.", ("hasPersonalData", PD + "Education")),
    ("Jäsenrekisteriin tallennetaan jäsenen opiskelija-asema.", ("hasPersonalData", PD + "EducationExperience")),
    # compounds: a label as the head or the first part of a word
    ("Keräämme jäsenten lisäsähköpostiosoitteet.", ("hasPersonalData", PD + "EmailAddress")),  # compound head
    ("Käsittelyn tarkoitus on jäsenmaksujen käsittely.", ("hasPurpose", D + "PaymentManagement")),
    ("Palvelimet sijaitsevat datakeskuksessa, jossa tiedot tallennetaan varmuuskopioihin.",
     ("hasTechnicalOrganisationalMeasure", D + "DataBackupProtocols")),
])
def test_labels_in_their_cases_and_compounds(sentence: str, fact: tuple[str, str]) -> None:
    assert fact in values(INTRO + sentence, "fi")


@pytest.mark.parametrize("sentence,fact", [
    # "salasanaton" is passwordless: no password is kept
    ("Käytämme salasanatonta kirjautumista.", ("hasPersonalData", PD + "Password")),
    # "viranomainen" (authority) ends in "omainen" (relative)
    ("Tietoja voidaan luovuttaa viranomaisille.", ("hasPersonalData", PD + "Family")),
    # an e-mail service is no e-mail address
    ("Käytämme sähköpostipalvelua tiedotteiden lähettämiseen.", ("hasPersonalData", PD + "EmailAddress")),
    # "the name of the register" names no personal data
    ("Rekisterin nimi: asiakasrekisteri", ("hasPersonalData", PD + "Name")),
    # the supervisory authority is no monitoring of activity
    ("Valvontaviranomainen on tietosuojavaltuutettu.", ("hasTechnicalOrganisationalMeasure", D + "ActivityMonitoring")),
    # a right to data portability is no transfer of our own
    ("Mailchimp voi siirtää tietoja palvelimilleen.", ("hasRight", GDPR + "A20")),
    # "perusteella" (on the basis of) is no withdrawal of consent ("perua")
    ("Luovutamme tietoja viranomaisille lain perusteella.", ("hasRight", GDPR + "A7-3")),
    # cancelling a booking withdraws no consent, cancelling a subscription is no order
    ("Voit peruuttaa varauksesi milloin tahansa.", ("hasRight", GDPR + "A7-3")),
    ("Voit perua uutiskirjeen tilauksen milloin tahansa.", ("hasPurpose", D + "CustomerOrderManagement")),
    # "sähköpostitse" (by e-mail) is a way to write to us, not a kind of data
    ("Voit ottaa meihin yhteyttä sähköpostitse.", ("hasPersonalData", PD + "EmailAddress")),
    # member states are no members, a course for staff no education of the data subject
    ("Tietoja käsitellään EU:n jäsenvaltioissa.", ("hasDataSubject", D + "Member")),
    ("Järjestämme henkilöstölle tietosuojakoulutusta.", ("hasPersonalData", PD + "EducationExperience")),
    ("Järjestämme henkilöstölle tietosuojakoulutusta.", ("hasPersonalData", PD + "Education")),
    # where we are is no address we collect; the browser's settings are no data about it
    ("Toimipisteemme sijaitsee osoitteessa Rantatie 5.", ("hasPersonalData", PD + "PhysicalAddress")),
    ("Voit estää evästeet selaimesi asetuksista.", ("hasPersonalData", PD + "UserAgent")),
    # denials: "ei", "emme", before or after what they deny
    ("Emme myy henkilötietojasi kolmansille osapuolille.", ("hasRecipient", D + "ThirdParty")),
    ("Tietoja ei myydä, vuokrata tai luovuteta markkinointitarkoituksiin.", ("hasPurpose", D + "Marketing")),
    ("Sähköpostiosoitettasi ei luovuteta mainostajille.", ("hasPersonalData", PD + "EmailAddress")),
    ("Emme käytä automaattista päätöksentekoa emmekä profilointia.", ("hasRight", GDPR + "A22")),
    ("Palvelussa ei käytetä evästeitä.", ("hasPersonalData", PD + "UID")),
])
def test_words_that_only_look_like_labels_and_denials(sentence: str, fact: tuple[str, str]) -> None:
    assert fact not in values(INTRO + sentence, "fi")


# --- denials and conditions ---------------------------------------------------------------------

def test_a_transfer_stated_and_denied() -> None:
    stated = values(INTRO + "Tietoja siirretään ETA-alueen ulkopuolelle vakiosopimuslausekkeiden perusteella.", "fi")
    assert {("hasProcessing", D + "Transfer"), ("hasLegalBasis", GDPR + "SCCByCommission")} <= stated
    denied = values(INTRO + "Keräämme nimesi. Tietoja ei siirretä ETA-alueen ulkopuolelle.", "fi")
    assert ("hasProcessing", D + "Transfer") not in denied


def test_a_condition_is_no_denial() -> None:
    v = values(INTRO + "Jos et anna suostumustasi, lähetämme uutiskirjeen vain tilaajille.", "fi")
    assert ("hasPurpose", D + "DirectMarketing") in v


# --- organisations --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Kuusikko Oy", "Pohjolan Verkko Oyj", "Tilitoimisto Koivu Ky", "Insinöörikilta ry"])
def test_finnish_legal_forms_name_the_controller(name: str) -> None:
    g = graph(f"{name} on rekisterinpitäjä ja käsittelee asiakkaidensa henkilötietoja.", "fi")
    controllers = {str(g.value(o, RDFS.label)) for o in g.subjects(RDF.type, DPV.DataController)}
    assert controllers == {name}


def test_our_customer_is_no_company_name() -> None:
    g = graph("Tietosuojaseloste\n\nAsiakkaamme on rekisterinpitäjä. Keräämme käyttäjien nimiä.", "fi")
    assert not {str(g.value(o, RDFS.label)) for o in g.subjects(RDF.type, DPV.DataController)} & {"Asiakkaamme"}


def test_a_processor_named_as_such() -> None:
    v = values(INTRO + "Käytämme henkilötietojen käsittelijänä yritystä Laskentapalvelu Oy.", "fi")
    assert ("hasDataProcessor", "Laskentapalvelu Oy") in v


def test_place_names_in_their_cases() -> None:
    """Finnish text is matched on Snowball stems, so place names are too ("Irlannissa")."""
    text = ("Tietosuojaseloste\n\nKuusikko Oy on rekisterinpitäjä. Palvelimemme sijaitsevat Irlannissa ja "
            "Saksassa. Säilytämme asiakastietoja kuusi kuukautta.\n")
    places = {str(o) for o in graph(text, "fi").objects(None, None) if str(o).startswith(LOC)}
    assert {LOC + "IE", LOC + "DE"} <= places
