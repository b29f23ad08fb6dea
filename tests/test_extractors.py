"""Extraction on policies of our own writing, in both languages."""

from __future__ import annotations

from policykg.extractors import Document, run


def facts(text: str, lang: str, aspect: str) -> set[str]:
    doc = Document("t", text, lang)
    return {(f.label if aspect in ("recipients", "controller", "publisher", "authority") else f.value)
            .rsplit("#", 1)[-1] for f in run(doc) if f.aspect == aspect}


# --- negation: no practice from a denial -----------------------------------

def test_english_denials_yield_nothing() -> None:
    text = ("We do not sell your personal data. We never use your data for advertising. "
            "Your e-mail address is not shared with Mailchimp.")
    assert "Advertising" not in facts(text, "en", "purposes")
    assert "EmailAddress" not in facts(text, "en", "personal_data")
    assert "Mailchimp" not in facts(text, "en", "recipients")


def test_swedish_denials_yield_nothing() -> None:
    text = ("Vi säljer inte dina personuppgifter. Vi använder aldrig dina uppgifter för marknadsföring. "
            "Vi delar inte din e-postadress med Mailchimp.")
    assert not facts(text, "sv", "purposes") & {"Marketing", "DirectMarketing"}
    assert "EmailAddress" not in facts(text, "sv", "personal_data")
    assert "Mailchimp" not in facts(text, "sv", "recipients")


def test_conditions_and_not_limited_to_are_not_denials() -> None:
    text = "We collect, including but not limited to, your e-mail address for marketing."
    assert "EmailAddress" in facts(text, "en", "personal_data")
    assert "Marketing" in facts(text, "en", "purposes")


def test_transfer_denial_is_not_a_transfer() -> None:
    assert not facts("We do not transfer personal data outside the EU/EEA.", "en", "transfer")
    assert facts("Personal data may be transferred outside the EU/EEA.", "en", "transfer")


# --- organisations: found in general, not from a list of vendors ------------

def test_invented_companies_with_legal_suffixes() -> None:
    text = ("Privacy policy\n\nZorblax Kvist AB (org. nr 556000-0000) is the data controller. "
            "We use Plimsoll Analytics GmbH and Quarnby Ltd. to host our services.")
    assert facts(text, "en", "controller") == {"Zorblax Kvist AB"}
    recips = facts(text, "en", "recipients")
    assert {"Plimsoll Analytics GmbH", "Quarnby Ltd."} <= recips


def test_provided_by_names_a_service_provider() -> None:
    text = "Our chat widget is provided by Wendelbo Chat. It stores your messages."
    assert "Wendelbo Chat" in facts(text, "en", "recipients")


def test_swedish_genitive_of_known_provider() -> None:
    text = "Vi är personuppgiftsansvariga. Dina uppgifter lagras i Microsoft Azures molntjänster."
    assert "Microsoft Azure" in facts(text, "sv", "recipients")


def test_authority_aliases() -> None:
    assert facts("Du kan klaga hos Datainspektionen.", "sv", "authority") == {"Integritetsskyddsmyndigheten"}


# --- retention, transfers, metadata ------------------------------------------

def test_retention_needs_a_storage_cue_and_skips_ages() -> None:
    assert facts("We keep invoices for seven years.", "en", "retention") == {"P7Y"}
    assert facts("We reply within 30 days.", "en", "retention") == set()
    assert facts("Barn under 13 år får inte använda tjänsten. Vi sparar loggar i 12 mån.", "sv",
                 "retention") == {"P12M"}


def test_safeguards_and_destinations() -> None:
    text = ("Some providers store data in the United States. Transfers rely on the standard "
            "contractual clauses and the EU-U.S. Data Privacy Framework.")
    assert facts(text, "en", "third_country") == {"US"}
    assert facts(text, "en", "safeguards") == {"SCCByCommission", "A45-3"}


def test_last_updated_and_email() -> None:
    text = "Integritetspolicy\n\nSenast uppdaterad: 30 oktober 2021.\nKontakta dpo@zorblax.se."
    assert facts(text, "sv", "modified") == {"2021-10-30"}
    assert facts(text, "sv", "email") == {"dpo@zorblax.se"}


def test_list_lead_in_governs_items() -> None:
    from policykg.graph import build
    from policykg.namespaces import DPV

    text = "We use your data for the following purposes:\n- to send newsletters\n- for statistics\n"
    doc = Document("t", text, "en")
    g = build(doc, run(doc))
    purposes = set(g.objects(None, DPV.hasPurpose))
    assert DPV.DirectMarketing in purposes and DPV.ServiceUsageAnalytics in purposes


# --- regressions for error classes found on the development policies ---------

