"""Wall-clock limits: a loop that does not end is stopped, and an outer limit survives an inner one."""

from __future__ import annotations

import re
import signal
import time

import pytest

from policykg.limits import TimeLimit, time_limit

needs_alarm = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no SIGALRM on this platform")


@needs_alarm
def test_a_loop_past_its_limit_is_stopped() -> None:
    start = time.monotonic()
    with pytest.raises(TimeLimit) as err, time_limit(0.2):
        while True:
            pass
    assert time.monotonic() - start < 5
    assert "0.2 s" in err.value.message


@needs_alarm
def test_catastrophic_backtracking_is_stopped() -> None:
    with pytest.raises(TimeLimit), time_limit(0.2):
        re.match(r"(a+)+$", "a" * 40 + "b")


@needs_alarm
def test_an_except_exception_inside_cannot_swallow_it() -> None:
    with pytest.raises(TimeLimit), time_limit(0.2):
        try:
            while True:
                pass
        except Exception:  # noqa: BLE001 - what a careless extractor might do
            pass


@needs_alarm
def test_work_within_its_limit_is_untouched_and_no_timer_is_left() -> None:
    with time_limit(5):
        assert sum(range(1000)) == 499500
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@needs_alarm
def test_an_outer_limit_survives_an_inner_one() -> None:
    with pytest.raises(TimeLimit) as err, time_limit(0.5):
        with time_limit(5):
            pass
        while True:
            pass
    assert err.value.seconds == 0.5


@pytest.mark.parametrize("seconds", [None, 0])
def test_no_limit(seconds: float | None) -> None:
    with time_limit(seconds):
        time.sleep(0.01)


def test_run_limited_returns_raises_and_stops_waiting() -> None:
    import threading

    from policykg.limits import run_limited

    assert run_limited(lambda: 42, 5) == 42
    assert run_limited(lambda: 7, None) == 7
    with pytest.raises(ZeroDivisionError):
        run_limited(lambda: 1 / 0, 5)
    release = threading.Event()
    with pytest.raises(TimeLimit):
        run_limited(lambda: release.wait(10), 0.2)
    release.set()  # the waiting thread ends; nothing is left running
