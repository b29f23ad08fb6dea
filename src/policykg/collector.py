"""Keeping Python's cyclic garbage collector out of extraction's way (issue 16).

Extraction allocates hundreds of thousands of short-lived objects per policy
(tokens, matches, findings, terms, triples) next to some 100,000 that live as long
as the process (vocabularies, prefix trees, compiled patterns, language profiles).
Every collection the allocations trigger traversed the long-lived ones too: on the
bundled and devset policies about a third of the extraction time went to the
collector once the vocabularies had grown. Reference counting frees nearly all of
extraction's objects anyway; the few cycles it leaves are collected after the policy.

* :func:`settle` moves what the first policy of a language loaded into the
  collector's permanent generation (:func:`gc.freeze`) when the second one starts,
  after a full collection, so that nothing of the first policy that is garbage by
  then is frozen with it: frozen objects are still freed by reference counting,
  cycles among them never;
* :func:`paused` turns the collector off while one policy is extracted: the whole of
  ``pipeline.extract_source`` and, in a build, the serialising and hashing after it.
  Re-enabled while the policy's document was still alive, the first allocation after
  it traversed the whole document (its tokens, matches, blocks) in a collection; once
  the extraction has returned, reference counting has freed it and the count of
  allocations is back near where it was.

That needs a document without reference cycles (``PassageKinds`` keeps a weak proxy of
its document): a cycle would leave every document, with ~1,300 objects, for the
collector to find (``tests/test_collector.py`` checks that extraction leaves no cyclic
garbage).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_SEEN: set[str] = set()
_SETTLED: set[str] = set()


def settle(lang: str) -> None:
    """Call before extracting a policy in ``lang``. The first call for a language only
    notes it (its vocabularies, profiles and patterns load during that policy and are
    memoised for the process); the second collects and freezes, once per language."""
    if lang in _SETTLED:
        return
    if lang not in _SEEN:
        _SEEN.add(lang)
        return
    _SETTLED.add(lang)
    gc.collect()
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
