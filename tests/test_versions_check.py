"""scripts/versions_check.py on the real version histories in ../shared/versions (issue 19)."""

from __future__ import annotations

import sys

from tests.conftest import ROOT, shared_dir

sys.path.insert(0, str(ROOT / "scripts"))
import versions_check as check  # noqa: E402


def test_every_pair_of_every_history_is_read_with_quotes_that_match() -> None:
    """Each consecutive pair of the six histories is diffed; no quote of a change (old, new or
    re-anchored) points at other words than its own; expectations read side by side."""
    versions = shared_dir("versions")
    found = {d.name: check.pairs(d) for d in sorted(versions.iterdir()) if d.is_dir()}
    assert sum(len(v) for v in found.values()) == sum(len(list(d.glob("*.md"))) - 1 for d in versions.iterdir()
                                                      if d.is_dir())
    assert all(r["wrong"] == 0 for v in found.values() for r in v)
    # every annotation of an old version is accounted for, and most survive an edit somewhere
    placed = {k: sum(r["anchoring"][k] for v in found.values() for r in v) for k in ("kept", "moved", "lost")}
    assert placed["kept"] + placed["moved"] > placed["lost"] > 0
    # GitHub's privacy statement only changed list markers ('-' to '*') and link targets
    assert not [c for r in found["github-privacy-statement"] for c in r["changes"]]
    # Tines is the one subprocessor added on 2026-03-11 (and nothing removed)
    [last] = [r for r in found["github-subprocessors"] if r["new"] == "2026-03-11"]
    assert [(c.kind, c.aspect, c.label) for c in last["changes"]] == [("added", "processor", "Tines Automation Inc.")]
    # Cloudflare appears in Firefox's notice in August 2020 (DNS over HTTPS)
    [doh] = [r for r in found["firefox-privacy-notice-en"] if r["new"] == "2020-08-10"]
    assert any(c.kind == "added" and c.label == "Cloudflare" and "Cloudflare" in c.new_evidence[0].exact
               for c in doh["changes"])


def test_the_subprocessors_added_and_removed_on_githubs_list_are_named() -> None:
    """Read side by side, 23 subprocessors were added or removed between consecutive versions;
    `diff` names all of them (also "GitHub BV", the Dutch subsidiary, which is not GitHub, Inc.)."""
    right, total = check.github(shared_dir("versions") / "github-subprocessors")
    assert (right, total) == (23, 23)
