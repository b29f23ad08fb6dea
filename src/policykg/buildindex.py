"""What the last build knew, kept beside the store so that the next one need not read it all again.

A build that changes 10 of 10,000 policies spent most of its time on fixed costs
(docs/benchmarks.md): reading the bookkeeping of every policy out of the store
(~40,000 quads; 0.7 s on a quiet machine, 2 s under load: every long literal is a
lookup in RocksDB) and reading and hashing every file (0.35 s with the files in
the page cache, seconds when they are not). ``<store>/index.sqlite`` keeps

* the bookkeeping of every policy (:class:`policykg.store.StoredPolicy`), filed
  under the store's state token (:meth:`policykg.store.Store.state`, renewed by
  every write): a build that finds the store in another state (a build killed
  before it saved the index, a write by an older policykg) reads the store, as
  before, and files what it read;
* per file, what it was when it was last hashed — size, modification and
  status-change times in nanoseconds, inode and device, as git's index keeps
  them — with the hash of its bytes and ``--lang``: a file whose status is the
  same is not read again. Writing a file changes its modification and
  status-change times; setting the modification time back (``touch -d``,
  ``rsync -t``, ``cp -p``) still changes the status-change time, which no program
  can set. A file hashed less than :data:`RACY_NS` after it was last modified is
  hashed again next time (it could have been written again within the same clock
  tick, as git's "racy" entries are). ``build --checksum`` reads and hashes every
  file and reads the bookkeeping from the store, as rsync's ``--checksum`` does.

The index is a cache: it is never the only copy of anything. A damaged or
missing one costs one full read, with a warning in the log.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from policykg.store import StoredPolicy

NAME = "index.sqlite"
FORMAT = "1"
RACY_NS = 2_000_000_000
"""A file modified less than this before it was hashed is not trusted by its status:
coarse file-system clocks (ext4 without nanoseconds, FAT's 2 s) and writes within one tick."""
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Status:
    """What identifies a file's contents without reading them."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    device: int

    @classmethod
    def of(cls, st: os.stat_result) -> Status:
        return cls(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


@dataclass(frozen=True)
class Hashed:
    """A file as it was hashed: its status (taken before reading), ``--lang``, the
    content hash (bytes and ``--lang``), the SHA-256 of its bytes, and when."""

    status: Status
    lang: str
    content_hash: str
    sha256: str
    hashed_ns: int

    def still(self, status: Status, lang: str) -> bool:
        """True when the file is known to have the same bytes (see the module docstring)."""
        return (status == self.status and lang == self.lang
                and max(status.mtime_ns, status.ctime_ns) < self.hashed_ns - RACY_NS)


class Index:
    """``<store>/index.sqlite`` (see the module docstring)."""

    def __init__(self, store_dir: Path) -> None:
        self.path = store_dir / NAME
        self.db: sqlite3.Connection | None = None
        try:
            db = sqlite3.connect(str(self.path))
            db.executescript("""
                CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT);
                CREATE TABLE IF NOT EXISTS policies (identifier TEXT PRIMARY KEY, source TEXT, content_hash TEXT,
                                                     fingerprint TEXT, version INTEGER, sha256 TEXT, token TEXT);
                CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER,
                                                  ctime_ns INTEGER, inode INTEGER, device INTEGER, lang TEXT,
                                                  content_hash TEXT, sha256 TEXT, hashed_ns INTEGER);
            """)
            row = db.execute("SELECT v FROM meta WHERE k = 'format'").fetchone()
            if row is None or row[0] != FORMAT:
                db.executescript("DELETE FROM meta; DELETE FROM policies; DELETE FROM files;")
                db.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))
                db.commit()
            self.db = db
        except sqlite3.Error as exc:
            log.warning("%s: the build index cannot be used (%s); every file is read", self.path, exc)

    # --- the bookkeeping -----------------------------------------------------------

    def policies(self, state: str | None) -> dict[str, StoredPolicy] | None:
        """The bookkeeping filed under ``state``, or None (another state, or none filed)."""
        if self.db is None or state is None:
            return None
        try:
            row = self.db.execute("SELECT v FROM meta WHERE k = 'state'").fetchone()
            if row is None or row[0] != state:
                return None
            return {r[0]: StoredPolicy(*r) for r in self.db.execute("SELECT * FROM policies")}
        except sqlite3.Error as exc:
            log.warning("%s: %s; the bookkeeping is read from the store", self.path, exc)
            return None

    def file_policies(self, state: str, policies: dict[str, StoredPolicy]) -> None:
        """File the bookkeeping of ``state`` (replacing what was filed), committed."""
        if self.db is None:
            return
        try:
            with self.db:
                self.db.execute("DELETE FROM meta WHERE k = 'state'")
                self.db.execute("DELETE FROM policies")
                self.db.executemany("INSERT INTO policies VALUES (?, ?, ?, ?, ?, ?, ?)",
                                    [(p.identifier, p.source, p.content_hash, p.fingerprint, p.version, p.sha256,
                                      p.token) for p in policies.values()])
                self.db.execute("INSERT INTO meta VALUES ('state', ?)", (state,))
        except sqlite3.Error as exc:
            log.warning("%s: the bookkeeping is not filed (%s)", self.path, exc)

    # --- the files -------------------------------------------------------------------

    def files(self) -> dict[str, Hashed]:
        """Every file hashed before, by path."""
        if self.db is None:
            return {}
        try:
            return {r[0]: Hashed(Status(*r[1:6]), r[6], r[7], r[8], r[9])
                    for r in self.db.execute("SELECT * FROM files")}
        except sqlite3.Error as exc:
            log.warning("%s: %s; every file is read", self.path, exc)
            return {}

    def remember(self, hashed: Iterable[tuple[str, Hashed]]) -> None:
        """Record files as hashed now, committed."""
        if self.db is None:
            return
        rows = [(path, h.status.size, h.status.mtime_ns, h.status.ctime_ns, h.status.inode, h.status.device,
                 h.lang, h.content_hash, h.sha256, h.hashed_ns) for path, h in hashed]
        if not rows:
            return
        try:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        except sqlite3.Error as exc:
            log.warning("%s: the files hashed are not recorded (%s)", self.path, exc)

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None


def hash_file(path: Path, lang: str) -> tuple[Hashed, bytes]:
    """Read and hash a file, its status taken first (a write during the read changes
    the status, so the next build reads it again). Raises OSError."""
    import hashlib

    from policykg.store import content_hash

    status = Status.of(path.stat())
    now = time.time_ns()
    data = path.read_bytes()
    return Hashed(status, lang, content_hash(data, lang), hashlib.sha256(data).hexdigest(), now), data