def test_denial_scope_spans_a_comma_list() -> None:
    assert "TelephoneNumber" not in facts("Appen samlar inte in ditt namn, telefonnummer eller andra uppgifter.",
                                          "sv", "personal_data")
    assert "Advertising" not in facts("We set no cookies for tracking, advertising or profiling.", "en", "purposes")


def test_publisher_contact_lines_are_not_collected_data() -> None:
    text = "Contact\n\n- Address: Storgatan 1, 111 22 Stockholm\n- Telefon: 08-123 45 67\n"
    assert not facts(text, "en", "personal_data") & {"PhysicalAddress", "TelephoneNumber"}


def test_channel_is_not_data() -> None:
    assert "EmailAddress" not in facts("You can reach us by e-mail or phone.", "en", "personal_data")
    assert "EmailAddress" in facts("We store your e-mail address.", "en", "personal_data")


def test_copyright_year_is_not_part_of_a_company_name() -> None:
    text = "Privacy policy\n\nWe use Zorblax Kvist AB as processor.\n\n© 2026 Zorblax Kvist AB\n"
    assert not any(n.startswith("2026") for n in facts(text, "en", "recipients"))


def test_short_stems_do_not_match_longer_words() -> None:
    assert "Purchase" not in facts("När du köper en produkt.", "sv", "personal_data")


def test_registered_seat_and_legal_citations_are_not_storage_locations() -> None:
    assert "SE" not in facts("Zorblax AB in Sweden is the controller and processes your data.", "en", "locations")
    assert "EU" not in facts("Transfers follow decision 2010/87/EU on data processing.", "en", "locations")
    assert "EU" in facts("Your data is stored on servers within the EU.", "en", "locations")
    assert "EU" in facts("Uppgifterna lagras i molntjänster inom EU/EES.", "sv", "locations")


def test_measure_adjectives_need_a_measures_word() -> None:
    assert "PhysicalMeasure" in facts("We use physical, technical and administrative safeguards.", "en", "measures")
    assert "PhysicalMeasure" not in facts("We send physical letters to customers.", "en", "measures")



def test_german_core_terms_and_denials() -> None:
    text = ("Sie haben das Recht auf Auskunft, Berichtigung und Löschung sowie ein Beschwerderecht. "
            "Rechtsgrundlage ist Ihre Einwilligung. Wir geben Ihre E-Mail-Adresse nicht an Dritte weiter.")
    assert {"A15", "A16", "A17", "A77"} <= facts(text, "de", "rights")
    assert "Consent" in facts(text, "de", "legal_bases")
    assert "EmailAddress" not in facts(text, "de", "personal_data")


def test_defined_terms_for_laws_products_and_rights_are_not_the_publisher() -> None:
    bad = {"the App", "Appen", "GDPR", "right to be forgotten"}
    text = ("Privacy policy\n\nThis policy explains how Quillmoor Tracker (\"the App\") handles your data "
            "under the General Data Protection Regulation (\"GDPR\").\n\nYou have the right to erasure "
            "(\"right to be forgotten\").\n\nQuestions? Write to Fenwick Lab AB.\n")
    assert not (facts(text, "en", "publisher") | facts(text, "en", "controller")) & bad
    sv = ("Integritetspolicy\n\nDenna policy förklarar hur Quillmoor (\"Appen\") behandlar uppgifter enligt "
          "dataskyddsförordningen (\"GDPR\").\n\nFrågor? Skriv till Fenwick Lab AB.\n")
    assert not (facts(sv, "sv", "publisher") | facts(sv, "sv", "controller")) & bad
    # a defined term that is a name still names the publisher; when the same parentheses name it
    # "we", the name they follow is the publisher's full name
    named = "Privacy policy\n\nThis policy explains how Quillmoor Systems (\"Quillmoor\") processes data.\n"
    assert facts(named, "en", "publisher") == {"Quillmoor"}
    named_we = "Privacy policy\n\nThis policy explains how Quillmoor Systems (\"Quillmoor\", \"we\") processes data.\n"
    assert facts(named_we, "en", "publisher") == {"Quillmoor Systems"}


def test_links_to_social_profiles_are_not_recipients() -> None:
    en = "Privacy policy\n\nFollow us on LinkedIn and Instagram.\n\nWe use Mailchimp to send e-mail.\n"
    assert facts(en, "en", "recipients") == {"Mailchimp"}
    sv = "Integritetspolicy\n\nFölj oss på LinkedIn.\n\nVår webbplats har länkar till våra profiler på Instagram.\n"
    assert facts(sv, "sv", "recipients") == set()


