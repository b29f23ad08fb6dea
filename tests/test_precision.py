"""False facts from real policies, rebuilt as sentences of our own (issue 16).

Each test states a sentence a policy could contain and a fact that policykg used
to read from it although the sentence does not state it (or a fact it missed).
The sentences are ours; the error classes come from policies of other companies.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from policykg.namespaces import DPV
from policykg.pipeline import extract_source
from policykg.reading import Source

PD = "https://w3id.org/dpv/pd#"
D = "https://w3id.org/dpv#"
GDPR = "https://w3id.org/dpv/legal/eu/gdpr#"
LOC = "https://w3id.org/dpv/loc#"


def graph(text: str, lang: str = "auto") -> Graph:
    return extract_source(Source("t", "t.txt", "text", text), lang).graph


def values(text: str, lang: str = "auto") -> set[tuple[str, str]]:
    """(property local name, value IRI or organisation label) on the notice and its handlings."""
    g = graph(text, lang)
    notice = next(g.subjects(RDF.type, DPV.PrivacyNotice))
    out = set()
    for s in {notice, *g.subjects(DPV.hasNotice, notice)}:
        for p, o in g.predicate_objects(s):
            if str(p).startswith(D) and p not in (DPV.hasNotice, DPV.hasDataController):
                label = g.value(o, RDFS.label) if (o, RDF.type, DPV.Organisation) in g else None
                out.add((p.split("#")[1], str(label) if label else str(o)))
    return out


def has(text: str, prop: str, value: str, lang: str = "auto") -> bool:
    return (prop, value) in values(text, lang)


INTRO = "Acme Widgets AB is the controller of the personal data we process. "


# --- a word taken for a fact ------------------------------------------------------------------

@pytest.mark.parametrize("sentence,prop,value", [
    ("Our website uses only technically necessary cookies so that its pages load.",
     "hasTechnicalOrganisationalMeasure", D + "TechnicalMeasure"),
    ("We collect the mouse coordinates of clicks on our heat map.", "hasPersonalData", PD + "GPSCoordinate"),
    ("We run ad campaigns on social media for our products.", "hasPurpose", D + "DirectMarketing"),
    ("If you apply for a job, we process your CV, including your training and courses.",
     "hasTechnicalOrganisationalMeasure", D + "StaffTraining"),
    ("Our office is in San Francisco, where we store your data on our servers.", "hasLocation", LOC + "FR"),
    ("We handle every question addressed to our support team within two days.", "hasPersonalData",
     PD + "PhysicalAddress"),
    ("Your session ends when you are logged in for more than two hours.",
     "hasTechnicalOrganisationalMeasure", D + "ActivityMonitoring"),
    ("Our data transfers to the United States are based on the Standard Contractual Clauses.",
     "hasLegalBasis", D + "Contract"),
    ("If you have questions about this policy, e-mail privacy@acme.example or call us.",
     "hasPersonalData", PD + "EmailAddress"),
    ("We will notify you by e-mail before we make material changes to this policy.",
     "hasTechnicalOrganisationalMeasure", D + "JITNotice"),
])
def test_a_word_is_not_a_fact(sentence: str, prop: str, value: str) -> None:
    assert not has(INTRO + sentence, prop, value), sentence


@pytest.mark.parametrize("sentence,prop,value", [
    ("Vi lagrar affärshemligheter hos oss och behandlar ditt namn för att fakturera.", "hasPersonalData",
     PD + "Secret"),
    ("Vi har ingått ett dataskyddsavtal med vår leverantör som behandlar din e-postadress.",
     "hasLegalBasis", D + "Contract"),
    ("Fakturarader med ditt namn sparas i sju år enligt bokföringslagen.", "hasRight", GDPR + "A17"),
    ("Vi använder uppgifterna för att förbättra tjänsten.", "hasRight", GDPR + "A16"),
    ("Vi sparar datum för din senaste inloggning i tolv månader.", "hasTechnicalOrganisationalMeasure",
     D + "ActivityMonitoring"),
    ("Läs mer i vår sekretesspolicy om hur vi behandlar ditt namn.", "hasTechnicalOrganisationalMeasure",
     D + "ConfidentialityAgreement"),
    # "X-settings" are settings, not X: the privacy settings of a social network are no confidentiality agreement
    ("Vilket namn vi får se beror på dina sekretessinställningar hos det sociala nätverket.",
     "hasTechnicalOrganisationalMeasure", D + "ConfidentialityAgreement"),
])
def test_a_swedish_word_or_compound_is_not_a_fact(sentence: str, prop: str, value: str) -> None:
    assert not has("Acme AB är personuppgiftsansvarig för behandlingen av dina personuppgifter. " + sentence,
                   prop, value, "sv"), sentence


# --- mentions that are not practices ----------------------------------------------------------

@pytest.mark.parametrize("sentence,prop,value", [
    ("'Personal data' means any information relating to an identified person, such as a name or a "
     "telephone number.", "hasPersonalData", PD + "TelephoneNumber"),
    ("'Profiling' means any form of automated processing that evaluates personal aspects.", "hasRight",
     GDPR + "A22"),
    ("You have the right to object, unless we need the data for the defence of legal claims.",
     "hasPurpose", D + "DisputeManagement"),
    ("We do not make decisions based solely on automated processing, including profiling.", "hasRight",
     GDPR + "A22"),
    ("Our websites are protected against credential stuffing and similar attacks.",
     "hasTechnicalOrganisationalMeasure", D + "AuthenticationProtocols"),
    ("The tax authority may audit our bookkeeping, including invoices with your name.",
     "hasTechnicalOrganisationalMeasure", D + "SecurityAudit"),
    ("Our cookies contain no personal data.", "hasPersonalData", PD + "UID"),
    ("If we introduce payments in the future, we will tell you how we handle card details.",
     "hasPersonalData", PD + "PaymentCard"),
])
def test_a_mention_is_not_a_practice(sentence: str, prop: str, value: str) -> None:
    assert not has(INTRO + sentence, prop, value), sentence


_TOC = ("Privacy policy\n\nAcme Widgets AB is the controller of your personal data.\n\nContents\n\n"
        "- Who we are\n- Pseudonymisation\n- Data backups\n- Your rights\n\n"
        "1. Who we are\n\nWe make widgets and answer your questions by e-mail.\n\n"
        "2. Pseudonymisation\n\nWe do not process data beyond what we describe here.\n\n"
        "3. Data backups\n\nOur website has no user accounts.\n\n"
        "4. Your rights\n\nYou have the right of access to your data.\n")


def test_a_table_of_contents_states_no_practice() -> None:
    v = values(_TOC)
    assert ("hasTechnicalOrganisationalMeasure", D + "Pseudonymisation") not in v
    assert ("hasTechnicalOrganisationalMeasure", D + "DataBackupProtocols") not in v
    # the same words stated as a practice still count
    stated = _TOC.replace("We do not process data beyond what we describe here.",
                          "We apply pseudonymisation to the answers of our surveys.")
    assert ("hasTechnicalOrganisationalMeasure", D + "Pseudonymisation") in values(stated)


def test_the_heading_of_a_definition_is_part_of_the_definition() -> None:
    text = (INTRO + "We send you our newsletter.\n\nDefinitions of terms used by the GDPR\n\n"
            "Pseudonymisation\n\n\"Pseudonymisation\" means the processing of personal data in such a manner "
            "that it can no longer be attributed to a specific data subject.\n")
    assert not has(text, "hasTechnicalOrganisationalMeasure", D + "Pseudonymisation")
    alone = (INTRO + "We send you our newsletter.\n\nPseudonymisation\n\n\"Pseudonymisation\" means the "
             "processing of personal data in such a manner that it can no longer be attributed to a data subject.\n")
    assert not has(alone, "hasTechnicalOrganisationalMeasure", D + "Pseudonymisation")


@pytest.mark.parametrize("sentence,value,lang", [
    ("If you contact us by e-mail or phone, we use your name to answer your question.", PD + "TelephoneNumber", "en"),
    ("If you contact us by e-mail or phone, we use your name to answer your question.", PD + "EmailAddress", "en"),
    ("We send offers via SMS and social media when you have agreed to it.", PD + "SocialMedia", "en"),
    ("Om du kontaktar oss via e-post eller telefon använder vi ditt namn för att svara.", PD + "TelephoneNumber", "sv"),
    ("Wenn Sie uns per E-Mail kontaktieren, verwenden wir Ihren Namen, um zu antworten.", PD + "EmailAddress", "de"),
])
def test_a_channel_is_not_data(sentence: str, value: str, lang: str) -> None:
    """'by e-mail', 'via telefon', 'per E-Mail': the way a message travels, not data collected."""
    assert not has(INTRO + sentence, "hasPersonalData", value, lang), sentence


@pytest.mark.parametrize("sentence,value", [
    ("We collect your e-mail address and phone number when you register.", PD + "TelephoneNumber"),
    ("We identify you by your e-mail address.", PD + "EmailAddress"),
])
def test_data_named_after_a_preposition_is_still_data(sentence: str, value: str) -> None:
    assert has(INTRO + sentence, "hasPersonalData", value), sentence


def test_a_policy_is_not_the_police() -> None:
    """'police' and 'policy' share the light stem 'polic': a label ending in e is not a word
    ending in y ('as described in this policy' named the police as a recipient)."""
    v = values(INTRO + "We share your e-mail address with partners as described in this policy.")
    assert ("hasRecipient", D + "Authority") not in v
    assert ("hasRecipient", D + "Authority") in values(INTRO + "We may disclose your data to the police.")


@pytest.mark.parametrize("sentence,value,lang", [
    ("We also share your e-mail address with social networking platforms for this purpose.", D + "ThirdParty", "en"),
    ("For this purpose, we may share certain information with other recipients.", D + "Recipient", "en"),
    ("Vi delar dina uppgifter med sociala medier för marknadsföring.", D + "ThirdParty", "sv"),
    ("För detta ändamål kan vi dela vissa uppgifter med andra mottagare.", D + "Recipient", "sv"),
])
def test_categories_of_recipients_without_a_name(sentence: str, value: str, lang: str) -> None:
    assert has(INTRO + sentence, "hasRecipient", value, lang), sentence


def test_the_name_of_a_data_privacy_framework_is_no_place() -> None:
    """'EU-U.S. Data Privacy Framework', 'UK Extension to the EU-U.S. DPF', 'Swiss-U.S. DPF' name
    an adequacy decision: the EU, the UK and Switzerland in them are not where data goes."""
    v = values(INTRO + "We transfer your data to Acme Inc. in the United States under the EU-U.S. Data Privacy "
               "Framework, the UK Extension to the EU-U.S. DPF and the Swiss-U.S. Data Privacy Framework.")
    assert ("hasLegalBasis", GDPR + "A45-3") in v and ("hasThirdCountry", LOC + "US") in v
    assert not {("hasLocation", LOC + "EU"), ("hasThirdCountry", LOC + "GB"), ("hasThirdCountry", LOC + "CH")} & v
    short = values(INTRO + "We transfer your data to Acme Inc. in the United States under the EU-U.S. DPF, the UK "
                   "Extension, and the Swiss-U.S. DPF.")  # the UK Extension named short
    assert ("hasThirdCountry", LOC + "US") in short and ("hasThirdCountry", LOC + "GB") not in short


@pytest.mark.parametrize("sentence,place", [
    ("Lawful Bases for Processing (Applicable to EEA and UK End Users): we rely on your consent.", "EEA"),
    ("EU, UK, and Swiss individuals with complaints about our handling of their data may contact us.", "EU"),
])
def test_a_place_that_qualifies_persons_is_no_place_of_processing(sentence: str, place: str) -> None:
    assert not has(INTRO + sentence, "hasLocation", LOC + place), sentence


def test_a_place_of_processing_before_persons_still_counts() -> None:
    assert has(INTRO + "We store your data on servers in the EEA for our users.", "hasLocation", LOC + "EEA")


def test_a_language_is_data_only_as_data() -> None:
    assert not has(INTRO + "Below are translations of this policy into other languages.", "hasPersonalData",
                   PD + "Language")
    assert not has(INTRO + "Nedan finns översättningar av denna policy till andra språk.", "hasPersonalData",
                   PD + "Language", "sv")
    assert has(INTRO + "We collect your name, e-mail address and language.", "hasPersonalData", PD + "Language")


@pytest.mark.parametrize("text,lang,stated", [
    ("Encryption protects your data against data breaches.", "en", False),
    ("Kryptering skyddar dina uppgifter mot personuppgiftsincidenter.", "sv", False),
    ("Dies bietet einen zusätzlichen Schutz vor Datenschutzverletzungen in lokalen Netzwerken.", "de", False),
    ("We will notify you and the supervisory authority of any personal data breach.", "en", True),
    ("Vid en personuppgiftsincident kommer vi att meddela dig inom 72 timmar.", "sv", True),
])
def test_a_breach_is_a_notification_only_when_someone_is_told(text: str, lang: str, stated: bool) -> None:
    assert has(INTRO + text, "hasTechnicalOrganisationalMeasure", D + "DataBreachNotification", lang) == stated


def test_a_reassignment_is_not_a_denial() -> None:
    text = INTRO + "Your card details are handled by our payment provider Stripe, not by us."
    assert ("hasDataProcessor", "Stripe") in values(text)


def test_a_measure_stated_with_never_is_still_a_measure() -> None:
    text = INTRO + "Passwords are hashed with bcrypt and never stored in plain text."
    assert has(text, "hasTechnicalOrganisationalMeasure", D + "HashFunctions")


def test_generic_measures_give_way_to_the_list_that_follows() -> None:
    text = (INTRO + "We protect your data with technical and organisational measures, including:\n"
            "- encryption of all data in transit (TLS)\n- two-factor authentication for staff\n"
            "- daily backups\n")
    v = values(text)
    assert ("hasTechnicalOrganisationalMeasure", D + "EncryptionInTransfer") in v
    assert ("hasTechnicalOrganisationalMeasure", D + "TechnicalMeasure") not in v
    alone = INTRO + "We protect your data with appropriate technical and organisational measures."
    assert has(alone, "hasTechnicalOrganisationalMeasure", D + "TechnicalMeasure")


def test_a_policy_title_does_not_make_its_publisher_a_processor() -> None:
    text = ("Privacy Policy of Northwind Apps Ltd\n\nNorthwind Apps Ltd is the controller of your data. "
            "We use Mailchimp to send our newsletter.\n")
    v = values(text)
    assert not any(p in ("hasDataProcessor", "hasRecipientThirdParty") and "Northwind" in o for p, o in v)
    assert ("hasDataProcessor", "Mailchimp") in v


def test_the_publisher_is_never_its_own_recipient() -> None:
    text = ("Northwind Apps Ltd is the data controller.\n\nThe service is provided by Northwind Apps Ltd "
            "and hosted by Hetzner Online GmbH.\n")
    v = values(text)
    assert not any(p.startswith(("hasDataProcessor", "hasRecipient")) and "Northwind" in o for p, o in v)
    assert ("hasDataProcessor", "Hetzner") in v  # the knowledge base's name for Hetzner Online GmbH


@pytest.mark.parametrize("sentence,prop,value", [
    ("This privacy statement applies to our online offer at example.org.", "hasPurpose", D + "DirectMarketing"),
    ("If you fill in your profile, you support us in our research.", "hasPurpose", D + "CustomerCare"),
    ("We take your interests into account.", "hasPurpose", D + "LegalCompliance"),
    ("Contact us if you want more information.", "hasPurpose", D + "CommunicationForCustomerCare"),
    ("Write to support@acme.example with any question about your name and address.", "hasPurpose",
     D + "CustomerCare"),
])
def test_an_everyday_word_is_a_purpose_only_as_a_purpose(sentence: str, prop: str, value: str) -> None:
    assert not has(INTRO + sentence, prop, value), sentence


@pytest.mark.parametrize("sentence,value", [
    ("We use your e-mail address to send you offers about our products.", D + "DirectMarketing"),
    ("We process your name and phone number to support you when you call us.", D + "CustomerCare"),
    ("We use your data for the following purposes:\n- support\n- invoicing\n", D + "CustomerCare"),
])
def test_the_same_word_in_a_purpose_relation_is_a_purpose(sentence: str, value: str) -> None:
    assert has(INTRO + sentence, "hasPurpose", value), sentence


# --- organisations ----------------------------------------------------------------------------

def _orgs(text: str) -> dict[str, set[str]]:
    from policykg.extractors.base import Document
    from policykg.extractors.organisations import organisations
    from policykg.language import detect

    out: dict[str, set[str]] = {}
    for f in organisations(Document("t", text, detect(text)[0])):
        out.setdefault(f.aspect if f.aspect != "recipients" else f"recipient:{f.role}", set()).add(f.label or "")
    return out


def test_a_controller_announced_above_its_name_and_address() -> None:
    text = ("Privacy Policy\n\nController:\n\nNorthwind Data AG\nMain Street 1\n50667 Cologne, Germany\n\n"
            "We process your e-mail address to answer your questions.\n")
    assert _orgs(text)["controller"] == {"Northwind Data AG"}


def test_an_organisation_named_by_its_kind_has_no_legal_form() -> None:
    text = ("Name and contact of the person responsible under Article 4(7) GDPR\n\nProf. Jane Doe\n"
            "Institute for Applied Health Research\nHarbour Road 2, Lund\n\nWe process your data for our study.\n")
    assert _orgs(text)["controller"] == {"Institute for Applied Health Research"}


def test_a_controller_without_legal_form() -> None:
    text = "Privacy policy\n\nBrightleaf is the data controller for the personal data described here.\n"
    assert _orgs(text)["controller"] == {"Brightleaf"}
    sv = "Integritetspolicy\n\nDin arbetsgivare är personuppgiftsansvarig för uppgifterna i tjänsten.\n"
    assert "controller" not in _orgs(sv) or not any("Din" in n for n in _orgs(sv)["controller"])


def test_a_processor_publishing_the_notice_of_a_product() -> None:
    text = ("Integritetspolicy för Bokningsappen\n\nDenna policy beskriver hur Bokningsappen, som tillhandahålls av "
            "Nordbok AB, behandlar personuppgifter. Nordbok AB är i denna tjänst personuppgiftsbiträde. "
            "Din salong är personuppgiftsansvarig.\n")
    orgs = _orgs(text)
    assert orgs["publisher"] == {"Nordbok AB"} and orgs["recipient:processor"] == {"Nordbok AB"}
    assert "controller" not in orgs
    g = graph(text, "sv")
    assert not list(g.triples((None, DPV.hasDataController, None)))  # no controller is named


def test_a_provider_and_its_legal_entity_are_one_recipient() -> None:
    text = INTRO + "We send our newsletter with Mailchimp (Intuit Inc.) and measure visits with google analytics."
    recipients = _orgs(text).get("recipient:processor", set())
    assert recipients == {"Mailchimp", "Google Analytics"}


def test_a_comma_before_the_legal_form_is_part_of_the_name() -> None:
    text = INTRO + "We host our search index with Brightwave Search, Inc. and store backups with Kelpstone, LLC."
    recipients = _orgs(text).get("recipient:processor", set())
    assert {"Brightwave Search, Inc.", "Kelpstone, LLC"} <= recipients


_TABLE = ("Service providers\n\nWe use the following subprocessors.\n\n"
          "| Name of subprocessor | Purpose | Location |\n|---|---|---|\n"
          "| Quillfeather Hosting Inc. (QH) | Cloud hosting | United States |\n"
          "| Tessellate, Inc. | Search infrastructure | United States |\n"
          "| zAI | AI inference | United States |\n"
          "| lumen Inc | Status page | United States |\n"
          "| Corvid (aka Ravenworks) | SMS notifications | United States |\n")


def test_every_name_in_the_first_column_of_a_table_of_processors() -> None:
    orgs = _orgs(_TABLE)
    names = {n.rstrip(".") for n in orgs.get("recipient:processor", set())}
    assert {"Tessellate, Inc", "zAI", "lumen Inc", "Corvid"} <= names
    assert any(n.startswith("Quillfeather Hosting") for n in names)


def test_a_company_in_a_table_of_processors_is_not_the_publisher() -> None:
    orgs = _orgs(_TABLE)
    assert not any(n.startswith("Quillfeather") for n in orgs.get("publisher", set()) | orgs.get("controller", set()))


@pytest.mark.parametrize("text,name", [
    ('Privacy policy\n\nBrightleaf ("the Company", "we", "us" or "our") respects your privacy. '
     'We collect your e-mail address to send you our newsletter.\n', "Brightleaf"),
    ('Privacy policy\n\nThis policy explains how Corvane Labs ("we", "our") processes your e-mail address '
     'when you use our app.\n', "Corvane Labs"),
    ('Datenschutzerklärung\n\nDie Lindwurm Software (im Folgenden „wir“ oder „uns“) nimmt den Schutz Ihrer '
     'Daten ernst. Wir verarbeiten Ihre E-Mail-Adresse, um Ihre Anfragen zu beantworten.\n', "Lindwurm Software"),
    ('Privatlivspolitik\n\nSkovmark ("Virksomheden", "vi", "os" eller "vores") er forpligtet til at beskytte '
     'dit privatliv. Vi behandler din e-mailadresse for at besvare dine henvendelser.\n', "Skovmark"),
])
def test_the_name_before_an_alias_list_of_we_words_is_the_publisher(text: str, name: str) -> None:
    orgs = _orgs(text)
    assert orgs.get("publisher") == {name} and orgs.get("controller") == {name}


def test_the_company_a_product_notice_names_as_us_is_its_publisher_not_a_recipient() -> None:
    text = ("Lumen Notes Privacy Notice\n\nThis notice explains what data Lumen Notes collects and why. "
            "We use your e-mail address to run your account.\n\n"
            "Lumen Software Corporation (and our servers) are based in the United States.\n\n"
            "To make any of the above requests, please contact us (Lumen Software Corporation) through our portal.\n")
    orgs = _orgs(text)
    assert orgs.get("publisher") == {"Lumen Software Corporation"}
    assert orgs.get("controller") == {"Lumen Software Corporation"}
    assert not any("Lumen" in n for k, names in orgs.items() if k.startswith("recipient") for n in names)


@pytest.mark.parametrize("address", [
    "Brightwater Privacy Services SRL\nAvenue Louise 235\n1050 Brussels\nBelgium",
    "Nordic Representation AB\nBox 1234\n114 35 Stockholm",
    "EU-Vertretung Rhein GmbH\nHauptstraße 5\nD-50667 Köln",
])
def test_a_company_heading_a_postal_address_is_a_contact_not_a_recipient(address: str) -> None:
    text = (INTRO + "We use your e-mail address to answer your questions.\n\n"
            "You can also contact our Data Protection Officer by mail at:\n\n" + address + "\n")
    orgs = _orgs(text)
    assert not [n for k, names in orgs.items() if k.startswith("recipient") for n in names], orgs


def test_a_title_of_topics_names_no_publisher() -> None:
    text = ("Websites, Communications & Cookies Privacy Notice\n\nWe use your e-mail address to send you "
            "our newsletter.\n")
    orgs = _orgs(text)
    assert not orgs.get("publisher") and not orgs.get("controller")


@pytest.mark.parametrize("sentence,names", [
    ("Our email management vendors are Salesfleet, Amazon Simple Email Service, Mailchimp, SocketLabs and "
     "Campaign Monitor.", {"Salesfleet", "SocketLabs", "Campaign Monitor"}),
    ("We use the following service providers: Braze, Fundraise Up and Zendesk.", {"Braze", "Fundraise Up"}),
    ("Vi behandlar din e-postadress för att skicka vårt nyhetsbrev. Våra leverantörer är Kvarnbo, Tallvik Data "
     "och Brevo.", {"Kvarnbo", "Tallvik Data"}),
])
def test_names_listed_after_a_word_for_recipients(sentence: str, names: set[str]) -> None:
    intro = INTRO if sentence.startswith("Our") or sentence.startswith("We") else "Acme Widgets AB är personuppgiftsansvarig. "
    recipients = {n for k, v in _orgs(intro + sentence).items() if k.startswith("recipient") for n in v}
    assert names <= recipients, recipients


def test_a_list_of_names_ends_where_a_clause_begins() -> None:
    text = INTRO + ("Our email management vendors are Salesfleet, Mailchimp, or Brazelo, and you can unsubscribe "
                    "using the link in every email.")
    recipients = {n for k, v in _orgs(text).items() if k.startswith("recipient") for n in v}
    assert {"Salesfleet", "Brazelo"} <= recipients


def test_names_listed_beside_a_known_provider_are_providers() -> None:
    text = INTRO + "We use Brazelo, Salesforce, Fundraise Up and Campaign Monitor to e-mail receipts."
    recipients = {n for k, v in _orgs(text).items() if k.startswith("recipient") for n in v}
    assert {"Brazelo", "Fundraise Up", "Campaign Monitor"} <= recipients
    places = INTRO + "We use Salesforce in Sweden, Norway, Denmark and Finland."
    assert {n for k, v in _orgs(places).items() if k.startswith("recipient") for n in v} <= {"Salesforce"}


def test_a_list_after_a_word_for_recipients_keeps_to_names() -> None:
    recipients = {n for k, v in _orgs(INTRO + "Our vendors are located in Sweden, Norway and Finland.").items()
                  if k.startswith("recipient") for n in v}
    assert not recipients


def test_a_publisher_named_in_the_genitive_is_its_controller() -> None:
    text = ("Datenschutzhinweise des Segelvereins Kranichsee e.V.\n\nVerantwortlich für die Verarbeitung ist der "
            "Segelverein Kranichsee e.V., Uferweg 3, 85072 Eichstätt. Wir verarbeiten Ihre E-Mail-Adresse.\n")
    orgs = _orgs(text)
    assert orgs.get("publisher") == orgs.get("controller") == {"Segelverein Kranichsee e.V."}


def test_an_alias_list_without_we_words_names_no_publisher() -> None:
    text = ('Privacy policy\n\nWe use Northbeam ("the Service", "the Platform") to answer your questions. '
            'We collect your e-mail address.\n')
    assert "Northbeam" not in _orgs(text).get("publisher", set())


# --- breadth ----------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence,rights", [
    ("You have the rights under Art. 15 & 20 GDPR: access and portability.", {"A15", "A20"}),
    ("Your rights follow from Articles 15 to 18 GDPR.", {"A15", "A16", "A17", "A18"}),
    ("You may withdraw consent at any time (Art. 7(3) GDPR).", {"A7-3"}),
    ("You also have the right to an effective judicial remedy.", {"A79"}),
])
def test_rights_by_article_and_by_name(sentence: str, rights: set[str]) -> None:
    found = {v.rsplit("#", 1)[1] for p, v in values(INTRO + sentence) if p == "hasRight"}
    assert rights <= found, found


def test_without_prejudice_to_a_remedy_is_not_the_right_to_one() -> None:
    text = INTRO + ("Without prejudice to any other judicial remedy, you have the right to lodge a complaint "
                    "with a supervisory authority.")
    assert not has(text, "hasRight", GDPR + "A79") and has(text, "hasRight", GDPR + "A77")


def test_art_49_derogations_are_transfer_safeguards() -> None:
    text = INTRO + ("Where no adequacy decision exists, we transfer your data to the United States only if you "
                    "have explicitly consented to the proposed transfer (Art. 49(1)(a) GDPR).")
    assert has(text, "hasLegalBasis", GDPR + "A49-1-a")


@pytest.mark.parametrize("sentence,value", [
    ("We collect your gender and year of birth when you register.", PD + "Gender"),
    ("We collect your gender and year of birth when you register.", PD + "BirthDate"),
    ("For payouts we store your bank account number (IBAN) and your VAT number.", PD + "BankAccount"),
    ("For payouts we store your bank account number (IBAN) and your VAT number.", PD + "Tax"),
    ("Our web server records the user agent of your browser and the requested URL.", PD + "UserAgent"),
    ("Our web server records the user agent of your browser and the requested URL.", PD + "BrowserHistory"),
    ("Vi sparar din user agent och din senaste inloggning.", PD + "UserAgent"),
    ("Vi sparar din user agent och din senaste inloggning.", PD + "AuthenticationHistory"),
])
def test_the_most_specific_data_category(sentence: str, value: str) -> None:
    text = INTRO + sentence if not sentence.startswith("Vi ") else \
        "Acme AB är personuppgiftsansvarig för behandlingen av dina personuppgifter. " + sentence
    assert has(text, "hasPersonalData", value), sentence
    assert not has(text, "hasPersonalData", PD + "Demographic")


def test_a_verb_made_of_a_data_noun_is_no_data() -> None:
    assert not has(INTRO + "Some profiling of your usage may take place.", "hasPersonalData", PD + "Profile")
    assert has(INTRO + "You may ask us to have your data erased.", "hasRight", GDPR + "A17")


@pytest.mark.parametrize("sentence,value", [
    ("We use the data for security purposes and rate limiting.", D + "EnforceSecurity"),
    ("We process the data to fulfil the agreement with your employer.", D + "FulfilmentOfContractualObligation"),
    ("Your feedback and bug reports help us develop new features.", D + "ImproveExistingProductsAndServices"),
    ("The answers are used for scientific research at our institute.", D + "ResearchAndDevelopment"),
])
def test_purposes_stated_as_phrases(sentence: str, value: str) -> None:
    assert has(INTRO + sentence, "hasPurpose", value), sentence


def test_swedish_purposes_in_table_cells_and_phrases() -> None:
    text = ("Acme AB är personuppgiftsansvarig.\n\nÄndamål | Rättslig grund\nKundkonton | Fullgörande av avtal\n"
            "Skydda tjänsten och användarna | Berättigat intresse\n")
    v = values(text, "sv")
    assert ("hasPurpose", D + "AccountManagement") in v and ("hasPurpose", D + "EnforceSecurity") in v


def test_an_email_client_is_no_client() -> None:
    assert not has(INTRO + "We log the e-mail client you use.", "hasDataSubject", D + "Client")


def test_places_that_are_not_where_data_is_processed() -> None:
    scope = INTRO + "These rules apply wherever we process personal data of individuals in the EU."
    assert not has(scope, "hasLocation", LOC + "EU")
    table = (INTRO + "\n\nOur processors:\n\n| Processor | Location of processing | Corporate location |\n\n"
             "| Nordcloud | Sweden | Germany |\n| Mailbox | Norway | Norway |\n")
    v = values(table)
    assert ("hasLocation", LOC + "SE") in v and ("hasLocation", LOC + "DE") not in v
    assert ("hasPersonalData", PD + "Location") not in v  # a column header states nothing


def test_an_acronym_compound_names_the_place() -> None:
    text = "Acme AB är personuppgiftsansvarig. All lagring av dina personuppgifter sker i EU-datacenter."
    assert has(text, "hasLocation", LOC + "EU", "sv")
    institution = "Acme AB är personuppgiftsansvarig. Överföringen lagras enligt beslut av EU-kommissionen."
    assert not has(institution, "hasLocation", LOC + "EU", "sv")


@pytest.mark.parametrize("sentence,prop,value", [
    ("Acme AB (operating under the marketing name Widgetly) protects your personal data.", "hasPurpose",
     D + "Marketing"),
    ("A cookie keeps you logged in when logging into our services.", "hasTechnicalOrganisationalMeasure",
     D + "ActivityMonitoring"),
    ("If your data is processed for direct marketing, you can exercise this right at any time.", "hasPurpose",
     D + "DirectMarketing"),
    ("The server location is in Ireland.", "hasPersonalData", PD + "Location"),
    ("The court ruled on the agreement between the EU and the USA.", "hasLocation", LOC + "EU"),
    ("The logs are not used for tracking or profiling of individuals.", "hasRight", GDPR + "A22"),
])
def test_more_words_that_are_not_facts(sentence: str, prop: str, value: str) -> None:
    assert not has(INTRO + sentence, prop, value), sentence


def test_a_right_stated_with_its_limit_is_still_a_right() -> None:
    text = INTRO + "You have the right not to be subject to a decision based solely on automated processing."
    assert has(text, "hasRight", GDPR + "A22")


def test_employees_as_data_subjects_not_as_staff() -> None:
    assert has(INTRO + "We also process data about our customers' employees, such as name and job title.",
               "hasDataSubject", D + "Employee")
    assert not has(INTRO + "Only employees who need it have access to your e-mail address.", "hasDataSubject",
                   D + "Employee")


def test_providers_named_in_a_list_of_providers() -> None:
    text = (INTRO + "\n\nWe use the following service providers:\n- Brightwave\n- Nordcloud Hosting AB\n"
            "- Pixelgate Analytics: visitor statistics\n\nWe also use these technologies:\n- Cookies\n")
    recipients = _orgs(text).get("recipient:processor", set())
    assert {"Brightwave", "Nordcloud Hosting AB"} <= recipients
    assert "Cookies" not in recipients and "Pixelgate Analytics" not in recipients  # a label, not a list of names


def test_and_joins_two_organisations() -> None:
    text = INTRO + "The service is operated jointly by Brightwave and Nordcloud Hosting AB."
    recipients = _orgs(text).get("recipient:processor", set())
    assert "Nordcloud Hosting AB" in recipients and not any("and" in r for r in recipients)


def test_a_web_domain_is_no_denial() -> None:
    """"acme.no": the domain's "no" is no English denial."""
    found = values("Acme.no bruker analyseverktøyet Google Analytics for statistikk.", "nb")
    assert ("hasDataProcessor", "Google Analytics") in found


