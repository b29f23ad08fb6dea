"""Answers of the canned queries, kept with the store and updated with what changed.

On the on-disk store a table of the whole corpus costs ~35-60 µs a row however
the query is written (every join is an index probe in RocksDB, see
docs/benchmarks.md): evaluating every canned query took ~2 min at 10,000
policies and ~28 min at 100,000, and a build that changed ten policies paid all
of it. So the answers are kept *in parts*:

* **per policy** — a query whose every row belongs to one policy (it projects
  ``?vendor``, the policy's identifier) keeps each policy's rows apart; a build
  re-evaluates only the policies it wrote, each on a small in-memory dataset
  (its graphs, the ontology and knowledge base, and the labels it depends on),
  and the parts are merged when the answer is read;
* **combined** — ``shared-processors`` (organisations named by at least two
  vendors) is recomputed from per-policy parts (which recipients each policy
  names), so no policy is read again;
* **whole** — any other query (one of your own in ``queries/``, or a canned
  query whose text no longer matches what the combination was written for) is
  evaluated over the store when it changed.

The one thing a policy's rows depend on outside its own graphs is the label of
an organisation, which the queries take as the least of its labels in every
graph (``MIN``): a policy that spells a processor differently can change the
label — and the order — of rows of every vendor that names it. The labels are
kept too; when one changes, the parts of the policies that use it are
recomputed.

What is evaluated where is checked against a live evaluation of every canned
query after random sequences of additions, changes and removals
(tests/test_answers.py): the answers are byte-identical. Rows are in the
canonical order of :mod:`policykg.ordering`, which the live evaluation on the
store (``query --live``) uses as well.

An answer is valid for one state of the store only (:meth:`Store.state`): the
parts record the state they were brought up to, and per policy the write token
they were computed from, so a build (or one killed half-way) never has them
served for anything else, and the next build recomputes exactly what differs.
They are in ``<store>/answers/answers.sqlite``, updated in one transaction.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib.query import Result

from policykg import ordering
from policykg.iris import ONTOLOGY_GRAPH, derived_graph_iri, graph_iri
from policykg.store import BUILD_GRAPH, KB_GRAPH, Store, fingerprint, to_result

DIR = "answers"
DB = "answers.sqlite"
FORMAT = "5"
FULL_SHARE = 0.4
"""Above this share of policies to re-evaluate, a query is evaluated over the whole
store and split instead (per policy costs ~30 ms for all queries together, the whole
store ~14 ms a policy: measured at 10,000)."""
CHUNK = 200
"""Policies re-evaluated together (their rows for every query are held in memory)."""
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
LABELS_GRAPH = "urn:policykg:global-labels"
log = logging.getLogger(__name__)

PER_POLICY = {
    "controllers-by-vendor", "data-categories-by-vendor", "marketing-consent", "possible-transfers",
    "possible-transfers-without-safeguard", "processors-by-country", "purposes-by-legal-basis",
    "recipients-by-vendor", "retention-periods", "rights-matrix", "supervisory-authority",
    "third-country-transfers", "transfers-without-safeguard", "vendors-naming-recipient",
    "added-processors-and-transfers", "retention-grew", "change-history",
}
"""Canned queries whose every row belongs to the policy named in its ``?vendor``
column. Add a query here only if that holds (the random test checks it)."""


def key(text: str) -> str:
    """The key of a query text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


# --- combined: shared-processors -----------------------------------------------------------

SHARED_PART = """PREFIX dpv: <https://w3id.org/dpv#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?recipient ?recipientLabel ?vendor WHERE {
  { SELECT DISTINCT ?recipient ?notice WHERE {
      { SELECT ?h ?recipient WHERE { ?h dpv:hasDataProcessor|dpv:hasRecipientThirdParty|dpv:hasRecipient ?recipient } }
      { SELECT ?h ?notice WHERE { ?h dpv:hasNotice ?notice } } } }
  { SELECT ?notice ?vendor WHERE { ?notice dct:identifier ?vendor } }
  FILTER EXISTS { ?recipient a dpv:Organisation }
  { SELECT ?recipient (MIN(STR(?recipientLabel_)) AS ?recipientLabel) WHERE { ?recipient rdfs:label ?recipientLabel_ } GROUP BY ?recipient }
}
ORDER BY ?vendor ?recipient
"""
"""Per policy: the recipients it names, with their labels (``MIN(STR())``, as the query
takes them) — what shared-processors counts."""

