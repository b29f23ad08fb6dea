"""SKOS vocabularies -> phrase matchers that tolerate inflection and compounds.

Every trigger phrase lives in ``ontology/vocab/*.ttl`` as a SKOS label
(``prefLabel``/``altLabel``/``hiddenLabel``, ``@en`` or ``@sv``) of a DPV
concept. This module turns those labels into matchers:

* tokens are compared on light stems, so "analyses"/"analysis",
  "kunder"/"kund" and Swedish genitives ("Azures") match;
* hyphenation is ignored ("per-sonal", "e-post" == "epost");
* in Swedish a label may be the head of a compound ("molntjänster" matches
  "tjänst" only if no longer label covers it) or its first part
  ("marknadsföringsändamål" matches "marknadsföring");
* acronyms written in capitals (``TLS``, ``SCC``) match case-sensitively.

Overlapping matches of one vocabulary keep the longest label, so
"e-postadress" is an e-mail address, not a postal address.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import NamedTuple

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

from policykg.rdfdata import TripleIndex, read_turtle
from policykg.resources import vocab_dir

PKG = Namespace("https://w3id.org/policykg#")

TOKEN = re.compile(r"\w+(?:(?:-\n?|\u00ad\n?|['’])\w+)*", re.UNICODE)


@dataclass(frozen=True)
class Morphology:
    """How a language's words inflect, from its profile (``ontology/languages``)."""

    endings: tuple[str, ...]
    k: int  # letters of ending a long stem may take
    compounds: bool  # labels match inside compounds
    reversing: frozenset[str]  # prefixes that undo a verb ("avregistrera")
    snowball: object | None  # a Snowball stemmer, for languages that inflect too much for endings
    verb_endings: tuple[str, ...] = ()  # endings that make a one-word label's noun a verb ("addressed")
    false_compounds: frozenset[str] = frozenset()  # words that only look like compounds ("inloggning")
    stop_heads: frozenset[str] = frozenset()  # heads that make a compound another thing ("sekretess|policy")
    distinct_endings: frozenset[tuple[str, str]] = frozenset()  # a label's and a word's ending that make two words


@lru_cache(maxsize=32)
def morphology(lang: str) -> Morphology:
    from policykg import languages

    p = languages.get(lang) or languages.get("en")
    stemmer = None
    if p.get("stemming") == "snowball":
        import snowballstemmer  # the Snowball stemmers (Porter's), one per language

        stemmer = snowballstemmer.stemmer(p.get("snowball", p.get("name", "english")).casefold())
    return Morphology(tuple(p.get("endings") or ()), int(p.get("max_suffix", 4)), bool(p.get("compounds")),
                      frozenset(p.get("reversing_prefixes") or ()), stemmer, tuple(p.get("verb_endings") or ()),
                      frozenset(w.casefold() for w in p.get("false_compounds") or ()),
                      frozenset(w.casefold() for w in p.get("compound_stop_heads") or ()),
                      frozenset(tuple(pair.split("/", 1)) for pair in p.get("distinct_endings") or ()))  # "e/y"


class Token(NamedTuple):
    """A word of the text: its normalised form, offsets and the text as written.

    A named tuple, not a dataclass: a policy has thousands of tokens and a corpus
    millions, and tuple construction is several times cheaper.
    """

    norm: str
    start: int
    end: int
    raw: str


class Match(NamedTuple):
    """One vocabulary hit: which concept, where, and which label fired."""

    scheme: str
    concept: URIRef
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class _Entry:
    stems: tuple[str, ...]
    concept: URIRef
    label: str
    exact: bool  # acronym: compare case-sensitively, no stemming
    size: int
    rest: tuple[tuple[str, int], ...] = ()  # the stems after the first, each with the longest token it fits
    proper: bool = False  # a name (a country): matched as written, or with a genitive s


_POSSESSIVE = re.compile(r"['’]s$")


