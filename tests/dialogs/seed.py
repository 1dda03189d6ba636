"""The referrals the dialog transcripts talk about (today is Wednesday 2026-11-25 in tests)."""

from __future__ import annotations

from typing import Any

from tests.support.referral_documents import seed_referral

MEGAN = {"firstName": "Megan", "lastName": "Bowen", "email": "megan.bowen@contoso.com"}
ALEX = {"firstName": "Alex", "lastName": "Wilber", "email": "alex.wilber@contoso.com"}
JANE = {
    "firstName": "Jane",
    "lastName": "Doe",
    "email": "jane.doe@contoso.com",
    "phoneNumber": "+1 425 555 0100",
}


def referral_document(
    referral_id: str,
    name: str,
    customer: str,
    state: str = "Active/Accepted",
    *,
    direction: str = "Outgoing",
    stage: str | None = "Develop",
    value: int | None = 150_000,
    currency: str = "USD",
    closing: str | None = "2026-12-15T00:00:00Z",
    created: str = "2026-10-01T09:00:00Z",
    team: tuple[dict[str, str], ...] = (MEGAN,),
    crm_id: str | None = None,
    notes: str | None = None,
) -> dict[str, Any]:
    details: dict[str, Any] = {"currency": currency}
    if value is not None:
        details["dealValue"] = value
    if closing is not None:
        details["closingDateTime"] = closing
    if notes is not None:
        details["notes"] = notes
    extra: dict[str, Any] = {}
    if stage is not None:
        extra["salesStage"] = stage
    if crm_id is not None:
        extra["externalReferenceId"] = crm_id
    return seed_referral(
        referral_id,
        state,
        name=name,
        team=team,
        details=details,
        direction=direction,
        type="Independent",
        qualification="SalesQualified",
        createdDateTime=created,
        updatedDateTime=created,
        customerProfile={"name": customer, "team": []},
        **extra,
    )


def seed_documents() -> list[dict[str, Any]]:
    return [
        referral_document(
            "123",
            "Contoso Azure migration",
            "Contoso Ltd",
            crm_id="CRM-0001",
            notes="Landing zone workshop done.",
        ),
        referral_document(
            "4711",
            "Contoso Pharma data platform",
            "Contoso Pharmaceuticals",
            stage="Propose",
            value=480_000,
            currency="CHF",
            closing="2027-01-20T00:00:00Z",
            team=(MEGAN, ALEX),
            crm_id="CRM-0002",
        ),
        referral_document(
            "4712",
            "Contoso Bank Teams rollout",
            "Contoso Bank",
            stage="Qualify",
            value=95_000,
            currency="GBP",
            closing="2027-03-31T00:00:00Z",
            team=(ALEX, JANE),
        ),
        referral_document(
            "555",
            "Fabrikam security review",
            "Fabrikam Inc",
            closing="2026-11-28T00:00:00Z",
            team=(ALEX,),
        ),
        referral_document(
            "777",
            "Northwind analytics",
            "Northwind Traders",
            "New/Received",
            direction="Incoming",
            stage=None,
            value=None,
            closing=None,
            team=(),
        ),
        referral_document("900", "Adatum ERP upgrade", "Adatum Corporation", "Closed/Won"),
        referral_document("901", "Litware CRM", "Litware Inc", "Closed/Lost"),
    ]


def many_open_documents(count: int) -> list[dict[str, Any]]:
    """Extra open deals so lists need several pages."""
    return [
        referral_document(
            f"8{index:03d}",
            f"Tailspin deal {index:02d}",
            "Tailspin Toys",
            closing=f"2026-12-{(index % 28) + 1:02d}T00:00:00Z",
        )
        for index in range(count)
    ]