SHARED_SHAPE = "7df1c800e4af15e201693b1c"
"""Key of the text of shared-processors that :func:`_combine_shared` reproduces, without
its comment lines and with the ``?minVendors`` bound written N (:func:`_shared_shape`):
another text (a query edited in ``queries/``) is evaluated whole; the test of the part
kinds says when the canned text and this one part ways."""

_MIN_VENDORS = re.compile(r'VALUES \?minVendors \{ "(\d+)"\^\^<http://www\.w3\.org/2001/XMLSchema#integer> \}')


def _shared_shape(text: str) -> tuple[str, int | None]:
    """(key of the query's shape, its ``?minVendors`` bound or None)."""
    m = _MIN_VENDORS.search(text)
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    return key(_MIN_VENDORS.sub("VALUES ?minVendors { N }", body)), int(m.group(1)) if m else None


def _combine_shared(text: str, header: str, db: sqlite3.Connection, key_: str) -> bytes:
    """shared-processors from the per-policy parts of :data:`SHARED_PART`.

    Recipient -> the vendors naming it, kept when at least ``?minVendors``; the
    count, and the vendors concatenated with ", " in sorted order (as the query's
    sorted subquery has every engine concatenate them); then the canonical order. The
    parts are kept as (recipient, label) lines per policy (the policy is the
    vendor), and grouped by SQLite.
    """
    least = _shared_shape(text)[1]
    assert least is not None
    rows = db.execute("""SELECT recipient, MIN(label), COUNT(*), GROUP_CONCAT(policy, char(10)) FROM shared
                         WHERE key = ? GROUP BY recipient HAVING COUNT(*) >= ?""", (key_, least)).fetchall()
    lines = []
    for recipient, label, count, vendors in rows:
        joined = '"' + ordering._escape(", ".join(sorted(vendors.split("\n")))) + '"'
        lines.append(f"{recipient}\t{label}\t{count}\t{joined}")
    p = _plan(text, db)
    assert p is not None
    return ordering.finish(p, header, ordering.order_rows(p, header, lines))


# --- the database ----------------------------------------------------------------------------

def _db_path(store: Store) -> Path | None:
    return None if store.path is None else store.path / DIR / DB


def _open(store: Store, read_only: bool) -> sqlite3.Connection | None:
    path = _db_path(store)
    if path is None:
        return None
    if read_only:
        if not path.exists():
            return None
        try:
            return sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        except sqlite3.Error:
            return None
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path))
    db.executescript("""
        CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT);
        CREATE TABLE IF NOT EXISTS queries (key TEXT PRIMARY KEY, name TEXT, text TEXT, mode TEXT, header TEXT);
        CREATE TABLE IF NOT EXISTS parts (key TEXT, policy TEXT, rows TEXT, PRIMARY KEY (key, policy));
        CREATE TABLE IF NOT EXISTS policies (policy TEXT PRIMARY KEY, token TEXT);
        CREATE TABLE IF NOT EXISTS deps (policy TEXT, iri TEXT);
        CREATE INDEX IF NOT EXISTS deps_iri ON deps (iri);
        CREATE INDEX IF NOT EXISTS deps_policy ON deps (policy);
        CREATE TABLE IF NOT EXISTS labels (iri TEXT PRIMARY KEY, label TEXT);
        CREATE TABLE IF NOT EXISTS whole (key TEXT PRIMARY KEY, tsv BLOB);
        CREATE TABLE IF NOT EXISTS plans (key TEXT PRIMARY KEY, plan TEXT);
        CREATE TABLE IF NOT EXISTS shared (key TEXT, policy TEXT, recipient TEXT, label TEXT,
                                           PRIMARY KEY (key, recipient, policy));
    """)
    return db


