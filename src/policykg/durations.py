"""Durations and dates written in words or digits, in every language with a profile.

"six months", "sex månader", "12 mån", "30 dagar", "sju år", "24 hours" ->
``xsd:duration`` lexical forms; "January 5, 2023", "30 oktober 2021",
"2023-01-05", "05.01.2023" -> ISO dates.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from policykg import languages
from policykg.trie import alternation, first_chars

NUMBER_WORDS: dict[str, int] = languages.mapping("number_words")
"""Numbers written as words, in every language with a profile ("six", "sex", "seks")."""


@cache
def _grammar(lang: str | None) -> tuple[re.Pattern[str], dict[str, int], tuple[str, ...]]:
    """The duration pattern of one language (and English, which policies quote), or of
    all languages when ``lang`` is None. Number words and units are read per language:
    the Norwegian "to" (two) and "time" (hour) are English words, "minst" is Swedish."""
    codes = [lang, "en"] if lang in languages.codes() else list(languages.codes())
    words: dict[str, int] = {}
    units: dict[str, str] = {}
    for code in dict.fromkeys(codes):
        for k, v in languages.mapping("number_words", code).items():
            words.setdefault(k, v)
        for k, v in languages.mapping("units_re", code).items():
            units[k] = units[k] + "|" + v if k in units else v
    for k, v in list(words.items()):
        if "ss" in k:  # case-folding wrote "dreißig" as "dreissig"; the text writes ß
            words.setdefault(k.replace("ss", "ß"), v)
    letters = tuple(k for k in ("H", "D", "W", "M", "Y", "MIN") if k in units)
    num = r"(?P<num>\d{1,3}|" + alternation(words) + r")" if words else r"(?P<num>\d{1,3})"
    # The lookahead is implied by num; checked first, it dismisses most word starts at once.
    first = r"(?:\d|" + first_chars(words) + ")" if words else r"\d"
    pattern = re.compile(
        r"(?<![\w.])(?=" + first + ")" + num
        + r"(?:\s*\(\d{1,3}\))?[\s\-]*(?:full\s+|calendar\s+|kalender)?(?P<unit>"
        + "|".join(f"(?P<{k}>{units[k]})" for k in letters) + r")(?![\w])", re.I)
    return pattern, words, letters


def duration_pattern(lang: str | None) -> re.Pattern[str]:
    """The pattern :func:`find_durations` reads ``lang`` with."""
    return _grammar(lang)[0]


DURATION = _grammar(None)[0]
"""Durations in any language with a profile."""


def iso_duration(number: int, unit: str) -> str:
    """``(6, "M")`` -> ``"P6M"``; hours and minutes go after the ``T``."""
    if unit == "MIN":
        return f"PT{number}M"
    return f"PT{number}H" if unit == "H" else f"P{number}{unit}"


def find_durations(text: str, start: int = 0, end: int | None = None,
                   lang: str | None = None) -> list[tuple[int, int, str]]:
    """``(start, end, iso)`` for every duration in ``text[start:end]``, read with the
    number words and units of ``lang`` (and English), or of every language."""
    pattern, words, letters = _grammar(lang)
    out = []
    for m in pattern.finditer(text, start, len(text) if end is None else end):
        raw = m.group("num").casefold()
        n = int(raw) if raw.isdigit() else words.get(raw)
        if not n or (not raw.isdigit() and text[m.start() - 1:m.start()] == "-"):  # "day-to-day"
            continue
        unit = next(k for k in letters if m.group(k))
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
