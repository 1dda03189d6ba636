"""`python -m demo new-lead`: a new incoming lead from Microsoft arrives, while `make demo` runs.

It asks the Partner Center emulator's `leads` control (docs/webhooks.md) for a lead with the demo
user on its team, a real-looking customer, value, requirements and an expiry a few days out. The
emulator stores it and sends the signed `referral-created` event to the URL the demo registered
at start; the bot verifies it and sends the lead card to each team member who has the bot. The
command then waits for that delivery and says how it went: the emulator's own record of it.
"""

from __future__ import annotations

import argparse
import asyncio
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp

from demo.playground_config import DEMO_USER

LEADS_CONTROL = "/_emulator/webhooks/leads"
DELIVERIES_CONTROL = "/_emulator/webhooks/deliveries"
DEFAULT_EXPIRES_IN_DAYS = 3.5  # the card then says "Expires in 3 days"
_UNSETTLED = ("pending", "retrying")
_POLL_SECONDS = 0.1
NOT_REGISTERED = (
    "The emulator sent no event: nothing is registered for this tenant's referral events "
    "(the demo registers the bot at start)."
)
WHERE_THE_CARD_GOES = (
    "The lead card goes to each team member who has the bot and has asked it for something from "
    "Partner Center since it started (so it can read for them): see the personal chat."
)
Out = Callable[[str], None]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class DemoLead:
    """What Microsoft passes on about a customer: one of `LEADS` unless told otherwise."""

    customer: str
    name: str
    city: str
    country: str
    value: int
    currency: str
    industries: tuple[str, ...]
    products: tuple[str, ...]
    asked: str  # the customer's own words: additionalRequirements
    contact: tuple[str, str, str]  # first name, last name, e-mail of the customer's contact


LEADS = (
    DemoLead(
        "Wingtip Toys", "Wingtip Toys: Dynamics 365 Sales rollout", "Seattle", "US",
        120_000, "USD", ("Retail",), ("Dynamics 365 Sales", "Microsoft Teams"),
        "Replace their CRM for 60 sellers before the holiday season.",
        ("Kim", "Abercrombie", "kim.abercrombie@wingtiptoys.example"),
    ),
    DemoLead(
        "A. Datum Corporation", "A. Datum: SQL Server migration to Azure", "Berlin", "DE",
        250_000, "EUR", ("Manufacturing",), ("Azure SQL Managed Instance", "Azure Migrate"),
        "Move 40 SQL Server databases out of their data centre before its lease ends in June.",
        ("Jonas", "Weber", "jonas.weber@adatum.example"),
    ),
    DemoLead(
        "Lucerne Publishing", "Lucerne Publishing: Microsoft 365 Copilot pilot", "London", "GB",
        48_000, "GBP", ("Media and Communications",), ("Microsoft 365 Copilot",),
        "A 200-seat pilot for the editorial teams; their data must stay in the UK.",
        ("Olivia", "Price", "olivia.price@lucernepublishing.example"),
    ),
    DemoLead(
        "City Power & Light", "City Power & Light: security operations centre", "Toronto", "CA",
        180_000, "CAD", ("Power and Utilities",), ("Microsoft Sentinel", "Defender for Endpoint"),
        "A 24/7 SOC for 3,000 endpoints after a ransomware scare last quarter.",
        ("Raj", "Patel", "raj.patel@citypowerlight.example"),
    ),
    DemoLead(
        "Graphic Design Institute", "Graphic Design Institute: Teams for 5,000 students", "Sydney",
        "AU", 36_000, "AUD", ("Education",), ("Microsoft Teams", "Intune for Education"),
        "Classes, assignments and managed laptops for the new term, starting in February.",
        ("Mia", "Nguyen", "mia.nguyen@graphicdesigninstitute.example"),
    ),
)  # fmt: skip


class NewLeadError(RuntimeError):
    """The emulator could not be reached or refused the lead (its own words are the message)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--emulator",
        required=True,
        help="the Partner Center emulator's base URL (the demo's banner prints the command)",
    )
    parser.add_argument(
        "--for",
        dest="team",
        action="append",
        metavar="UPN",
        help=f"a team member (repeat for several; default {DEMO_USER}, the Playground's user)",
    )
    parser.add_argument(
        "--customer", choices=[lead.customer for lead in LEADS], help="default: any of them"
    )
    parser.add_argument(
        "--expires-in-days",
        type=float,
        default=DEFAULT_EXPIRES_IN_DAYS,
        help=f"when the lead expires (default {DEFAULT_EXPIRES_IN_DAYS})",
    )
    parser.add_argument(
        "--wait", type=float, default=15.0, help="seconds to wait for the delivery to the bot"
    )


def lead_body(lead: DemoLead, team: Sequence[str], expires_in_days: float) -> dict[str, Any]:
    """The `leads` control's body (docs/webhooks.md, "Test controls")."""
    first, last, email = lead.contact
    return {
        "name": lead.name,
        "customer": lead.customer,
        "city": lead.city,
        "country": lead.country,
        "contact": {"firstName": first, "lastName": last, "email": email},
        "dealValue": lead.value,
        "currency": lead.currency,
        "requirements": {
            "industries": list(lead.industries),
            "products": list(lead.products),
            "additionalRequirements": lead.asked,
        },
        "notes": "Referred by your Microsoft account team.",
        "team": list(team),
        "expiresInDays": expires_in_days,
    }