def _plan(text: str, db: sqlite3.Connection | None) -> ordering.Plan | None:
    """:func:`ordering.plan`, remembered in the database: parsing a query with rdflib
    takes ~25 ms, more than re-evaluating a policy's rows for it."""
    if db is None:
        return ordering.plan(text)
    k = key(text)
    try:
        row = db.execute("SELECT plan FROM plans WHERE key = ?", (k,)).fetchone()
    except sqlite3.Error:
        row = None
    if row is not None:
        data = json.loads(row[0])
        if data is None:
            return None
        return ordering.Plan(data["text"], tuple(data["columns"]), tuple(data["hidden"]),
                             tuple((v, bool(d), str(r)) for v, d, r in data["keys"]), dict(data["concat"]),
                             bool(data["distinct"]))
    p = ordering.plan(text)
    data = None if p is None else {"text": p.text, "columns": p.columns, "hidden": p.hidden, "keys": p.keys,
                                   "concat": p.concat, "distinct": p.distinct}
    try:
        db.execute("INSERT OR REPLACE INTO plans VALUES (?, ?)", (k, json.dumps(data)))
    except sqlite3.Error:  # a database opened to read only
        pass
    return p


def _meta(db: sqlite3.Connection, k: str) -> str | None:
    row = db.execute("SELECT v FROM meta WHERE k = ?", (k,)).fetchone()
    return None if row is None else row[0]


# --- reading ---------------------------------------------------------------------------------

def lookup(store: Store, text: str) -> Result | None:
    """The kept answer to ``text`` for the store as it is now, or None."""
    data = answer_tsv(store, text)
    if data is None:
        return None
    try:
        return to_result(ox.parse_query_results(data, ox.QueryResultsFormat.TSV))
    except (SyntaxError, ValueError) as exc:  # damaged by hand: evaluate live instead
        log.warning("ignoring the kept answer of a query (%s)", exc)
        return None


def answer_tsv(store: Store, text: str) -> bytes | None:
    """The kept answer to ``text`` as SPARQL TSV (canonical order), or None."""
    db = _open(store, read_only=True)
    if db is None:
        return None
    try:
        if _meta(db, "format") != FORMAT or _meta(db, "synced") != store.state():
            return None
        row = db.execute("SELECT text, mode, header FROM queries WHERE key = ?", (key(text),)).fetchone()
        if row is None or row[0] != text:
            return None
        _, mode, header = row
        if mode == "policy":
            p = _plan(text, db)
            if p is None:
                return None
            parts = db.execute("SELECT policy, rows FROM parts WHERE key = ?", (key(text),)).fetchall()
            return _merge(p, header, parts)
        got = db.execute("SELECT tsv FROM whole WHERE key = ?", (key(text),)).fetchone()
        return None if got is None else bytes(got[0])
    except (sqlite3.Error, ordering.Unorderable, ValueError) as exc:
        log.warning("ignoring the kept answers (%s)", exc)
        return None
    finally:
        db.close()


def _merge(p: ordering.Plan, header: str, parts: list[tuple[str, str]]) -> bytes:
    """Per-policy parts -> the answer. When the answer is ordered by vendor first (most
    canned queries, as ``?vendor`` or ``STR(?vendor)``: the policy's identifier either
    way), the parts are put in vendor order; otherwise all rows are sorted."""
    if p.keys and p.keys[0] in (("vendor", False, ordering.TERM), ("vendor", False, ordering.STR)):
        rows = [line for _, text in sorted(parts) for line in text.split("\n") if text]
    else:
        rows = ordering.order_rows(p, header, [line for _, text in parts for line in text.split("\n") if text])
    return ordering.finish(p, header, rows)


# --- keeping -----------------------------------------------------------------------------------

@dataclass
class _Query:
    name: str
    text: str
    mode: str  # policy | combined | whole
    plan: ordering.Plan | None

    @property
    def key(self) -> str:
        return key(self.text)

    @property
    def part_text(self) -> str:
        """What is evaluated per policy."""
        if self.mode == "combined":
            return SHARED_PART
        assert self.plan is not None
        return self.plan.text


def _classify(name: str, text: str, db: sqlite3.Connection | None = None) -> _Query:
    p = _plan(text, db)
    shape, least = _shared_shape(text)
    if name == "shared-processors" and shape == SHARED_SHAPE and least is not None and least >= 2:
        return _Query(name, text, "combined", p)  # (under 2, a blank node of one policy would count)
    if name in PER_POLICY and p is not None and "vendor" in p.columns:
        return _Query(name, text, "policy", p)
    if name == "shared-processors" or name in PER_POLICY:
        log.info("%s: its text is not the one its kept answer is split for; evaluated whole", name)
    return _Query(name, text, "whole", p)