def normalise(word: str) -> str:
    """Casefold and drop hyphens, soft hyphens, line breaks and possessive 's."""
    w = word.casefold().replace("\u00ad", "").replace("-\n", "").replace("\n", "")
    w = _POSSESSIVE.sub("", w)
    return w.replace("-", "").replace("'", "").replace("’", "")


_NORM_CACHE: dict[str, str] = {}


def _normalised(word: str) -> str:
    """:func:`normalise`, memoised: a corpus repeats a few thousand word forms."""
    hit = _NORM_CACHE.get(word)
    if hit is None:
        if len(_NORM_CACHE) > 500_000:
            _NORM_CACHE.clear()
        hit = _NORM_CACHE[word] = normalise(word)
    return hit


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    end = len(text) if end is None else end
    out: list[Token] = []
    append = out.append
    cached = _NORM_CACHE.get
    new = tuple.__new__  # Token(...) goes through a Python-level __new__; this is the C call
    find = text.find
    pos = start
    # findall and find instead of finditer's match objects: every word character is in a
    # token (TOKEN starts with \w+), so the next token is the first occurrence of its text
    # after the previous one
    for raw in TOKEN.findall(text, start, end):
        s = find(raw, pos)
        pos = s + len(raw)
        norm = cached(raw)
        if norm is None:
            norm = _normalised(raw)
        append(new(Token, (norm, s, pos, raw)))
    return out


def stem(word: str, lang: str) -> str:
    """A light stem (strip one common ending, keeping at least four letters), or the
    Snowball stem for a language whose profile asks for one."""
    morph = morphology(lang)
    if morph.snowball is not None:
        return morph.snowball.stemWord(word)  # type: ignore[attr-defined]
    if not word.endswith(morph.endings):
        return word  # (one test for all endings: most words of a label end in none)
    for e in morph.endings:
        if word.endswith(e) and len(word) - len(e) >= 4:
            return word[: -len(e)]
    return word


_VERSIONED = re.compile(r"([A-Z]{2,6})-\d+$")
_PREFIXED = re.compile(r"([A-Z]{2,6})-[a-zåäöæøü]\w+$")


def _is_acronym(raw: str) -> bool:
    return raw.isupper() and 2 <= len(raw) <= 6 and " " not in raw


class Matcher:
    """All labels of one vocabulary (scheme) in one language."""

    def __init__(self, scheme: str, lang: str, labels: Iterable[tuple[URIRef, str]],
                 no_compounds: Iterable[URIRef] = (), proper_names: bool = False) -> None:
        self.scheme, self.lang = scheme, lang
        self.no_compounds = frozenset(no_compounds)  # concepts whose labels never match inside compounds
        self.proper_names = proper_names  # labels are names: no stem slack ("France" is not "Francisco")
        self.k = morphology(lang).k
        self.first: dict[str, list[_Entry]] = defaultdict(list)
        self.acronyms: dict[str, list[_Entry]] = defaultdict(list)
        for concept, label in labels:
            if _is_acronym(label):
                self.acronyms[label].append(_Entry((label,), concept, label, True, len(label)))
                continue
            toks = [t.norm for t in tokens(label)]
            if not toks:
                continue
            # names as written, except where the text itself is read as Snowball stems
            # (Finnish "Irlannissa"): then a name is its stem, still without slack
            as_written = proper_names and morphology(lang).snowball is None
            stems = tuple(toks) if as_written else tuple(stem(t, lang) for t in toks)
            rest = tuple((s, len(s) + (1 if proper_names else self._slack(len(s)))) for s in stems[1:])
            entry = _Entry(stems, concept, label, False, sum(map(len, toks)), rest, proper_names)
            self.first[stems[0]].append(entry)
            joined = "".join(toks)
            if len(toks) > 1 and not proper_names and len(toks) <= 4 and len(joined) >= 8:
                # the words joined by hyphens are one token of the text, which drops the
                # hyphens: "Privacy-by-design" is the label "privacy by design". Matched as
                # a name is (as written or with an s, never inside a compound), for the
                # joined words are no word of the language ("frivilligt" holds "i vila")
                key = joined if morphology(lang).snowball is None else stem(joined, lang)
                self.first[key].append(_Entry((key,), concept, label, False, entry.size, (), True))
            if len(toks[0]) - len(stems[0]) > self._slack(len(stems[0])):
                # a first word longer than its short stem lets through ("kundens" over
                # "kund") still matches itself as written
                self.first[toks[0]].append(entry)
        self._group: MatcherGroup | None = None

    def _slack(self, stem_len: int) -> int:
        """How many letters of ending a stem may take: short stems almost none
        ("köp" must not match "köper", "age" not "agent")."""
        return self.k if stem_len >= 5 else 2 if stem_len == 4 else 1

    def find(self, text: str, toks: list[Token]) -> list[Match]:
        """Matches of this vocabulary alone (see :class:`MatcherGroup` for many at once)."""
        if self._group is None:
            self._group = MatcherGroup([self])
        return self._group.find_all(text, toks)[0]


