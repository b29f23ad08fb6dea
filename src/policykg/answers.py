"""Answers of the canned queries, computed by ``build`` and kept with the store.

On the on-disk store a table of the whole corpus costs ~35-60 µs a row however
the query is written (every join is an index probe in RocksDB, ~10-40 µs; see
docs/benchmarks.md): at 10,000 policies the queries that give every passage of
evidence take 5-25 s. Between two builds the store does not change, so
``build`` evaluates every canned query that needs no parameter once and files
its answer; ``policykg query`` then reads the answer (~1 s for 90,000 rows)
instead of evaluating the query again.

An answer is valid for one state of the store only: every write replaces the
store's state token (:meth:`Store.state`), and answers are filed under it —
``<store>/answers/<state>/<sha256 of the query text>.tsv`` with the query text
beside it (``.rq``) — so an answer is never served for a store that changed or
for a query text that changed (another policykg version, a parameter). The
answer is the store's own serialisation of the live result (SPARQL 1.1 TSV:
lossless, every term in N-Triples syntax), rows in the order the query gave.
Anything missing or unreadable is evaluated live; ``query --live`` always is.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib.query import Result

from policykg.export import atomic_open
from policykg.store import Store, to_result

DIR = "answers"
log = logging.getLogger(__name__)


def key(text: str) -> str:
    """The file name (without suffix) of the answer to a query text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _state_dir(store: Store, state: str | None) -> Path | None:
    if store.path is None or not state:
        return None
    return store.path / DIR / state


def lookup(store: Store, text: str) -> Result | None:
    """The kept answer to ``text`` for the store as it is now, or None."""
    folder = _state_dir(store, store.state())
    if folder is None:
        return None
    k = key(text)
    answer, query = folder / f"{k}.tsv", folder / f"{k}.rq"
    try:
        if query.read_text(encoding="utf-8") != text:  # a hash collision, however unlikely
            return None
        with answer.open("rb") as fh:
            return to_result(ox.parse_query_results(fh, ox.QueryResultsFormat.TSV))
    except FileNotFoundError:
        return None
    except (OSError, SyntaxError, ValueError) as exc:  # damaged by hand: evaluate live instead
        log.warning("ignoring the kept answer %s (%s)", answer, exc)
        return None


def keep(store: Store, queries: Iterable[tuple[str, str]],
         on_progress: Callable[[int, int, str], None] | None = None) -> list[str]:
    """Evaluate and file the answer of every (name, text) not yet kept for the store's
    current state; remove answers kept for other states. Returns the names evaluated.

    Each answer is written to a temporary file and renamed into place, so an
    interrupted build leaves complete answers or none.
    """
    if store.path is None:
        return []
    state = store.state() or store.renew_state()
    folder = _state_dir(store, state)
    assert folder is not None
    todo = [(n, t) for n, t in queries if not (folder / f"{key(t)}.tsv").exists()]
    done: list[str] = []
    if todo:
        folder.mkdir(parents=True, exist_ok=True)
    for i, (name, text) in enumerate(todo):
        if on_progress:
            on_progress(i, len(todo), name)
        k = key(text)
        res = store.solutions(text)
        if not isinstance(res, ox.QuerySolutions):
            continue  # only SELECT answers are kept
        with atomic_open(folder / f"{k}.rq") as fh:
            fh.write(text.encode("utf-8"))
        with atomic_open(folder / f"{k}.tsv") as fh:
            res.serialize(fh, ox.QueryResultsFormat.TSV)
        done.append(name)
    if on_progress:
        on_progress(len(todo), len(todo), "")
    for other in (store.path / DIR).glob("*") if (store.path / DIR).is_dir() else ():
        if other.name != state:
            shutil.rmtree(other, ignore_errors=True)
    return done


def canned() -> list[tuple[str, str]]:
    """(name, text) of every canned query that runs without a parameter."""
    from policykg.queries import list_queries

    return [(q.name, q.bind({})) for q in list_queries() if not q.unbound]
