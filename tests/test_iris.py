"""Deterministic IRIs: every script transliterated, different names never one node; policy
identifiers validated before they make IRIs (issue 22)."""

from __future__ import annotations

import pytest

from policykg.errors import InputError
from policykg.iris import check_identifier, graph_iri, norm_name, org_iri


def test_names_in_any_script_keep_their_letters() -> None:
    assert str(org_iri("Ærø Data ApS")).rsplit("/", 1)[-1].startswith("aero-data-")
    assert str(org_iri("Ørsted A/S")).rsplit("/", 1)[-1].startswith("orsted-")
    assert str(org_iri("Яндекс ООО")).rsplit("/", 1)[-1].startswith("yandeks-ooo-")


def test_different_names_are_different_nodes() -> None:
    names = ["Müller GmbH", "Muller GmbH", "Яндекс", "Google", "株式会社テスト", "株式会社テスト2", "Ærø", "Aero"]
    iris = [org_iri(n) for n in names]
    assert len(set(iris)) == len(names)


def test_one_organisation_is_one_node_however_it_is_written() -> None:
    assert org_iri("Mailchimp Inc.") == org_iri("MailChimp") == org_iri("mailchimp")
    assert org_iri("Ærø Data ApS") == org_iri("ÆRØ DATA") == org_iri("Ærø Data")
    assert norm_name("Novo Nordisk A/S") == "novo nordisk"


def test_policy_identifiers_in_other_scripts_do_not_collide() -> None:
    assert graph_iri("å-policy") != graph_iri("ä-policy")
    assert graph_iri("iptor") == graph_iri("iptor")
    assert str(graph_iri("sv-binokel")).endswith("/graph/sv-binokel")


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
