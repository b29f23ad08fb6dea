"""Retention: storage periods (``xsd:duration``) and "as long as necessary".

A duration counts as a storage period only in a sentence (or under a heading)
that speaks of keeping, storing or deleting data — "we reply within 30 days"
is not a retention period.
"""

from __future__ import annotations

import re
from functools import cache

from policykg import languages
from policykg.durations import duration_pattern, find_durations
from policykg.extractors.base import Document, Finding, reached_by
from policykg.segmenting import Span

NECESSARY = "https://w3id.org/policykg#RetentionAsLongAsNecessary"
UNTIL_WITHDRAWAL = "https://w3id.org/policykg#RetentionUntilWithdrawal"


@cache
def _age_cues(lang: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The age cues of the policy's language and English: a Swedish cue word must not
    make a Norwegian period an age ("lagres i minst 5 år")."""
    def alt(key: str) -> str:
        return "|".join(dict.fromkeys(languages.fragments(key, lang) + languages.fragments(key, "en"))) or "(?!)"
    return (re.compile(r"\b(?:" + alt("age_before_re") + r")\b[^.]{0,12}$", re.I),
            re.compile(r"^\s*(?:" + alt("age_after_re") + r")\b", re.I))


def _is_age(text: str, start: int, end: int, lang: str = "en") -> bool:
    """"under 18 years", "13 år gammal": an age limit, not a storage period."""
    before, after = _age_cues(lang)
    return bool(before.search(text[max(0, start - 30):start]) or after.match(text[end:end + 12]))


def retention(doc: Document) -> list[Finding]:
    out: list[Finding] = []
    may_state = reached_by(duration_pattern(doc.lexicon_lang), doc.text)
    stated = {s: found for _, s, found in doc.matches_by_sentence("retention_necessary")}  # "as long as necessary"
    for bi, s in doc.sentence_index:
        durations = find_durations(doc.text, s.start, s.end, doc.lexicon_lang) if may_state(s) else []
        necessary = stated.get(s, [])
        if not durations and not necessary:
            continue
        cued = bool(doc.matches("retention_cues", s))
        if not cued:
            block = doc.blocks[bi]
            for ref in (block.heading, block.lead):
                if ref is not None:
                    b = doc.blocks[ref]
                    if doc.matches("retention_cues", Span(b.start, b.end)):
                        cued = True
        if not cued and _bare_duration(doc, s, durations):
            cued = _cue_shortly_before(doc, bi)
        if not cued:
            continue
        for start, end, iso in durations:
            if _is_age(doc.text, start, end, doc.lexicon_lang):
                continue
            out.append(Finding("retention", iso, start, end, s, bi))
        if not durations:
            # the criterion stated: "as long as necessary", or "until you withdraw your consent"
            for concept in dict.fromkeys(m.concept for m in necessary):
                m = next(x for x in necessary if x.concept == concept)
                out.append(Finding("retention", str(concept), m.start, m.end, s, bi))
    return out


TABLE_LOOKBACK = 10
"""Blocks looked back from a bare duration for the retention cue of its table."""


def _bare_duration(doc: Document, s: Span, durations: list[tuple[int, int, str]]) -> bool:
    """A block that is one duration and nothing else ("7 år", "12 months"): a cell of a
    table flattened to lines, whose header ("Lagringstid", "How long we keep it") is a
    few lines up rather than its heading."""
    if len(durations) != 1:
        return False
    start, end, _ = durations[0]
    return not doc.text[s.start:start].strip() and not doc.text[end:s.end].strip(" .\t")


def _cue_shortly_before(doc: Document, bi: int) -> bool:
    for ref in range(bi - 1, max(-1, bi - 1 - TABLE_LOOKBACK), -1):
        b = doc.blocks[ref]
        if doc.matches("retention_cues", Span(b.start, b.end)):
            return True
    return False
