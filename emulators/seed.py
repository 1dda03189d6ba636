"""The seeded demo set: realistic referrals across every status, and users with each role.

Dates are relative to the start time, so incoming leads are always close to their 14-day
expiry and "deals closing this month" always has rows. Server fields the seed leaves out
(eTag, links, organisation, …) are filled in by the store like any fixture.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from emulators.fixtures import Fixtures, FixtureUser


def _user(upn: str, name: str, *roles: str, mfa: bool = True) -> FixtureUser:
    return FixtureUser.from_json({"upn": upn, "name": name, "roles": list(roles), "mfa": mfa})


DEMO_USERS = (
    _user("adele.vance@contoso.com", "Adele Vance", "Referral Admin"),
    _user("patti.fernandez@contoso.com", "Patti Fernandez", "Global Admin"),
    _user("megan.bowen@contoso.com", "Megan Bowen", "Referral User"),
    _user("alex.wilber@contoso.com", "Alex Wilber", "Referral User"),
    _user("diego.siciliani@contoso.com", "Diego Siciliani", "Referral User", mfa=False),
    _user("lee.gu@contoso.com", "Lee Gu"),
)
_SELLERS = {user.upn.split(".", 1)[0]: user for user in DEMO_USERS}


class _Row(NamedTuple):
    id: str | None
    name: str
    customer: str
    city: str
    country: str
    state: str  # "New/Pending", "Active/Accepted", "Closed/Won", …
    direction: str
    stage: str | None
    value: int | None
    currency: str
    age_days: float  # created this long before now
    close_in_days: int | None  # expected close relative to now
    sellers: tuple[str, ...]
    crm_id: str | None = None
    notes: str = ""


# fmt: off
_ROWS = (
    _Row("123", "Contoso Azure migration", "Contoso Ltd", "Seattle", "US", "Active/Accepted",
         "Outgoing", "Develop", 150_000, "USD", 40, 20, ('megan',), "CRM-0001",
         "Landing zone workshop done."),
    _Row("4711", "Contoso Pharma data platform", "Contoso Pharmaceuticals", "Basel", "CH",
         "Active/Accepted", "Outgoing", "Propose", 480_000, "CHF", 65, 35, ('megan', 'alex'),
         "CRM-0002", ""),
    _Row(None, "Contoso Bank Teams rollout", "Contoso Bank", "London", "GB", "Active/Accepted",
         "Outgoing", "Qualify", 95_000, "GBP", 12, 75, ('alex',), "CRM-0003", ""),
    _Row(None, "Contoso Retail security review", "Contoso Retail", "Chicago", "US", "New/Pending",
         "Incoming", None, None, "USD", 13.2, None, ('megan',), None,
         "Customer asked for a Defender assessment."),
    _Row(None, "Fabrikam modern workplace", "Fabrikam Inc", "Denver", "US", "Active/Accepted",
         "Outgoing", "Propose", 220_000, "USD", 90, 5, ('alex',), "CRM-0004", ""),
    _Row(None, "Fabrikam Residences SAP on Azure", "Fabrikam Residences", "Munich", "DE",
         "Active/Accepted", "Outgoing", "Close", 1_200_000, "EUR", 120, 12, ('megan',),
         "CRM-0005", ""),
    _Row(None, "Northwind Traders analytics", "Northwind Traders", "Toronto", "CA", "New/Pending",
         "Incoming", None, None, "CAD", 12.5, None, ('alex',), None,
         "Inbound from Microsoft: Power BI Premium."),
    _Row(None, "Northwind Traders AVD pilot", "Northwind Traders", "Toronto", "CA",
         "New/Received", "Incoming", None, 60_000, "CAD", 3, 60, ('alex',), None, ""),
    _Row(None, "Woodgrove Bank fraud detection", "Woodgrove Bank", "New York", "US",
         "Active/Accepted", "Outgoing", "Develop", 310_000, "USD", 30, 45, ('megan',), "CRM-0006",
         ""),
    _Row(None, "Tailspin Toys e-commerce", "Tailspin Toys", "Austin", "US", "Closed/Won",
         "Outgoing", "Close", 75_000, "USD", 150, -10, ('alex',), "CRM-0007", ""),
    _Row(None, "Litware dev platform", "Litware Inc", "Dublin", "IE", "Closed/Lost", "Outgoing",
         "Propose", 130_000, "EUR", 200, -30, ('megan',), "CRM-0008",
         "Lost to a competitor on price."),
    _Row(None, "Adventure Works call center AI", "Adventure Works", "Bothell", "US",
         "Closed/Declined", "Incoming", None, None, "USD", 25, None, ('alex',), None,
         "Outside our practice area."),
    _Row(None, "Wide World Importers ERP", "Wide World Importers", "San Francisco", "US",
         "Closed/Expired", "Incoming", None, None, "USD", 30, None, ('megan',), None, ""),
    _Row(None, "Alpine Ski House booking app", "Alpine Ski House", "Innsbruck", "AT",
         "Active/Accepted", "Outgoing", "Qualify", 40_000, "EUR", 8, 90, ('megan',), "CRM-0009",
         ""),
    _Row(None, "Coho Winery IoT", "Coho Winery", "Napa", "US", "Active/Accepted", "Outgoing",
         "Develop", 55_000, "USD", 50, 28, ('alex',), "CRM-0010", ""),
    _Row(None, "Proseware backup modernisation", "Proseware", "Paris", "FR", "New/Pending",
         "Incoming", None, None, "EUR", 1.5, None, ('megan', 'alex'), None, ""),
    _Row(None, "Trey Research HPC", "Trey Research", "Cambridge", "GB", "Active/Accepted",
         "Outgoing", "Propose", 640_000, "GBP", 70, 8, ('megan',), "CRM-0011", ""),
    _Row(None, "Lamna Healthcare Copilot", "Lamna Healthcare", "Boston", "US", "Active/Accepted",
         "Outgoing", "Develop", 185_000, "USD", 2, 50, ('alex',), "CRM-0012",
         "Created two days ago: too early to mark won without losing registration."),
    _Row(None, "Relecloud FinOps", "Relecloud", "Redmond", "US", "Closed/Won", "Outgoing",
         "Close", 90_000, "USD", 100, -3, ('megan',), "CRM-0013", ""),
    _Row(None, "Humongous Insurance claims portal", "Humongous Insurance", "Hartford", "US",
         "Active/Accepted", "Outgoing", "Close", 275_000, "USD", 110, 2, ('adele',), "CRM-0014",
         ""),
    _Row(None, "Blue Yonder Airlines loyalty", "Blue Yonder Airlines", "Dallas", "US",
         "New/Pending", "Incoming", None, None, "USD", 13.6, None, ('adele',), None,
         "Expires very soon."),
    _Row(None, "Fourth Coffee POS refresh", "Fourth Coffee", "Portland", "US", "Active/Accepted",
         "Outgoing", "Qualify", 30_000, "USD", 20, 100, ('megan',), "CRM-0015", ""),
    _Row(None, "VanArsdel identity cleanup", "VanArsdel Ltd", "Sydney", "AU", "Active/Accepted",
         "Outgoing", "Develop", 120_000, "AUD", 35, 25, ('alex', 'megan'), "CRM-0016", ""),
    _Row(None, "Margie's Travel chatbot", "Margie's Travel", "Lisbon", "PT", "Closed/Lost",
         "Outgoing", "Develop", 45_000, "EUR", 80, -20, ('alex',), "CRM-0017", "Budget frozen."),
    _Row(None, "First Up Consultants Dynamics", "First Up Consultants", "Madrid", "ES",
         "Active/Accepted", "Outgoing", "Propose", 98_000, "EUR", 45, 14, ('diego',), "CRM-0018",
         ""),
)
# fmt: on


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _member(key: str) -> dict[str, Any]:
    user = _SELLERS[key]
    return {
        "firstName": user.first_name,
        "lastName": user.last_name,
        "email": user.upn,
        "phoneNumber": "+1 425 555 0100",
    }


def _referral(row: _Row, now: datetime) -> dict[str, Any]:
    status, substatus = row.state.split("/")
    created = now - timedelta(days=row.age_days)
    incoming = row.direction == "Incoming"
    referral: dict[str, Any] = {
        "id": row.id or str(uuid.uuid5(uuid.NAMESPACE_URL, f"demo-referral:{row.name}")),
        "name": row.name,
        "status": status,
        "substatus": substatus,
        "direction": row.direction,
        "type": "Shared" if incoming else "Independent",
        "qualification": "SalesQualified" if incoming else "None",
        "createdDateTime": _iso(created),
        "customerProfile": {
            "name": row.customer,
            "address": {"city": row.city, "country": row.country},
            "size": "100to499employees",
        },
        "consent": {
            "consentToToShareInfoWithOthers": True,
            "consentToContact": True,
            "consentToShareReferralWithMicrosoftSellers": True,
        },
        "details": {"notes": row.notes, "currency": row.currency},
        "team": [_member(key) for key in row.sellers],
    }
    if row.stage:
        referral["salesStage"] = row.stage
    if row.value is not None:
        referral["details"]["dealValue"] = row.value
    if row.close_in_days is not None:
        referral["details"]["closingDateTime"] = _iso(now + timedelta(days=row.close_in_days))
    if row.crm_id:
        referral["externalReferenceId"] = row.crm_id
    if incoming:
        referral["expirationDateTime"] = _iso(created + timedelta(days=14))
        referral["inviteContext"] = {
            "invitedBy": {"organizationId": "msft", "organizationName": "Microsoft"},
            "notes": "Referred by Microsoft",
        }
    return referral


def demo_fixtures(now: datetime | None = None) -> Fixtures:
    moment = now or datetime.now(UTC)
    return Fixtures.of(DEMO_USERS, [_referral(row, moment) for row in _ROWS])
