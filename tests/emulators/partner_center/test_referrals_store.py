"""The in-memory store: seeding, reset, bump_etag and all-or-nothing updates (no HTTP)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from emulators.fixtures import FixtureError
from emulators.partner_center.errors import ApiError, invalid_request
from emulators.partner_center.store import ReferralStore
from emulators.seed import demo_fixtures
from tests.support.seeds import DEAL, emulator_referrals

FROZEN = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def make_store(seed: list[dict[str, Any]] | None = None) -> ReferralStore:
    referrals = emulator_referrals() if seed is None else seed
    return ReferralStore(referrals, base_url="http://127.0.0.1:1", clock=lambda: FROZEN)


def _set_notes(doc: dict[str, Any]) -> dict[str, Any]:
    doc["details"]["notes"] = "changed"
    return doc


def test_the_demo_seed_loads_and_every_referral_is_complete() -> None:
    store = make_store(list(demo_fixtures().referrals))
    docs = store.all()
    assert len(docs) == len(demo_fixtures().referrals)
    assert all(doc["eTag"] and doc["links"]["self"]["uri"] for doc in docs)


def test_reset_restores_the_first_load_exactly() -> None:
    store = make_store()
    first = store.all()
    store.update(DEAL, _set_notes, if_match=None, visible=lambda _: True)
    store.create({"type": "Independent", "customerProfile": {}, "consent": {}, "details": {}})
    store.bump_etag(DEAL)
    store.reset()
    assert store.all() == first


def test_bump_etag_changes_only_the_etag_and_updated_time() -> None:
    store = make_store()
    before = store.get(DEAL)
    assert store.bump_etag(DEAL) is True
    after = store.get(DEAL)
    assert before is not None
    assert after is not None
    assert after["eTag"] != before["eTag"]
    assert after["updatedDateTime"] > before["updatedDateTime"]
    same = {key for key in before if key not in ("eTag", "updatedDateTime")}
    assert {key: after[key] for key in same} == {key: before[key] for key in same}


def test_bump_etag_of_an_unknown_referral_is_false() -> None:
    assert make_store().bump_etag("missing") is False


def test_a_refused_change_stores_nothing() -> None:
    store = make_store()
    before = store.get(DEAL)

    def refuse(doc: dict[str, Any]) -> dict[str, Any]:
        doc["details"]["notes"] = "half-done"
        raise invalid_request("no", target="x")

    with pytest.raises(ApiError):
        store.update(DEAL, refuse, if_match=None, visible=lambda _: True)
    assert store.get(DEAL) == before


def test_updated_time_increases_even_when_the_clock_stands_still() -> None:
    store = make_store()
    times = [
        store.update(DEAL, _set_notes, if_match=None, visible=lambda _: True)["updatedDateTime"]
        for _ in range(3)
    ]
    assert times == sorted(set(times))


def test_returned_documents_are_copies() -> None:
    store = make_store()
    doc = store.get(DEAL)
    assert doc is not None
    doc["details"]["notes"] = "mutated outside"
    assert store.get(DEAL) != doc


@pytest.mark.parametrize(
    "seed",
    [
        [{"id": "1"}, {"id": "1"}],
        [{"id": "1", "status": "Closed", "substatus": "Accepted"}],
        [{"id": "1", "status": "New", "substatus": "Declined", "direction": "Outgoing"}],
        [{"id": "1", "details": {"dealValue": "many"}}],
        [{"id": "1", "team": [{"firstName": "No email"}]}],
        [{"id": "1", "createdDateTime": "yesterday"}],
    ],
    ids=["duplicate-id", "bad-pairing", "bad-direction", "bad-deal-value", "no-email", "bad-date"],
)
def test_bad_fixtures_are_refused_at_load(seed: list[dict[str, Any]]) -> None:
    with pytest.raises(FixtureError):
        make_store(seed)


def test_unknown_fixture_members_are_kept() -> None:
    store = make_store([{"id": "1", "referralSource": "Marketplace"}])
    doc = store.get("1")
    assert doc is not None
    assert doc["referralSource"] == "Marketplace"