class MatcherGroup:
    """Several matchers of one language run in a single pass over the tokens.

    A policy is matched against a dozen vocabularies and their cue lists; one
    pass with one memoised candidate table (token -> entries of every member)
    costs about what one vocabulary used to, because most tokens are no label's
    first word and are dismissed with one dictionary lookup.
    """

    def __init__(self, matchers: list[Matcher]) -> None:
        self.matchers = matchers
        langs = {m.lang for m in matchers}
        if len(langs) > 1:
            raise ValueError(f"a matcher group has one language, not {sorted(langs)}")
        self.lang = matchers[0].lang if matchers else "en"
        morph = morphology(self.lang)
        self.k = morph.k
        self.compounds, self.reversing, self.snowball = morph.compounds, morph.reversing, morph.snowball
        self.endings = frozenset(morph.endings)
        self.verb_endings, self.false_compounds, self.stop_heads = (morph.verb_endings, morph.false_compounds,
                                                                   morph.stop_heads)
        self.distinct_endings = morph.distinct_endings
        self.no_compounds = frozenset().union(*(m.no_compounds for m in matchers)) if matchers else frozenset()
        self._stems: dict[str, str] = {}
        self.first: dict[str, list[tuple[int, _Entry]]] = defaultdict(list)
        self.acronyms: dict[str, list[tuple[int, _Entry]]] = defaultdict(list)
        for mi, m in enumerate(matchers):
            for key, entries in m.first.items():
                self.first[key].extend((mi, e) for e in entries)
            for key, entries in m.acronyms.items():
                self.acronyms[key].extend((mi, e) for e in entries)
        self._memo: dict[str, tuple[tuple[int, _Entry, tuple[tuple[str, int], ...], int], ...]] = {}
        self._acronym_memo: dict[str, tuple[tuple[int, _Entry], ...]] = {}
        self._by_next: dict[str, tuple[dict[str, tuple], tuple] | None] = {}

    def _slack(self, stem_len: int) -> int:
        """How many letters of ending a stem may take: short stems almost none
        ("köp" must not match "köper", "age" not "agent")."""
        return self.k if stem_len >= 5 else 2 if stem_len == 4 else 1

    def _an_ending(self, ending: str) -> bool:
        """Whether ``ending`` can close an inflected word after a stem: one of the profile's
        endings, or two of them, or one and a genitive s ("kund|ernas"); any ending in a language
        read with Snowball stems or without a list of endings."""
        if self.snowball is not None or not self.endings:
            return True
        ends = self.endings
        # the label's stem dropped an ending of its own: "jobb|telefonnumm|eret" is "-er" + "-et"
        return ending in ends or any(ending[:j] in ends and (ending[j:] in ends or ending[j:] == "s")
                                     for j in range(1, len(ending)))

    def _token_ok(self, t: str, s: str) -> bool:
        return t.startswith(s) and len(t) - len(s) <= self._slack(len(s))

    def _candidates(self, t: str) -> tuple[tuple[int, _Entry, tuple[tuple[str, int], ...], int], ...]:
        """Entries whose first stem fits token ``t``; flag = matched inside a compound.

        Memoised per token: a policy repeats its words, and so does a corpus.
        """
        hit = self._memo.get(t)
        if hit is None:
            if len(self._memo) > 200_000:
                self._memo.clear()
            # (member, entry, the label's further stems, the size it ranks by)
            hit = self._memo[t] = tuple((mi, e, e.rest, e.size - (1 if compound else 0))
                                        for mi, e, compound in self._compute_candidates(t))
        return hit

    def _compute_candidates(self, t: str) -> list[tuple[int, _Entry, bool]]:
        out: list[tuple[int, _Entry, bool]] = []
        n = len(t)
        first = self.first
        # inflection: t = stem + short ending (a one-letter word only as itself: "i vila")
        for cut in range(max(min(2, n), n - self.k), n + 1):
            if n - cut <= self._slack(cut):
                ending = t[cut:]
                for mi, e in first.get(t[:cut], ()):
                    if e.proper and ending not in ("", "s"):
                        continue  # a name as written, or its genitive ("Sveriges")
                    if ending and self.verb_endings and len(e.stems) == 1 and self._verb_of(t, e.label, cut):
                        continue  # "addressed" is no address, "logged" no log
                    if self.distinct_endings and len(e.stems) == 1 and \
                            (normalise(e.label)[cut:], ending) in self.distinct_endings:
                        continue  # "policy" is no "police"; Swedish "rätt" (a right) no "rätta" (correct)
                    out.append((mi, e, False))
        if self.compounds and n >= 10 and t not in self.false_compounds:
            nocomp = self.no_compounds
            for cut in range(7, max(7, n - self.k)):  # compound modifier: stem + rest
                head = t[cut:]
                if head in self.stop_heads or (head[:1] == "s" and head[1:] in self.stop_heads):
                    continue  # "sekretesspolicy" is a policy, not secrecy
                out.extend((mi, e, True) for mi, e in first.get(t[:cut], ())
                           if len(e.stems) == 1 and e.concept not in nocomp and not e.proper)
            for i in range(2, n - 3):  # compound head: modifier + stem (+ ending)
                if t[:i] in self.reversing:
                    continue  # "avregistrera" undoes "registrera": not a compound of it
                for cut in range(max(i + 4, n - self.k), n + 1):
                    if cut < n and not self._an_ending(t[cut:]):
                        continue  # "trænings|prog|ram": what follows a head is an inflection, or nothing
                    out.extend((mi, e, True) for mi, e in first.get(t[i:cut], ())
                               if e.concept not in nocomp and not e.proper)
        return out

    def _verb_of(self, token: str, label: str, cut: int) -> bool:
        """Whether ``token`` is a verb form of the one-word ``label`` that the label is
        not: the label as written plus a verb ending ("address" + "ed", "log" + "g" +
        "ed"), or another verb ending on the label's stem ("logging" -> "logged")."""
        w = normalise(label)
        if token.startswith(w) and len(token) > len(w):
            rest = token[len(w):]
            if rest in self.verb_endings or (rest[:1] == w[-1:] and rest[1:] in self.verb_endings):
                return True  # "addressed"; a doubled consonant: "logged", "planned"
        if w.endswith("e") and token.startswith(w[:-1]) and token[len(w) - 1:] == "ing" and "ing" in self.verb_endings:
            return True  # "profile" -> "profiling", "purchase" -> "purchasing" (but "erase" -> "erased" is the verb)
        own = next((e for e in self.verb_endings if w.endswith(e)), None)
        ending = token[cut:]
        return own is not None and ending in self.verb_endings and ending != own

    def _stem(self, norm: str) -> str:
        hit = self._stems.get(norm)
        if hit is None:
            hit = self._stems[norm] = self.snowball.stemWord(norm)  # type: ignore[union-attr]
        return hit

    def _acronym_hits(self, raw: str) -> list[tuple[int, _Entry]]:
        """Acronyms as written ("TLS"), or with a plural s ("SCCs") for matchers
        that have no entry for the form as written."""
        versioned = _VERSIONED.match(raw) or _PREFIXED.match(raw)
        if versioned:  # "AES-256", "SHA-1": the acronym with a number; "EU-datacenter": an acronym compound
            raw = versioned.group(1)
        exact = self.acronyms.get(raw, [])
        stripped = raw.rstrip("s")
        if stripped == raw:
            return list(exact)
        seen = {mi for mi, _ in exact}
        return list(exact) + [(mi, e) for mi, e in self.acronyms.get(stripped, ()) if mi not in seen]

    def find_all(self, text: str, toks: list[Token]) -> list[list[Match]]:
        """The matches of every member matcher, in member order."""
        found: list[list[tuple[int, int, _Entry, int]]] = [[] for _ in self.matchers]
        ntok = len(toks)
        memo_get = self._memo.get
        by_next_get = self._by_next.get
        acronym_get = self._acronym_memo.get
        acronyms = self.acronyms
        keys = [self._stem(t.norm) for t in toks] if self.snowball is not None else None
        for i, tok in enumerate(toks):
            norm, _, _, raw = tok
            if keys is not None:
                norm = keys[i]
            cands = memo_get(norm)
            if cands is None:
                cands = self._candidates(norm)
            if acronyms and raw[0].isupper():
                hits = acronym_get(raw)
                if hits is None:
                    if len(self._acronym_memo) > 200_000:
                        self._acronym_memo.clear()
                    hits = self._acronym_memo[raw] = tuple(self._acronym_hits(raw))
                for mi, entry in hits:
                    found[mi].append((i, i + 1, entry, entry.size))
            if not cands:
                continue  # most words start no label: one dictionary lookup and on
            split = by_next_get(norm, False)
            if split is False:
                split = self._split_by_next(norm, cands)
            if split is not None:  # a word that starts many labels ("data", "your"): only those
                byk, rest_free = split  # whose second word can fit the next token
                if i + 1 < ntok:
                    cands = byk.get((toks[i + 1].norm if keys is None else keys[i + 1])[:2], rest_free)
                else:
                    cands = rest_free
            for mi, entry, rest, size in cands:
                if not rest:  # a one-word label
                    found[mi].append((i, i + 1, entry, size))
                    continue
                j = i + 1
                for s, longest in rest:  # the label's further words, each on the next token
                    if j >= ntok:
                        break
                    t = toks[j].norm if keys is None else keys[j]
                    if len(t) > longest or not t.startswith(s) or not _adjacent(text, toks[j - 1], toks[j]):
                        break
                    j += 1
                else:
                    found[mi].append((i, j, entry, size))
        return [_longest_first(self.matchers[mi].scheme, hits, toks) for mi, hits in enumerate(found)]


    def _split_by_next(self, norm: str, cands: tuple) -> tuple[dict[str, tuple], tuple] | None:
        """The candidates of a word that starts many labels, split by the first two letters
        of each label's second word: a label can only go on where the next token starts
        with its second stem, so the others need not be tried ("data" starts some 40
        labels). Each part keeps the candidates' order (which entry wins a tie depends on
        it) and the one-word labels and those whose second stem is shorter than two
        letters. None for a word that starts few labels (memoised per word)."""
        if len(self._by_next) > 200_000:
            self._by_next.clear()
        multi = [c for c in cands if c[2] and len(c[2][0][0]) >= 2]
        if len(multi) < 6:
            self._by_next[norm] = None
            return None
        prefixes = dict.fromkeys(c[2][0][0][:2] for c in multi)
        rest_free = tuple(c for c in cands if not c[2] or len(c[2][0][0]) < 2)
        byk = {k: tuple(c for c in cands if not c[2] or len(c[2][0][0]) < 2 or c[2][0][0][:2] == k)
               for k in prefixes}
        split = self._by_next[norm] = (byk, rest_free)
        return split


