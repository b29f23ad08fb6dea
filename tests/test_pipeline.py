"""Batches of policies: identifiers never collide, a bad file is named and the others go on,
and one policy cannot hang the batch (issues 20, 22)."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from policykg import pipeline
from policykg.errors import InputError, PolicyKGError
from policykg.pipeline import check_unique, extract_each, extract_paths, policy_files

EN = ("Acme Privacy Policy\n\nAcme Widgets AB is the data controller. We use your e-mail address to send "
      "newsletters with Mailchimp, based on your consent. We keep it for 24 months.\n")


def _write(folder: Path, name: str, content: str | bytes = EN) -> Path:
    p = folder / name
    p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return p


@pytest.mark.parametrize("a,b", [("a-b.txt", "a_b.md"), ("Acme.txt", "acme.html"), ("a b.txt", "a--b.md")])
def test_two_files_with_the_same_identifier_are_an_error_naming_both(tmp_path: Path, a: str, b: str) -> None:
    pa, pb = _write(tmp_path, a), _write(tmp_path, b)
    if pipeline.slug(pa.stem) != pipeline.slug(pb.stem):
        pytest.skip("these names make different IRIs here")
    with pytest.raises(PolicyKGError, match="would share the identifier") as err:
        policy_files([tmp_path])
    assert str(pa) in err.value.format_message() and str(pb) in err.value.format_message()


def test_stdin_colliding_with_a_file_names_the_id() -> None:
    with pytest.raises(PolicyKGError, match="--id"):
        check_unique([("a-b", "<stdin>"), ("a b", "x/a b.txt")])
    check_unique([("acme", "<stdin>"), ("other", "x/other.txt")])


def test_a_bad_file_is_named_and_the_others_go_on(tmp_path: Path) -> None:
    good = _write(tmp_path, "acme.txt")
    empty = _write(tmp_path, "empty.txt", b"")
    binary = _write(tmp_path, "zz.txt", b"\x00\x01\x02\xff" * 100)
    got = list(extract_each([empty, good, binary]))
    assert [(f, r is not None) for f, r, _ in got] == [(empty, False), (good, True), (binary, False)]
    assert got[0][2].startswith(f"{empty}: ") and got[2][2].startswith(f"{binary}: ")
    failures: list[tuple[str, str]] = []
    ds = extract_paths([tmp_path], failures=failures)
    assert [f for f, _ in failures] == [str(empty), str(binary)]
    assert any(str(g.identifier).endswith("/graph/acme") for g in ds.graphs())


def test_fail_fast_raises_at_the_first(tmp_path: Path) -> None:
    empty = _write(tmp_path, "empty.txt", b"")
    with pytest.raises(InputError, match="empty"):
        list(extract_each([empty, _write(tmp_path, "acme.txt")], fail_fast=True))
    with pytest.raises(InputError):
        extract_paths([tmp_path])  # without a list of failures, the first one raises


def test_a_file_whose_name_is_no_identifier_is_named(tmp_path: Path) -> None:
    bad = _write(tmp_path, "a\x01b.txt")
    ((_, result, error),) = list(extract_each([bad]))
    assert result is None and "control" in (error or "")


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no SIGALRM on this platform")
def test_a_policy_past_its_time_limit_is_named_and_the_batch_goes_on(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    slow, good = _write(tmp_path, "slow.txt"), _write(tmp_path, "acme.txt")
    real = pipeline.extract_source

    def hang_on_slow(src, lang="auto"):  # type: ignore[no-untyped-def]
        while src.identifier == "slow":
            pass
        return real(src, lang)

    monkeypatch.setattr(pipeline, "extract_source", hang_on_slow)
    got = list(extract_each([slow, good], seconds=0.3))
    assert got[0][1] is None and "longer than 0.3 s" in (got[0][2] or "") and str(slow) in (got[0][2] or "")
    assert got[1][1] is not None
