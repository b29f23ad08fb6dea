"""Alternations of many literal words as a prefix tree, for Python's ``re``.

``re`` tries the branches of ``(Google|Google Analytics|Mailchimp|...)`` one
after another at every position of the text; with a few hundred names that is
most of the time spent looking for them. The same alternation written as a
tree — ``(?:Google(?:\\ Analytics)?|Mailchimp|...)`` — dismisses a position
after one character. :func:`alternation` builds that tree.

It matches exactly what the longest-first alternation matches: at one position
the words that fit the text are prefixes of each other, and at every node the
tree tries the longer continuations before stopping (greedy), so the longest
fitting word wins and shorter ones remain for backtracking, as before.

:func:`first_chars` serves patterns that stay hand-written alternations: a
lookahead on the characters their alternatives can start with lets ``re``
dismiss most positions before trying any alternative.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_END = ""  # key of the "a word ends here" mark in a node


def alternation(words: Iterable[str], space: str | None = None) -> str:
    """A non-capturing regex group matching any of ``words``, longest first.

    ``space``, when given, is the pattern a space in a word stands for (``r"\\s+"``: a
    name wrapped across lines, or with two spaces, is still the name).
    """
    root: dict[str, dict] = {}
    for word in words:
        if not word:
            continue
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[_END] = {}
    if not root:
        return "(?!)"  # matches nothing, like an empty alternation
    return _node(root, space)


def _node(node: dict[str, dict], space: str | None = None) -> str:
    branches = [(space if ch == " " and space else re.escape(ch)) + _tail(child, space)
                for ch, child in sorted(node.items()) if ch != _END]
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node:  # a word may end here: the continuations are optional (greedy)
        return f"(?:{body})?"
    return body


def _tail(child: dict[str, dict], space: str | None = None) -> str:
    if set(child) == {_END}:
        return ""
    return _node(child, space)


_META = set(".^$*+?{}[]\\|()")


def first_chars(alternatives: Iterable[str]) -> str:
    """A character class of the first characters of regex ``alternatives``.

    Computed, never written by hand: a new alternative with a new first letter
    would otherwise silently never match. Each alternative must start with a
    literal character (a letter, digit or space-less symbol that is not a regex
    metacharacter); case folding is left to the pattern's own ``re.I``.
    """
    chars: set[str] = set()
    for alt in alternatives:
        if not alt or alt[0] in _META or alt[0].isspace():
            raise ValueError(f"alternative {alt!r} does not start with a literal character")
        chars.add(alt[0])
    if not chars:
        raise ValueError("no alternatives")
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"