def _longest_first(scheme: str, found: list[tuple[int, int, _Entry, int]], toks: list[Token]) -> list[Match]:
    """Among overlapping matches of one vocabulary the longest label wins."""
    if not found:
        return []
    if len(found) == 1:
        a, b, entry, _ = found[0]
        return [tuple.__new__(Match, (scheme, entry.concept, toks[a].start, toks[b - 1].end, entry.label))]
    # longest first, in text order among equals: find_all appends in text order, and a
    # stable sort (reverse keeps it stable) on the size alone keeps that order
    found.sort(key=_SIZE, reverse=True)
    taken = bytearray(max(map(_END, found)))  # 1 = token already in a kept match
    out: list[Match] = []
    new = tuple.__new__  # Match(...) goes through a Python-level __new__
    for a, b, entry, _ in found:
        if 1 in taken[a:b]:
            continue
        taken[a:b] = b"\x01" * (b - a)
        out.append(new(Match, (scheme, entry.concept, toks[a].start, toks[b - 1].end, entry.label)))
    out.sort(key=_START)
    return out


_SIZE = itemgetter(3)
_END = itemgetter(1)
_START = attrgetter("start")


_GAP = re.compile(r"['’]?[\s\-–/]*")  # a plural possessive: "customers' employees"


def _adjacent(text: str, a: Token, b: Token) -> bool:
    gap = text[a.end:b.start]
    return len(gap) <= 3 and _GAP.fullmatch(gap) is not None


