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


def test_extraction_leaves_no_cyclic_garbage(monkeypatch):
    """A policy's document, tokens and matches are freed by reference counting when the
    extraction is dropped: the collector, paused during it, has nothing to find after.
    (A reference from the document's passage kinds back to the document made each one
    a cycle of ~1,300 objects, which every collection then had to traverse.)"""
    from pathlib import Path

    from policykg import extractors
    from policykg.pipeline import extract_source
    from policykg.reading import read_source

    monkeypatch.setattr(extractors, "settle", lambda lang: None)  # no freezing in between
    policies = sorted((Path(__file__).resolve().parent.parent / "data" / "policies").glob("*.txt"))
    sources = [read_source(p) for p in policies]
    for src in sources:  # vocabularies, memos and patterns load on first use
        extract_source(src)
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for src in sources:
            extract_source(src)
        gc.collect()
        left = [type(o).__name__ for o in gc.garbage]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert left == []


def test_extraction_runs_with_the_collector_paused(monkeypatch):
    from pathlib import Path

    from policykg import extractors
    from policykg.pipeline import extract_source
    from policykg.reading import read_source

    seen = []
    monkeypatch.setitem(extractors.REGISTRY, "probe", lambda doc: seen.append(gc.isenabled()) or [])
    policy = sorted((Path(__file__).resolve().parent.parent / "data" / "policies").glob("*.txt"))[0]
    extract_source(read_source(policy))
    assert seen == [False] and gc.isenabled()
