from rdflib import URIRef

from policykg.lexicon import Matcher, load, tokens

DPV = "https://w3id.org/dpv#"
PD = "https://w3id.org/dpv/pd#"


def concepts(text: str, scheme: str, lang: str) -> set[str]:
    matcher = load()[scheme].matchers[lang]
    return {str(m.concept).split("#")[-1] for m in matcher.find(text, tokens(text))}


def test_english_inflection() -> None:
    assert "ServiceUsageAnalytics" in concepts("We analyse statistics about visits.", "purposes", "en")


def test_swedish_compounds_and_inflection() -> None:
    # compound head: "molntjänster" contains "molntjänst"; plural/definite forms match
    assert "TechnicalServiceProvision" in concepts("Vi använder molntjänsterna.", "purposes", "sv")
    assert "DataProcessingAgreement" in concepts("Vi har personuppgiftsbiträdesavtal.", "measures", "sv")
    assert "DirectMarketing" in concepts("för nyhetsbreven", "purposes", "sv")


def test_longest_label_wins() -> None:
    found = concepts("Vi sparar din e-postadress.", "personal_data", "sv")
    assert found == {"EmailAddress"}  # not PhysicalAddress from "adress"


def test_hyphenation_is_ignored() -> None:
    assert "EmailAddress" in concepts("your e-mail ad-dress", "personal_data", "en")


def test_acronyms_are_case_sensitive() -> None:
    m = Matcher("t", "en", [(URIRef(DPV + "EncryptionInTransfer"), "TLS")])
    assert m.find("We use TLS.", tokens("We use TLS.")) and not m.find("tls", tokens("tls"))


def test_every_scheme_has_both_languages() -> None:
    for name, vocab in load().items():
        assert {"en", "sv"} <= set(vocab.matchers), name


def test_labels_that_start_with_a_one_letter_word() -> None:
    # "i vila" (at rest) starts with the one-letter word "i": it matches as a phrase only
    assert "EncryptionAtRest" in concepts("Data krypteras i vila och under överföring.", "measures", "sv")
    assert "EncryptionAtRest" not in concepts("Vi vilar i frid.", "measures", "sv")


def test_acronyms_with_a_version_number() -> None:
    m = Matcher("t", "en", [(URIRef(DPV + "EncryptionAtRest"), "AES"), (URIRef(DPV + "Location"), "EU")])
    for text in ("Stored with AES-256.", "AES-128 encryption"):
        assert [str(x.concept).split("#")[-1] for x in m.find(text, tokens(text))] == ["EncryptionAtRest"]
    # an acronym as the first part of a compound names it ("EU-datacenter", "EU-baserat"); whether it
    # is then a place of processing is the locations extractor's to judge ("EU-kommissionen" is not)
    assert [x.label for x in m.find("ett EU-baserat företag", tokens("ett EU-baserat företag"))] == ["EU"]


def test_data_subjects_implied_by_a_website_or_a_newsletter() -> None:
    assert "Visitor" in concepts("Our website uses cookies.", "data_subjects", "en")
    assert "Visitor" in concepts("När du använder webbplatsen samlar vi in data.", "data_subjects", "sv")
    assert "Subscriber" in concepts("Sign up for our newsletter.", "data_subjects", "en")
    assert "Subscriber" in concepts("Du kan avregistrera dig från nyhetsbrevet.", "data_subjects", "sv")
    assert "Customer" in concepts("under ett pågående kundförhållande", "data_subjects", "sv")
    assert "Customer" in concepts("uppgifter om kundens kontaktperson", "data_subjects", "sv")


def test_cookies_are_identifiers_and_invoice_history_is_transactional() -> None:
    assert "UID" in concepts("We use cookies on this site.", "personal_data", "en")
    assert "UID" in concepts("Vi använder kakor.", "personal_data", "sv")
    assert concepts("Dina cookieval sparas.", "personal_data", "sv") == {"PrivacyPreference"}  # longest label
    assert "Transactional" in concepts("Vi sparar fakturahistorik i sju år.", "personal_data", "sv")


def test_providing_an_app_or_its_features_is_service_provision() -> None:
    assert "ServiceProvision" in concepts("We use this data to provide the app.", "purposes", "en")
    assert "ServiceProvision" in concepts("Uppgifterna behövs för att tillhandahålla funktionerna.", "purposes", "sv")


