from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from emulators.seed import demo_fixtures

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_demo_set_has_about_25_referrals_with_unique_ids() -> None:
    referrals = demo_fixtures(NOW).referrals
    assert 20 <= len(referrals) <= 30
    assert len({r["id"] for r in referrals}) == len(referrals)


def test_demo_set_covers_every_status_and_substatus() -> None:
    pairs = Counter((r["status"], r["substatus"]) for r in demo_fixtures(NOW).referrals)
    assert set(pairs) >= {
        ("New", "Pending"),
        ("New", "Received"),
        ("Active", "Accepted"),
        ("Closed", "Won"),
        ("Closed", "Lost"),
        ("Closed", "Declined"),
        ("Closed", "Expired"),
    }


def test_several_customers_share_a_name_prefix() -> None:
    customers = {r["customerProfile"]["name"] for r in demo_fixtures(NOW).referrals}
    assert len([name for name in customers if name.startswith("Contoso")]) >= 3
    assert len([name for name in customers if name.startswith("Fabrikam")]) >= 2


def test_some_incoming_leads_expire_within_two_days() -> None:
    soon = [
        r
        for r in demo_fixtures(NOW).referrals
        if r["status"] == "New"
        and _parse(r["expirationDateTime"]) - NOW < timedelta(days=2)
        and _parse(r["expirationDateTime"]) > NOW
    ]
    assert len(soon) >= 2


def test_there_are_users_with_each_role_and_one_without() -> None:
    users = demo_fixtures(NOW).users
    roles = Counter(role for user in users for role in user.roles)
    assert roles["Referral Admin"] >= 1
    assert roles["Global Admin"] >= 1
    assert roles["Referral User"] >= 2
    assert any(not user.roles for user in users)


def test_every_team_member_of_a_referral_is_a_demo_user() -> None:
    fixtures = demo_fixtures(NOW)
    for referral in fixtures.referrals:
        for member in referral["team"]:
            assert fixtures.user_by_upn(member["email"]) is not None
