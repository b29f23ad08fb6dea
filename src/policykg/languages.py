"""Language profiles: what each language contributes beyond its SKOS labels.

The SKOS vocabularies (``ontology/vocab/``) say *what* a policy mentions; a profile
(``ontology/languages/<code>.yaml``) says how its language relates words — denials,
conditions, purpose markers, collection verbs — and how it writes durations, dates
and company names, and how its words inflect. Adding a language is adding a profile
and its labels, not code (see ``ontology/languages/README.md`` for the keys).

Lists that recognise organisations, dates and durations are used for every policy
(a Swedish policy may quote an English company name); the grammar of denials is the
policy's own language plus English.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from policykg.resources import ontology_dir

# libyaml's loader when PyYAML has it (its wheels do): the profiles are read at every
# start, and the pure-Python loader took ~0.4 s for them, libyaml ~0.02 s; same YAML 1.1
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ProfileError(ValueError):
    """A language profile that cannot be used (a bug in the data, not in a policy)."""


@lru_cache(maxsize=4)
def profiles(folder: str | None = None) -> dict[str, dict[str, Any]]:
    """Every profile, by language code."""
    path = Path(folder) if folder else ontology_dir() / "languages"
    out: dict[str, dict[str, Any]] = {}
    for f in sorted(path.glob("*.yaml")):
        data = yaml.load(f.read_text(encoding="utf-8"), Loader=_LOADER) or {}
        if not isinstance(data, dict):
            raise ProfileError(f"{f}: a language profile is a mapping of keys")
        _check(f, data)
        out[f.stem] = data
    return out


def _check(path: Path, data: dict[str, Any]) -> None:
    """Catch YAML's traps early: an unquoted ``no`` or ``on`` is a boolean, not a word."""
    for key, value in data.items():
        items: Iterable[Any] = value if isinstance(value, list) else \
            value.keys() if isinstance(value, dict) and key in ("number_words", "months") else ()
        for item in items:
            if not isinstance(item, str):
                raise ProfileError(f"{path}: {key} holds {item!r}, not a word (quote it)")
        if key.endswith("_re"):
            for fragment in value.values() if isinstance(value, dict) else value:
                try:
                    re.compile(fragment)
                except re.error as exc:
                    raise ProfileError(f"{path}: {key}: {fragment!r} is not a regular expression ({exc})") from None


def codes() -> tuple[str, ...]:
    """The languages with a profile."""
    return tuple(profiles())


def get(lang: str) -> dict[str, Any]:
    """The profile of ``lang`` (an empty one for a language without a profile)."""
    return profiles().get(lang, {})


@lru_cache(maxsize=1024)
def words(key: str, lang: str | None = None) -> frozenset[str]:
    """The case-folded words or phrases of ``key``: of one language, or of all
    (memoised: extractors ask for the same words sentence after sentence)."""
    return frozenset(w.casefold() for w in _values(key, lang))


@lru_cache(maxsize=1024)
def fragments(key: str, lang: str | None = None) -> tuple[str, ...]:
    """The entries of ``key`` in a stable order (longest first, so that alternations
    prefer "data controller" over "controller"), of one language or of all."""
    return tuple(sorted(set(_values(key, lang)), key=lambda s: (-len(s), s)))


def mapping(key: str, lang: str | None = None) -> dict[str, Any]:
    """A key that maps words to values (number words, months, units), merged."""
    out: dict[str, Any] = {}
    for code in ([lang] if lang else codes()):
        value = get(code).get(key) or {}
        for k, v in value.items():
            if isinstance(out.get(k), str) and isinstance(v, str):
                out[k] = out[k] + "|" + v  # regex fragments of several languages
            else:
                out.setdefault(k.casefold() if key != "units_re" else k, v)
    return out


def _values(key: str, lang: str | None) -> list[str]:
    out: list[str] = []
    for code in ([lang] if lang else codes()):
        value = get(code).get(key) or []
        out.extend(value if isinstance(value, list) else [])
    return out


def with_english(lang: str) -> tuple[str, ...]:
    """A policy's language and English, whose words policies quote: the languages whose
    entries a cue of the policy is read in."""
    return (lang,) if lang == "en" else (lang, "en")


@lru_cache(maxsize=256)
def own_and_english_phrases(key: str, lang: str, regex: bool = False) -> re.Pattern[str]:
    """:func:`phrase_pattern` of ``key`` in ``lang`` and in English (which policies quote), as
    one case-insensitive pattern (``regex=True``: the entries are regular-expression
    fragments); not the other languages': a cue of one must not fire in another's text
    ("minst", "to"). Behind a lookahead on the characters a match can start with
    (:func:`policykg.trie.led`): the same matches, found faster in every sentence."""
    from policykg.trie import led

    return led(plain_own_and_english_phrases(key, lang, regex))


def plain_own_and_english_phrases(key: str, lang: str, regex: bool = False) -> re.Pattern[str]:
    """:func:`own_and_english_phrases` without the lookahead (what it must match alike)."""
    return re.compile("|".join(f"(?:{phrase_pattern(key, code, regex)})" for code in with_english(lang)), re.I)


def own_and_english_words(*keys: str, lang: str) -> frozenset[str]:
    """The case-folded words of ``keys`` in ``lang`` and in English."""
    return frozenset().union(*(words(k, code) for k in keys for code in with_english(lang)))


def phrase_pattern(key: str, lang: str | None = None, regex: bool = False) -> str:
    """An alternation of the entries of ``key`` on word boundaries (``(?!)`` when empty).

    Plain words are escaped; ``regex=True`` keeps the entries as regex fragments.
    """
    items = fragments(key, lang)
    if not items:
        return "(?!)"
    body = "|".join(i if regex else re.escape(i).replace(r"\ ", r"\s+") for i in items)
    return r"(?<!\w)(?:" + body + r")(?!\w)"
