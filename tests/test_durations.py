import pytest

from policykg.durations import find_dates, find_durations


@pytest.mark.parametrize("text,iso", [
    ("six months", "P6M"), ("sex månader", "P6M"), ("12 mån", "P12M"), ("30 dagar", "P30D"),
    ("sju år", "P7Y"), ("24 hours", "PT24H"), ("two (2) years", "P2Y"), ("3 veckor", "P3W"),
    ("ett år", "P1Y"), ("a year", "P1Y"), ("90 days", "P90D"),
])
def test_durations_in_words_and_digits(text: str, iso: str) -> None:
    assert [d[2] for d in find_durations(text)] == [iso]


@pytest.mark.parametrize("text,iso", [
    ("January 5, 2023", "2023-01-05"), ("30 oktober 2021", "2021-10-30"), ("2026-03-23", "2026-03-23"),
    ("5th of March 2024", "2024-03-05"), ("05.01.2023", "2023-01-05"),
])
def test_dates(text: str, iso: str) -> None:
    assert [d[2] for d in find_dates(text)] == [iso]


def test_invalid_dates_are_dropped() -> None:
    assert find_dates("31 februari 2021") == []


def test_number_words_and_units_of_the_policy_language() -> None:
    # the Norwegian "to" (two) and "time" (hour) are English words: read in Norwegian only
    assert [d[2] for d in find_durations("lagres i to år og én time", lang="nb")] == ["P2Y", "PT1H"]
    assert find_durations("we moved to years of storage", lang="en") == []
    assert find_durations("day-to-day operations", lang="nb") == []
    assert [d[2] for d in find_durations("Koodit vanhenevat 10 minuutissa", lang="fi")] == ["PT10M"]
    assert [d[2] for d in find_durations("codes expire after 15 minutes")] == ["PT15M"]


def test_whole_text_scan_misses_no_sentence_with_a_duration() -> None:
    """retention skips sentences the whole-text scan finds no duration in: on every bundled
    policy and on sentences cut in awkward places, no skipped sentence holds one."""
    import random
    from pathlib import Path

    from policykg.durations import duration_pattern
    from policykg.extractors.base import Document, reached_by
    from policykg.segmenting import Span, segment

    root = Path(__file__).resolve().parent.parent / "data" / "policies"
    texts = [p.read_text(encoding="utf-8") for p in sorted(root.glob("*.txt"))]
    texts.append("We keep logs 12 months.Then 6 weeks-later, sex månader;30 days12 hours two years")
    rng = random.Random(5)
    checked = 0
    for text in texts:
        for lang in ("en", "sv", "de"):
            doc = Document("t", text, lang)
            doc.blocks = segment(text)
            may = reached_by(duration_pattern(lang), text)
            spans = [s for _, s in doc.sentence_index]
            spans += [Span(a, b) for a, b in (sorted(rng.sample(range(len(text) + 1), 2)) for _ in range(200))]
            for s in spans:
                if find_durations(text, s.start, s.end, lang):
                    checked += 1
                    assert may(s), (lang, text[s.start:s.end])
    assert checked > 50
    # a sentence cut right before a word goes on: only its own scan sees "30 days"
    text = "Kept 30 days12 hours."
    cut = Span(0, text.index("12"))
    assert find_durations(text, cut.start, cut.end, "en") and reached_by(duration_pattern("en"), text)(cut)
