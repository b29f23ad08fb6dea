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