def test_a_colon_inside_a_word_is_no_clause_break() -> None:
    """Swedish "EU:s": the denial before it still holds after it."""
    text = ("Integritetspolicy\n\nAcme AB är personuppgiftsansvarig. Dina uppgifter överförs aldrig till "
            "länder utanför EU:s och EES:s gränser, exempelvis USA.\n")
    assert not {v for v in values(text, "sv") if v[0] in ("hasThirdCountry", "hasProcessing", "hasLocation")}


def test_at_least_seven_years_is_a_period_not_an_age() -> None:
    text = "Integritetspolicy\n\nVi sparar fakturorna i minst sju år enligt bokföringslagen.\n"
    g = graph(text, "sv")
    assert "P7Y" in {str(o) for o in g.objects(None, RDF.value)}


def test_membership_administration_and_data_minimisation() -> None:
    found = values("Privacy notice\n\nWe process your name and address to manage your membership. "
                   "We apply data minimisation and collect only what we need.\n", "en")
    assert ("hasPurpose", D + "MemberPartnerManagement") in found
    assert ("hasTechnicalOrganisationalMeasure", GDPR + "DataMinimisationPrinciple") in found
    assert ("hasTechnicalOrganisationalMeasure", D + "PrivacyByDesign") not in found


def test_a_generic_alias_is_no_publisher_name() -> None:
    """'(hereinafter "the Company")' names the company by a word, not by its name."""
    for text, lang, name in [
            ('Privacy Policy\n\nThis policy applies to Acme Ltd (hereinafter "the Company"). '
             'The Company is the data controller.\n', "en", "Acme Ltd"),
            ("Personvernerklæring\n\nDenne personvernerklæringen gjelder for Fjellvind AS (heretter «Selskapet»). "
             "Selskapet er behandlingsansvarlig.\n", "nb", "Fjellvind AS")]:
        g = graph(text, lang)
        notice = next(g.subjects(RDF.type, DPV.PrivacyNotice))
        assert str(g.value(g.value(notice, DCTERMS.publisher), RDFS.label)) == name
        assert not list(g.subjects(DPV.hasDataProcessor, None))


