"""Which language a policy is written in.

py3langid (Lui & Baldwin's langid.py, 97 languages, a naive Bayes model of
byte n-grams) names the language; measured on the 19 bundled and devset
policies, 202 single sentences and 95 three-sentence passages of them, and
Norwegian Nynorsk, Bokmål, Danish and Finnish samples of our own, it was right
on every one, where the function-word count this module used before missed 17
sentences and took Nynorsk for Bokmål; lingua was as accurate on whole policies
but 30 times slower (``docs/benchmarks.md``). When the model is unsure (a short
or odd text) the function words of the language profiles decide between the
languages policykg reads.

A text in no language at all (random characters, code) is ``"und"``: the
caller refuses it rather than extract an empty policy.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache

from policykg import languages

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SURE = 0.5
"""Below this probability the model's answer is checked against the function words."""
_NAMES = {"no": "nb"}  # langid's "no" is written Norwegian in general: Bokmål, as ISO 639-1 prefers

NAMES = {"en": "English", "sv": "Swedish", "de": "German", "nb": "Norwegian Bokmål", "nn": "Norwegian Nynorsk",
         "da": "Danish", "fi": "Finnish", "fr": "French", "nl": "Dutch", "es": "Spanish", "it": "Italian",
         "pl": "Polish", "pt": "Portuguese", "et": "Estonian", "lv": "Latvian", "lt": "Lithuanian",
         "is": "Icelandic", "cs": "Czech", "hu": "Hungarian", "ro": "Romanian", "el": "Greek"}


def supported() -> tuple[str, ...]:
    """Languages with a profile (``ontology/languages``) and labels."""
    return languages.codes()


def is_supported(lang: str) -> bool:
    return lang in supported()


def name(lang: str) -> str:
    """A language's English name, for messages ("Polish (pl)")."""
    return f"{NAMES[lang]} ({lang})" if lang in NAMES else lang


@lru_cache(maxsize=1)
def _identifier():  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> tuple[str, float]:
    """Return ``(code, confidence)``; ``code`` is ``"und"`` for text in no language.

    Control characters are read as spaces first (a stray NUL must not hide an
    otherwise readable policy). 1,000 characters from the start and 1,000 from the
    middle are enough: on 176 bundled, devset, test, versioned and synthetic policies they give
    the language the first 20,000 give, in a tenth of the time (the identifier reads
    every character).
    """
    sample = _CONTROL.sub(" ", _sample(text))
    words = _WORD.findall(sample)
    if len(words) < 3:
        return "und", 0.0
    clear = _unmistakable(words)
    if clear:
        return clear
    ranked = _identifier().rank(sample)
    code, prob = ranked[0]
    code = _NAMES.get(code, code)
    if len(ranked) > 1 and prob < 0.9:
        # two close languages (Bokmål and Nynorsk): their profiles' common words decide
        second, prob2 = _NAMES.get(ranked[1][0], ranked[1][0]), ranked[1][1]
        if prob2 > 0.25 and languages.get(code).get("detect") and languages.get(second).get("detect"):
            pick, _ = _by_function_words(words, (code, second), floor=0.0)
            if pick == second:
                return second, float(prob2)
    if code == "zxx" or prob < _SURE:
        fallback, share = _by_function_words(words)
        if fallback != "und":
            return fallback, share
        return ("und", float(prob)) if code == "zxx" or prob < 0.2 else (code, float(prob))
    return code, float(prob)


_CLEAR_LANGS = ("en", "de", "sv", "fi")
"""Languages whose own function words tell them from every other profiled language
(Danish, Bokmål and Nynorsk share theirs: py3langid tells those apart)."""


@lru_cache(maxsize=1)
def _own_words() -> dict[str, str]:
    """Function words (``detect``) that belong to one profiled language only."""
    owners: dict[str, set[str]] = defaultdict(set)
    for code in languages.codes():
        for w in languages.words("detect", code):
            owners[w].add(code)
    return {w: next(iter(c)) for w, c in owners.items() if len(c) == 1}


def _unmistakable(words: list[str]) -> tuple[str, float] | None:
    """The language of a long sample whose own function words leave no doubt: at least
    150 words, 25 of them function words of that language alone, five times as many as
    of any other, and its function words a fifth of the sample (so that a language
    policykg does not read, which borrows a few of them, still goes to the model).

    A shortcut, not a second opinion: py3langid reads every byte of the sample in
    Python (1.5 ms a policy, the largest single cost of extracting a short one); on
    every bundled, devset, test, versioned and synthetic policy this gives py3langid's
    answer, and it declines (None) whenever the case is not clear."""
    if len(words) < 150:
        return None
    folded = "\x00".join(words).casefold().split("\x00")
    own = _own_words()
    counts = Counter(own[w] for w in folded if w in own)
    if not counts:
        return None
    (best, n), *rest = counts.most_common(2)
    second = rest[0][1] if rest else 0
    if best not in _CLEAR_LANGS or n < 25 or second * 5 > n:
        return None
    common = languages.words("detect", best)
    share = sum(1 for w in folded if w in common) / len(folded)
    return (best, share) if share >= 0.2 else None


def _sample(text: str, n: int = 1000) -> str:
    if len(text) <= 2 * n:
        return text
    middle = len(text) // 2
    return text[:n] + "\n" + text[middle:middle + n]


def _by_function_words(words: list[str], among: tuple[str, ...] | None = None,
                       floor: float = 0.15) -> tuple[str, float]:
    """The profiled language whose very common words (``detect``) make up the largest
    share of the text, when that share is large enough to be language."""
    folded = "\x00".join(words).casefold().split("\x00")
    counts = Counter(folded)
    best, best_share = "und", 0.0
    for code in among or languages.codes():
        common = languages.words("detect", code)
        share = sum(counts[w] for w in common) / len(folded)
        if share > best_share:
            best, best_share = code, share
    return (best, best_share) if best_share >= floor and best_share > 0 else ("und", best_share)