def keep(store: Store, queries: Iterable[tuple[str, str]],
         on_progress: Callable[[int, int, str], None] | None = None) -> list[str]:
    """Bring the kept answers of ``queries`` (name, text) up to date with the store.

    Returns the names of the queries whose answer was (re)computed, wholly or in
    part (none when the store did not change since the last time).
    """
    if store.path is None:
        return []
    _remove_old_layout(store.path / DIR)
    state = store.state() or store.renew_state()
    db = _open(store, read_only=False)
    assert db is not None
    try:
        return _Sync(store, db, state, [_classify(n, t, db) for n, t in queries], on_progress).run()
    finally:
        db.close()


def _remove_old_layout(folder: Path) -> None:
    """Answers kept by an earlier policykg (one folder per state)."""
    if folder.is_dir():
        for d in folder.iterdir():
            if d.is_dir():
                shutil.rmtree(d, ignore_errors=True)


class _Sync:
    """One update of the kept answers (see the module docstring)."""

    def __init__(self, store: Store, db: sqlite3.Connection, state: str, queries: list[_Query],
                 on_progress: Callable[[int, int, str], None] | None) -> None:
        self.store, self.db, self.state, self.queries = store, db, state, queries
        self.on_progress = on_progress
        self._local: _Local | None = None
        self._rows: dict[tuple[str, str], list[str] | ordering.Unorderable] = {}
        self.stored: dict[str, str] = {}

    def run(self) -> list[str]:
        db = self.db
        if (_meta(db, "format") != FORMAT or _meta(db, "reference") != fingerprint()):
            for table in ("meta", "queries", "parts", "policies", "deps", "labels", "whole", "shared", "plans"):
                db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
            db.execute("INSERT INTO meta VALUES ('format', ?), ('reference', ?)", (FORMAT, fingerprint()))
        known = {k: m for k, m in db.execute("SELECT key, mode FROM queries")}
        for q in self.queries:
            if known.get(q.key) == "whole" and q.mode != "whole":
                q.mode = "whole"  # it could not be kept in parts before (see below): evaluated whole
        wanted = {q.key for q in self.queries}
        fresh = [q for q in self.queries if q.key not in known]
        if _meta(db, "synced") == self.state and not fresh and set(known) == wanted:
            return []
        stored = {i: p.token or f"{p.content_hash}:{p.fingerprint}" for i, p in self.store.policies().items()}
        self.stored = stored
        have = dict(db.execute("SELECT policy, token FROM policies").fetchall())
        changed = {i for i, t in stored.items() if have.get(i) != t}
        removed = set(have) - set(stored)
        dependents = self._labels(changed, removed)
        redo = changed | (dependents & set(stored))
        whole_store = len(redo) > FULL_SHARE * max(1, len(stored))
        done: list[str] = []
        for k in set(known) - wanted:
            db.execute("DELETE FROM shared WHERE key = ?", (k,))
            db.execute("DELETE FROM parts WHERE key = ?", (k,))
            db.execute("DELETE FROM whole WHERE key = ?", (k,))
            db.execute("DELETE FROM queries WHERE key = ?", (k,))
        policies_changed = bool(redo or removed)
        todo, parts_only = [], []
        for q in self.queries:
            new = known.get(q.key) != q.mode  # a new query text, or kept another way before
            if not new and not policies_changed and _meta(db, "synced") is not None:
                continue
            (todo if new or whole_store or q.mode == "whole" else parts_only).append(q)
        total = len(todo) + len(parts_only)
        for i, q in enumerate(todo):  # whole, or evaluated over the store and split
            if self.on_progress:
                self.on_progress(i, total, q.name)
            self._update_safely(q, True, redo, removed, stored)
            done.append(q.name)
        if parts_only:  # the policies to re-evaluate, a chunk at a time, every query for each
            if self.on_progress:
                self.on_progress(len(todo), total, parts_only[0].name)
            order = sorted(redo)
            chunks = [order[k:k + CHUNK] for k in range(0, len(order), CHUNK)] or [[]]
            for c, chunk in enumerate(chunks):
                live = [q for q in parts_only if q.mode != "whole"]  # (one may have fallen back)
                self._prefetch(chunk, live)
                for q in live:
                    self._update_safely(q, False, set(chunk), removed if c == 0 else set(), stored,
                                        combine=c == len(chunks) - 1)
                self._rows.clear()
            done.extend(q.name for q in parts_only)
        if self.on_progress:
            self.on_progress(total, total, "")
        for ident in removed:
            db.execute("DELETE FROM policies WHERE policy = ?", (ident,))
        db.executemany("INSERT OR REPLACE INTO policies VALUES (?, ?)", [(i, stored[i]) for i in redo])
        db.execute("INSERT OR REPLACE INTO meta VALUES ('synced', ?)", (self.state,))
        db.commit()
        return done

    # --- labels ------------------------------------------------------------------------

    def _labels(self, changed: set[str], removed: set[str]) -> set[str]:
        """Update the global labels of what the changed policies label; the policies
        whose rows use a label that changed (beyond ``changed``)."""
        db = self.db
        touched = changed | removed
        old: set[str] = set()
        if len(touched) > 200:  # one read of the table beats a lookup per policy
            old = {iri for p, iri in db.execute("SELECT policy, iri FROM deps") if p in touched}
        else:
            for p in touched:
                old.update(iri for (iri,) in db.execute("SELECT iri FROM deps WHERE policy = ?", (p,)))
        new = self._labelled(changed)
        affected = old.union(*new.values())
        for p in touched:
            db.execute("DELETE FROM deps WHERE policy = ?", (p,))
        db.executemany("INSERT INTO deps VALUES (?, ?)", [(p, iri) for p, iris in new.items() for iri in iris])
        if not affected:
            return set()
        before = {}
        for iri in affected:
            row = db.execute("SELECT label FROM labels WHERE iri = ?", (iri,)).fetchone()
            if row is not None:
                before[iri] = row[0]
        now = self._global_labels(affected)
        moved = {iri for iri in affected if before.get(iri) != now.get(iri)}
        for iri in affected:
            if iri in now:
                db.execute("INSERT OR REPLACE INTO labels VALUES (?, ?)", (iri, now[iri]))
            else:
                db.execute("DELETE FROM labels WHERE iri = ?", (iri,))
        out: set[str] = set()
        if len(changed) < len(self.stored):  # (when every policy is re-evaluated, none depends)
            for iri in moved:
                out.update(p for (p,) in db.execute("SELECT policy FROM deps WHERE iri = ?", (iri,)))
        return out - changed

    def _labelled(self, policies: set[str]) -> dict[str, set[str]]:
        """Per policy, the IRIs its own graphs label (their labels are global)."""
        if not policies:
            return {}
        out: dict[str, set[str]] = {p: set() for p in policies}
        if len(policies) > 200:  # one scan of every label beats a query per graph
            by_graph = {str(graph_iri(p)): p for p in policies} | {str(derived_graph_iri(p)): p for p in policies}
            q = f"SELECT ?g ?s WHERE {{ GRAPH ?g {{ ?s <{LABEL}> ?l }} }}"
            for r in self.store.raw_query(q):
                p = by_graph.get(r["g"].value)
                if p is not None and isinstance(r["s"], ox.NamedNode):
                    out[p].add(r["s"].value)
            return out
        for p in policies:
            for g in (graph_iri(p), derived_graph_iri(p)):
                for r in self.store.raw_query(f"SELECT DISTINCT ?s WHERE {{ GRAPH <{g}> {{ ?s <{LABEL}> ?l }} }}"):
                    if isinstance(r["s"], ox.NamedNode):
                        out[p].add(r["s"].value)
        return out

    def _global_labels(self, iris: set[str]) -> dict[str, str]:
        """IRI -> the least of its labels' texts over every graph (N-Triples), as the
        queries' ``MIN(STR(?label))`` gives it: a simple literal, whatever the labels'
        languages (``MIN(?label)`` ranks a language-tagged label apart from a plain one)."""
        out: dict[str, str] = {}
        ordered = sorted(iris)
        for k in range(0, len(ordered), 500):
            values = " ".join(f"<{i}>" for i in ordered[k:k + 500])
            q = (f"SELECT ?s (MIN(STR(?l)) AS ?m) WHERE {{ VALUES ?s {{ {values} }} ?s <{LABEL}> ?l }} GROUP BY ?s")
            for r in self.store.raw_query(q):
                if r["m"] is not None:
                    out[r["s"].value] = str(r["m"])
        return out

    # --- one query ---------------------------------------------------------------------

    def _update_safely(self, q: _Query, full: bool, redo: set[str], removed: set[str], stored: dict[str, str],
                       combine: bool = True) -> None:
        """:meth:`_update`, falling back to evaluating the whole query when its rows
        cannot be put in canonical order or split by vendor."""
        try:
            self._update(q, full, redo, removed, stored, combine)
        except ordering.Unorderable as exc:
            log.info("%s: %s; evaluated whole, in the engine's order", q.name, exc)
            q.mode = "whole"
            self._update(q, True, redo, removed, stored)

    def _prefetch(self, policies: list[str], queries: list[_Query]) -> None:
        """Every query's rows for these policies, policy by policy: each policy's
        dataset is put together once, not once per query."""
        for p in policies:
            for q in queries:
                plan = _plan(q.part_text, self.db)
                assert plan is not None
                try:
                    self._rows[(p, q.part_text)] = self._evaluate_local(plan, p)
                except ordering.Unorderable as exc:
                    self._rows[(p, q.part_text)] = exc

    def _update(self, q: _Query, full: bool, redo: set[str], removed: set[str], stored: dict[str, str],
                combine: bool = True) -> None:
        db = self.db
        if q.mode == "whole":
            data = self._whole(q)
            db.execute("DELETE FROM parts WHERE key = ?", (q.key,))
            if data is None:  # only SELECT answers are kept
                db.execute("DELETE FROM whole WHERE key = ?", (q.key,))
                return
            db.execute("INSERT OR REPLACE INTO whole VALUES (?, ?)", (q.key, data))
            db.execute("INSERT OR REPLACE INTO queries VALUES (?, ?, ?, ?, ?)",
                       (q.key, q.name, q.text, q.mode, ordering.split_tsv(data)[0]))
            return
        part_plan = _plan(q.part_text, self.db)
        assert part_plan is not None
        if full:
            header, parts = self._split(part_plan, q.part_text, set(stored))
            db.execute("DELETE FROM parts WHERE key = ?", (q.key,))
        else:
            header = self._header(q)
            parts = {p: self._local_rows(part_plan, p) for p in sorted(redo)}
            for p in redo | removed:
                db.execute("DELETE FROM parts WHERE key = ? AND policy = ?", (q.key, p))
        if q.mode == "combined":
            if full:
                db.execute("DELETE FROM shared WHERE key = ?", (q.key,))
            else:
                for p in redo | removed:
                    db.execute("DELETE FROM shared WHERE key = ? AND policy = ?", (q.key, p))
            db.executemany("INSERT OR IGNORE INTO shared VALUES (?, ?, ?, ?)",
                           [(q.key, p, *line.split("\t")[:2]) for p, rows in parts.items() for line in rows])
            header = self._header(q, evaluate=True)
            if combine:  # once, after the last chunk of policies
                db.execute("INSERT OR REPLACE INTO whole VALUES (?, ?)",
                           (q.key, _combine_shared(q.text, header, db, q.key)))
        else:
            db.executemany("INSERT INTO parts VALUES (?, ?, ?)",
                           [(q.key, p, "\n".join(rows)) for p, rows in parts.items() if rows])
        db.execute("INSERT OR REPLACE INTO queries VALUES (?, ?, ?, ?, ?)", (q.key, q.name, q.text, q.mode, header))

    def _header(self, q: _Query, evaluate: bool = False) -> str:
        """The TSV header (evaluated columns) of a query's answer."""
        if not evaluate:
            row = self.db.execute("SELECT header FROM queries WHERE key = ?", (q.key,)).fetchone()
            if row is not None:
                return str(row[0])
        if q.mode == "combined":
            assert q.plan is not None
            return "\t".join("?" + c for c in q.plan.columns)
        assert q.plan is not None
        return "\t".join("?" + c for c in q.plan.evaluated)

    def _whole(self, q: _Query) -> bytes | None:
        """A query evaluated over the whole store, in canonical order when it has one."""
        return self.store.query_tsv(q.text)

    def _split(self, p: ordering.Plan, text: str, policies: set[str]) -> tuple[str, dict[str, list[str]]]:
        """Evaluate over the whole store; rows in canonical order, split by vendor."""
        header, rows = ordering.split_tsv(ordering.serialize(self.store.solutions(text)))
        rows = ordering.order_rows(p, header, ordering.prepare_rows(p, header, rows))
        col = [n.lstrip("?") for n in header.split("\t")].index("vendor")
        out: dict[str, list[str]] = {i: [] for i in policies}
        vendors: dict[str, str | None] = {}
        for line in rows:
            cell = line.split("\t", col + 1)[col]
            ident = vendors.get(cell, "")
            if ident == "":
                ident = vendors[cell] = getattr(ordering._cell_term(cell), "value", None)
            if ident not in out:
                raise ordering.Unorderable(f"a row names no policy of the store as its vendor ({cell})")
            out[ident].append(line)  # type: ignore[index]
        return header, out

    def _local_rows(self, p: ordering.Plan, identifier: str) -> list[str]:
        got = self._rows.pop((identifier, p.text), None)
        if isinstance(got, ordering.Unorderable):
            raise got
        return got if got is not None else self._evaluate_local(p, identifier)

    def _evaluate_local(self, p: ordering.Plan, identifier: str) -> list[str]:
        if self._local is None:
            self._local = _Local(self.store, self.db)
        header, rows = ordering.split_tsv(self._local.evaluate(identifier, p.text))
        rows = ordering.order_rows(p, header, ordering.prepare_rows(p, header, rows))
        col = [n.lstrip("?") for n in header.split("\t")].index("vendor")
        for values in ordering._terms(header, rows):
            if getattr(values[col], "value", None) != identifier:
                raise ordering.Unorderable(f"a row of {identifier} names another vendor")
        return rows