async def create_lead(
    session: aiohttp.ClientSession, base_url: str, body: dict[str, Any]
) -> dict[str, Any]:
    """POST the lead; the emulator's {"referral", "deliveries": [ids]}."""
    try:
        async with session.post(base_url.rstrip("/") + LEADS_CONTROL, json=body) as answer:
            if answer.status != 201:
                refusal = (await answer.text())[:300]
                raise NewLeadError(f"the emulator refused the lead: {answer.status} {refusal}")
            created: dict[str, Any] = await answer.json()
            return created
    except aiohttp.ClientError as error:
        where = f"no emulator at {base_url} ({type(error).__name__})"
        raise NewLeadError(
            f"{where}: is the demo running? Copy the command from its banner."
        ) from error


async def settled_delivery(
    session: aiohttp.ClientSession,
    base_url: str,
    delivery_id: str,
    *,
    within: float,
    sleep: Sleep = asyncio.sleep,
) -> dict[str, Any]:
    """The emulator's record of one delivery once it is delivered or offline, or as it stands
    after `within` seconds (still retrying: the bot refused it or did not answer)."""
    url = base_url.rstrip("/") + DELIVERIES_CONTROL
    polls = max(1, int(within / _POLL_SECONDS))
    found: dict[str, Any] = {}
    for _ in range(polls):
        async with session.get(url) as answer:
            answer.raise_for_status()
            deliveries = (await answer.json())["deliveries"]
        found = next((d for d in deliveries if d.get("id") == delivery_id), {})
        if found and found.get("state") not in _UNSETTLED:
            return found
        await sleep(_POLL_SECONDS)
    return found


def _money(value: object, currency: object) -> str:
    return f"{value:,} {currency}" if isinstance(value, int | float) else "no value"


def _moment(value: object) -> str:
    """'Thu 10 Dec 14:03 UTC' from Partner Center's ISO 8601 (seven fractional digits)."""
    try:
        at = datetime.fromisoformat(str(value)).astimezone(UTC)
    except ValueError:
        return str(value)
    return f"{at:%a %d %b %H:%M} UTC"


def describe_lead(referral: dict[str, Any]) -> list[str]:
    customer = referral.get("customerProfile") or {}
    address = customer.get("address") or {}
    where = ", ".join(part for part in (address.get("city"), address.get("country")) if part)
    details = referral.get("details") or {}
    team = ", ".join(
        f"{member.get('firstName', '')} {member.get('lastName', '')}".strip()
        for member in referral.get("team") or []
    )
    value = _money(details.get("dealValue"), details.get("currency"))
    expires = _moment(referral.get("expirationDateTime"))
    return [
        f"A new lead from Microsoft for {team}: {referral.get('name')}",
        f"  {customer.get('name')} ({where}), {value}, expires {expires}",
        f"  referral id {referral.get('id')}",
    ]


def describe_delivery(delivery: dict[str, Any]) -> tuple[str, bool]:
    """A line on how the signed event reached the bot, and whether it did."""
    attempts = delivery.get("attempts") or []
    statuses = [str(a.get("status") or a.get("error") or "no answer") for a in attempts]
    tried = f"{len(attempts)} attempt{'s' if len(attempts) != 1 else ''}: {', '.join(statuses)}"
    state = delivery.get("state", "unknown")
    if state == "delivered":
        return f"Partner Center emulator -> bot: {delivery.get('event')} delivered ({tried}).", True
    return (
        f"Partner Center emulator -> bot: {delivery.get('event')} not delivered, {state} "
        f"({tried}). Is the demo still running? Its log says why the bot refused it.",
        False,
    )


async def new_lead(
    args: argparse.Namespace,
    *,
    out: Out = print,
    choose: Callable[[Sequence[DemoLead]], DemoLead] = random.choice,
    sleep: Sleep = asyncio.sleep,
) -> int:
    """The command; its exit status: 0 the bot got the event, 1 it did not, 2 no lead made."""
    lead = next((x for x in LEADS if x.customer == args.customer), None) or choose(LEADS)
    body = lead_body(lead, args.team or [DEMO_USER], args.expires_in_days)
    async with aiohttp.ClientSession() as session:
        try:
            created = await create_lead(session, args.emulator, body)
        except NewLeadError as error:
            out(f"new-lead: {error}")
            return 2
        for line in describe_lead(created["referral"]):
            out(line)
        if not created["deliveries"]:
            out(NOT_REGISTERED)
            return 1
        delivery = await settled_delivery(
            session, args.emulator, created["deliveries"][0], within=args.wait, sleep=sleep
        )
    line, delivered = describe_delivery(delivery)
    out(line)
    if delivered:
        out(WHERE_THE_CARD_GOES)
    return 0 if delivered else 1
