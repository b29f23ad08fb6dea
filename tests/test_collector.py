"""policykg.collector: the garbage collector paused during extraction and restored."""

import gc

from policykg import collector


def test_paused_turns_the_collector_off_and_restores_it():
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_paused_restores_after_an_error():
    try:
        with collector.paused():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.isenabled()


def test_paused_keeps_a_callers_choice():
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()  # the caller turned it off: it stays off
    finally:
        gc.enable()


def test_settle_collects_and_freezes_at_the_second_policy_of_a_language(monkeypatch):
    calls = []
    monkeypatch.setattr(collector.gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(collector.gc, "collect", lambda: calls.append("collect"))
    monkeypatch.setattr(collector, "_SEEN", set())
    monkeypatch.setattr(collector, "_SETTLED", set())
    collector.settle("xx")
    assert calls == []  # the first policy loads the language's vocabularies
    collector.settle("yy")
    collector.settle("xx")
    assert calls == ["collect", "freeze"]  # garbage of the first policy is collected, not frozen
    collector.settle("xx")
    collector.settle("yy")
    assert calls == ["collect", "freeze"] * 2