def test_known_names_in_finnish_cases() -> None:
    found = values("Tietosuojaseloste\n\nKuusikko Oy on rekisterinpitäjä. Uutiskirjeet lähetetään Mailchimpin "
                   "kautta, ja palvelimet ovat Hetznerin datakeskuksessa.\n", "fi")
    assert {("hasDataProcessor", "Mailchimp"), ("hasDataProcessor", "Hetzner")} <= found


def test_articles_cited_number_first() -> None:
    found = values("Tietosuojaseloste\n\nRekisteröidyn oikeudet\n\nSinulla on tietosuoja-asetuksen 15–18 ja "
                   "20 artiklan mukaiset oikeudet.\n", "fi")
    assert {v for k, v in found if k == "hasRight"} >= {GDPR + a for a in ("A15", "A16", "A17", "A18", "A20")}


def test_the_eu_of_the_eu_standard_contractual_clauses_is_no_place() -> None:
    found = values("Privacy Policy\n\nWe transfer data to the USA. These transfers are based on the EU Standard "
                   "Contractual Clauses (SCCs).\n", "en")
    assert ("hasLegalBasis", GDPR + "SCCByCommission") in found
    assert ("hasLocation", "https://w3id.org/dpv/loc#EU") not in found


@pytest.mark.parametrize("text,lang", [
    ("Privacy Policy\n\nAcme Ltd is the controller. We transfer your personal data to GitHub Inc. in the USA.\n", "en"),
    ("Integritetspolicy\n\nAcme AB är personuppgiftsansvarig. Vi kan överföra personuppgifter till USA.\n", "sv"),
    ("Datenschutzerklärung\n\nDie Acme GmbH ist Verantwortlicher. Wir übermitteln Ihre Daten in die USA.\n", "de"),
    ("Personvernerklæring\n\nAcme AS er behandlingsansvarlig. Vi overfører personopplysninger til USA.\n", "nb"),
])
def test_a_verb_of_transfer_names_the_destination(text: str, lang: str) -> None:
    """"we transfer your data to the USA" is a transfer there, with no "outside the EU"."""
    found = values(text, lang)
    assert {("hasThirdCountry", "https://w3id.org/dpv/loc#US"), ("hasProcessing", D + "Transfer")} <= found
    denied = values(text.replace("We transfer", "We do not transfer").replace("Vi kan överföra", "Vi överför inte")
                    .replace("Ihre Daten in", "Ihre Daten nicht in").replace("Vi overfører", "Vi overfører ikke"), lang)
    assert ("hasThirdCountry", "https://w3id.org/dpv/loc#US") not in denied