class ByLanguage(Mapping[str, Matcher]):
    """Matchers by language, each built the first time it is asked for: a process that
    reads English policies does not stem the labels of six other languages at its start
    (about a second in all, paid by the CLI and by every worker of ``build -j``)."""

    def __init__(self, makers: dict[str, Callable[[], Matcher]]) -> None:
        self._makers = makers
        self._made: dict[str, Matcher] = {}

    def __getitem__(self, lang: str) -> Matcher:
        m = self._made.get(lang)
        if m is None:
            m = self._made[lang] = self._makers[lang]()  # KeyError: no labels in that language
        return m

    def __contains__(self, lang: object) -> bool:
        return lang in self._makers

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)


def _by_language(name: str, labels: dict[str, list[tuple[URIRef, str]]], no_compounds: Iterable[URIRef] = (),
                 proper: bool = False) -> ByLanguage:
    def maker(lang: str, ls: list[tuple[URIRef, str]]) -> Callable[[], Matcher]:
        return lambda: Matcher(name, lang, ls, no_compounds, proper)

    return ByLanguage({lang: maker(lang, ls) for lang, ls in labels.items()})


@dataclass
class Vocabulary:
    """One SKOS concept scheme: its aspect name, matchers per language, context cues."""

    name: str
    matchers: Mapping[str, Matcher]
    cues: Mapping[str, Matcher]
    not_after: dict[str, set[str]]
    concept_cues: dict[URIRef, Mapping[str, Matcher]]
    concept_excluders: dict[URIRef, Mapping[str, Matcher]] = field(default_factory=dict)
    context_labels: dict[str, frozenset[str]] = field(default_factory=dict)
    """Labels that count only in a relation of their aspect (``pkg:contextLabel``): an
    everyday word ("offer", "support") is a purpose after "to"/"for", or in a list of purposes."""
    concept_not_after: dict[URIRef, dict[str, set[str]]] = field(default_factory=dict)
    """Per concept, words its matches must not follow (``pkg:notAfter`` on a concept):
    "a sync client" is software, not a client of the company."""


