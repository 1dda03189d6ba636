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


# Issue 17: said once, when a seller installs the bot in personal scope (bot.inbound.installs).
HELLO_EXAMPLES = ("new leads", "mark 123 won", "push the close date of 123 to next Friday")
ALERTS_ON = (
    'Lead alerts are on: I\'ll message you when a new lead arrives. Say "stop lead alerts" to '
    "turn them off."
)
ALERTS_OFF = (
    'Lead alerts are off. Say "turn on lead alerts" to get a message when a new lead arrives.'
)


def hello(*, alerts_on: bool) -> str:
    examples = "\n".join(f"- `{example}`" for example in HELLO_EXAMPLES)
    return (
        "Hi! I'm Referral Bot. I keep your Partner Center referrals up to date from Teams: look "
        "them up, accept or decline new leads, win, lose or change a deal, always after you "
        "confirm. Try:\n\n"
        f"{examples}\n\n"
        f"{ALERTS_ON if alerts_on else ALERTS_OFF}"
    )
