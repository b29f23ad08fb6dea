"""Wall-clock limits on work done for one input, so that no input can hang a batch.

A limit is an interval timer (SIGALRM) whose handler raises :class:`TimeLimit`
in the work it interrupts: pure-Python loops and Python's ``re`` engine (which
checks for signals while it backtracks) stop there. ``TimeLimit`` is a
BaseException so that an ``except Exception`` inside the work cannot swallow it.
Where there is no SIGALRM (Windows) or outside the main thread, there is no
limit: the work runs as before.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")


class TimeLimit(BaseException):  # noqa: N818 - not an error of the input, a stop
    """The work for one input ran past its limit."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.message = (f"took longer than {seconds:g} s and was stopped (a policy takes well under a "
                        "second; raise --time-limit if this one is real)")
        super().__init__(self.message)


def _available() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None, source: str = "") -> Iterator[None]:
    """Raise :class:`TimeLimit` in the body once ``seconds`` have passed (None or 0: no limit).

    Limits nest: an outer timer still pending is restored afterwards."""
    if not seconds or seconds <= 0 or not _available():
        yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise TimeLimit(seconds)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:
            signal.setitimer(signal.ITIMER_REAL, outer)


def run_limited(work: Callable[[], T], seconds: float | None) -> T:
    """``work()`` within ``seconds`` of wall-clock time, else :class:`TimeLimit`.

    For work inside native code that holds no Python frame to interrupt (an
    Oxigraph query computing an aggregate): it runs in a daemon thread (Oxigraph
    releases the GIL) while this thread waits. The work cannot be cancelled, so
    this is for a command that ends when the limit is reached: the process exit
    stops the thread."""
    if not seconds or seconds <= 0:
        return work()
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target, name="policykg-limited", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise TimeLimit(seconds)
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]
