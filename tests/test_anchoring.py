"""Re-anchoring quotes of an old text in a new one (anchoring.py)."""

from __future__ import annotations

from policykg import anchoring
from policykg.anchoring import Anchor
from tests.conftest import shared_dir


def _at(text: str, quote: str, nth: int = 0) -> Anchor:
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    return anchoring.anchor(text, start, start + len(quote))


def test_kept_moved_lost() -> None:
    old = "Intro. We use Mailchimp for newsletters. We keep logs for 6 months. Contact us."
    new = "A new intro paragraph. We use Mailchimp for newsletters. Contact us."
    anchors = [_at(old, "Intro."), _at(old, "We use Mailchimp for newsletters."),
               _at(old, "We keep logs for 6 months."), _at(old, "Contact us.")]
    placed = anchoring.reanchor(anchors, new)
    assert [p.status for p in placed] == ["lost", "moved", "lost", "moved"]
    for a, p in zip(anchors, placed, strict=True):
        if p.start is not None:
            assert new[p.start:p.end] == a.exact
    assert anchoring.reanchor(anchors, old) == [anchoring.Placed("kept", a.start, a.end) for a in anchors]
    assert anchoring.tally(placed) == {"kept": 0, "moved": 2, "lost": 2}


def test_a_repeated_quote_goes_where_its_prefix_and_suffix_fit() -> None:
    old = "Cookies. Analytics: Yes. Marketing: Yes. Functional: No."
    new = "Preamble added. Cookies. Functional: No. Marketing: Yes. Analytics: Yes."
    marketing = _at(old, "Yes", 1)  # the "Yes" after "Marketing: "
    placed = anchoring.reanchor([marketing], new)[0]
    assert placed.status == "moved"
    assert new[placed.start - len("Marketing: "):placed.start] == "Marketing: "


def test_without_context_the_nearest_occurrence_after_the_shift_wins() -> None:
    old = "Yes. filler filler. Yes. tail"
    new = "XXXXX Yes. filler filler. Yes. tail"  # everything moved by 6
    second = Anchor(old.index("Yes", 1), old.index("Yes", 1) + 3, "Yes")
    unique = Anchor(old.index("filler"), old.index("filler") + len("filler filler"), "filler filler")
    placed = anchoring.reanchor([unique, second], new)
    assert placed[1].start == second.start + 6


def test_firefox_history_re_anchors_without_a_wrong_offset() -> None:
    """Every annotation of one version of the Firefox notice, placed in the next: each
    kept or moved one quotes exactly its words there (three pairs: a small edit, a
    re-ordering, the 2025 rewrite)."""
    from policykg import diff

    files = sorted(shared_dir("versions/firefox-privacy-notice-en").glob("*.md"))
    picked = [files[0], files[1], files[6], files[7], files[8]]
    read = [diff.read_file(str(f))[0] for f in picked]
    totals = {"kept": 0, "moved": 0, "lost": 0}
    for old, new in zip(read, read[1:], strict=False):
        anchors = list(old.anchors.values())
        placed = anchoring.reanchor(anchors, new.text or "")
        for a, p in zip(anchors, placed, strict=True):
            if p.status != "lost":
                assert new.text[p.start:p.end] == a.exact  # type: ignore[index]
            if p.status == "kept":
                assert (p.start, p.end) == (a.start, a.end)
        for k, v in anchoring.tally(placed).items():
            totals[k] += v
    assert totals["moved"] > 100 and totals["lost"] > 50  # the history does move and drop passages
