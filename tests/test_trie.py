"""The prefix-tree alternation matches exactly what a longest-first alternation matches."""

from __future__ import annotations

import random
import re

from policykg.trie import alternation


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