def test_institutions_and_their_law_are_not_places_of_processing() -> None:
    assert "EU" not in facts("We transfer data under clauses approved by the European Commission.", "en", "locations")
    assert "EU" not in facts("Data goes to countries recognised by the EU as adequate.", "en", "locations")
    assert "EU" not in facts("Vi behandlar uppgifter enligt EU:s dataskyddsförordning.", "sv", "locations")
    assert "EU" in facts("Data is processed by our staff within the EU.", "en", "locations")


def test_durations_in_a_flattened_retention_table() -> None:
    table = ("Privacy policy\n\nHow long we keep data\n\nData\n\nRetention period\n\nInvoices\n\n7 years\n\n"
             "Support tickets\n\n12 months\n")
    assert facts(table, "en", "retention") == {"P7Y", "P12M"}
    # a bare duration far from any talk of keeping data is not a retention period
    other = ("Privacy policy\n\nYou may ask for a copy of your data.\n\nResponse time\n\n30 days\n")
    assert facts(other, "en", "retention") == set()


def test_a_basis_named_with_its_article_is_not_a_purpose() -> None:
    text = "Integritetspolicy\n\nRättslig grund: Fullgörande av avtal (art. 6.1.b)\n"
    assert "FulfilmentOfContractualObligation" not in facts(text, "sv", "purposes")
    assert "Contract" in facts(text, "sv", "legal_bases")


def test_swedish_av_verbs_undo_rather_than_compound() -> None:
    # "avregistrera" (unsubscribe) is not registering; "registrera" still is
    assert "ServiceRegistration" not in facts(
        "Integritetspolicy\n\nDu kan avregistrera dig från våra utskick när du vill.\n", "sv", "purposes")


def test_sentence_cue_answers_as_the_pattern_and_memoises() -> None:
    import re

    from policykg.extractors.base import sentence_cue

    cue = sentence_cue(re.compile(r"\bcontroller\b", re.I))
    assert cue("Acme AB is the Controller of your data.")
    assert not cue("Acme AB processes your data.")
    assert cue("Acme AB is the Controller of your data.")
    info = cue.cache_info()  # type: ignore[attr-defined]
    assert (info.hits, info.misses) == (1, 2)


def test_legal_form_and_provided_by_patterns_match_as_their_plain_forms() -> None:
    """_SUFFIX_RE and _PROVIDED_BY are written for speed (the space consumed before a
    lookbehind; a lookahead on first letters): on policy sentences and random strings they
    must find exactly what the plain patterns find."""
    import random
    import re
    from pathlib import Path

    from policykg.extractors import organisations as o

    plain_suffix = re.compile(r"(?:(?<=[\w.)])|(?<=\w,))\s+(?=" + o._SUFFIX_FIRST + ")" + o._SUFFIX
                              + r"(?:\s*\(publ\))?(?![\w/])")
    plain_by = o.PLAIN_PATTERNS["_PROVIDED_BY"]
    root = Path(__file__).resolve().parent.parent / "data" / "policies"
    texts = [p.read_text(encoding="utf-8") for p in sorted(root.glob("*.txt"))]
    rng = random.Random(7)
    parts = [" ", "  ", ",", ".", ")", "(publ)", "Acme", "AB", "Inc.", "GmbH", "Ltd", "AS", "a", "provided by",
             "tillhandahålls av", "bereitgestellt von", "\n", "x,", "Oy"]
    texts += ["".join(rng.choice(parts) for _ in range(rng.randint(0, 10))) for _ in range(5000)]
    for text in texts:
        for fast, plain in ((o._SUFFIX_RE, plain_suffix), (o._PROVIDED_BY, plain_by)):
            assert [(m.span(), m.group()) for m in fast.finditer(text)] == \
                [(m.span(), m.group()) for m in plain.finditer(text)], text


def test_agencies_found_from_their_endings_are_what_the_pattern_finds() -> None:
    import random

    from policykg import languages
    from policykg.extractors import organisations as o

    rng = random.Random(11)
    parts = ["Skatteverket", "skatteverket", "Försäkringskassan", "Lantmäteriet", "Bolagsverket", "-Verket", "Verket",
             "Xverket", "Ab", "verket", "ämbetet", "Kammarkollegiet", "Skatteetaten", "Arbeidstilsynet",
             "Skattestyrelsen", "Verohallinto", "Kela", " ", ", ", ".", "\n", "Über", "Éverket", "åverket"]
    texts = ["".join(rng.choice(parts) for _ in range(rng.randint(0, 12))) for _ in range(3000)]
    checked = 0
    for code in languages.codes():
        pattern = o._agency_pattern(code)
        if pattern is None:
            continue
        for text in texts:
            fast = o._agency_hits(code, text)
            plain = list(pattern.finditer(text))
            assert fast[0] == [m.start() for m in plain] and [m.span() for m in fast[1]] == [m.span() for m in plain]
            checked += len(plain)
    assert checked > 100
