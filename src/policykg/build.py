"""Incremental, parallel builds of the embedded store.

``build(paths, store)`` brings a store up to date with a set of policy files:

* a policy whose bytes (SHA-256) and extractor fingerprint match what the store
  recorded is skipped — re-running a build on an unchanged corpus extracts
  nothing;
* new and changed policies are extracted in worker processes (``jobs``) and
  written by the parent in batches, each batch one Oxigraph transaction in
  which every policy's old graphs are dropped and its new ones inserted;
* policies whose file is gone are removed only when ``prune`` is set.

Interrupting a build (Ctrl-C, SIGTERM, SIGKILL) loses at most the batch being
written, and that batch is either entirely in the store or not at all.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from policykg.errors import InputError, PolicyKGError
from policykg.reading import MAX_BYTES, format_of, read_bytes_source
from policykg.store import Extracted, Store, content_hash, fingerprint

BATCH_POLICIES = int(os.environ.get("POLICYKG_BUILD_BATCH", "200"))
"""Policies per transaction in an incremental build (a kill loses at most one batch's work)."""
BATCH_SECONDS = 5.0
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

    def text(self) -> str:
        parts = [f"extracted {len(self.extracted)}", f"unchanged {self.unchanged}"]
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
class _Task:
    path: str
    lang: str
    max_bytes: int


def _extract(task: _Task) -> tuple[Extracted | None, list[str], str | None]:
    """Worker: one policy file -> N-Triples. The hash is of the bytes actually
    extracted; errors come back as messages, so one bad file does not stop a
    build of thousands."""
    from policykg.pipeline import extract_source

    try:
        path = Path(task.path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot be read ({exc.strerror})", task.path) from None
        src = read_bytes_source(data, path.stem, format_of(path), task.path, task.max_bytes)
        if not src.text.strip():
            raise InputError("has no text once its markup is removed", task.path)
        result = extract_source(src, task.lang)
    except PolicyKGError as exc:
        return None, [], exc.format_message()
    except Exception as exc:  # noqa: BLE001 - reported per file, the build goes on
        return None, [], f"{task.path}: extraction failed ({type(exc).__name__}: {exc})"
    ext = Extracted(src.identifier, task.path, content_hash(data, task.lang), result.triples.to_ntriples(),
                    result.derived_triples.to_ntriples())
    return ext, result.warnings, None


def plan(files: list[Path], store: Store, lang: str = "auto", force: bool = False
         ) -> tuple[list[Path], int, list[str]]:
    """(files to extract, number unchanged, identifiers in the store whose file is gone).

    Files are hashed one at a time: memory does not grow with the corpus.
    """
    stored = store.policies()
    fp = fingerprint()
    todo: list[Path] = []
    unchanged = 0
    for f in files:
        old = stored.get(f.stem)
        if not force and old is not None and old.fingerprint == fp and \
                old.content_hash == content_hash(f.read_bytes(), lang):
            unchanged += 1
        else:
            todo.append(f)
    present = {f.stem for f in files}
    gone = sorted(i for i in stored if i not in present)
    return todo, unchanged, gone


def build_store(files: list[Path], path: str | Path, jobs: int | None = None, lang: str = "auto",
                prune: bool = False, force: bool = False, max_bytes: int = MAX_BYTES,
                on_progress: Callable[[int, int], None] | None = None, answers: bool = True,
                on_answer: Callable[[int, int, str], None] | None = None) -> BuildSummary:
    """Build or update the store at ``path``.

    A new store is bulk-loaded into a temporary directory beside ``path`` and
    renamed into place when complete (an interrupted first build leaves no
    store, never half of one); an existing store is updated transactionally.
    With ``answers`` the canned queries are then evaluated and their answers
    kept for this state of the store (:mod:`policykg.answers`).
    """
    target = Path(path)
    _remove_abandoned(target)
    if Store.exists(target):
        store = Store(target)
        summary = build(files, store, jobs, lang, prune, force, max_bytes, on_progress)
        if len(summary.extracted) + len(summary.removed) >= COMPACT_AFTER:
            _compact(store, summary)
        if answers:
            _keep_answers(store, summary, on_answer)
        return summary
    if target.exists() and any(target.iterdir()):
        raise PolicyKGError("exists and is not a policykg store; choose another --store", str(target))
    tmp = target.with_name(f".{target.name}.building-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)  # --store new/dirs/store: made, as a store is
    try:
        store = Store(tmp)
        summary = build(files, store, jobs, lang, prune, force, max_bytes, on_progress, bulk=True)
        _compact(store, summary)
        if answers:
            _keep_answers(store, summary, on_answer)
        del store
        gc.collect()  # closes the database before the rename
        if target.exists():
            target.rmdir()
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return summary


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
    """Evaluate the canned queries once for this state of the store (only those not
    kept yet: nothing when the build changed nothing); timed apart from the build."""
    from policykg import answers

    t = time.perf_counter()
    try:
        summary.answered = answers.keep(store, answers.canned(), on_answer)
    except OSError as exc:  # e.g. a full disk: the build itself is complete, queries evaluate live
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
          on_progress: Callable[[int, int], None] | None = None, bulk: bool = False) -> BuildSummary:
    """Bring ``store`` up to date with ``files`` (see the module docstring).

    ``bulk`` streams everything through Oxigraph's bulk loader (not
    transactional: only for a store nobody sees yet, see :func:`build_store`).
    """
    t0 = time.perf_counter()
    summary = BuildSummary()
    todo, summary.unchanged, gone = plan(files, store, lang, force)
    if prune and gone:
        store.remove(gone)
        summary.removed = gone
    else:
        summary.stale = gone
    tasks = [_Task(str(f), lang, max_bytes) for f in todo]
    jobs = max(1, jobs or os.cpu_count() or 1)
    pending: list[Extracted] = []
    last_write = time.perf_counter()
    done = 0

    def flush() -> None:
        nonlocal pending, last_write
        if pending:
            store.write(pending)
            summary.extracted.extend(e.identifier for e in pending)
            log.info("committed %d policies", len(summary.extracted))
            pending = []
        last_write = time.perf_counter()

    def extracted() -> Iterator[Extracted]:
        """Successful extractions; failures and warnings go to the summary."""
        nonlocal done
        for ext, warnings, error in _results(tasks, jobs):
            done += 1
            summary.warnings.extend(warnings)
            if error is not None:
                summary.failed.append((error.split(":", 1)[0], error))
            elif ext is not None:
                yield ext
            if on_progress:
                on_progress(done, len(tasks))

    if bulk:
        def batches() -> Iterator[list[Extracted]]:
            for ext in extracted():
                summary.extracted.append(ext.identifier)
                if len(summary.extracted) % BATCH_POLICIES == 0:
                    log.info("loaded %d policies (first build: visible when complete)", len(summary.extracted))
                yield [ext]

        store.bulk_write(batches())
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


def _results(tasks: list[_Task], jobs: int) -> Iterator[tuple[Extracted | None, list[str], str | None]]:
    """Extraction results in completion order; in-process when one job is asked for.

    At most ``4 * jobs`` tasks are in flight, so memory does not grow with the
    corpus (workers read the files; only N-Triples come back).
    """
    if jobs == 1 or len(tasks) <= 1:
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
