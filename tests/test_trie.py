"""The prefix-tree alternation matches exactly what a longest-first alternation matches;
first-character lookaheads are computed from the alternatives."""

from __future__ import annotations

import random
import re

import pytest

from policykg.trie import alternation, first_chars


def _longest_first(words: list[str]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) + ")"


def _spans(pattern: str, text: str, flags: int = 0) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(pattern, text, flags)]


def test_nested_names_prefer_the_longest() -> None:
    pattern = alternation(["Google", "Google Analytics", "Google Ads", "Mailchimp"])
    text = "We use Google Analytics, Google Ads and Google, and Mailchimp."
    assert [text[a:b] for a, b in _spans(pattern, text)] == [
        "Google Analytics", "Google Ads", "Google", "Mailchimp"]


def test_backtracks_to_a_shorter_word_when_the_rest_of_the_pattern_fails() -> None:
    pattern = r"\b" + alternation(["Azure", "Azure AD"]) + r"\b"
    assert _spans(pattern, "Azure ADX") == [(0, 5)]


def test_special_characters_are_escaped_and_empty_input_matches_nothing() -> None:
    assert re.fullmatch(alternation(["A/S", "S.A.", "C++"]), "C++")
    assert re.fullmatch(alternation(["S.A."]), "SxAx") is None
    assert re.search(alternation([]), "anything") is None
    assert re.search(alternation([""]), "anything") is None


def test_same_matches_as_longest_first_on_random_words() -> None:
    rng = random.Random(7)
    alphabet = "abc .-"
    for _ in range(300):
        words = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 5))) for _ in range(rng.randint(1, 12))]
        text = "".join(rng.choice(alphabet + "d") for _ in range(80))
        tail = r"(?:s)?(?![a-c])"  # a suffix and a lookahead that force backtracking
        for flags in (0, re.I):
            assert _spans(alternation(words) + tail, text, flags) == \
                _spans(_longest_first(words) + tail, text, flags), (words, text)


def test_first_chars_is_the_class_of_first_characters() -> None:
    cls = first_chars(["provided", r"hosted\s+by", "ägs", "Verantwortliche", r"S\.A\."])
    assert set(cls[1:-1].replace("\\", "")) == {"p", "h", "ä", "V", "S"}
    rx = re.compile("(?=" + cls + ")")
    for ch in "phäVS":
        assert rx.match(ch)
    for ch in "qxPv ":
        assert not rx.match(ch)


def test_first_chars_refuses_alternatives_that_start_with_regex_syntax() -> None:
    for bad in [r"(?:a|b)", r"\w+", "[ab]", ".x", " x", ""]:
        with pytest.raises(ValueError):
            first_chars(["ok", bad])
    with pytest.raises(ValueError):
        first_chars([])


def test_every_hand_written_alternation_sees_all_its_first_letters() -> None:
    """The lookaheads of the extractors' cue patterns are computed from their word
    lists: each cue, written out, is found by its pattern."""
    from policykg.extractors.metadata import _UPDATED
    from policykg.extractors.organisations import _CONTROLLER_CUE, _PROVIDED_BY

    for text in ["Last updated", "Effective as of", "Version", "In force", "Senast ändrad", "Gäller fr.o.m.",
                 "Denna version", "Fastställd", "Stand"]:
        assert _UPDATED.search(text), text
    for text in ["provided by ", "run by ", "owned by ", "ägs av ", "drivs av ", "tillhandahållet av "]:
        assert _PROVIDED_BY.search(text), text
    for text in ["Data controller", "personuppgiftsansvarig", "ansvarig för behandlingen",
                 "responsible for your personal", "Verantwortlicher"]:
        assert _CONTROLLER_CUE.search(text), text


def test_lead_class_reads_first_characters_anchors_and_case() -> None:
    import re

    from policykg.trie import lead_class

    assert lead_class(re.compile(r"(?<!\w)(?:we\s+use|vi)(?!\w)", re.I)) == "(?=(?i:[vw]))"
    assert lead_class(re.compile(r"(?i:abc)|D")) == "(?=(?i:[Da]))"
    assert lead_class(re.compile(r"x*y")) == "(?=[xy])"
    assert lead_class(re.compile(r"^\W*a|b")) == "(?:^|(?=[b]))"
    assert lead_class(re.compile(r".a")) is None  # a wildcard first: nothing to tell
    assert lead_class(re.compile(r"a?")) is None  # may match empty
    assert lead_class(re.compile(r"(?i)abc")) is None  # global flags stay first
    assert lead_class(re.compile("abc  # a comment", re.VERBOSE)) is None


def test_led_patterns_find_what_the_plain_patterns_find() -> None:
    """The lookahead :func:`led` puts before a pattern changes no match, on the patterns the
    extractors search every sentence with, in every language, over policy text and random
    strings (with characters that fold case in unusual ways)."""
    import random
    import re
    from pathlib import Path

    from policykg import languages
    from policykg.extractors import context, organisations
    from policykg.trie import led

    patterns = [*organisations.PLAIN_PATTERNS.values(), organisations._CONTROLLER_CUE, re.compile(r"^\W*(?:if|when)\s+we\b|\byour rights\b", re.I),
                re.compile(r"(?<!\w)(?:Straße|ſtraße|KELVIN)(?!\w)", re.I)]
    for code in languages.codes():
        patterns += [context._raw_patterns(code)[i] for i in range(6)]
        patterns += [languages.plain_own_and_english_phrases(key, code, regex) for key, regex in (
            ("purpose_markers", False), ("source_words", False), ("transfer_verbs_re", True), ("data_verbs", False),
            ("turn_to_authority_re", True), ("retention_criteria_re", True), ("approved_by", False),
            ("purpose_nouns", False), ("data_nouns", False), ("basis_nouns", False))]
    root = Path(__file__).resolve().parent.parent / "data" / "policies"
    texts = [p.read_text(encoding="utf-8") for p in sorted(root.glob("*.txt"))]
    rng = random.Random(3)
    alphabet = list("aedrtywWvVsSſKkİi ,.;:\n(\"") + ["the data subject", "you have the right", "we ", "\u212a",
                                                    "definitions", "If we", "controller", "vi", "straße", "STRASSE"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(3000)]
    for pattern in patterns:
        fast = led(pattern)
        for text in texts:
            assert [m.span() for m in fast.finditer(text)] == [m.span() for m in pattern.finditer(text)], \
                (pattern.pattern[:60], text)