def test_breach_deadline_assessments_and_consent_banners_are_measures() -> None:
    assert "DataBreachNotification" in concepts("Vi meddelar IMY inom 72 timmar.", "measures", "sv")
    assert "SecurityAssessment" in concepts("We carry out supplier security assessments.", "measures", "en")
    assert "ConsentNotice" in concepts("Du väljer i samtyckesrutan.", "measures", "sv")
    assert "DataProcessingAgreement" in concepts("enligt deras standardavtal för databehandling", "measures", "sv")


def test_a_label_of_several_words_written_with_hyphens() -> None:
    assert "PrivacyByDesign" in concepts("We follow Privacy-by-design principles.", "measures", "en")
    # the joined words are no word of the language: not inside a compound, not with an ending
    assert "EncryptionAtRest" not in concepts("som du frivilligt lämnar", "measures", "sv")


def test_candidates_split_by_the_next_word_find_what_trying_them_all_finds(monkeypatch) -> None:
    """A word that starts many labels ("data", "your", "personuppgifter") only tries the labels
    whose second word can fit the next token; every vocabulary of every language finds the
    same matches, in the same order, as when it tries them all (policies of every language)."""
    from pathlib import Path

    from policykg import languages, lexicon

    root = Path(__file__).resolve().parent.parent
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "data" / "policies").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((root / "tests" / "policies").glob("*.txt"))]
    vocab = load()
    split_seen = 0
    for lang in languages.codes():
        group, _ = lexicon.group_for(vocab, lang)
        for text in texts:
            toks = tokens(text)
            fast = group.find_all(text, toks)
            split_seen += sum(1 for v in group._by_next.values() if v is not None)
            with monkeypatch.context() as m:
                m.setattr(group, "_split_by_next", lambda norm, cands: None)
                m.setattr(group, "_by_next", {})
                assert group.find_all(text, toks) == fast
    assert split_seen  # the split was taken, else this compares a thing with itself


def test_matchers_are_built_for_the_languages_asked_for() -> None:
    """A process reading English policies does not stem the other languages' labels."""
    from policykg.lexicon import ByLanguage, Matcher

    built: list[str] = []

    def maker(lang: str):  # noqa: ANN202
        def make() -> Matcher:
            built.append(lang)
            return Matcher("x", lang, [(URIRef("https://example.org/c"), "data")])
        return make

    table = ByLanguage({"en": maker("en"), "sv": maker("sv")})
    assert "sv" in table and len(table) == 2 and built == []
    assert table["en"] is table.get("en") and built == ["en"]
    assert table.get("fi") is None and built == ["en"]


def test_a_swedish_verb_is_not_its_bare_stem() -> None:
    """Profile key distinct_endings "a/": "rätt" (a right, in every "du har rätt att") is no
    "rätta" (to correct), "rader" (rows) no "radera" (to erase); the verb's forms still match."""
    eu = "https://w3id.org/dpv/legal/eu/gdpr#"
    m = Matcher("rights", "sv", [(URIRef(eu + "A16"), "rätta"), (URIRef(eu + "A17"), "radera")])
    found = lambda text: {str(x.concept).rsplit("#", 1)[-1] for x in m.find(text, tokens(text))}  # noqa: E731
    assert found("Du har rätt att få en kopia. Fakturans rader visas.") == set()
    assert found("Felaktiga uppgifter kan rättas eller raderas.") == {"A16", "A17"}
    assert found("Vi rättar och raderar uppgifter.") == {"A16", "A17"}
    # an adjective's plural label keeps its singular as a label of its own
    assert "TechnicalMeasure" in concepts("teknisk säkerhet", "measures", "sv")


def test_what_follows_a_compound_head_is_an_inflection() -> None:
    """A label inside a compound is its head plus an ending of the language, not plus any letters:
    "trænings|prog|ram" holds no "sprog" (language), "Med|del|ande" no "delas" (is shared)."""
    assert "Language" not in concepts("behandlingsplan og træningsprogram", "personal_data", "da")
    assert "Language" in concepts("dit foretrukne sprog", "personal_data", "da")
    assert "TelephoneNumber" in concepts("jobbtelefonnummeret ditt", "personal_data", "nb")
    assert "Customer" in concepts("privatkundernas adresser", "data_subjects", "sv")
    cues = load()["recipient_categories"].cues["sv"]
    text = "Meddelande om dataintrång"
    assert not cues.find(text, tokens(text))
