"""Versions of a policy in the store: records, archive, history and pruning.

Every policy identifier keeps its versions. Version *n* of policy ``acme`` is
``…/id/version/acme/n``, described in the policy's graph of versions
(``…/id/graph/acme/versions``) with PROV-O::

    <…/version/acme/3> a prov:Entity ;
        prov:specializationOf <…/notice/acme> ;     # a version of this policy
        prov:wasRevisionOf <…/version/acme/2> ;      # the one it revised
        pkg:policyIdentifier "acme" ; pkg:versionNumber 3 ;
        dct:issued "2025-03-01"^^xsd:date ;          # the version's date
        pkg:dateSource "text" ;                      # text | option | file | upgrade
        pkg:sourceFile "policies/acme.md" ;
        spdx:checksum <…/version/acme/3/checksum> ;  # SHA-256 of the file's bytes
        prov:generatedAtTime "…"^^xsd:dateTime ;     # when a build recorded it
        prov:invalidatedAtTime "…"^^xsd:dateTime .   # when a build superseded it

PROV-O rather than DCAT or Dublin Core: ``prov:wasRevisionOf`` is the W3C
Recommendation's term for exactly "a revised version of", PROV gives the
version's tie to the policy it is a version of (``prov:specializationOf``) and
its validity (generated/invalidated), and the project already speaks PROV
(derived facts, ``prov:wasDerivedFrom``). DCAT 3's versioning terms are made for
catalogued datasets and their distributions; Dublin Core's ``dct:isVersionOf``
or ``dct:replaces`` are loose ("a version, edition or adaptation"; "supplants").
The checksum is SPDX's, as DCAT uses it.

Beside the record, the graph of versions holds the change set from the previous
version (:mod:`policykg.diff`): what was added, removed and changed, with
evidence in each version's text.

**Where each version's content is.** The current version is the policy's named
graph ``…/id/graph/acme``, as always: queries over the store see only current
versions. A superseded version's graph (named by its version IRI) and every
version's file go to the store's archive, ``<store>/versions.sqlite``
(compressed; SQLite, in the standard library, transactional): not in the
Oxigraph database, because every query evaluates over the union of its graphs
and would mix old facts with current ones, and Oxigraph restricted to a list of
named graphs probes each graph in turn (too slow with one per policy). A
dataset of the versions current at a date is built on request
(:func:`dataset_at`).

**Atomic.** The archive is written (and committed) before the Oxigraph
transaction that records the new version and replaces the policy's graphs; an
archive entry nothing refers to (a build killed in between) is overwritten by
the next build or swept. A policy is therefore always fully old or fully new,
versions included.
"""

from __future__ import annotations

import logging
import sqlite3
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path

from policykg.iris import ID, notice_iri, slug

log = logging.getLogger(__name__)

ARCHIVE = "versions.sqlite"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
PKG = "https://w3id.org/policykg#"
SPDX = "http://spdx.org/rdf/terms#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DATE_SOURCES = ("text", "option", "file", "upgrade")


def version_iri(identifier: str, n: int) -> str:
    return str(ID[f"version/{slug(identifier)}/{n}"])


def versions_graph(identifier: str) -> str:
    """The named graph that holds a policy's version records and change sets."""
    return str(ID[f"graph/{slug(identifier)}/versions"])


def changeset_iri(identifier: str, n: int) -> str:
    """The change set from version n-1 to version n."""
    return str(ID[f"changes/{slug(identifier)}/{n}"])


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class VersionRecord:
    iri: str
    identifier: str
    number: int
    date: str
    date_source: str
    source: str
    sha256: str | None
    recorded: str
    superseded: str | None = None
    previous: str | None = None

    @property
    def current(self) -> bool:
        return self.superseded is None

    def info(self) -> dict[str, object]:
        """For diffs: what identifies this version to a reader."""
        return {"version": self.iri, "number": self.number, "date": self.date, "dateSource": self.date_source,
                "source": self.source, "sha256": self.sha256}


