"""Norwegian Nynorsk (nn, issue 18): the Bokmål test policy's facts in Nynorsk, and sentences of our own.

tests/policies/nn-fjellvind.txt states what tests/policies/nb-fjellvind.txt states, in Nynorsk; it is
detected as Nynorsk and must yield the same facts from the Nynorsk profile and labels
(ontology/languages/nn.yaml, ontology/vocab/nn/), which Bokmål labels do not give it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policykg.pipeline import extract_source
from policykg.reading import Source, read_source
from tests.test_lang_nb import EMAIL, GDPR, NAME, PD, D, facts

POLICIES = Path(__file__).parent / "policies"


def values(text: str) -> set[tuple[str, str]]:
    return facts(extract_source(Source("t", "t.txt", "text", text), "nn").graph)


@pytest.fixture(scope="module")
def example() -> set[tuple[str, str]]:
    result = extract_source(read_source(POLICIES / "nn-fjellvind.txt"))
    assert result.lang == "nn"  # detected, not forced
    return facts(result.graph)


def _key(found: set[tuple[str, str]]) -> set[tuple[str, str]]:
    return {(p, v) for p, v in found if p not in ("identifier", "language", "hasNotice")}


def test_the_nynorsk_policy_states_what_the_bokmal_one_states(example: set[tuple[str, str]]) -> None:
    bokmal = facts(extract_source(read_source(POLICIES / "nb-fjellvind.txt")).graph)
    assert _key(example) == _key(bokmal)
    # and that is the whole of it: the publisher, rights, bases, durations, a transfer with its safeguard
    for fact in [("publisher", "Fjellvind Sykkel AS"), ("hasDataProcessor", "Skyhavn Drift AS"),
                 ("hasDataProcessor", "Mailchimp"), ("hasRight", GDPR + "A15"), ("hasRight", GDPR + "A7-3"),
                 ("hasRight", GDPR + "A21"), ("hasRight", GDPR + "A77"), ("hasLegalBasis", D + "LegitimateInterest"),
                 ("hasLegalBasis", D + "LegalObligation"), ("duration", "P3Y"), ("duration", "P90D"),
                 ("hasLegalBasis", GDPR + "SCCByCommission"), ("hasPersonalData", PD + "Name")]:
        assert fact in example, fact


@pytest.mark.parametrize("sentence,prop,value", [
    ("Vi lagrar namnet og bustadadressa di.", "hasPersonalData", PD + "Name"),
    ("Vi lagrar namnet og bustadadressa di.", "hasPersonalData", PD + "PhysicalAddress"),
    ("Opplysningane blir delte med leverandørane våre.", "hasRecipient", D + "ServiceProvider"),
    ("Du kan be om å få ein kopi av opplysningane.", "hasRight", GDPR + "A15"),
    ("Du har rett til avgrensing av behandlinga.", "hasRight", GDPR + "A18"),
    ("Behandlinga skjer på grunnlag av den berettiga interessa vår.", "hasLegalBasis", D + "LegitimateInterest"),
    ("Vi brukar e-postadressa di til kampanjar.", "hasPurpose", D + "DirectMarketing"),
    ("Opplysningane blir lagra i tolv månader.", "duration", "P12M"),
    ("Loggane blir sletta etter seks veker.", "duration", "P6W"),
    ("Opplysningane blir overførte til land utanfor EØS.", "hasProcessing", D + "Transfer"),
])
def test_nynorsk_forms_are_read(sentence: str, prop: str, value: str) -> None:
    assert (prop, value) in values(sentence)


def test_the_verb_brukar_names_no_users() -> None:
    found = values("Vi brukar informasjonskapslar. Brukarane av appen kan slette kontoen.")
    assert ("hasPersonalData", PD + "UID") in found
    assert ("hasDataSubject", D + "User") in found  # "Brukarane av": the users
    assert ("hasDataSubject", D + "User") not in values("Vi brukar informasjonskapslar.")


@pytest.mark.parametrize("text,stated,denied", [
    ("Vi lagrar ikkje kortnummeret ditt, men vi lagrar namnet ditt.", NAME, ("hasPersonalData", PD + "PaymentCardNumber")),
    ("Vi lagrar namnet ditt. Fødselsnummeret ditt blir ikkje lagra.", NAME, ("hasPersonalData", PD + "OfficialID")),
    ("Viss du ikkje er kunde hos oss, lagrar vi berre e-postadressa di.", EMAIL, None),
])
def test_a_nynorsk_denial_cancels_what_it_denies(text: str, stated: tuple[str, str],
                                                 denied: tuple[str, str] | None) -> None:
    found = values(text)
    assert stated in found and denied not in found
