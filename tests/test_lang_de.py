"""German (de, issue 18): policies of our own making and sentences of our own.

tests/policies/de-example.txt is an invented GmbH web shop's policy, tests/policies/de-verein.txt an
invented registered association's (e.V.); both use the wording of the DSGVO and the BDSG. Every fact
asserted here is one a reader finds in them; the vocabulary behind it is ontology/vocab/de/ and
ontology/languages/de.yaml (before them German had the core GDPR terms only).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policykg.pipeline import extract_source
from policykg.reading import Source, read_source
from tests.test_lang_nb import GDPR, LOC, PD, D, facts

POLICIES = Path(__file__).parent / "policies"


def values(text: str, lang: str = "de") -> set[tuple[str, str]]:
    return facts(extract_source(Source("t", "t.txt", "text", text), lang).graph)


def policy(name: str) -> set[tuple[str, str]]:
    result = extract_source(read_source(POLICIES / name))
    assert result.lang == "de"  # detected, not forced
    return facts(result.graph)


# --- tests/policies/de-example.txt: a GmbH web shop -------------------------------------------

@pytest.fixture(scope="module")
def shop() -> set[tuple[str, str]]:
    return policy("de-example.txt")


@pytest.mark.parametrize("prop,value", [
    ("publisher", "Kaffeerösterei Bergmann GmbH"), ("hasDataController", "Kaffeerösterei Bergmann GmbH"),
    ("modified", "2025-03-14"),
    # named processors: the role noun before the name is no part of it ("unser Versanddienstleister ...")
    ("hasDataProcessor", "Elbkurier Logistik GmbH"), ("hasDataProcessor", "Nordlicht Hosting GmbH"),
    ("hasDataProcessor", "Stripe"), ("hasDataProcessor", "Brevo"),
    # rights in the DSGVO's words, and the Land authority by its German name
    ("hasRight", GDPR + "A15"), ("hasRight", GDPR + "A16"), ("hasRight", GDPR + "A17"), ("hasRight", GDPR + "A18"),
    ("hasRight", GDPR + "A20"), ("hasRight", GDPR + "A21"), ("hasRight", GDPR + "A7-3"), ("hasRight", GDPR + "A77"),
    ("hasAuthority", "Hamburgische Beauftragte für Datenschutz und Informationsfreiheit"),
    # Art. 6 Abs. 1 lit. a, b, c (Aufbewahrungspflichten), f
    ("hasLegalBasis", D + "Contract"), ("hasLegalBasis", D + "Consent"), ("hasLegalBasis", D + "LegitimateInterest"),
    ("hasLegalBasis", D + "LegalObligation"),
    # durations in words and digits: "zehn Jahre", "sechs Jahre", "sieben Tagen", "24 Monaten" (kept as written)
    ("duration", "P10Y"), ("duration", "P6Y"), ("duration", "P7D"), ("duration", "P24M"),
    # a transfer to the USA under standard contractual clauses
    ("hasProcessing", D + "Transfer"), ("hasThirdCountry", LOC + "US"), ("hasLegalBasis", GDPR + "SCCByCommission"),
    ("hasPurpose", D + "CustomerOrderManagement"), ("hasPurpose", D + "DeliveryOfGoods"),
    ("hasPurpose", D + "DirectMarketing"), ("hasPurpose", D + "ServiceUsageAnalytics"),
    ("hasPurpose", D + "EnforceSecurity"), ("hasPurpose", D + "PaymentManagement"), ("hasPurpose", D + "LegalCompliance"),
    ("hasPurpose", D + "ServiceRegistration"),
    # compounds: "Rechnungsadresse und Lieferadresse", "Kreditkartendaten"
    ("hasPersonalData", PD + "Name"), ("hasPersonalData", PD + "PhysicalAddress"),
    ("hasPersonalData", PD + "EmailAddress"), ("hasPersonalData", PD + "TelephoneNumber"),
    ("hasPersonalData", PD + "Purchase"), ("hasPersonalData", PD + "IPAddress"), ("hasPersonalData", PD + "UserAgent"),
    ("hasPersonalData", PD + "DeviceOperatingSystem"), ("hasPersonalData", PD + "BrowsingReferral"),
    ("hasPersonalData", PD + "Username"), ("hasPersonalData", PD + "Password"), ("hasPersonalData", PD + "PaymentCard"),
    ("hasDataSubject", D + "Customer"), ("hasDataSubject", D + "Subscriber"),
    ("hasTechnicalOrganisationalMeasure", D + "EncryptionInTransfer"),
    ("hasTechnicalOrganisationalMeasure", D + "AccessControlMethod"),
    ("hasTechnicalOrganisationalMeasure", D + "DataProcessingAgreement"),
    ("hasTechnicalOrganisationalMeasure", D + "HashFunctions"),
    ("hasTechnicalOrganisationalMeasure", D + "Anonymisation"),
])
def test_the_shop_policy_states(shop: set[tuple[str, str]], prop: str, value: str) -> None:
    assert (prop, value) in shop


def test_the_shop_policy_denies_what_it_does_not_do(shop: set[tuple[str, str]]) -> None:
    """"wir speichern Ihre Kreditkartennummer nicht", "Wir verkaufen Ihre personenbezogenen Daten niemals an
    Dritte": no card number and no third party, while the card data Stripe processes and the service
    providers stay."""
    assert ("hasPersonalData", PD + "PaymentCardNumber") not in shop
    assert ("hasRecipient", D + "ThirdParty") not in shop
    assert ("hasRecipient", D + "ServiceProvider") in shop


def test_a_role_noun_is_no_organisation(shop: set[tuple[str, str]]) -> None:
    labels = {v for p, v in shop if p in ("hasDataProcessor", "hasRecipient", "hasThirdParty")}
    assert not any(v.startswith(("Versanddienstleister", "Hosting-Anbieter")) for v in labels)


# --- tests/policies/de-verein.txt: a registered association -----------------------------------

@pytest.fixture(scope="module")
def verein() -> set[tuple[str, str]]:
    return policy("de-verein.txt")


@pytest.mark.parametrize("fact", [
    ("hasDataController", "Ruderverein Altmühltal e.V."),
    ("hasAuthority", "Bayerisches Landesamt für Datenschutzaufsicht"),
    ("hasDataProcessor", "Hetzner"),
    ("hasDataSubject", D + "Member"), ("hasPurpose", D + "MemberPartnerManagement"),
    ("hasLegalBasis", D + "Contract"), ("hasLegalBasis", D + "Consent"),
    ("hasPersonalData", PD + "Name"), ("hasPersonalData", PD + "PhysicalAddress"), ("hasPersonalData", PD + "BirthDate"),
    ("hasPersonalData", PD + "TelephoneNumber"), ("hasPersonalData", PD + "EmailAddress"),
    ("hasPersonalData", PD + "BankAccount"), ("hasPersonalData", PD + "Picture"),
    ("hasRight", GDPR + "A15"), ("hasRight", GDPR + "A16"), ("hasRight", GDPR + "A17"), ("hasRight", GDPR + "A18"),
    ("hasRight", GDPR + "A20"), ("hasRight", GDPR + "A7-3"), ("hasRight", GDPR + "A77"),
    ("duration", "P3Y"), ("duration", "P10Y"),
])
def test_the_facts_of_the_association_policy(verein: set[tuple[str, str]], fact: tuple[str, str]) -> None:
    assert fact in verein


def test_the_association_states_no_transfer(verein: set[tuple[str, str]]) -> None:
    """"Eine Übermittlung in Drittländer findet nicht statt": denied, so no transfer."""
    assert ("hasProcessing", D + "Transfer") not in verein


# --- inflection, compounds and legal forms ----------------------------------------------------

@pytest.mark.parametrize("sentence,prop,value", [
    # inflected forms of a label: plural, dative plural, genitive
    ("Wir speichern die E-Mail-Adressen unserer Kunden.", "hasDataSubject", D + "Customer"),
    ("Wir geben Daten an unsere Dienstleister weiter.", "hasRecipient", D + "ServiceProvider"),
    ("Sie können Ihre Einwilligung jederzeit widerrufen.", "hasRight", GDPR + "A7-3"),
    ("Sie haben das Recht, eine Kopie Ihrer Daten zu verlangen.", "hasRight", GDPR + "A15"),
    ("Die Verarbeitung erfolgt zur Erfüllung rechtlicher Verpflichtungen.", "hasLegalBasis", D + "LegalObligation"),
    # a label as the head of a compound
    ("Wir speichern Ihre Lieferanschrift.", "hasPersonalData", PD + "PhysicalAddress"),
    ("Wir speichern Ihre Mobilfunknummer.", "hasPersonalData", PD + "TelephoneNumber"),
    ("Wir verarbeiten Ihre Zahlungsdaten zur Zahlungsabwicklung.", "hasPurpose", D + "PaymentManagement"),
    # a label as the head of a compound that no label lists (profile key compounds)
    ("Wir speichern Ihre Privatanschrift.", "hasPersonalData", PD + "PhysicalAddress"),
    ("Wir speichern Ihre Festnetztelefonnummer.", "hasPersonalData", PD + "TelephoneNumber"),
    ("Wir speichern Ihr Kundenpasswort.", "hasPersonalData", PD + "Password"),
    ("Wir geben Ihre Anschrift an Transportdienstleister weiter.", "hasRecipient", D + "ServiceProvider"),
    # durations in words
    ("Die Daten werden nach zwei Jahren gelöscht.", "duration", "P2Y"),
    ("Die Protokolle werden nach drei Monaten gelöscht.", "duration", "P3M"),
    ("Die Protokolle werden nach achtundvierzig Stunden gelöscht.", "duration", "PT48H"),
    ("Die Sitzungsdaten werden nach zwanzig Minuten gelöscht.", "duration", "PT20M"),
    # legal forms of German companies and associations
    ("Verantwortlich ist die Mühlbach Software UG (haftungsbeschränkt). Wir speichern Ihren Namen.",
     "hasDataController", "Mühlbach Software UG (haftungsbeschränkt)"),
    ("Verantwortlich ist die Weber Elektro e.K. Wir speichern Ihren Namen.", "hasDataController", "Weber Elektro e.K."),
    ("Verantwortlich ist die Hansen Immobilien KG. Wir speichern Ihren Namen.", "hasDataController", "Hansen Immobilien KG"),
    ("Verantwortlich ist die Krause Bau OHG. Wir speichern Ihren Namen.", "hasDataController", "Krause Bau OHG"),
    ("Verantwortlich ist die Lindner Architekten GbR. Wir speichern Ihren Namen.", "hasDataController",
     "Lindner Architekten GbR"),
    ("Verantwortlich ist die Sozialwerk Lahntal gGmbH. Wir speichern Ihren Namen.", "hasDataController",
     "Sozialwerk Lahntal gGmbH"),
    ("Verantwortlich ist die Brenner Chemie KGaA. Wir speichern Ihren Namen.", "hasDataController", "Brenner Chemie KGaA"),
    ("Verantwortlich ist die Falkenstein Energie SE. Wir speichern Ihren Namen.", "hasDataController",
     "Falkenstein Energie SE"),
    ("Verantwortlich ist die Kessler Maschinenbau AG. Wir speichern Ihren Namen.", "hasDataController",
     "Kessler Maschinenbau AG"),
    ("Verantwortlich ist die Waldhaus Stiftung. Wir speichern Ihren Namen.", "hasDataController", "Waldhaus Stiftung"),
    # rights as a list of requests ("Sie haben das Recht, ... zu beantragen / einzuschränken")
    ("Sie haben das Recht, eine Kopie der Daten anzufordern, die uns über Sie vorliegen.", "hasRight", GDPR + "A15"),
    ("Sie haben das Recht, die Übertragung Ihrer Daten an einen anderen Anbieter zu beantragen.", "hasRight",
     GDPR + "A20"),
    ("Sie haben das Recht, in bestimmten Fällen die Verwendung Ihrer Daten einzuschränken.", "hasRight", GDPR + "A18"),
    ("Sie haben das Recht, die Verwendung Ihrer Daten für Werbung zu untersagen.", "hasRight", GDPR + "A21"),
    ("Sie haben das Recht, sich bei der für Sie zuständigen Datenschutzbehörde zu beschweren.", "hasRight",
     GDPR + "A77"),
    # the federal commissioner by its German name
    ("Sie können sich beim Bundesbeauftragten für den Datenschutz und die Informationsfreiheit beschweren.",
     "hasAuthority", "BfDI"),
])
def test_german_forms_are_read(sentence: str, prop: str, value: str) -> None:
    assert (prop, value) in values(sentence)


@pytest.mark.parametrize("text,prop,present,absent", [
    # a web address is no postal address; a login no logging
    ("Wir speichern Ihre IP-Adresse und die Webadresse, von der Sie kamen.", "hasPersonalData", PD + "IPAddress",
     PD + "PhysicalAddress"),
    # a processing agreement is a measure, not the contract basis
    ("Mit dem Anbieter haben wir einen Auftragsverarbeitungsvertrag geschlossen.", "hasTechnicalOrganisationalMeasure",
     D + "DataProcessingAgreement", D + "Contract"),
    # a risk analysis is no usage analytics
    ("Wir führen vor der Verarbeitung eine Risikoanalyse durch.", "hasTechnicalOrganisationalMeasure",
     D + "RiskAssessment", D + "ServiceUsageAnalytics"),
    # a verb is not its agent noun: "nutzen" names no users, "bewerben" (advertise) no applicants
    ("Wir nutzen eine Ende-zu-Ende-Verschlüsselung.", "hasTechnicalOrganisationalMeasure", D + "EndToEndEncryption",
     D + "User"),
    ("Wir bewerben unsere Produkte per E-Mail-Werbung und speichern dafür Ihre E-Mail-Adresse.", "hasPersonalData",
     PD + "EmailAddress", D + "JobApplicant"),
    # "für" before a determiner or a person marks no purpose
    ("Wir nutzen Ihre E-Mail-Adresse für den Newsletterversand.", "hasPurpose", D + "DirectMarketing", D + "SellProducts"),
])
def test_a_compound_or_a_verb_is_not_the_label(text: str, prop: str, present: str, absent: str) -> None:
    found = {v for p, v in values(text) if p in (prop, "hasDataSubject", "hasLegalBasis", "hasPurpose")}
    assert present in found and absent not in found

@pytest.mark.parametrize("text,prop,value", [
    # "Techno|logie" is no login
    ("Wir arbeiten mit Werbeanbietern zusammen, um mithilfe programmgesteuerter Technologien relevante Inhalte "
     "anzuzeigen.", "hasPurpose", D + "IdentityAuthentication"),
    # the company itself, or a partner company, is not the reader's employer
    ("Als globales Unternehmen geben wir Ihre E-Mail-Adresse an unsere Partnerunternehmen weiter.", "hasPersonalData",
     PD + "CurrentEmployment"),
    # the policy calling itself a notice ("Datenschutzhinweis") is no notice at collection
    ("Wenn Sie die Website besuchen, erfassen wir technische Daten gemäß unserem Datenschutzhinweis für Websites.",
     "hasTechnicalOrganisationalMeasure", D + "JITNotice"),
])
def test_a_german_word_that_only_looks_like_the_label(text: str, prop: str, value: str) -> None:
    assert (prop, value) not in values("Die Lindwurm GmbH ist verantwortlich. " + text)


def test_the_employer_is_employment_data() -> None:
    assert ("hasPersonalData", PD + "CurrentEmployment") in values(
        "Die Lindwurm GmbH ist verantwortlich. Wir erheben Ihren Namen und Ihren Arbeitgeber.")



# --- denials and everyday words ---------------------------------------------------------------

NAME, EMAIL = ("hasPersonalData", PD + "Name"), ("hasPersonalData", PD + "EmailAddress")


@pytest.mark.parametrize("text,stated,denied", [
    # a denial cancels its clause, not the clause after "sondern" / "aber"
    ("Wir speichern nicht Ihre Kreditkartennummer, sondern nur Ihren Namen.", NAME,
     ("hasPersonalData", PD + "PaymentCardNumber")),
    ("Wir speichern Ihren Namen. Ihr Geburtsdatum speichern wir nicht.", NAME, ("hasPersonalData", PD + "BirthDate")),
    # the denial after the verb, several words after what it denies (profile key denial_reach)
    ("Wir speichern Ihren Namen. Analyse- oder Marketing-Tools verwenden wir auf dieser Website nicht.", NAME,
     ("hasPurpose", D + "ServiceUsageAnalytics")),
    ("Wir verkaufen Ihre Daten niemals an Dritte, aber wir geben sie an Dienstleister weiter.",
     ("hasRecipient", D + "ServiceProvider"), ("hasRecipient", D + "ThirdParty")),
    # "Wenn Sie nicht einwilligen": the "nicht" is the condition's, and denies nothing
    ("Wenn Sie nicht Kunde sind, speichern wir nur Ihre E-Mail-Adresse.", EMAIL, None),
])
def test_a_denial_cancels_what_it_denies(text: str, stated: tuple[str, str], denied: tuple[str, str] | None) -> None:
    found = values(text)
    assert stated in found and denied not in found


@pytest.mark.parametrize("stated,mentioned,prop,value", [
    # advertising e-mails are a purpose after a purpose marker, not in a heading about objecting to them
    ("Wir nutzen Ihre E-Mail-Adresse für E-Mail-Werbung.", "Widerspruch gegen Werbe-E-Mails", "hasPurpose",
     D + "DirectMarketing"),
    # an order is a purpose after a marker, not as a word of a sentence about something else
    ("Wir verarbeiten Ihre Adresse zur Bestellung.", "Die Bestellung ist auch telefonisch möglich.", "hasPurpose",
     D + "CustomerOrderManagement"),
    # a position is data where it is collected, not a company's standing
    ("Wir speichern Ihren Namen und Ihre Position.", "Wir haben eine starke Position am Markt.", "hasPersonalData",
     PD + "Job"),
])
def test_an_everyday_word_is_a_fact_only_in_its_relation(stated: str, mentioned: str, prop: str, value: str) -> None:
    assert (prop, value) in values(stated)
    assert (prop, value) not in values(mentioned)


def test_your_competent_authority_is_not_the_authority_of_one_country() -> None:
    """'bei Ihrer zuständigen Datenschutzbehörde': any reader's authority, not Austria's DSB, whose
    name is the common noun; the named one still counts."""
    generic = values("Die Lindwurm GmbH ist verantwortlich. Sie können sich bei Ihrer zuständigen "
                     "Datenschutzbehörde beschweren.")
    assert not [v for p, v in generic if p == "hasAuthority"]
    named = values("Die Lindwurm GmbH ist verantwortlich. Sie können sich bei der Datenschutzbehörde, "
                   "Barichgasse 40-42, 1030 Wien, beschweren.")
    assert [v for p, v in named if p == "hasAuthority"]