def _nt_lit(value: object, datatype: str | None = None) -> str:
    """A literal in N-Triples, as rdflib writes it (a typed one in its canonical form:
    "2026-12-05T10:00:00Z" is written "...+00:00")."""
    if datatype is None and isinstance(value, str):
        from policykg.triples import nt, plain_literal

        return nt(plain_literal(value))  # no cast to look for: the common case, per policy
    return _typed_nt_lit(value, datatype)


@lru_cache(maxsize=1024)
def _typed_nt_lit(value: object, datatype: str | None) -> str:
    """rdflib's typed-literal constructor (~5 µs: it parses and re-serialises the value),
    memoised: a build records every version with the same time and a few dates."""
    from rdflib import Literal, URIRef

    from policykg.triples import nt

    return nt(Literal(value, datatype=URIRef(datatype) if datatype else None))


def record_ntriples(identifier: str, n: int, day: str, date_source: str, source: str, sha256: str | None,
                    recorded: str, previous: str | None = None) -> str:
    """The PROV-O record of version ``n`` (see the module docstring)."""
    v = f"<{version_iri(identifier, n)}>"
    lines = [
        f"{v} <{RDF_TYPE}> <{PROV}Entity> .",
        f"{v} <{PROV}specializationOf> <{notice_iri(identifier)}> .",
        f"{v} <{PKG}policyIdentifier> {_nt_lit(identifier)} .",
        f"{v} <{PKG}versionNumber> {_nt_lit(n, XSD + 'integer')} .",
        f"{v} <{DCT}issued> {_nt_lit(day, XSD + 'date')} .",
        f"{v} <{PKG}dateSource> {_nt_lit(date_source)} .",
        f"{v} <{PKG}sourceFile> {_nt_lit(source)} .",
        f"{v} <{PROV}generatedAtTime> {_nt_lit(recorded, XSD + 'dateTime')} .",
    ]
    if sha256:
        lines.append(checksum_ntriples(identifier, n, sha256).rstrip("\n"))
    if previous:
        lines.append(f"{v} <{PROV}wasRevisionOf> <{previous}> .")
    return "\n".join(lines) + "\n"


def checksum_ntriples(identifier: str, n: int, sha256: str) -> str:
    v = version_iri(identifier, n)
    c = f"<{v}/checksum>"
    return (f"<{v}> <{SPDX}checksum> {c} .\n{c} <{RDF_TYPE}> <{SPDX}Checksum> .\n"
            f"{c} <{SPDX}algorithm> <{SPDX}checksumAlgorithm_sha256> .\n"
            f"{c} <{SPDX}checksumValue> {_nt_lit(sha256)} .\n")


def superseded_ntriples(version: str, at: str) -> str:
    return f"<{version}> <{PROV}invalidatedAtTime> {_nt_lit(at, XSD + 'dateTime')} .\n"


# --- the archive ------------------------------------------------------------------