def test_a_german_article_is_no_part_of_a_company_name() -> None:
    g = graph("Datenschutzerklärung\n\nDie Acme GmbH ist Verantwortlicher. Wir speichern Ihre Daten.\n", "de")
    assert {str(o) for o in g.objects(None, RDFS.label)} == {"Acme GmbH"}


def test_until_consent_is_withdrawn_is_its_own_condition() -> None:
    g = graph("Privacy Policy\n\nAcme Ltd is the controller. We keep your e-mail address for the newsletter until "
              "you withdraw your consent. We keep invoices as long as necessary.\n", "en")
    kinds = {str(o).split("#")[-1] for c in g.objects(None, DPV.hasStorageCondition) for o in g.objects(c, RDF.type)}
    assert kinds == {"RetentionUntilWithdrawal", "RetentionAsLongAsNecessary"}


@pytest.mark.parametrize("sentence,fact", [
    ("You can have your data moved to another provider.", ("hasRight", GDPR + "A20")),
    ("You can request a portable copy of your data.", ("hasRight", GDPR + "A20")),
    ("You can ask us to stop processing your data.", ("hasRight", GDPR + "A21")),
    ("We use your data to select applicants.", ("hasPurpose", D + "RecruitmentApplicantSelection")),
    ("We use your data to check your identity.", ("hasPurpose", D + "IdentityVerification")),
    ("We use your e-mail address to enable login.", ("hasPurpose", D + "IdentityAuthentication")),
    ("We use a Content Security Policy and HSTS on our website.", ("hasTechnicalOrganisationalMeasure",
                                                                   D + "WebSecurityProtocols")),
])
def test_rights_as_requests_and_purposes_as_verb_phrases(sentence: str, fact: tuple[str, str]) -> None:
    assert fact in values("Privacy Policy\n\nAcme Ltd is the controller. " + sentence + "\n", "en")


