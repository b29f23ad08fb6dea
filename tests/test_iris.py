"""Deterministic IRIs: every script transliterated, different names never one node."""

from __future__ import annotations

from policykg.iris import graph_iri, norm_name, org_iri


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