_TRUE = Literal(True)


@lru_cache(maxsize=4)
def load(folder: str | None = None) -> dict[str, Vocabulary]:
    """Load every ``*.ttl`` in the vocabulary folder and its subfolders (the labels of
    further languages, ``vocab/<lang>/*.ttl``), keyed by ``pkg:aspect``."""
    path = Path(folder) if folder else vocab_dir()
    g = read_turtle(sorted(path.rglob("*.ttl")))
    vocabs: dict[str, Vocabulary] = {}
    for scheme in g.subjects(RDF.type, SKOS.ConceptScheme):
        aspect = g.value(scheme, PKG.aspect)
        if aspect is None:
            continue
        labels: dict[str, list[tuple[URIRef, str]]] = defaultdict(list)
        weak: dict[str, set[str]] = defaultdict(set)
        for concept in g.subjects(SKOS.inScheme, scheme):
            for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, PKG.contextLabel):
                for lit in g.objects(concept, prop):
                    if isinstance(lit, Literal) and lit.language and isinstance(concept, URIRef):
                        labels[lit.language].append((concept, str(lit)))
                        if prop == PKG.contextLabel:
                            weak[lit.language].add(str(lit))
        cues: dict[str, list[tuple[URIRef, str]]] = defaultdict(list)
        for lit in g.objects(scheme, PKG.requiresCue):
            if isinstance(lit, Literal) and lit.language:
                cues[lit.language].append((PKG.Cue, str(lit)))
        not_after: dict[str, set[str]] = defaultdict(set)
        for lit in g.objects(scheme, PKG.notAfter):
            if isinstance(lit, Literal) and lit.language:
                not_after[lit.language].add(str(lit).casefold())
        concept_not_after: dict[URIRef, dict[str, set[str]]] = {}
        for concept in g.subjects(SKOS.inScheme, scheme):
            for lit in g.objects(concept, PKG.notAfter):
                if isinstance(concept, URIRef) and isinstance(lit, Literal) and lit.language:
                    concept_not_after.setdefault(concept, defaultdict(set))[lit.language].add(str(lit).casefold())
        proper = (scheme, PKG.properNames, _TRUE) in g
        concept_cues = _concept_matchers(g, scheme, PKG.requiresCue, "cue")
        concept_excluders = _concept_matchers(g, scheme, PKG.excludedBy, "excluder")
        no_compounds = frozenset(c for c in g.subjects(SKOS.inScheme, scheme)
                                 if isinstance(c, URIRef) and (c, PKG.noCompounds, _TRUE) in g)
        name = str(aspect)
        vocabs[name] = Vocabulary(
            name,
            _by_language(name, labels, no_compounds, proper),
            _by_language(name + "-cue", cues),
            dict(not_after),
            concept_cues,
            concept_excluders,
            {lang: frozenset(ls) for lang, ls in weak.items()},
            concept_not_after,
        )
    return vocabs


