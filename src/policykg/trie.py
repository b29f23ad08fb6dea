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


def lead_class(pattern: re.Pattern[str]) -> str | None:
    """A zero-width regex that holds wherever a match of ``pattern`` can start: a lookahead
    on the characters a match can start with (read from the parsed pattern), or ``^`` for
    alternatives anchored at the start. None where that cannot be told simply (a wildcard,
    a negated class, a category such as ``\\w`` first). Lookarounds and ``\\b`` are skipped
    (they consume nothing); optional items add their first characters to those of what
    follows. A case-insensitive part makes the class case-insensitive (``(?i:[...])``), so
    that re folds case for the class exactly as for the pattern."""
    from re import _constants as c  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]

    if re.match(r"\(\?[aiLmsux]+\)", pattern.pattern) or pattern.flags & re.VERBOSE:
        return None  # global inline flags must stay at the start; a verbose pattern's comment could end the group
    chars: set[str] = set()
    state = {"folded": bool(pattern.flags & re.IGNORECASE), "anchored": False}

    def item(op: object, av: object, ignore_case: bool) -> bool | None:
        """Add an item's first characters: True if it always consumes one, False if it
        may be empty (what follows counts too), None if they cannot be told."""
        if op in (c.ASSERT, c.ASSERT_NOT):
            return False
        if op is c.AT:
            if av in (c.AT_BEGINNING, c.AT_BEGINNING_STRING):
                state["anchored"] = True
                return True  # from here on only at the start: no character test needed
            return False  # \b, \B, $: zero-width
        if op is c.LITERAL:
            chars.add(chr(av))  # type: ignore[arg-type]
            state["folded"] = state["folded"] or ignore_case
            return True
        if op is c.IN:
            for o, a in av:  # type: ignore[attr-defined]
                if o is c.LITERAL:
                    chars.add(chr(a))
                elif o is c.RANGE and a[1] - a[0] <= 256:
                    chars.update(map(chr, range(a[0], a[1] + 1)))
                else:
                    return None
            state["folded"] = state["folded"] or ignore_case
            return True
        if op is c.BRANCH:
            results = [seq(list(b), ignore_case) for b in av[1]]  # type: ignore[index]
            return None if None in results else all(results)
        if op is c.SUBPATTERN:
            _, add, delete, sub = av  # type: ignore[misc]
            return seq(list(sub), (ignore_case or bool(add & re.IGNORECASE)) and not delete & re.IGNORECASE)
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            lo, _, sub = av  # type: ignore[misc]
            inner = seq(list(sub), ignore_case)
            return None if inner is None else (inner and lo >= 1)
        return None

    def seq(items: list, ignore_case: bool) -> bool | None:  # type: ignore[type-arg]
        for op, av in items:
            consumed = item(op, av, ignore_case)
            if consumed is None or consumed:
                return consumed
        return False  # the sequence may be empty

    if seq(list(_parser.parse(pattern.pattern, pattern.flags)), bool(pattern.flags & re.IGNORECASE)) is not True:
        return None  # cannot be told, or a match may be empty
    if not chars:
        return "^" if state["anchored"] else None
    body = "[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]"
    look = f"(?=(?i:{body}))" if state["folded"] else f"(?={body})"
    return f"(?:^|{look})" if state["anchored"] else look


def led(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` behind :func:`lead_class`: the same matches, but re dismisses a position
    on one character test instead of trying the pattern's lookbehinds, boundaries and
    alternatives there (for patterns searched in every sentence of a policy). ``pattern``
    itself where no lead can be told."""
    lead = lead_class(pattern)
    if lead is None:
        return pattern
    return re.compile(f"{lead}(?:{pattern.pattern})", pattern.flags)
