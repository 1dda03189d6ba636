"""The scale bench's tenant: many referrals a Referral Admin sees, a few a Referral User's team
membership shows them, with the names, customers and dates of `bench.index_query`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bench.index_query import COMPANIES, FORMS, SELLERS, STATES, TOPICS, TRADES
from emulators.fixtures import Fixtures, FixtureUser
from emulators.partner_center.lifecycle import iso

ADMIN = FixtureUser.from_json(
    {"upn": "adele.admin@contoso.example", "name": "Adele Admin", "roles": ["Referral Admin"]}
)
USER = FixtureUser.from_json(
    {"upn": "sam.seller@contoso.example", "name": "Sam Seller", "roles": ["Referral User"]}
)

UNNAMED = frozenset({"Ember Cobalt"})


@dataclass(frozen=True)
class Tenant:
    """The fixtures, and per seller the unique customer names a turn can name."""

    fixtures: Fixtures
    customers: dict[str, list[str]]  # seller upn -> customers only that referral has

    def visible(self, seller: FixtureUser) -> int:
        if seller.is_admin:
            return len(self.fixtures.referrals)
        return sum(_on_team(doc, seller) for doc in self.fixtures.referrals)


def _on_team(doc: dict[str, Any], seller: FixtureUser) -> bool:
    return any(member["email"] == seller.upn for member in doc["team"])


def _member(first: str, last: str) -> dict[str, str]:
    return {"firstName": first, "lastName": last, "email": f"{first.lower()}@contoso.example"}


def scale_tenant(total: int, users_share: int, *, now: datetime, seed: int = 15) -> Tenant:
    """`total` referrals (all seen by `ADMIN`), `users_share` of them with `USER` on the team.

    One customer in three is numbered ("Contoso Pharma 0123"), two in three on `USER`'s
    referrals: unique, so "show" and "mark" by that name resolve to one referral. Updates
    spread over two years, closings over ±200 days around `now`, so "deals closing this
    quarter" has rows.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible bench data, not secrets
    on_team = set(rng.sample(range(total), users_share))
    referrals: list[dict[str, Any]] = []
    customers: dict[str, list[str]] = {ADMIN.upn: [], USER.upn: []}
    for number in range(total):
        company, trade = rng.choice(COMPANIES), rng.choice(TRADES)
        customer = f"{company} {trade} {rng.choice(FORMS)}".strip()
        unique = number % 3 == 0 or (number in on_team and number % 3 == 1)
        if unique:
            customer = f"{company} {trade} {number:04d}"
        status, substatus, direction = rng.choice(STATES)
        created = now - timedelta(days=rng.uniform(14, 730))
        team = [_member(*rng.choice(SELLERS))]
        if number in on_team:
            team.append({**_member(USER.first_name, USER.last_name), "email": USER.upn})
        incoming = direction == "Incoming"
        referral: dict[str, Any] = {
            "id": f"{rng.getrandbits(128):032x}",
            "name": f"{company} {trade} {rng.choice(TOPICS)}",
            "status": status,
            "substatus": substatus,
            "direction": direction,
            "type": "Shared" if incoming else "Independent",
            "qualification": "SalesQualified" if incoming else "None",
            "createdDateTime": iso(created),
            "updatedDateTime": iso(created + timedelta(days=rng.uniform(0, 13))),
            "customerProfile": {
                "name": customer,
                "address": {"city": "Seattle", "country": rng.choice(("US", "DE", "GB", "CH"))},
            },
            "details": {
                "notes": "",
                "dealValue": rng.randrange(5, 2000) * 1000,
                "currency": rng.choice(("USD", "EUR", "GBP")),
                "closingDateTime": iso(now + timedelta(days=rng.randint(-200, 200))),
            },
            "team": team,
        }
        if not incoming:
            referral["salesStage"] = rng.choice(("Qualify", "Develop", "Propose", "Close"))
        if rng.random() < 0.7:
            referral["externalReferenceId"] = f"CRM-{number:05d}"
        referrals.append(referral)
        # "mark … won" reaches the confirm card; "mark Ember …" reads as "mark member …" (the
        # grammar's typo fix), so that company is searched but never named in a turn
        if unique and status == "Active" and company not in UNNAMED:
            customers[ADMIN.upn].append(customer)
            if number in on_team:
                customers[USER.upn].append(customer)
    return Tenant(Fixtures.of([ADMIN, USER], referrals), customers)


def names(tenant: Tenant, seller: FixtureUser, count: int) -> Sequence[str]:
    """`count` unique customer names the seller sees (cycled when there are fewer)."""
    found = tenant.customers[seller.upn]
    if not found:
        raise ValueError(f"{seller.upn} sees no uniquely named open referral")
    return [found[n % len(found)] for n in range(count)]