class _Local:
    """A small in-memory dataset for one policy at a time: its graphs (stated, derived,
    versions), the ontology and knowledge base, and the global labels it uses."""

    def __init__(self, store: Store, db: sqlite3.Connection) -> None:
        from policykg.versions import versions_graph

        self.store, self.db, self.versions_graph = store, db, versions_graph
        self.ox = ox.Store()
        for g in (ONTOLOGY_GRAPH, KB_GRAPH):
            self.ox.load(store.graph_ntriples(str(g)).encode("utf-8"), ox.RdfFormat.N_TRIPLES,
                         to_graph=ox.NamedNode(str(g)))
        self.current: str | None = None

    def _switch(self, identifier: str) -> None:
        if self.current == identifier:
            return
        keep = {str(ONTOLOGY_GRAPH), str(KB_GRAPH)}
        for g in list(self.ox.named_graphs()):
            if isinstance(g, ox.NamedNode) and g.value not in keep:
                self.ox.remove_graph(g)
        for g in (str(graph_iri(identifier)), str(derived_graph_iri(identifier)), self.versions_graph(identifier)):
            nt = self.store.graph_ntriples(g)
            if nt:
                self.ox.load(nt.encode("utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(g))
        deps = [iri for (iri,) in self.db.execute("SELECT iri FROM deps WHERE policy = ?", (identifier,))]
        lines = []
        for iri in deps:
            row = self.db.execute("SELECT label FROM labels WHERE iri = ?", (iri,)).fetchone()
            if row is not None:
                lines.append(f"<{iri}> <{LABEL}> {row[0]} .\n")
        if lines:
            self.ox.load("".join(lines).encode("utf-8"), ox.RdfFormat.N_TRIPLES,
                         to_graph=ox.NamedNode(LABELS_GRAPH))
        self.current = identifier

    def evaluate(self, identifier: str, text: str) -> bytes:
        self._switch(identifier)
        buf = io.BytesIO()
        self.ox.query(text, use_default_graph_as_union=True).serialize(buf, ox.QueryResultsFormat.TSV)  # type: ignore[union-attr]
        return buf.getvalue()


def canned() -> list[tuple[str, str]]:
    """(name, text) of every canned query that runs without a parameter."""
    from policykg.queries import list_queries

    return [(q.name, q.bind({})) for q in list_queries() if not q.unbound]


__all__ = ["BUILD_GRAPH", "canned", "keep", "lookup"]
