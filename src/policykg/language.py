"""Guess the language of a policy from its function words.

Policies are long and written in one language, so counting very common words
is reliable and needs no model. English and Swedish are fully supported by
the extractors and German for the core GDPR terms; the other languages listed
here are recognised so that the user is told clearly which language was found.
"""

from __future__ import annotations

import re
from collections import Counter

from policykg import languages


def supported() -> tuple[str, ...]:
    """Languages with a profile (``ontology/languages``) and labels."""
    return languages.codes()


_OTHER_STOPWORDS: dict[str, set[str]] = {
    "da": set("og at det som for af på er med til vi du din dine dig om ikke vores har kan "
              "eller de den et en oplysninger personoplysninger".split()),
    "nb": set("og at det som for av på er med til vi du din dine deg om ikke vår våre har kan "
              "eller de den et en opplysninger personopplysninger".split()),
    "fr": set("et le la les de des vous votre vos nous nos est sont pour avec du une un sur "
              "ne pas ou données personnelles".split()),
    "nl": set("en de het van te u uw wij onze is zijn voor met op niet of een gegevens "
              "persoonsgegevens".split()),
    "es": set("y el la los las de que usted su sus nosotros es son para con en por no o una "
              "datos personales".split()),
    "fi": set("ja on tai että me sinun meidän voi ei ole tietoja henkilötietoja tiedot tietojen "
              "tämä nämä sekä jos kun myös mukaan voidaan kaikki henkilötiedot".split()),
}

_STOPWORDS: dict[str, set[str]] = {
    **{code: set(languages.words("detect", code)) for code in languages.codes()},
    **{code: words for code, words in _OTHER_STOPWORDS.items() if code not in languages.codes()},
}

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect(text: str) -> tuple[str, float]:
    """Return ``(code, share)``: the best language and the share of its stopword hits.

    ``code`` is ``"und"`` when no language has enough evidence.
    """
    found = _WORD.findall(text[:50000])
    # one casefold for the text, not one per word (casefold maps character by character)
    words = "\x00".join(found).casefold().split("\x00") if found else []
    if len(words) < 5:
        return "und", 0.0
    counts = Counter(words)
    scores = {lang: sum(counts[w] for w in sw) for lang, sw in _STOPWORDS.items()}
    best = max(scores, key=lambda k: scores[k])
    share = scores[best] / len(words)
    if share < 0.08:
        return "und", share
    return best, share


def is_supported(lang: str) -> bool:
    return lang in supported()