class Archive:
    """``<store>/versions.sqlite``: every version's file (by SHA-256) and the graphs of
    superseded versions (by version IRI), zlib-compressed."""

    def __init__(self, store_dir: Path | None, read_only: bool = False) -> None:
        self.path = None if store_dir is None else store_dir / ARCHIVE
        if self.path is None:
            self.db = sqlite3.connect(":memory:")
        elif read_only:
            if not self.path.exists():
                self.db = sqlite3.connect(":memory:")
            else:
                self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
                return
        else:
            self.db = sqlite3.connect(str(self.path))
        self.db.executescript("""
            CREATE TABLE IF NOT EXISTS texts (sha256 TEXT PRIMARY KEY, format TEXT, data BLOB);
            CREATE TABLE IF NOT EXISTS graphs (version TEXT PRIMARY KEY, policy TEXT, fingerprint TEXT,
                                               data BLOB);
            CREATE INDEX IF NOT EXISTS graphs_policy ON graphs (policy);
        """)

    def _has(self, table: str) -> bool:
        return self.db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone() is not None

    def put_texts(self, rows: Iterable[tuple[str, str, bytes]]) -> None:
        """(sha256, format, zlib-compressed bytes) of version files; kept once per content."""
        self.db.executemany("INSERT OR IGNORE INTO texts VALUES (?, ?, ?)", rows)

    def put_graph(self, version: str, identifier: str, ntriples: str, fingerprint: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO graphs VALUES (?, ?, ?, ?)",
                        (version, identifier, fingerprint, zlib.compress(ntriples.encode("utf-8"))))

    def commit(self) -> None:
        self.db.commit()

    def raw(self, sha256: str) -> tuple[str, bytes] | None:
        """(format, bytes) of a version's file."""
        if not self._has("texts"):
            return None
        row = self.db.execute("SELECT format, data FROM texts WHERE sha256 = ?", (sha256,)).fetchone()
        return None if row is None else (row[0], zlib.decompress(row[1]))

    def graph(self, version: str) -> tuple[str, str] | None:
        """(N-Triples, extractor fingerprint) of a superseded version."""
        if not self._has("graphs"):
            return None
        row = self.db.execute("SELECT data, fingerprint FROM graphs WHERE version = ?", (version,)).fetchone()
        return None if row is None else (zlib.decompress(row[0]).decode("utf-8"), row[1])

    def drop_graphs(self, versions: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM graphs WHERE version = ?", [(v,) for v in versions])

    def drop_policies(self, identifiers: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM graphs WHERE policy = ?", [(i,) for i in identifiers])

    def sweep(self, versions: set[str], texts: set[str]) -> int:
        """Delete what no version record refers to (left by a build killed half-way, or
        pruned). Returns the number of entries deleted."""
        n = 0
        for (v,) in self.db.execute("SELECT version FROM graphs").fetchall():
            if v not in versions:
                self.db.execute("DELETE FROM graphs WHERE version = ?", (v,))
                n += 1
        for (s,) in self.db.execute("SELECT sha256 FROM texts").fetchall():
            if s not in texts:
                self.db.execute("DELETE FROM texts WHERE sha256 = ?", (s,))
                n += 1
        self.db.commit()
        return n

    def close(self) -> None:
        self.db.close()


def text_of(raw: tuple[str, bytes] | None, identifier: str, max_bytes: int | None = None) -> str | None:
    """The plain text (what offsets index) of an archived file."""
    if raw is None:
        return None
    from policykg.reading import MAX_BYTES, read_bytes_source

    fmt, data = raw
    try:
        return read_bytes_source(data, identifier, fmt, identifier, max(max_bytes or MAX_BYTES, len(data))).text
    except Exception:  # noqa: BLE001 - an archived file that no longer reads: no text, say so upstream
        return None


# --- reading records ------------------------------------------------------------------

_RECORD = f"""
  ?v <{PKG}policyIdentifier> ?id ; <{PKG}versionNumber> ?n ; <{DCT}issued> ?date ;
     <{PKG}dateSource> ?ds ; <{PROV}generatedAtTime> ?rec .
  OPTIONAL {{ ?v <{PKG}sourceFile> ?src }}
  OPTIONAL {{ ?v <{SPDX}checksum> ?c . ?c <{SPDX}checksumValue> ?sha }}
  OPTIONAL {{ ?v <{PROV}invalidatedAtTime> ?sup }}
  OPTIONAL {{ ?v <{PROV}wasRevisionOf> ?prev }}
"""


def _records(store, graph_clause: str) -> list[VersionRecord]:  # type: ignore[no-untyped-def]
    q = f"SELECT ?v ?id ?n ?date ?ds ?rec ?src ?sha ?sup ?prev WHERE {{ {graph_clause} {{ {_RECORD} }} }}"
    out = []
    for r in store.raw_query(q):
        def val(name: str, r=r) -> str | None:  # type: ignore[no-untyped-def]
            t = r[name]
            return None if t is None else str(t.value)
        out.append(VersionRecord(val("v") or "", val("id") or "", int(val("n") or 0), val("date") or "",
                                 val("ds") or "", val("src") or "", val("sha"), val("rec") or "", val("sup"),
                                 val("prev")))
    return sorted(out, key=lambda r: (r.identifier, r.number))


def history(store, identifier: str) -> list[VersionRecord]:  # type: ignore[no-untyped-def]
    """Every version of a policy kept in the store, oldest first."""
    return _records(store, f"GRAPH <{versions_graph(identifier)}>")


def all_records(store) -> list[VersionRecord]:  # type: ignore[no-untyped-def]
    return _records(store, "GRAPH ?g")


def at(records: list[VersionRecord], day: str) -> VersionRecord | None:
    """The version in force on ``day`` (ISO date): the latest dated on or before it."""
    found = [r for r in records if r.date <= day]
    return max(found, key=lambda r: r.number) if found else None


def content(store, rec: VersionRecord) -> tuple[str, str | None, str | None]:  # type: ignore[no-untyped-def]
    """(N-Triples of the stated graph, plain text or None, extractor fingerprint or None)
    of a version; raises KeyError when its graph is no longer kept."""
    archive = store.archive
    text = text_of(archive.raw(rec.sha256), rec.identifier) if rec.sha256 else None
    if rec.current:
        stored = store.policies(rec.identifier).get(rec.identifier)
        return store.policy_ntriples(rec.identifier), text, stored.fingerprint if stored else None
    got = archive.graph(rec.iri)
    if got is None:
        raise KeyError(rec.iri)
    return got[0], text, got[1]


def dataset_at(store, day: str, identifiers: Iterable[str] | None = None):  # type: ignore[no-untyped-def]
    """An in-memory Oxigraph store with, per policy, the version in force on ``day``
    as its named graph ``…/id/graph/<id>`` (the view queries get of the store as it
    was then), plus the ontology and knowledge-base graphs."""
    import pyoxigraph as ox

    from policykg.iris import ONTOLOGY_GRAPH, graph_iri
    from policykg.store import KB_GRAPH

    out = ox.Store()
    for g in (ONTOLOGY_GRAPH, KB_GRAPH):
        out.load(store.graph_ntriples(str(g)).encode("utf-8"), ox.RdfFormat.N_TRIPLES,
                 to_graph=ox.NamedNode(str(g)))
    wanted = None if identifiers is None else set(identifiers)
    by_policy: dict[str, list[VersionRecord]] = {}
    for r in all_records(store):
        if wanted is None or r.identifier in wanted:
            by_policy.setdefault(r.identifier, []).append(r)
    for ident, recs in by_policy.items():
        rec = at(recs, day)
        if rec is None:
            continue
        nt, _, _ = content(store, rec)
        out.load(nt.encode("utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(graph_iri(ident))))
    return out


# --- pruning and upgrading ----------------------------------------------------------------

def to_prune(records: list[VersionRecord], keep: int | None = None, before: str | None = None) -> list[VersionRecord]:
    """The versions to drop: beyond the ``keep`` most recent of a policy, or no longer in
    force on the date ``before`` (older than the version in force then, so that every
    date from ``before`` on still has its version). The current version is never dropped."""
    by_policy: dict[str, list[VersionRecord]] = {}
    for r in records:
        by_policy.setdefault(r.identifier, []).append(r)
    out = []
    for recs in by_policy.values():
        recs.sort(key=lambda r: r.number)
        in_force = at(recs, before) if before is not None else None
        for i, r in enumerate(recs):
            if r.current:
                continue
            too_many = keep is not None and len(recs) - i > keep
            too_old = in_force is not None and r.number < in_force.number
            if too_many or too_old:
                out.append(r)
    return out


def prune(store, keep: int | None = None, before: str | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    """Drop old versions (see :func:`to_prune`): their records, the change sets into and
    out of them, and their archived graphs. Returns the version IRIs dropped."""
    if keep is None and before is None:
        return []
    drop = to_prune(all_records(store), keep, before)
    if not drop:
        return []
    ops = []
    dropped = {r.iri for r in drop}
    for r in drop:
        g = versions_graph(r.identifier)
        ops.append(f"DELETE WHERE {{ GRAPH <{g}> {{ <{r.iri}> ?p ?o }} }}")
        ops.append(f"DELETE WHERE {{ GRAPH <{g}> {{ <{r.iri}/checksum> ?p ?o }} }}")
        ops.append(f"DELETE WHERE {{ GRAPH <{g}> {{ ?later <{PROV}wasRevisionOf> <{r.iri}> }} }}")
        # the change sets into and out of a dropped version, with their changes and evidence
        for side in ("fromVersion", "toVersion"):
            ops.append(f"""DELETE {{ GRAPH <{g}> {{ ?cs ?p ?o . ?ch ?p2 ?o2 . ?a ?p3 ?o3 . ?t ?p4 ?o4 . ?sel ?p5 ?o5 }} }}
                WHERE {{ GRAPH <{g}> {{ ?cs <{PKG}{side}> <{r.iri}> ; ?p ?o .
                  OPTIONAL {{ ?cs <{PKG}hasChange> ?ch . ?ch ?p2 ?o2 .
                    OPTIONAL {{ ?ch <{PKG}oldEvidence>|<{PKG}newEvidence> ?a . ?a ?p3 ?o3 .
                      OPTIONAL {{ ?a <http://www.w3.org/ns/oa#hasTarget> ?t . ?t ?p4 ?o4 .
                        OPTIONAL {{ ?t <http://www.w3.org/ns/oa#hasSelector> ?sel . ?sel ?p5 ?o5 }} }} }} }} }} }}""")
    store.update(ops, touched={r.identifier for r in drop})
    store.archive.drop_graphs(dropped)
    store.archive.commit()
    return sorted(dropped)


def referenced(store) -> tuple[set[str], set[str]]:  # type: ignore[no-untyped-def]
    """(superseded version IRIs, file checksums) the records refer to (for :meth:`Archive.sweep`)."""
    versions, texts = set(), set()
    for r in all_records(store):
        if not r.current:
            versions.add(r.iri)
        if r.sha256:
            texts.add(r.sha256)
    return versions, texts


def upgrade(store, batch: int = 500) -> int:  # type: ignore[no-untyped-def]
    """Give every policy of a store built before versions were kept its first version
    record. Its date is the one its text states; else, when its source file is still
    the one it was extracted from, the file's date (and the file is archived); else
    the day of the upgrade (``pkg:dateSource "upgrade"``). Each batch is one
    transaction; a killed upgrade resumes where it stopped. Returns the number of
    policies upgraded."""
    from policykg.iris import graph_iri

    policies = store.policies()
    todo = sorted(i for i, p in policies.items() if p.version is None)
    if not todo:
        store.set_format()
        return 0
    stated = {}
    q = f"""SELECT ?g ?m WHERE {{ GRAPH ?g {{ ?n a <https://w3id.org/dpv#PrivacyNotice> ; <{DCT}modified> ?m }} }}"""
    for r in store.raw_query(q):
        stated[r["g"].value] = str(r["m"].value)
    today, stamp = date.today().isoformat(), now()
    for k in range(0, len(todo), batch):
        items = []
        for ident in todo[k:k + batch]:
            p = policies[ident]
            file = _same_file(p)
            day, source, sha = stated.get(str(graph_iri(ident))), "text", None
            if file is not None:
                sha, fmt, data, mtime = file
                store.archive.put_texts([(sha, fmt, zlib.compress(data))])
                if day is None:
                    day, source = mtime, "file"
            if day is None:
                day, source = today, "upgrade"
            items.append((ident, 1, record_ntriples(ident, 1, day, source, p.source, sha, stamp), sha))
        store.archive.commit()
        store.add_history(items)
    store.set_format()
    log.info("upgraded the store: %d policies have a first version record", len(todo))
    return len(todo)


def _same_file(p) -> tuple[str, str, bytes, str] | None:  # type: ignore[no-untyped-def]
    """(sha256, format, bytes, modification date) of a policy's source file when it is
    still the file it was extracted from (the stored hash is of the bytes and the
    ``--lang`` option, so every option is tried)."""
    import hashlib

    from policykg import languages
    from policykg.reading import format_of
    from policykg.store import content_hash

    f = Path(p.source)
    try:
        data = f.read_bytes()
        mtime = datetime.fromtimestamp(f.stat().st_mtime, tz=UTC).date().isoformat()
    except OSError:
        return None
    if not any(content_hash(data, lang) == p.content_hash for lang in ("auto", *languages.codes())):
        return None
    return hashlib.sha256(data).hexdigest(), format_of(f), data, mtime


def parse_day(value: str) -> str:
    """An ISO date (YYYY-MM-DD), or ValueError."""
    return date.fromisoformat(value.strip()).isoformat()
