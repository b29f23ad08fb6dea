"""Durations and dates written in words or digits, English and Swedish.

"six months", "sex månader", "12 mån", "30 dagar", "sju år", "24 hours" ->
``xsd:duration`` lexical forms; "January 5, 2023", "30 oktober 2021",
"2023-01-05", "05.01.2023" -> ISO dates.
"""

from __future__ import annotations

import re
from datetime import date

from policykg import languages
from policykg.trie import alternation, first_chars

NUMBER_WORDS: dict[str, int] = languages.mapping("number_words")
"""Numbers written as words, in every language with a profile ("six", "sex", "seks")."""
UNITS: dict[str, str] = {k: languages.mapping("units_re").get(k, "(?!)") for k in ("H", "D", "W", "M", "Y")}
"""Duration units by ISO 8601 letter, as regex fragments of every language."""
_NUM = r"(?P<num>\d{1,3}|" + alternation(NUMBER_WORDS) + r")"
# The lookahead is implied by _NUM; checked first, it dismisses most word starts at once.
_FIRST = r"(?:\d|" + first_chars(NUMBER_WORDS) + ")"  # \d as in _NUM: any Unicode digit
DURATION = re.compile(
    r"(?<![\w.])(?=" + _FIRST + ")" + _NUM + r"(?:\s*\(\d{1,3}\))?[\s\-]*(?:full\s+|calendar\s+|kalender)?(?P<unit>"
    + "|".join(f"(?P<{k}>{v})" for k, v in UNITS.items()) + r")(?![\w])", re.I)


def iso_duration(number: int, unit: str) -> str:
    """``(6, "M")`` -> ``"P6M"``; hours go after the ``T``."""
    return f"PT{number}H" if unit == "H" else f"P{number}{unit}"


def find_durations(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """``(start, end, iso)`` for every duration in ``text[start:end]``."""
    out = []
    for m in DURATION.finditer(text, start, len(text) if end is None else end):
        raw = m.group("num").casefold()
        n = int(raw) if raw.isdigit() else NUMBER_WORDS.get(raw)
        if not n:
            continue
        unit = next(k for k in UNITS if m.group(k))
        out.append((m.start(), m.end(), iso_duration(n, unit)))
    return out


MONTHS: dict[str, int] = languages.mapping("months")
_MON = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE_PATTERNS = [
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?!\d)"),
    re.compile(r"(?<!\d)(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\.?\s+(?:of\s+)?(?P<mon>" + _MON +
               r")\.?,?\s+(?P<y>(?:19|20)\d\d)(?!\d)", re.I),
    re.compile(r"\b(?P<mon>" + _MON + r")\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)(?!\d)",
               re.I),
    re.compile(r"(?<![\d.])(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>(?:19|20)\d\d)(?!\d)"),
]


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """``(start, end, iso_date)`` for every valid calendar date in the range."""
    end = len(text) if end is None else end
    out = []
    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(text, start, end):
            g = m.groupdict()
            month = MONTHS.get(g["mon"].casefold().rstrip(".")) if g.get("mon") else int(g["m"])
            try:
                iso = date(int(g["y"]), int(month or 0), int(g["d"])).isoformat()
            except ValueError:
                continue
            out.append((m.start(), m.end(), iso))
    out.sort()
    return out
