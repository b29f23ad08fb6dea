"""Durations and dates written in words or digits, English and Swedish.

"six months", "sex månader", "12 mån", "30 dagar", "sju år", "24 hours" ->
``xsd:duration`` lexical forms; "January 5, 2023", "30 oktober 2021",
"2023-01-05", "05.01.2023" -> ISO dates.
"""

from __future__ import annotations

import re
from datetime import date

from policykg.trie import alternation, first_chars

NUMBER_WORDS = {
    # English
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "eighteen": 18, "twenty": 20, "twenty-four": 24, "thirty": 30,
    "thirty-six": 36, "forty-eight": 48, "sixty": 60, "ninety": 90,
    # Swedish
    "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8,
    "nio": 9, "tio": 10, "elva": 11, "tolv": 12, "tretton": 13, "fjorton": 14, "femton": 15,
    "sexton": 16, "arton": 18, "tjugo": 20, "tjugofyra": 24, "trettio": 30, "trettiosex": 36,
    "sextio": 60, "nittio": 90,
}
UNITS = {
    "H": r"hours?|hrs?|timm(?:e|ar|arna)|tim|Stunden?",
    "D": r"days?|dagar|dagarna|dag|dygn|Tage?n?",
    "W": r"weeks?|veckor|veckan|vecka|Wochen?",
    "M": r"months?|månader|månaderna|månad|mån|Monate?n?",
    "Y": r"years?|år|åren|Jahre?n?",
}
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


MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "januari": 1, "februari": 2, "mars": 3, "maj": 5, "juni": 6, "juli": 7, "augusti": 8,
    "oktober": 10, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "okt": 10, "nov": 11, "dec": 12,
    "januar": 1, "februar": 2, "märz": 3, "mai": 5, "dezember": 12,
}
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