def test_unsubscribing_is_no_right_to_object() -> None:
    found = values("Privacy Policy\n\nAcme Ltd is the controller. You can unsubscribe from our newsletter at any "
                   "time.\n", "en")
    assert not {v for k, v in found if k == "hasRight"}


def test_a_provider_that_is_controller_of_its_own_processing_is_a_third_party() -> None:
    g = graph("Privacy Policy\n\nAcme Ltd is the data controller. Google LLC is the controller of the data "
              "processed by Google Analytics.\n", "en")
    labels = {p: {str(g.value(o, RDFS.label)) for o in g.objects(None, p)}
              for p in (DPV.hasRecipientThirdParty, DPV.hasDataProcessor, DPV.hasDataController)}
    assert "Google" in labels[DPV.hasRecipientThirdParty] and "Google" not in labels[DPV.hasDataProcessor]
    assert labels[DPV.hasDataController] == {"Acme Ltd"}


def test_a_numbered_section_heading_names_a_topic_not_a_practice() -> None:
    text = ("Privacy Policy\n\nAcme Ltd is the data controller.\n\n2. Network Health Data\n\nWe measure the "
            "latency of your router to improve the service.\n\n8. Cookies and Similar Technologies\n\n"
            "We explain our use of technologies below.\n\n9. Device Health Data:\n\n- Router uptime\n- Latency\n")
    found = values(text, "en")
    assert not {v for k, v in found if k == "hasPersonalData"}


@pytest.mark.parametrize("text,lang", [
    ("Integritetspolicy\n\nAcme AB är personuppgiftsansvarig. Om du är missnöjd kan du kontakta "
     "Integritetsskyddsmyndigheten (IMY).\n", "sv"),
    ("Privacy Policy\n\nAcme Ltd is the controller. You may also contact the Information Commissioner's Office.\n", "en"),
])
def test_the_reader_sent_to_the_authority_has_the_right_to_complain(text: str, lang: str) -> None:
    assert ("hasRight", GDPR + "A77") in values(text, lang)
    named_only = text.split(". ")[0] + ". The supervisory authority is the Information Commissioner's Office.\n"
    assert ("hasRight", GDPR + "A77") not in values(named_only, lang)


def test_short_field_nouns_of_a_data_list() -> None:
    text = ("Privacy Policy\n\nAcme Ltd is the controller.\n\nWe collect the following data:\n\n- Requested URL\n"
            "- Search term\n- Receipts\n- Session token\n")
    found = {v.rsplit("#", 1)[-1] for k, v in values(text, "en") if k == "hasPersonalData"}
    assert {"BrowserHistory", "BrowsingBehaviour", "Transactional", "Authenticating"} <= found


def test_the_items_of_a_server_log() -> None:
    """The standard list of what a web server logs: the request's time and size are usage
    data, the name of the requested file is no person's name."""
    found = values("Privacy Policy\n\nAcme Ltd is the controller. The web server saves a log file with the name of "
                   "the requested file, the date and time of the request, the amount of data transmitted and the "
                   "requesting provider.\n", "en")
    data = {v.rsplit("#", 1)[-1] for k, v in found if k == "hasPersonalData"}
    assert {"ServiceConsumptionBehaviour", "CommunicationsMetadata"} <= data and "Name" not in data
    assert ("hasRight", GDPR + "A7-3") in values("Privacy Policy\n\nAcme Ltd is the controller.\n\nYour rights\n\n"
                                                 "You have rights to rectification and to the revocation of given "
                                                 "consent.\n", "en")


def test_a_denial_after_and_a_modal_is_a_new_predicate() -> None:
    found = values("Privacy Policy\n\nAcme Ltd is the controller. We have activated anonymizeIP and can therefore "
                   "not see your computer's IP address.\n", "en")
    assert ("hasTechnicalOrganisationalMeasure", D + "Anonymisation") in found
    assert ("hasPersonalData", "https://w3id.org/dpv/pd#IPAddress") not in found
    joined = values("Privacy Policy\n\nAcme Ltd is the controller. Your e-mail address and phone number are not "
                    "shared with third parties.\n", "en")
    assert not {v for k, v in joined if k == "hasPersonalData"}  # a noun after "and": both denied


def test_additional_guarantees_for_a_transfer_are_supplementary_measures() -> None:
    found = values("Privacy Policy\n\nAcme Ltd is the controller. We transfer data to the USA. Where possible, we "
                   "also agree on additional guarantees.\n", "en")
    assert ("hasTechnicalOrganisationalMeasure", GDPR + "SupplementaryMeasure") in found


def test_a_contact_person_is_data_and_an_email_client_no_client() -> None:
    found = values("Integritetspolicy\n\nAcme AB är personuppgiftsansvarig.\n\nVi behandlar uppgifter för dessa "
                   "ändamål:\n\n- Fakturering: företagsuppgifter, kontaktperson, fakturahistorik\n\nAvregistrering: "
                   "använd länken som din e-postklient visar.\n", "sv")
    assert ("hasPurpose", D + "CustomerRelationshipManagement") not in found
    assert ("hasDataSubject", D + "Client") not in found


def test_a_country_in_a_company_name_is_no_place_of_processing() -> None:
    found = values("Personvernerklæring\n\nAcme AS er behandlingsansvarlig. Vi sender pakker med Posten Norge AS, "
                   "som lagrer adressen din.\n", "nb")
    assert not {v for k, v in found if k == "hasLocation"}
    found = values("Privacy Policy\n\nAcme Ltd is the controller. Parcels are sent with Deutsche Post Germany GmbH, "
                   "which stores your address in Germany.\n", "en")
    assert ("hasLocation", "https://w3id.org/dpv/loc#DE") in found  # the place stated after the name


