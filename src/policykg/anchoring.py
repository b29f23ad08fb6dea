"""Evidence that survives an edit: re-anchoring quotes of an old text in a new one.

An annotation's ``oa:TextQuoteSelector`` carries the quoted words (``oa:exact``)
and, as W3C Web Annotation intends for exactly this, the words just before and
after them (``oa:prefix``/``oa:suffix``, :func:`context`). When the policy is
edited the annotation is looked up in the new text:

* **kept** — the quote is at the same offsets;
* **moved** — the quote is elsewhere: where it occurs once, there; where it
  occurs several times, at the occurrence whose surroundings match the prefix and
  suffix best, and among equals the one nearest to where the text around it
  moved (the shift of the nearest annotation found once);
* **lost** — the quote is not in the new text (the passage was removed or
  reworded).

Only exact matches are accepted, so a re-anchored annotation always satisfies
``new_text[start:end] == exact``: a reworded passage is lost, never pointed at
words that are not its quote.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

CONTEXT = 32
"""Code points of prefix and suffix (the width Hypothesis uses for its quote selectors)."""


@dataclass(frozen=True)
class Anchor:
    """A quote of the old text: its offsets, words and surroundings."""

    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Placed:
    """Where an anchor is in the new text (``start``/``end`` None when lost)."""

    status: str  # "kept" | "moved" | "lost"
    start: int | None = None
    end: int | None = None


def context(text: str, start: int, end: int, width: int = CONTEXT) -> tuple[str, str]:
    """(prefix, suffix): the ``width`` code points before ``start`` and after ``end``."""
    return text[max(0, start - width):start], text[end:end + width]


def anchor(text: str, start: int, end: int, exact: str | None = None) -> Anchor:
    """An anchor for ``text[start:end]`` with its context."""
    prefix, suffix = context(text, start, end)
    return Anchor(start, end, text[start:end] if exact is None else exact, prefix, suffix)


def _occurrences(text: str, exact: str) -> list[int]:
    out, i = [], text.find(exact)
    while i >= 0:
        out.append(i)
        i = text.find(exact, i + 1)
    return out


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def reanchor(anchors: Sequence[Anchor], new_text: str) -> list[Placed]:
    """Place every anchor of an old text in ``new_text`` (same order as ``anchors``)."""
    found: dict[str, list[int]] = {}
    placed: list[Placed | None] = [None] * len(anchors)
    ambiguous: list[int] = []
    for i, a in enumerate(anchors):
        if not a.exact:
            placed[i] = Placed("lost")
            continue
        if new_text[a.start:a.end] == a.exact:
            placed[i] = Placed("kept", a.start, a.end)
            continue
        where = found.get(a.exact)
        if where is None:
            where = found[a.exact] = _occurrences(new_text, a.exact)
        if not where:
            placed[i] = Placed("lost")
        elif len(where) == 1:
            placed[i] = Placed("moved", where[0], where[0] + len(a.exact))
        else:
            ambiguous.append(i)
    if ambiguous:
        # shifts of the anchors placed without doubt, by old position: where the text moved
        sure = sorted((a.start, p.start - a.start) for a, p in zip(anchors, placed, strict=True)
                      if p is not None and p.start is not None)
        starts = [s for s, _ in sure]
        for i in ambiguous:
            a = anchors[i]
            k = bisect_left(starts, a.start)
            near = [sure[j] for j in (k - 1, k) if 0 <= j < len(sure)]
            shift = min(near, key=lambda s: abs(s[0] - a.start))[1] if near else 0
            expected = a.start + shift

            def score(pos: int, a: Anchor = a, expected: int = expected) -> tuple[int, int]:
                before = new_text[max(0, pos - len(a.prefix)):pos]
                after = new_text[pos + len(a.exact):pos + len(a.exact) + len(a.suffix)]
                fit = _common_suffix(a.prefix, before) + _common_prefix(a.suffix, after)
                return (-fit, abs(pos - expected))

            best = min(found[a.exact], key=score)
            placed[i] = Placed("kept" if best == a.start else "moved", best, best + len(a.exact))
    return [p if p is not None else Placed("lost") for p in placed]


def tally(placed: Sequence[Placed]) -> dict[str, int]:
    """How many were kept, moved and lost."""
    out = {"kept": 0, "moved": 0, "lost": 0}
    for p in placed:
        out[p.status] += 1
    return out