def _concept_matchers(g: TripleIndex, scheme: object, prop: URIRef, kind: str) -> dict[URIRef, Mapping[str, Matcher]]:
    """Per concept of ``scheme``, matchers of the words of ``prop`` by language (a
    concept's own cues, ``pkg:requiresCue``, or its excluders, ``pkg:excludedBy``)."""
    out: dict[URIRef, Mapping[str, Matcher]] = {}
    for concept in g.subjects(SKOS.inScheme, scheme):
        by_lang: dict[str, list[tuple[URIRef, str]]] = defaultdict(list)
        for lit in g.objects(concept, prop):
            if isinstance(lit, Literal) and lit.language and isinstance(concept, URIRef):
                by_lang[lit.language].append((PKG.Cue, str(lit)))
        if by_lang and isinstance(concept, URIRef):
            out[concept] = _by_language(f"{concept}-{kind}", by_lang)
    return out


_GROUPS: dict[tuple[int, str], tuple[MatcherGroup, dict[int, int]]] = {}


def group_for(vocabs: dict[str, Vocabulary], lang: str) -> tuple[MatcherGroup, dict[int, int]]:
    """Every matcher of ``vocabs`` in ``lang`` (labels, scheme cues, concept cues)
    as one group, and the position of each matcher (by ``id``) in it."""
    key = (id(vocabs), lang)
    hit = _GROUPS.get(key)
    if hit is None:
        members: list[Matcher] = []
        for v in vocabs.values():
            for table in (v.matchers, v.cues, *v.concept_cues.values(), *v.concept_excluders.values()):
                m = table.get(lang)
                if m is not None:
                    members.append(m)
        hit = _GROUPS[key] = (MatcherGroup(members), {id(m): i for i, m in enumerate(members)})
    return hit