def test_an_authority_name_two_countries_share_is_the_one_of_the_policy_language() -> None:
    g = graph("Personvernerklæring\n\nAcme AS er behandlingsansvarlig. Du kan klage til Datatilsynet.\n", "nb")
    assert {str(o) for o in g.objects(None, DPV.hasAuthority)} == {"https://w3id.org/policykg/org/datatilsynet-no"}


@pytest.mark.parametrize("text,lang,bases", [
    ("Privacy Policy\n\nAcme Ltd is the controller. We process your name on the basis of Art. 6(1)(a), (b) and (f) "
     "GDPR.\n", "en", {"Consent", "Contract", "LegitimateInterest"}),
    ("Privatlivspolitik\n\nAcme ApS er dataansvarlig. Vi behandler dit navn på grundlag af art. 6, stk. 1, litra f.\n",
     "da", {"LegitimateInterest"}),
    ("Datenschutzerklärung\n\nDie Acme GmbH ist Verantwortlicher. Rechtsgrundlage ist Art. 6 Abs. 1 S. 1 lit. b "
     "DSGVO.\n", "de", {"Contract"}),
    ("Integritetspolicy\n\nAcme AB är personuppgiftsansvarig. Vi behandlar hälsouppgifter enligt GDPR art. 9(2)(h) "
     "för vården.\n", "sv", {"A9-2-h"}),
    ("Tietosuojaseloste\n\nKuusikko Oy on rekisterinpitäjä. Käsittely perustuu tietosuoja-asetuksen 6 artiklan 1 "
     "kohdan c alakohtaan.\n", "fi", {"LegalObligation"}),
])
def test_legal_bases_cited_by_article_and_letter(text: str, lang: str, bases: set[str]) -> None:
    found = {v.rsplit("#", 1)[-1] for k, v in values(text, lang) if k == "hasLegalBasis"}
    assert bases <= found


def test_german_dates_numbers_with_sharp_s_and_deleting_as_a_practice() -> None:
    g = graph("Datenschutzerklärung\n\nStand: 14. März 2025\n\nDie Acme GmbH ist Verantwortlicher. Anfragen löschen "
              "wir nach dreißig Tagen.\n", "de")
    assert [str(o) for o in g.objects(None, DCTERMS.modified)] == ["2025-03-14"]
    assert "P30D" in {str(o) for o in g.objects(None, RDF.value)}
    assert (None, DPV.hasRight, None) not in g  # "löschen wir" deletes; it is no request for erasure


# --- a legal form of another country's law names another company of the group ----------

def test_a_subsidiary_with_a_foreign_legal_form_is_not_its_known_parent() -> None:
    """"GitHub BV" (a Dutch BV) is not the knowledge base's GitHub, Inc. (United States):
    its own node, no country of the parent, so no possible transfer to the United States;
    a loose legal form of the parent's own country ("Mailchimp Inc.") is still the known one."""
    text = ("Acme Widgets Ltd privacy notice\n\n"
            "Our subprocessors:\n\n"
            "| Name | Function | Location |\n|---|---|---|\n"
            "| Lindqvist Hosting BV | Hosting | Netherlands |\n"
            "| GitHub BV | Source code hosting | Netherlands |\n"
            "| Mailchimp Inc. | Newsletters | United States |\n")
    ext = extract_source(Source("t", "t.txt", "text", text))
    g = ext.graph
    processors = {str(g.value(o, RDFS.label)): str(o) for o in g.objects(None, DPV.hasDataProcessor)}
    assert processors["GitHub BV"] == "https://w3id.org/policykg/org/github-bv"
    assert processors["Mailchimp"].endswith("/org/mailchimp")  # the known entry, its label
    assert not list(g.objects(URIRef(processors["GitHub BV"]), DPV.hasCountry))
    assert list(g.objects(URIRef(processors["Mailchimp"]), DPV.hasCountry))
    derived = ext.derived
    targets = {str(o) for o in derived.objects(None, DPV.hasDataProcessor)}
    assert "https://w3id.org/policykg/org/github-bv" not in targets
    assert processors["Mailchimp"] in targets  # the known US company: a possible transfer


def test_the_knowledge_base_keeps_a_company_apart_from_its_foreign_namesake() -> None:
    from policykg.extractors.organisations import lookup, unknown_org_iri

    assert lookup("GitHub, Inc.") is not None and lookup("GitHub BV") is None
    assert lookup("Stripe GmbH") is None and lookup("Hetzner Online GmbH") is not None
    assert str(unknown_org_iri("GitHub BV")) != str(lookup("GitHub").iri)


# --- places data comes from are no destinations ------------------------------------------

def _third_countries(text: str) -> set[str]:
    g = graph("Acme Ltd privacy notice.\n\n" + text)
    return {str(o).rsplit("#", 1)[-1] for o in g.objects(None, DPV.hasThirdCountry)}


@pytest.mark.parametrize(("text", "expected"), [
    ("We transfer personal data from Switzerland to the United States under standard contractual clauses.", {"US"}),
    ("Vi överför personuppgifter från Schweiz till USA med standardavtalsklausuler.", {"US"}),
    ("Wir übermitteln Daten aus der Schweiz in die USA auf Grundlage von Standardvertragsklauseln.", {"US"}),
    ("We rely on the Swiss-U.S. DPF for personal data received from Switzerland.", set()),
    ("Personal data is transferred from the European Union, the United Kingdom, and Switzerland to "
     "countries without an adequacy decision, under standard contractual clauses.", set()),
])
def test_a_place_after_from_is_where_data_comes_from(text: str, expected: set[str]) -> None:
    assert _third_countries(text) == expected


@pytest.mark.parametrize("text", [
    "All data is stored in EU data centres. Support access from the USA can occur, but is protected by "
    "Standard Contractual Clauses (SCC).",
    "Datan lagras i EU. Supportåtkomst från USA kan förekomma, men skyddas genom Standard Contractual Clauses (SCC).",
])
def test_access_from_a_country_is_a_transfer_to_it(text: str) -> None:
    assert _third_countries(text) == {"US"}


# --- the company whose data subprocessors process is the publisher of their list ---------

@pytest.mark.parametrize(("text", "name"), [
    ("Lindwall subprocessors\n\nThis list names the subprocessors authorised to process personal data on "
     "behalf of Lindwall to provide services to our customers.\n\n"
     "| Subprocessor | Function | Location |\n|---|---|---|\n"
     "| Quillfeather Hosting Inc. | Hosting | United States |\n"
     "| Lindwall Nordic AB | Lindwall subsidiary | Sweden |\n", "Lindwall"),
    ("Underbiträden\n\nHär listas de underbiträden som behandlar personuppgifter på uppdrag av Fjällvik "
     "för att leverera tjänsten.\n\n"
     "| Underbiträde | Uppgift | Land |\n|---|---|---|\n"
     "| Quillfeather Hosting Inc. | Drift | USA |\n", "Fjällvik"),
])
def test_the_company_on_whose_behalf_subprocessors_work_publishes_their_list(text: str, name: str) -> None:
    g = graph(text)
    notice = next(g.subjects(RDF.type, DPV.PrivacyNotice))
    assert str(g.value(g.value(notice, DCTERMS.publisher), RDFS.label)) == name
    recipients = {str(g.value(o, RDFS.label)) for p in (DPV.hasDataProcessor, DPV.hasRecipient)
                  for o in g.objects(None, p)}
    assert name not in recipients and "Quillfeather Hosting Inc." in recipients


def test_a_publisher_named_otherwise_is_not_replaced_by_on_behalf_of() -> None:
    text = ("Privacy Policy of Brightleaf Ltd\n\nWe use Quillfeather Hosting Inc. to store data on behalf of "
            "Lumen Partners, our customer.\n")
    g = graph(text)
    notice = next(g.subjects(RDF.type, DPV.PrivacyNotice))
    assert str(g.value(g.value(notice, DCTERMS.publisher), RDFS.label)) == "Brightleaf Ltd"


@pytest.mark.parametrize(("sentence", "found"), [
    ("We validate webpages and technical data with Certificate Authorities to protect you from phishing.", False),
    ("When you apply for a job, we collect your CV, diplomas and certificates.", True),
])
def test_certificates_are_qualifications_only_as_data(sentence: str, found: bool) -> None:
    assert has(INTRO + sentence, "hasPersonalData", PD + "EducationQualification") is found


@pytest.mark.parametrize(("sentence", "found"), [
    ("We transfer data under clauses approved by the relevant authorities.", False),
    ("Vi använder standardavtalsklausuler godkända av EU-kommissionen och andra behöriga myndigheter.", False),
    ("We may share your personal data with public authorities when required by law.", True),
    ("Clauses approved by us then shared with authorities.", True),
])
def test_authorities_that_approve_are_no_recipients(sentence: str, found: bool) -> None:
    assert has(INTRO + sentence, "hasRecipient", D + "Authority") is found


