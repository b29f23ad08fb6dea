"""Incremental, parallel builds of the embedded store.

``build(paths, store)`` brings a store up to date with a set of policy files:

* a policy whose bytes (SHA-256) and extractor fingerprint match what the store
  recorded is skipped — re-running a build on an unchanged corpus extracts
  nothing;
* new and changed policies are extracted in worker processes (``jobs``) and
  written by the parent in batches, each batch one Oxigraph transaction in
  which every policy's old graphs are dropped and its new ones inserted;
* policies whose file is gone are removed only when ``prune`` is set;
* a changed file is a new version of its policy: the worker records it and the
  change set from the version before (:mod:`policykg.versions`,
  :mod:`policykg.diff`), and the parent archives the superseded graph and the
  file before the transaction that records the new version.

Interrupting a build (Ctrl-C, SIGTERM, SIGKILL) loses at most the batch being
written, and that batch is either entirely in the store or not at all.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import shutil
import sqlite3
import time
import traceback
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from policykg.buildindex import Hashed, Index, Status, hash_file
from policykg.errors import InputError, PolicyKGError
from policykg.reading import MAX_BYTES, format_of, read_bytes_source
from policykg.store import Extracted, Store, fingerprint

if TYPE_CHECKING:
    from policykg.triples import Triples

BATCH_POLICIES = int(os.environ.get("POLICYKG_BUILD_BATCH", "200"))
"""Policies per transaction in an incremental build (a kill loses at most one batch's work)."""
BATCH_SECONDS = 5.0
IN_PROCESS = 24
"""Up to this many files are extracted in the build's own process: each worker process
warms up the extractors first (~1.7 s of CPU: vocabularies, language profiles), more
than it saves on a few policies at ~20-50 ms each (a build changing 10 of 1,000
policies: 5.2 s of CPU with two workers, 3.7 s in one process, the same wall time on
an idle machine)."""
COMPACT_AFTER = int(os.environ.get("POLICYKG_COMPACT_AFTER", "1000"))
"""An update that writes or removes at least this many policies compacts the store
afterwards (a first build always does)."""
log = logging.getLogger(__name__)


@dataclass
class BuildSummary:
    """What a build did, for the user and for tests."""

    extracted: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # in the store, file gone, not pruned
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    answered: list[str] = field(default_factory=list)  # canned queries whose answers were (re)computed
    answer_seconds: float = 0.0
    new_versions: int = 0  # changed files recorded as a new version of their policy
    pruned_versions: list[str] = field(default_factory=list)

    def text(self) -> str:
        parts = [f"extracted {len(self.extracted)}", f"unchanged {self.unchanged}"]
        if self.new_versions:
            parts.append(f"new versions {self.new_versions}")
        if self.pruned_versions:
            parts.append(f"old versions dropped {len(self.pruned_versions)}")
        if self.removed:
            parts.append(f"removed {len(self.removed)}")
        if self.failed:
            parts.append(f"failed {len(self.failed)}")
        line = "Build: " + ", ".join(parts) + f" in {self.seconds:.1f} s"
        if self.answered:
            line += f"; answers of {len(self.answered)} canned queries kept in {self.answer_seconds:.1f} s"
        if self.stale:
            line += (f"\n{len(self.stale)} policies in the store have no file any more "
                     f"(e.g. {self.stale[0]}); remove them with --prune")
        return line


@dataclass(frozen=True)
class Previous:
    """The version a changed file supersedes, as the worker needs it to record the
    change: its number, checksum, graph (N-Triples), file and fingerprint."""

    number: int
    sha256: str | None
    content_hash: str
    ntriples: str
    raw: tuple[str, bytes] | None  # (format, bytes) of its file, when the archive has it
    fingerprint: str
    date: str = ""  # its date


@dataclass(frozen=True)
class _Task:
    path: str
    lang: str
    max_bytes: int
    date: str | None = None  # --date: the version's date when the text states none
    recorded: str = ""  # when this build runs (prov:generatedAtTime)
    previous: Previous | None = None


def _extract(task: _Task) -> tuple[Extracted | None, list[str], str | None]:
    """Worker: one policy file -> N-Triples, its version record and, for a changed
    file, the change set from the version it supersedes. The hash is of the bytes
    actually extracted; errors come back as messages, so one bad file does not stop
    a build of thousands."""
    from policykg.collector import paused

    with paused():  # until the policy's objects are freed by reference counting: see policykg.collector
        return _extract_one(task)


def _extract_one(task: _Task) -> tuple[Extracted | None, list[str], str | None]:
    from policykg.pipeline import extract_source

    try:
        path = Path(task.path)
        try:
            hashed, data = hash_file(path, task.lang)
        except OSError as exc:
            raise InputError(f"cannot be read ({exc.strerror})", task.path) from None
        mtime = hashed.status.mtime_ns / 1e9
        fmt = format_of(path)
        src = read_bytes_source(data, path.stem, fmt, task.path, task.max_bytes)
        if not src.text.strip():
            raise InputError("has no text once its markup is removed", task.path)
        result = extract_source(src, task.lang)
        stated = result.triples.to_ntriples()
        ext = Extracted(src.identifier, task.path, hashed.content_hash, stated,
                        result.derived_triples.to_ntriples(), sha256=hashed.sha256,
                        text=(fmt, zlib.compress(data)), hashed=hashed)
        _record_version(ext, task, result.triples, src.text, mtime)
    except PolicyKGError as exc:
        return None, [], exc.format_message()
    except Exception as exc:  # noqa: BLE001 - reported per file, the build goes on
        return None, [], f"{task.path}: extraction failed ({type(exc).__name__}: {exc})"
    return ext, result.warnings + ext.notes, None


def _version_date(stated: object | None, option: str | None, mtime: float, after: str = "") -> tuple[str, str]:
    """(date, where it came from): the date the text states (``stated``, the notice's
    dct:modified), else --date, else the file's.

    A stated date no later than the previous version's (``after``) is one the publisher
    did not update with the text: the new version is dated by --date or the file."""
    if stated is not None and str(stated) > after:
        return str(stated), "text"
    if option:
        return option, "option"
    return datetime.fromtimestamp(mtime, tz=UTC).date().isoformat(), "file"


def _record_version(ext: Extracted, task: _Task, triples: Triples, text: str,
                    mtime: float) -> None:
    """Fill ``ext.version``/``ext.history``: a first version, the same version
    re-extracted, or a new version with the change set from the previous one."""
    from policykg import diff, versions

    prev = task.previous
    recorded = task.recorded or versions.now()
    if prev is not None and (prev.sha256 == ext.sha256 if prev.sha256 else prev.content_hash == ext.content_hash):
        ext.version = prev.number  # the same file, extracted again (new policykg, --force, --lang)
        if not prev.sha256 and ext.sha256:  # a version recorded by an upgrade learns its checksum
            ext.history = versions.checksum_ntriples(ext.identifier, prev.number, ext.sha256)
        return
    from policykg.iris import notice_iri
    from policykg.namespaces import FAST_DCTERMS

    stated = triples.value(notice_iri(ext.identifier), FAST_DCTERMS.modified)  # one lookup, not a pass over the graph
    day, source = _version_date(stated, task.date, mtime, prev.date if prev is not None else "")
    if prev is None:
        ext.version = 1
        ext.history = versions.record_ntriples(ext.identifier, 1, day, source, task.path, ext.sha256, recorded)
        return
    n = prev.number + 1
    old_iri, new_iri = versions.version_iri(ext.identifier, prev.number), versions.version_iri(ext.identifier, n)
    old_nt, old_text = prev.ntriples, versions.text_of(prev.raw, ext.identifier, task.max_bytes)
    if prev.fingerprint != fingerprint() and prev.raw is not None and old_text is not None:
        # the previous version was read by another policykg: read it again with this one, so
        # that the change set holds what the policy changed, not what the extractor did
        from policykg.pipeline import extract_source
        from policykg.reading import read_bytes_source

        fmt, raw = prev.raw
        old_nt = extract_source(read_bytes_source(raw, ext.identifier, fmt, task.path, max(task.max_bytes, len(raw))),
                                task.lang).triples.to_ntriples()
    elif prev.fingerprint != fingerprint():
        ext.notes.append(f"{task.path}: the previous version was extracted by another policykg version and its "
                         "file is not archived: its change set may show differences of the extractor")
    d = diff.compare(diff.read_version(old_nt, old_text), diff.read_version(ext.stated, text), ext.identifier)
    from policykg.iris import notice_iri

    ext.version = n
    ext.superseded = (old_iri, prev.ntriples, prev.fingerprint)
    ext.history = (versions.record_ntriples(ext.identifier, n, day, source, task.path, ext.sha256, recorded,
                                            previous=old_iri)
                   + versions.superseded_ntriples(old_iri, recorded)
                   + diff.to_ntriples(d, versions.changeset_iri(ext.identifier, n), str(notice_iri(ext.identifier)),
                                      old_iri, new_iri))


@dataclass
class Plan:
    """What a build has to do (see :func:`plan`)."""

    todo: list[Path]
    unchanged: int
    gone: list[str]
    learn: list[tuple[str, int, str, str, bytes]] = field(default_factory=list)
    """Unchanged files of versions recorded by an upgrade, whose checksum and file the
    archive does not have yet: (identifier, version, sha256, format, bytes)."""
    hashed: list[tuple[str, Hashed]] = field(default_factory=list)
    """Files read and hashed to decide (for the build index)."""


def _key(f: Path) -> str:
    """A file's key in the build index: its absolute path (not resolved: a link is
    its own entry; the inode in its status says which file it was)."""
    return str(f.absolute())


def plan(files: list[Path], store: Store, lang: str = "auto", force: bool = False,
         known: dict[str, Hashed] | None = None) -> Plan:
    """Which files to extract, how many are unchanged, which stored policies' file is gone.

    A file that ``known`` (:meth:`policykg.buildindex.Index.files`) says is as it was
    when last hashed is not read; the others are hashed one at a time (memory does
    not grow with the corpus) and listed in :attr:`Plan.hashed`.
    """
    stored = store.policies()
    fp = fingerprint()
    known = known or {}
    out = Plan([], 0, [])
    for f in files:
        old = stored.get(f.stem)
        if old is None or force or old.fingerprint != fp:
            out.todo.append(f)
            continue
        where = _key(f)
        before = known.get(where)
        if before is not None and old.sha256 is not None:
            try:
                same = before.still(Status.of(f.stat()), lang)
            except OSError:
                same = False
            if same:
                if old.content_hash != before.content_hash:
                    out.todo.append(f)
                else:
                    out.unchanged += 1
                continue
        try:
            hashed, data = hash_file(f, lang)
        except OSError:
            out.todo.append(f)  # the extraction reports it, and the build goes on
            continue
        out.hashed.append((where, hashed))
        if old.content_hash != hashed.content_hash:
            out.todo.append(f)
            continue
        out.unchanged += 1
        if old.sha256 is None and old.version is not None:
            out.learn.append((old.identifier, old.version, hashed.sha256, format_of(f), data))
    present = {f.stem for f in files}
    out.gone = sorted(i for i in stored if i not in present)
    return out


def build_store(files: list[Path], path: str | Path, jobs: int | None = None, lang: str = "auto",
                prune: bool = False, force: bool = False, max_bytes: int = MAX_BYTES,
                on_progress: Callable[[int, int], None] | None = None, answers: bool = True,
                on_answer: Callable[[int, int, str], None] | None = None, date: str | None = None,
                keep_versions: int | None = None, keep_since: str | None = None,
                checksum: bool = False) -> BuildSummary:
    """Build or update the store at ``path``.

    A new store is bulk-loaded into a temporary directory beside ``path`` and
    renamed into place when complete (an interrupted first build leaves no
    store, never half of one); an existing store is updated transactionally
    (and upgraded first if an older policykg wrote it). A changed file becomes
    a new version of its policy (``date``: the version's date when the text
    states none); ``keep_versions``/``keep_since`` then drop old versions. With
    ``answers`` the canned answers are brought up to date with what changed
    (:mod:`policykg.answers`). What the build knew is kept for the next one
    (:mod:`policykg.buildindex`); ``checksum`` reads every file and the store's
    bookkeeping instead of trusting it.
    """
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise InputError("is a file, not a store directory", str(target))
    made = not target.exists()
    target.mkdir(parents=True, exist_ok=True)  # --store new/dirs/store: made, as a store is
    with _build_lock(target):
        try:
            return _build_locked(files, target, jobs, lang, prune, force, max_bytes, on_progress, answers,
                                 on_answer, date, keep_versions, keep_since, checksum)
        except BaseException:
            if made and target.is_dir() and not any(target.iterdir()):
                target.rmdir()  # a first build that failed leaves nothing, as before it began
            raise


@contextlib.contextmanager
def _build_lock(target: Path) -> Iterator[None]:
    """Hold an exclusive lock on the store directory for one build, taken before
    anything else is read or written.

    A first build loads into a directory beside the store and renames it into place;
    Oxigraph's own lock (inside the database) does not exist yet, so two first builds
    raced and the later rename failed ("Directory not empty"), losing that build's
    work. The lock is ``flock`` on the directory itself: released when the process
    ends, however it ends, so no stale lock file is ever left. The rename replaces
    the empty locked directory with the store; a build started after it locks the
    store and updates it.
    """
    try:
        import fcntl
    except ImportError:  # not POSIX: Oxigraph's own lock guards updates; first builds are not serialised
        yield
        return
    fd = os.open(target, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PolicyKGError("is being built or updated by another policykg process; wait for it to finish",
                                str(target)) from None
        yield
    finally:
        os.close(fd)


def _build_locked(files: list[Path], target: Path, jobs: int | None, lang: str, prune: bool, force: bool,
                  max_bytes: int, on_progress: Callable[[int, int], None] | None, answers: bool,
                  on_answer: Callable[[int, int, str], None] | None, date: str | None,
                  keep_versions: int | None, keep_since: str | None, checksum: bool) -> BuildSummary:
    """:func:`build_store` once the store directory is locked."""
    _remove_abandoned(target)
    if Store.exists(target):
        store = Store(target)
        if store.format() is None:
            from policykg.versions import upgrade

            upgrade(store)
        index = Index(target)
        try:
            filed = None if checksum else index.policies(store.state())
            if filed is not None:
                store.know(filed)
            summary = build(files, store, jobs, lang, prune, force, max_bytes, on_progress, date=date,
                            index=index, checksum=checksum)
            _prune_versions(store, summary, keep_versions, keep_since)
            if len(summary.extracted) + len(summary.removed) >= COMPACT_AFTER:
                _compact(store, summary)
            if answers:
                _keep_answers(store, summary, on_answer)
            store.close_archive()
            _file_bookkeeping(store, index, summary)
        finally:
            index.close()
        return summary
    if any(target.iterdir()):
        raise PolicyKGError("exists and is not a policykg store; choose another --store", str(target))
    tmp = target.with_name(f".{target.name}.building-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    store: Store | None = None
    index: Index | None = None
    try:
        store = Store(tmp)
        index = Index(tmp)
        summary = build(files, store, jobs, lang, prune, force, max_bytes, on_progress, bulk=True, date=date,
                        index=index)
        _compact(store, summary)
        if answers:
            _keep_answers(store, summary, on_answer)
        store.close_archive()
        _file_bookkeeping(store, index, summary)
        index.close()
        store = None
        gc.collect()  # closes the database before the rename
        tmp.rename(target)  # replaces the empty, locked directory in one step
    except BaseException as exc:
        # the database must be closed before its folder is removed: the frames of the
        # traceback hold it open, and closing it writes its last files into the folder
        traceback.clear_frames(exc.__traceback__)
        if index is not None:
            index.close()
        if store is not None:
            store.close_archive()
        store = None
        gc.collect()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return summary


def _prune_versions(store: Store, summary: BuildSummary, keep: int | None, since: str | None) -> None:
    """Drop old versions on request; after that, or after removing policies, sweep the
    archive of entries no record refers to (also what a build killed between archiving
    and recording left: harmless meanwhile, the next build that supersedes the same
    version writes the same entry again)."""
    from policykg import versions

    if keep is not None or since is not None:
        summary.pruned_versions = versions.prune(store, keep, since)
    if summary.removed or summary.pruned_versions:
        used, texts = versions.referenced(store)
        store.archive.sweep(used, texts)


def _file_bookkeeping(store: Store, index: Index, summary: BuildSummary) -> None:
    """File the bookkeeping of every policy under the store's state, for the next build
    (timed with the build: after a first build it is read from the store once)."""
    t = time.perf_counter()
    state = store.state()
    if state is not None:
        index.file_policies(state, store.policies())
    summary.seconds += time.perf_counter() - t


def _compact(store: Store, summary: BuildSummary) -> None:
    """Flush and compact after a large write, so that queries do not pay for it (see
    :meth:`Store.optimize`); counted in the build's time."""
    t = time.perf_counter()
    log.info("compacting the store")
    store.flush()
    store.optimize()
    summary.seconds += time.perf_counter() - t


def _keep_answers(store: Store, summary: BuildSummary,
                  on_answer: Callable[[int, int, str], None] | None) -> None:
    """Bring the kept answers of the canned queries up to date with the store (work in
    proportion to what changed; nothing when the build changed nothing); timed apart."""
    from policykg import answers

    t = time.perf_counter()
    try:
        summary.answered = answers.keep(store, answers.canned(), on_answer)
    except (OSError, sqlite3.Error) as exc:  # e.g. a full disk: the build is complete, queries evaluate live
        summary.warnings.append(f"answers of the canned queries not kept ({exc}); queries will be evaluated live")
    summary.answer_seconds = time.perf_counter() - t


def _remove_abandoned(target: Path) -> None:
    """Temporary directories of first builds that were killed (their process is gone)."""
    for d in target.parent.glob(f".{target.name}.building-*"):
        pid = d.name.rsplit("-", 1)[-1]
        try:
            os.kill(int(pid), 0)
        except (ValueError, ProcessLookupError):
            shutil.rmtree(d, ignore_errors=True)
        except PermissionError:
            pass


def build(files: list[Path], store: Store, jobs: int | None = None, lang: str = "auto",
          prune: bool = False, force: bool = False, max_bytes: int = MAX_BYTES,
          on_progress: Callable[[int, int], None] | None = None, bulk: bool = False,
          date: str | None = None, index: Index | None = None, checksum: bool = False) -> BuildSummary:
    """Bring ``store`` up to date with ``files`` (see the module docstring).

    ``bulk`` streams everything through Oxigraph's bulk loader (not
    transactional: only for a store nobody sees yet, see :func:`build_store`).
    """
    from policykg import versions

    t0 = time.perf_counter()
    summary = BuildSummary()
    todo = plan(files, store, lang, force, None if index is None or checksum else index.files())
    if index is not None:
        index.remember(todo.hashed)
    summary.unchanged = todo.unchanged
    archive = store.archive
    if todo.learn:
        archive.put_texts((sha, fmt, zlib.compress(data)) for _, _, sha, fmt, data in todo.learn)
        archive.commit()
        store.add_history([(i, n, versions.checksum_ntriples(i, n, sha), sha) for i, n, sha, _, _ in todo.learn])
    if prune and todo.gone:
        store.remove(todo.gone)
        archive.drop_policies(todo.gone)
        archive.commit()
        summary.removed = todo.gone
    else:
        summary.stale = todo.gone
    stored = {} if bulk else store.policies()
    recorded = versions.now()

    def tasks() -> Iterator[_Task]:
        """One task per file; a changed one carries the version it supersedes (read
        from the store when the task is handed to a worker, not all at once)."""
        for f in todo.todo:
            old = stored.get(f.stem)
            prev = None
            if old is not None:
                current = [h for h in versions.history(store, old.identifier) if h.current]
                prev = Previous(old.version or 1, old.sha256, old.content_hash, store.policy_ntriples(old.identifier),
                                archive.raw(old.sha256) if old.sha256 else None, old.fingerprint,
                                current[0].date if current else "")
            yield _Task(str(f), lang, max_bytes, date, recorded, prev)

    jobs = max(1, jobs or os.cpu_count() or 1)
    pending: list[Extracted] = []
    last_write = time.perf_counter()
    done = 0

    def archive_batch(batch: list[Extracted]) -> None:
        """Files and superseded graphs go to the archive, committed, before the store
        records the versions that refer to them."""
        archive.put_texts((e.sha256, e.text[0], e.text[1]) for e in batch if e.sha256 and e.text)
        for e in batch:
            if e.superseded is not None:
                iri, nt, fp = e.superseded
                archive.put_graph(iri, e.identifier, nt, fp)
        archive.commit()

    def flush() -> None:
        nonlocal pending, last_write
        if pending:
            archive_batch(pending)
            store.write(pending)
            _remember(index, pending)
            summary.extracted.extend(e.identifier for e in pending)
            summary.new_versions += sum(1 for e in pending if e.superseded is not None)
            log.info("committed %d policies", len(summary.extracted))
            pending = []
        last_write = time.perf_counter()

    def extracted() -> Iterator[Extracted]:
        """Successful extractions; failures and warnings go to the summary."""
        nonlocal done
        for ext, warnings, error in _results(tasks(), len(todo.todo), jobs):
            done += 1
            summary.warnings.extend(warnings)
            if error is not None:
                summary.failed.append((error.split(":", 1)[0], error))
            elif ext is not None:
                yield ext
            if on_progress:
                on_progress(done, len(todo.todo))

    if bulk:
        def batches() -> Iterator[list[Extracted]]:
            for ext in extracted():
                summary.extracted.append(ext.identifier)
                if ext.sha256 and ext.text:
                    archive.put_texts([(ext.sha256, ext.text[0], ext.text[1])])
                    ext.text = None  # archived: not kept in memory with the quads
                if len(summary.extracted) % BATCH_POLICIES == 0:
                    archive.commit()
                    log.info("loaded %d policies (first build: visible when complete)", len(summary.extracted))
                yield [ext]
            archive.commit()

        def remembered() -> Iterator[list[Extracted]]:
            for batch in batches():
                _remember(index, batch)
                yield batch

        store.bulk_write(remembered())
        summary.seconds = time.perf_counter() - t0
        return summary

    for ext in extracted():
        pending.append(ext)
        if len(pending) >= BATCH_POLICIES or time.perf_counter() - last_write > BATCH_SECONDS:
            flush()
    flush()
    store.flush()
    summary.seconds = time.perf_counter() - t0
    return summary


def _remember(index: Index | None, batch: list[Extracted]) -> None:
    """The files of extracted policies, as their worker read them, go to the build index."""
    if index is not None:
        index.remember((_key(Path(e.source)), e.hashed) for e in batch if isinstance(e.hashed, Hashed))


def _results(tasks: Iterable[_Task], count: int, jobs: int
             ) -> Iterator[tuple[Extracted | None, list[str], str | None]]:
    """Extraction results in completion order; in-process when one job is asked for,
    or when there are only a few files (:data:`IN_PROCESS`).

    At most ``4 * jobs`` tasks are in flight, so memory does not grow with the
    corpus (workers read the files; only N-Triples come back).
    """
    if jobs == 1 or count <= IN_PROCESS:
        for t in tasks:
            yield _extract(t)
        return
    ex = ProcessPoolExecutor(max_workers=jobs)
    try:
        it = iter(tasks)
        running: set[Future] = set()  # type: ignore[type-arg]
        for t in it:
            running.add(ex.submit(_extract, t))
            if len(running) >= 4 * jobs:
                break
        while running:
            finished, running = wait(running, return_when=FIRST_COMPLETED)
            for fut in finished:
                nxt = next(it, None)
                if nxt is not None:
                    running.add(ex.submit(_extract, nxt))
                yield fut.result()
    finally:
        ex.shutdown(wait=True, cancel_futures=True)
