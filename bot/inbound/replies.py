"""Every sentence the inbound layer says itself: refusals before any dialog runs, and the apology
for a turn that failed (which names a reference, never exception text)."""

from __future__ import annotations

TENANT_REFUSAL = (
    "Sorry, Referral Bot isn't available for your organization. "
    "Please ask your Partner Center admin."
)
GUEST_REFUSAL = (
    "Sorry, Referral Bot only works for members of the partner's own organization, "
    "not for guests. Nothing was read or changed."
)


def apology(correlation_id: str) -> str:
    return (
        "Sorry, something went wrong on my side and nothing was changed. Please try again; "
        f"if it keeps happening, give your admin this reference: {correlation_id}."
    )