def test_a_known_company_with_a_country_after_its_name_is_the_known_company() -> None:
    """"Microsoft Ireland" heading a row of a table of sub-processors is the known Microsoft (the
    knowledge base links a company's national arms to it), not an unknown "Microsoft Ireland"."""
    text = ("Underbiträden\n\nVi anlitar följande underbiträden.\n\n"
            "| Underbiträde | Uppgift | Region |\n|---|---|---|\n"
            "| Microsoft Ireland (Azure OpenAI) | Sammanfattningar | EU-region |\n"
            "| Lindqvist Drift AB | Drift | Sverige |\n")
    g = graph(text)
    processors = {str(o) for o in g.objects(None, DPV.hasDataProcessor)}
    assert "https://w3id.org/policykg/org/microsoft" in processors
    assert not any("microsoft-ireland" in p for p in processors)


@pytest.mark.parametrize(("lang", "text", "rights"), [
    ("en", "Your choices\n\nYou can:\n- limit how we use your data in some cases;\n- take back your consent at any time;\n"
           "- ask for a human to review a decision made solely by automated means.\n", {"A18", "A7-3", "A22"}),
    ("sv", "Dina rättigheter\n\nDu har rätt att:\n- be oss sluta använda dina uppgifter för marknadsföring;\n"
           "- begära att en människa granskar ett beslut som fattats helt automatiskt.\n", {"A21", "A22"}),
    # "rätt att" is the right itself, not the right to rectification ("rätta")
    ("sv", "Dina rättigheter\n\nDu har rätt att få en kopia av dina uppgifter.\n", {"A15"}),
    # a right as what the reader may have done: corrected
    ("en", "Your rights\n\nYou have the right to have your data corrected.\n", {"A16"}),
])
def test_rights_stated_as_everyday_requests(lang: str, text: str, rights: set[str]) -> None:
    found = {v.rsplit("#", 1)[-1] for p, v in values(text, lang) if p == "hasRight"}
    assert found == rights


@pytest.mark.parametrize(("text", "prop", "value", "found"), [
    # software that connects is no client of the company (pkg:notAfter on dpv:Client)
    ("Your data can only be decrypted by another sync client with the keys.", "hasDataSubject", D + "Client", False),
    ("We provide consulting to our clients and store their names.", "hasDataSubject", D + "Client", True),
    # an age limit is no age collected
    ("California residents under the age of 18 who are registered users have a right to remove content they "
     "posted.", "hasPersonalData", PD + "Age", False),
    ("We collect your name, age and address.", "hasPersonalData", PD + "Age", True),
    # a third party that participates in something is no participant whose data is processed
    ("Our advertising partners may participate in industry associations.", "hasDataSubject", D + "Participant", False),
    ("If you choose to participate in a survey, we store your answers.", "hasDataSubject", D + "Participant", True),
    # a profile image is a picture, not a profile
    ("You can add a display name or a profile image.", "hasPersonalData", PD + "Profile", False),
    ("You can add a display name or a profile image.", "hasPersonalData", PD + "Picture", True),
    # acting in someone's name is no name collected
    ("Our processors act on our behalf and in the name of the controller.", "hasPersonalData", PD + "Name", False),
    # a password manager is a feature, not passwords collected
    ("The browser includes a password manager and tracking protection.", "hasPersonalData", PD + "Password", False),
    ("We store your password in hashed form.", "hasPersonalData", PD + "Password", True),
])
def test_a_word_is_the_fact_only_in_its_relation(text: str, prop: str, value: str, found: bool) -> None:
    assert ((prop, value) in values(text, "en")) is found


@pytest.mark.parametrize(("text", "lang", "found"), [
    ("Der Browser bietet Funktionen wie PDF-Bearbeitung und einen Passwort-Manager.", "de", False),
    ("Wir speichern Ihr Passwort verschlüsselt.", "de", True),
    ("Webbläsaren har en inbyggd lösenordshanterare.", "sv", False),
    ("Vi sparar ditt lösenord krypterat.", "sv", True),
])
def test_a_password_manager_is_no_password(text: str, lang: str, found: bool) -> None:
    assert (("hasPersonalData", PD + "Password") in values(text, lang)) is found


def _recipients(text: str, lang: str = "auto") -> set[str]:
    return {v for p, v in values(text, lang) if p in ("hasRecipient", "hasDataProcessor", "hasRecipientThirdParty")}


@pytest.mark.parametrize(("text", "lang", "named", "not_named"), [
    # a service named as used for a purpose is a recipient, known or not
    ("Acme Ltd runs this site. We use Greenhouse to handle job applications.", "en", {"Greenhouse"}, set()),
    ("Acme Ltd runs this site. We use Stripe and Braintree for payments.", "en", {"Stripe", "Braintree"}, set()),
    ("Acme AB driver webbplatsen. Vi använder Brevo för att skicka nyhetsbrev.", "sv", {"Brevo"}, set()),
    ("Die Acme GmbH betreibt die Website. Wir nutzen Matomo, um die Nutzung zu analysieren.", "de", {"Matomo"},
     set()),
    # capitalised terms of the policy, and the publisher's own products, are not
    ("Acme Ltd runs this site. We use Personal Data to provide the Services. We protect your personal data.", "en",
     set(), {"Personal Data", "Services"}),
    ("Acme Ltd runs this site. We use Cookies and Web Beacons to understand usage.", "en", set(),
     {"Cookies", "Web Beacons"}),
    ("Acme Ltd runs this site. We use Acme Insights to measure usage.", "en", set(), {"Acme Insights"}),
    # a company named by its web domain; a domain of a known company is that company; an address is none
    ("Acme Ltd runs this site. Convert.com and Fathom.com help us test pages.", "en", {"Convert.com", "Fathom.com"},
     set()),
    ("Acme Ltd runs this site. Tickets go to GitLab Service Desk (GitLab.com).", "en", {"GitLab"}, {"GitLab.com"}),
    ("Acme Ltd runs this site. Write to privacy@Acme.com or see www.Example.com.", "en", set(),
     {"Acme.com", "Example.com"}),
])
def test_services_named_by_relation_or_domain(text: str, lang: str, named: set[str], not_named: set[str]) -> None:
    found = _recipients(text, lang)
    assert named <= found and not (not_named & found)


def test_verifying_who_exercises_a_right_is_a_purpose_of_the_rights_section() -> None:
    """A rights section states no practices, except checking the identity of who asks
    (the gold conventions' reading); its other purpose words stay out."""
    text = ("Your rights\n\nYou have the right to access your data and to object to processing for marketing. "
            "We may need to ask you for additional information to confirm your identity before we can proceed "
            "with your request.\n")
    purposes = {v.rsplit("#", 1)[-1] for p, v in values(text, "en") if p == "hasPurpose"}
    assert purposes == {"IdentityVerification"}


def test_a_cell_of_a_column_of_legal_bases_names_one() -> None:
    """Profile key basis_nouns: under "Unsere Rechtsgrundlage", "Vertrag, damit ..." is the contract
    basis; "Vertrag" elsewhere (an agreement with a provider) is none."""
    table = ("Rechtsgrundlagen\n\n| Wofür wir Ihre Daten nutzen | Welche Daten | Unsere Rechtsgrundlage |\n"
             "| --- | --- | --- |\n| Zur Bereitstellung des Dienstes | Technische Daten | Vertrag, damit wir Ihnen "
             "den Dienst bereitstellen können. |\n| Zur Einhaltung geltender Gesetze | Sämtliche Daten | "
             "Rechtskonformität bei Anfragen von Behörden. |\n")
    bases = {v.rsplit("#", 1)[-1] for p, v in values(table, "de") if p == "hasLegalBasis"}
    assert {"Contract", "LegalObligation"} <= bases
    prose = "Mit dem Anbieter haben wir einen Vertrag geschlossen. Wir speichern Ihre E-Mail-Adresse."
    assert not {v for p, v in values(prose, "de") if p == "hasLegalBasis"}
    purposes = {v.rsplit("#", 1)[-1] for p, v in values(
        "Wir verarbeiten Ihre Daten auch, um geltende Gesetze einzuhalten.", "de") if p == "hasPurpose"}
    assert "LegalCompliance" in purposes


@pytest.mark.parametrize(("text", "lang", "prop", "value"), [
    ("Recipients are contractually obligated to handle the data according to our instructions.", "en",
     "hasTechnicalOrganisationalMeasure", D + "ContractualTerms"),
    ("Wir haben vertragliche Schutzmaßnahmen getroffen, damit die Empfänger die Daten schützen.", "de",
     "hasTechnicalOrganisationalMeasure", D + "ContractualTerms"),
    ("A data protection agreement governs our relationship with each customer.", "en",
     "hasTechnicalOrganisationalMeasure", D + "DataProcessingAgreement"),
    ("We use your data to detect intellectual property infringement.", "en", "hasPurpose", D + "ProtectionOfIPR"),
    ("We store your billing address and the last four digits of your card.", "en", "hasPersonalData",
     PD + "PaymentCardNumber"),
])
def test_concepts_the_vocabularies_lacked(text: str, lang: str, prop: str, value: str) -> None:
    assert (prop, value) in values(text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("Your rights\n\nYou have the right to:\n- be informed about what data we process about you and why;\n"
     "- access your data.\n", "en"),
    ("Ihre Rechte\n\nSie haben das Recht, darüber informiert zu werden, wie wir Ihre Daten verarbeiten.\n", "de"),
])
def test_the_right_to_be_informed(text: str, lang: str) -> None:
    assert ("hasRight", GDPR + "A13") in values(text, lang)
    assert ("hasRight", GDPR + "A13") not in values("We will inform you about changes to this policy.", "en")
    # being informed of a transfer's safeguards is part of the right of access (Art. 15(2))
    assert ("hasRight", GDPR + "A13") not in values(
        "Your rights\n\nIf data is transferred to a third country, you have the right to be informed of the "
        "appropriate safeguards under Article 46.\n", "en")


