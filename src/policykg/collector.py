"""Keeping Python's cyclic garbage collector out of extraction's way (issue 16).

Extraction allocates hundreds of thousands of short-lived objects per policy
(tokens, matches, findings, terms, triples) next to some 100,000 that live as long
as the process (vocabularies, prefix trees, compiled patterns, language profiles).
Every collection the allocations trigger traversed the long-lived ones too: on the
bundled and devset policies about a third of the extraction time went to the
collector once the vocabularies had grown. Reference counting frees nearly all of
extraction's objects anyway; the few cycles it leaves are collected after the policy.

* :func:`settle` moves what is loaded so far into the collector's permanent
  generation (:func:`gc.freeze`), once per language: those objects are still freed
  by reference counting, only cycles among them would stay;
* :func:`paused` turns the collector off while one policy is extracted (what was
  allocated is counted, so the next allocation after it collects as usual).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_SETTLED: set[str] = set()


def settle(lang: str) -> None:
    """Freeze what the first policy in ``lang`` loaded (its vocabularies, profiles and
    patterns are memoised for the process), once per language."""
    if lang not in _SETTLED:
        _SETTLED.add(lang)
        gc.freeze()


@contextmanager
def paused() -> Iterator[None]:
    """The collector off for the block, restored to what it was (a caller that turned
    it off keeps it off)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
