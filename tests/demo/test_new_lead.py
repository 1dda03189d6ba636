"""`python -m demo new-lead` against running emulators: the lead Partner Center would hold, with
the demo user on its team, delivered as a signed event to the registered demo bot."""

from __future__ import annotations

import argparse
import socket
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest

import demo.__main__ as demo_main
from bot.settings import EventSettings
from demo.new_lead import LEADS, NOT_REGISTERED, DemoLead, lead_body, new_lead
from demo.playground_config import DEMO_USER
from demo.registration import register_event_url
from demo.settings import registration_settings
from emulators.fixtures import DEFAULT_TENANT_ID
from emulators.partner_center.leads import LEAD_MEMBERS, build_lead
from emulators.seed import demo_fixtures
from emulators.server import RunningEmulators
from tests.demo.demo_bot import DemoBot, demo_bot
from tests.support.emulator_controls import webhook_deliveries
from tests.support.emulators import mint_partner_center_token


def _command(*argv: str) -> argparse.Namespace:
    """Parsed as `python -m demo new-lead ...` parses it."""
    args = demo_main._parse_args(["new-lead", *argv])
    assert args.command == "new-lead"
    return args


@pytest.fixture
async def registered_bot(demo_emulators: RunningEmulators) -> AsyncIterator[DemoBot]:
    async with demo_bot(demo_emulators) as bot:
        register = registration_settings(bot.settings, DEFAULT_TENANT_ID)
        await register_event_url(register, bot.events_url)
        yield bot


async def _as_seen_by(
    running: RunningEmulators, session: aiohttp.ClientSession, upn: str, referral_id: str
) -> dict[str, Any]:
    """The referral through the Referrals API with `upn`'s own delegated token."""
    user = demo_fixtures().user_by_upn(upn)
    assert user is not None
    headers = {"Authorization": f"Bearer {mint_partner_center_token(running, user)}"}
    async with session.get(f"{running.referrals_url}/{referral_id}", headers=headers) as answer:
        assert answer.status == 200, await answer.text()
        found: dict[str, Any] = await answer.json()
        return found


def _referral_id(printed: Sequence[str]) -> str:
    [line] = [line for line in printed if line.startswith("  referral id ")]
    return line.removeprefix("  referral id ")


@pytest.mark.usefixtures("registered_bot")
async def test_a_lead_for_the_demo_user_is_delivered_to_the_bot(
    demo_emulators: RunningEmulators, session: aiohttp.ClientSession
) -> None:
    printed: list[str] = []
    before = datetime.now(UTC)

    command = _command("--emulator", demo_emulators.referrals_base_url)
    status = await new_lead(command, out=printed.append, choose=lambda leads: leads[2])

    assert status == 0, printed
    lucerne = LEADS[2]
    assert printed[0] == f"A new lead from Microsoft for Megan Bowen: {lucerne.name}"
    assert printed[1].startswith("  Lucerne Publishing (London, GB), 48,000 GBP, expires ")
    assert (
        printed[3] == "Partner Center emulator -> bot: referral-created delivered (1 attempt: 200)."
    )
    referral = await _as_seen_by(demo_emulators, session, DEMO_USER, _referral_id(printed))
    assert (referral["status"], referral["direction"]) == ("New", "Incoming")
    assert referral["inviteContext"]["invitedBy"]["organizationId"] == "msft"
    assert [member["email"] for member in referral["team"]] == [DEMO_USER]
    assert referral["customerProfile"]["name"] == "Lucerne Publishing"
    assert (referral["details"]["dealValue"], referral["details"]["currency"]) == (48_000, "GBP")
    asked = referral["details"]["requirements"]
    assert asked["products"] == ["Microsoft 365 Copilot"]
    assert asked["additionalRequirements"] == lucerne.asked
    expires = datetime.fromisoformat(referral["expirationDateTime"])
    assert timedelta(days=3.5) <= expires - before <= timedelta(days=3.5, minutes=1)


@pytest.mark.usefixtures("registered_bot")
async def test_team_customer_and_expiry_can_be_chosen(
    demo_emulators: RunningEmulators, session: aiohttp.ClientSession
) -> None:
    printed: list[str] = []
    command = _command(
        "--emulator", demo_emulators.referrals_base_url,
        "--for", "adele.vance@contoso.com", "--for", DEMO_USER,
        "--customer", "City Power & Light", "--expires-in-days", "1",
    )  # fmt: skip

    def never(leads: Sequence[DemoLead]) -> DemoLead:
        raise AssertionError("--customer names the lead")

    assert await new_lead(command, out=printed.append, choose=never) == 0, printed

    assert printed[0].startswith("A new lead from Microsoft for Adele Vance, Megan Bowen: City")
    referral = await _as_seen_by(
        demo_emulators, session, "adele.vance@contoso.com", _referral_id(printed)
    )
    assert referral["customerProfile"]["name"] == "City Power & Light"
    expires = datetime.fromisoformat(referral["expirationDateTime"])
    assert expires - datetime.now(UTC) <= timedelta(days=1)


async def test_without_a_registered_bot_no_event_is_sent_and_the_command_says_so(
    demo_emulators: RunningEmulators, session: aiohttp.ClientSession
) -> None:
    printed: list[str] = []

    command = _command("--emulator", demo_emulators.referrals_base_url)
    status = await new_lead(command, out=printed.append)

    assert status == 1
    assert printed[-1] == NOT_REGISTERED
    assert await webhook_deliveries(session, demo_emulators.referrals_base_url) == []


async def test_a_bot_that_refuses_the_event_is_reported_with_the_emulator_s_attempts(
    demo_emulators: RunningEmulators,
) -> None:
    """The bot's trust is Partner Center's production one: each attempt is a 401."""
    production = EventSettings(registration_url=demo_emulators.webhooks_url)
    printed: list[str] = []
    async with demo_bot(demo_emulators, events=production) as bot:
        await register_event_url(
            registration_settings(bot.settings, DEFAULT_TENANT_ID), bot.events_url
        )
        command = _command("--emulator", demo_emulators.referrals_base_url, "--wait", "10")
        status = await new_lead(command, out=printed.append)

    assert status == 1
    assert printed[-1].startswith(
        "Partner Center emulator -> bot: referral-created not delivered, offline "
        "(10 attempts: 401, 401, 401"
    )


async def test_no_emulator_at_the_url_is_a_usage_error() -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    printed: list[str] = []

    assert await new_lead(_command("--emulator", url), out=printed.append) == 2

    assert printed == [
        f"new-lead: no emulator at {url} (ClientConnectorError): is the demo running? "
        "Copy the command from its banner."
    ]


def test_every_demo_lead_is_accepted_by_the_emulator_s_lead_control() -> None:
    """The catalogue stays within the control's members and Partner Center's shapes."""
    for lead in LEADS:
        body = lead_body(lead, [DEMO_USER], 3.5)
        assert set(body) <= LEAD_MEMBERS
        built = build_lead(body, demo_fixtures(), datetime.now(UTC))
        assert built.fields["customerProfile"]["name"] == lead.customer
    assert len({lead.customer for lead in LEADS}) == len(LEADS)
    seeded = {doc["customerProfile"]["name"] for doc in demo_fixtures().referrals}
    assert not seeded & {lead.customer for lead in LEADS}  # a name never matches two referrals