@pytest.mark.parametrize(("text", "name", "found"), [
    # where data comes from, and examples of other sites, are no recipients
    ("Acme Ltd runs this site. We receive your name and email from services like Google for sign-in.", "Google",
     False),
    ("Acme Ltd runs this site. Location features of websites like Google Maps may use your position.", "Google Maps",
     False),
    # a service named as used, and cookies from a provider, are
    ("Acme Ltd runs this site. We use services like Google Analytics to measure traffic.", "Google Analytics", True),
    ("Acme Ltd runs this site. Analytics cookies from Matomo help us understand which pages are used.", "Matomo",
     True),
    ("Acme Ltd runs this site. We receive your name from Facebook when you sign in with it.", "Facebook", False),
    # an item of the list after "we obtain ... from", however far; not a name after a verb of sharing
    ("Acme Ltd runs this site. We obtain your details from you, your employer and public registers (Bisnode).",
     "Bisnode", False),
    ("Acme Ltd runs this site. We receive reports from Google and share your e-mail address with Mailchimp.",
     "Mailchimp", True),
])
def test_a_source_or_an_example_site_is_no_recipient(text: str, name: str, found: bool) -> None:
    assert (name in _recipients(text, "en")) is found


def _controllers(text: str, lang: str) -> set[str]:
    g = graph(text, lang)
    return {str(g.value(o, RDFS.label)) for o in g.objects(None, DPV.hasDataController)}


@pytest.mark.parametrize(("text", "lang", "controllers", "third_party"), [
    # a provider that controls its own processing is a third party, not the policy's controller
    ("Fjordbo Drift AS er behandlingsansvarlig for opplysningene i appen. Vipps MobilePay AS behandler "
     "betalingsopplysninger når du betaler, og er selvstendig behandlingsansvarlig for denne behandlingen.", "nb",
     {"Fjordbo Drift AS"}, "Vipps"),
    ("Brightleaf Ltd is the controller of your data. Stripe processes your card details as an independent "
     "controller.", "en", {"Brightleaf Ltd"}, "Stripe"),
    # "då är det kunden som är personuppgiftsansvarig" names no company
    ("Brofjord IT AB är personuppgiftsansvarig. När vi levererar tjänsten för en kund, då är det kunden som är "
     "personuppgiftsansvarig.", "sv", {"Brofjord IT AB"}, None),
])
def test_the_controller_is_the_policy_s_own(text: str, lang: str, controllers: set[str], third_party: str | None) -> None:
    assert _controllers(text, lang) == controllers
    if third_party:
        assert ("hasRecipientThirdParty", third_party) in values(text, lang)


def test_a_service_by_the_name_of_the_company_behind_it() -> None:
    """The knowledge base knows Mailchimp's company (The Rocket Science Group) and Microsoft 365's old name."""
    found = _recipients("Nordljus AB driver butiken. Vi använder Mailchimp (The Rocket Science Group LLC) för "
                        "nyhetsbrev och Office 365 för e-post.", "sv")
    assert found == {"Mailchimp", "Microsoft 365"}


@pytest.mark.parametrize(("text", "lang", "prop", "value"), [
    # certified under the Data Privacy Framework is a transfer safeguard, not a security standard
    ("Both providers are certified under the EU-U.S. Data Privacy Framework.", "en",
     "hasTechnicalOrganisationalMeasure", D + "StandardsConformance"),
    ("Begge virksomheder er certificeret under EU-U.S. Data Privacy Framework.", "da",
     "hasTechnicalOrganisationalMeasure", D + "StandardsConformance"),
    # Finnish words whose Snowball stem another label shares: "kuvattuja" (described), "vierailleet"
    # (who visited), "tulosten" (of the results)
    ("Henkilötietoja säilytetään vain niin kauan kuin se on tarpeen tässä selosteessa kuvattuja tarkoituksia "
     "varten.", "fi", "hasPersonalData", PD + "Picture"),
    ("Kohdennamme mainontaa henkilöille, jotka ovat aiemmin vierailleet verkkokaupassamme.", "fi",
     "hasDataSubject", D + "Tourist"),
    ("Keräämme tietoja mainonnan kohdentamiseen ja tulosten mittaamiseen.", "fi", "hasPersonalData", PD + "Income"),
])
def test_a_word_that_only_shares_the_label_s_stem(text: str, lang: str, prop: str, value: str) -> None:
    assert (prop, value) not in values(text, lang)


@pytest.mark.parametrize(("text", "lang", "name"), [
    ("Brightleaf Ltd runs this service. Card payments are handled by Paymentor.", "en", "Paymentor"),
    ("Klinikken ApS er dataansvarlig. Kortbetalinger gennemføres af Nets.", "da", "Nets"),
    ("Nordljus AB är personuppgiftsansvarig. Betalningar hanteras av Payfinity.", "sv", "Payfinity"),
])
def test_a_service_named_as_who_handles_it(text: str, lang: str, name: str) -> None:
    assert name in _recipients(text, lang)
    assert not _recipients("Brightleaf Ltd runs this service. Your request is handled by our support team.", "en")


@pytest.mark.parametrize(("text", "lang", "fact", "stated"), [
    # the denial of a purpose clause that opens the sentence denies nothing the main clause states
    ("To make sure we do not send you duplicate messages, we store your e-mail address.", "en",
     ("hasPersonalData", PD + "EmailAddress"), True),
    ("För att vi inte ska lämna ut uppgifter till fel person kan vi behöva be dig styrka din identitet.", "sv",
     ("hasPurpose", D + "IdentityVerification"), True),
    ("Damit wir Ihnen keine doppelten Nachrichten senden, speichern wir Ihre E-Mail-Adresse.", "de",
     ("hasPersonalData", PD + "EmailAddress"), True),
    # the main clause's own denial still denies
    ("To protect you, we never store your password.", "en", ("hasPersonalData", PD + "Password"), False),
])
def test_a_denial_inside_an_opening_purpose_clause(text: str, lang: str, fact: tuple[str, str], stated: bool) -> None:
    assert (fact in values(text, lang)) is stated


@pytest.mark.parametrize(("text", "lang"), [
    ("Specific retention periods may also depend on the sensitivity of the data and our legal or contractual "
     "obligations.", "en"),
    ("Die konkreten Aufbewahrungsfristen können auch von unseren gesetzlichen oder vertraglichen Verpflichtungen "
     "abhängen.", "de"),
])
def test_what_retention_periods_depend_on_is_no_purpose(text: str, lang: str) -> None:
    found = values(text, lang)
    assert not {v for p, v in found if p in ("hasPurpose", "hasLegalBasis")}
    # a period kept for a purpose keeps its purpose
    kept = values("We keep invoices for 7 years to comply with our legal obligations.", "en")
    assert ("hasPurpose", D + "LegalCompliance") in kept


@pytest.mark.parametrize(("text", "lang", "controller"), [
    # a partnership's name joins its partners with "and", and academic titles end no sentence
    ("Verantwortlich ist die Praxis Dr. med. Katrin Albers und Dr. med. Jonas Weidner GbR. Wir speichern Ihren "
     "Namen.", "de", "Praxis Dr. med. Katrin Albers und Dr. med. Jonas Weidner GbR"),
    ("Verantwortlich ist die Schmidt und Partner GbR. Wir speichern Ihren Namen.", "de", "Schmidt und Partner GbR"),
])
def test_a_partnership_named_after_its_partners(text: str, lang: str, controller: str) -> None:
    assert _controllers(text, lang) == {controller}
    # two companies joined by "and" stay two
    assert _recipients("Verantwortlich ist die Schmidt GmbH. Wir geben Daten an die Müller Logistik GmbH und die "
                       "Becker Transport KG weiter.", "de") == {"Müller Logistik GmbH", "Becker Transport KG"}


@pytest.mark.parametrize(("text", "lang", "agency"), [
    ("Bokvarter AS er behandlingsansvarlig. Skatteetaten mottar årlig ligningsopplysninger om andelseiere.", "nb",
     "Skatteetaten"),
    ("Nordljus AB är personuppgiftsansvarig. Vi lämnar uppgifter till Skatteverket när lagen kräver det.", "sv",
     "Skatteverket"),
    ("Strandgaard ApS er dataansvarlig. Vi indberetter oplysninger til Skattestyrelsen.", "da", "Skattestyrelsen"),
])
def test_a_public_agency_named_by_its_own_word(text: str, lang: str, agency: str) -> None:
    """Profile key agency_endings: a third party the knowledge base need not know."""
    assert ("hasRecipientThirdParty", agency) in values(text, lang)
    # the generic word at the head of a sentence names no agency
    assert not _recipients("Nordljus AB är personuppgiftsansvarig. Myndigheten kan begära ut uppgifter.", "sv")
