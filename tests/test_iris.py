"""Policy identifiers: validated before they make IRIs (issue 22)."""

from __future__ import annotations

import pytest

from policykg.errors import InputError
from policykg.iris import check_identifier


@pytest.mark.parametrize("good", ["acme", "Acme_Widgets-2024.v2", "Ærø Data", "株式会社", "a.b"])
def test_identifiers_are_kept_as_given(good: str) -> None:
    assert check_identifier(good) == good


@pytest.mark.parametrize("bad,why", [
    ("a/b", "path separator"), ("a\\b", "path separator"), ("..", "'..'"), ("x..y", "'..'"),
    ("tab\tname", "control"), ("new\nline", "control"), ("nul\x00", "control"), ("zero\u200bwidth", "invisible"),
    ("surrogate\udcff", "not UTF-8"), ("x" * 201, "longer than 200"), ("", "empty"), ("   ", "empty"),
])
def test_identifiers_that_would_make_bad_iris_are_refused(bad: str, why: str) -> None:
    with pytest.raises(InputError, match=why) as err:
        check_identifier(bad)
    assert "\n" not in err.value.format_message().replace(repr(bad), "")


def test_the_source_is_named() -> None:
    with pytest.raises(InputError) as err:
        check_identifier("a\x01b", "folder/a\x01b.txt")
    assert err.value.format_message().startswith("folder/a\x01b.txt: the policy identifier")
