"""Accept and Decline on the lead card go through the Confirm path (claim, If-Match, once), and
every copy of the card follows; a refresh brings each viewer their own current card."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import aiohttp
import pytest

from bot.card_actions import lead_replies
from bot.cards.lead_alert import (
    LEAD_ACCEPT_VERB,
    LEAD_DECLINE_VERB,
    LEAD_REFRESH_VERB,
    REASON_INPUT,
)
from bot.domain.leads import NO_REASON, REASON_LIMIT, LeadOutcome
from bot.domain.pending import PendingState
from emulators.fixtures import FixtureUser
from emulators.server import RunningEmulators
from tests.support.activities import channel_thread, personal_chat
from tests.support.answers import CARD, ERROR, MESSAGE, text_of
from tests.support.cards import actions, visible_text
from tests.support.emulators import ADMIN, NO_ROLE, OTHER_SELLER, SELLER, PartnerCenterView
from tests.support.fixtures import emulators_fixture
from tests.support.identity import IdentityClient
from tests.support.lead_world import (
    CUSTOMER,
    CUSTOMER_TEXTS,
    DEAL_NAME,
    LEAD,
    LEAD_CONFIG,
    NOW,
    LeadWorld,
    created,
    lead_seed,
    lead_world,
)

running = emulators_fixture(lead_seed, scope="module", **LEAD_CONFIG)


@pytest.fixture
async def world(
    session: aiohttp.ClientSession, running: RunningEmulators, identity: IdentityClient
) -> AsyncIterator[LeadWorld]:
    async with lead_world(session, running, identity) as built:
        await built.install(SELLER, zone="Europe/Berlin")
        await built.install(OTHER_SELLER, zone="America/New_York")
        await built.subscribe()
        await built.alerts.handle(created(LEAD))
        yield built


def ids_of(world: LeadWorld, user: FixtureUser) -> dict[str, str]:
    [card] = world.sender.cards_in(personal_chat(user).id)
    return button_ids(dict(card))


def button_ids(card: dict[str, Any]) -> dict[str, str]:
    return {
        action["verb"]: action["data"]["pendingId"]
        for action in actions(card)
        if action.get("verb") in (LEAD_ACCEPT_VERB, LEAD_DECLINE_VERB)
    }


async def accept(world: LeadWorld, user: FixtureUser = SELLER, **kw: Any) -> dict[str, Any]:
    data = {"pendingId": ids_of(world, user)[LEAD_ACCEPT_VERB]}
    return await world.click(LEAD_ACCEPT_VERB, data, user=user, **kw)


async def decline(world: LeadWorld, reason: object, user: FixtureUser = SELLER) -> dict[str, Any]:
    data = {"pendingId": ids_of(world, user)[LEAD_DECLINE_VERB], REASON_INPUT: reason}
    return await world.click(LEAD_DECLINE_VERB, data, user=user)


async def status_at_partner_center(world: LeadWorld) -> tuple[str, str, str | None]:
    document = await PartnerCenterView(world.session, world.running).referral(LEAD)
    return document["status"], document["substatus"], document["statusReason"]


async def test_accept_patches_once_and_every_copy_shows_who_accepted(world: LeadWorld) -> None:
    body = await accept(world)
    await world.settled()

    assert await world.patches() == [200]
    assert await status_at_partner_center(world) == ("Active", "Accepted", None)
    assert body["type"] == CARD
    text = text_of(body)
    assert text.splitlines()[0] == "Accepted by Sam Seller at 10:00"
    assert DEAL_NAME in text  # the clicker's own read
    decision = await world.records.decision(LEAD)
    assert decision is not None
    assert (decision.outcome, decision.by_user_id) == (LeadOutcome.ACCEPTED, SELLER.oid)
    titles = {p.conversation_id: visible_text(p.card).splitlines()[0] for p in world.sender.updated}
    assert titles == {
        personal_chat(SELLER).id: "Accepted by Sam Seller at 10:00",
        personal_chat(OTHER_SELLER).id: "Accepted by Sam Seller at 04:00",
        channel_thread("leads").id: "Accepted by Sam Seller at 09:00 UTC",
    }
    assert not any(CUSTOMER in visible_text(p.card) for p in world.sender.updated)


async def test_a_second_click_changes_nothing_and_shows_the_decision(world: LeadWorld) -> None:
    await accept(world)
    again = await accept(world)
    other = await accept(world, OTHER_SELLER, timezone="America/New_York")

    assert await world.patches() == [200]
    assert text_of(again).splitlines()[0] == "Accepted by Sam Seller at 10:00"
    assert text_of(other).splitlines()[0] == "Accepted by Sam Seller at 04:00"


async def test_two_recipients_accepting_at_once_write_once_and_the_other_sees_it(
    world: LeadWorld,
) -> None:
    first, second = await asyncio.gather(
        accept(world), accept(world, OTHER_SELLER, timezone="America/New_York")
    )
    await world.settled()

    assert sorted(status or 0 for status in await world.patches()) == [200, 412]
    winner, loser = (first, second) if "Accepted by" in text_of(first) else (second, first)
    assert text_of(winner).startswith("Accepted by")
    assert lead_replies.DECIDED_MEANWHILE in text_of(loser)
    assert "Accepted" in text_of(loser)
    assert button_ids(loser["value"]) == {}
    decision = await world.records.decision(LEAD)
    assert decision is not None
    by = decision.by_name
    assert all(visible_text(p.card).startswith(f"Accepted by {by}") for p in world.sender.updated)
    assert await status_at_partner_center(world) == ("Active", "Accepted", None)


@pytest.mark.parametrize("reason", [None, "", "   \n\t ", 42])
async def test_decline_without_a_reason_asks_for_one_and_changes_nothing(
    world: LeadWorld, reason: object
) -> None:
    body = await decline(world, reason)

    assert body["type"] == MESSAGE
    assert text_of(body) == NO_REASON
    assert await world.patches() == []
    stored = await world.pending.get(ids_of(world, SELLER)[LEAD_DECLINE_VERB])
    assert stored is not None
    assert stored.state is PendingState.PENDING


async def test_a_reason_too_long_is_refused_before_anything_is_claimed(world: LeadWorld) -> None:
    body = await decline(world, "x" * (REASON_LIMIT + 1))

    assert body["type"] == MESSAGE
    assert "under 500 characters" in text_of(body)
    assert await world.patches() == []


async def test_decline_with_a_reason_closes_it_as_declined_with_that_reason(
    world: LeadWorld,
) -> None:
    refused = await decline(world, "")
    body = await decline(world, "  Outside our region:\n no Berlin team  ")
    await world.settled()

    assert refused["type"] == MESSAGE
    assert await world.patches() == [200]
    reason = "Outside our region: no Berlin team"
    assert await status_at_partner_center(world) == ("Closed", "Declined", reason)
    text = text_of(body)
    assert text.splitlines()[0] == "Declined by Sam Seller at 10:00"
    assert f"Reason: {reason}" in text
    assert all(f"Reason: {reason}" in visible_text(p.card) for p in world.sender.updated)
    assert len(world.sender.updated) == 3


async def test_someone_elses_button_changes_nothing(world: LeadWorld) -> None:
    data = {"pendingId": ids_of(world, SELLER)[LEAD_ACCEPT_VERB]}
    body = await world.click(LEAD_ACCEPT_VERB, data, user=OTHER_SELLER)

    assert "Only Sam Seller can accept" in text_of(body)
    assert await world.patches() == []
    assert "Accepted by Sam Seller" in text_of(await accept(world))


async def test_a_lead_past_its_expiry_is_not_accepted(world: LeadWorld) -> None:
    world.clock.current = NOW + timedelta(days=4)

    body = await accept(world)

    assert text_of(body).splitlines()[0] == "Expired"
    assert "Nobody accepted it before Thu 10 Dec, 17:00." in text_of(body)
    assert await world.patches() == []


async def test_a_lead_changed_meanwhile_shows_it_now_with_fresh_buttons(world: LeadWorld) -> None:
    old = ids_of(world, SELLER)
    await world.patch_as_admin(LEAD, {"op": "replace", "path": "/name", "value": "Fabrikam v2"})

    body = await accept(world)

    fresh = button_ids(body["value"])
    assert lead_replies.CHANGED_MEANWHILE in text_of(body)
    assert "Fabrikam v2" in text_of(body)
    assert fresh
    assert set(fresh.values()).isdisjoint(old.values())
    assert await world.patches() == [204, 412]  # the admin's rename, then ours refused
    again = await world.click(LEAD_ACCEPT_VERB, {"pendingId": fresh[LEAD_ACCEPT_VERB]})
    assert text_of(again).startswith("Accepted by Sam Seller")
    assert await world.patches() == [204, 412, 200]


async def test_a_signed_out_recipient_is_asked_to_sign_in_and_the_card_keeps_working(
    world: LeadWorld,
) -> None:
    world.assertions.signed_out.add(SELLER.oid)
    body = await accept(world)
    assert body["type"] == MESSAGE
    assert "sign in" in text_of(body)
    assert await world.patches() == []
    world.assertions.signed_out.clear()
    assert text_of(await accept(world)).startswith("Accepted by Sam Seller")


async def refresh(world: LeadWorld, user: FixtureUser, **kw: Any) -> dict[str, Any]:
    return await world.click(LEAD_REFRESH_VERB, {"referralId": LEAD}, user=user, **kw)


async def test_a_refresh_shows_a_recipient_their_own_buttons_and_the_countdown_now(
    world: LeadWorld,
) -> None:
    world.clock.current = NOW + timedelta(days=2)

    body = await refresh(world, SELLER)

    assert body["type"] == CARD
    assert button_ids(body["value"]) == ids_of(world, SELLER)
    assert "Expires in 1 day (Thu 10 Dec, 17:00)" in text_of(body)


async def test_a_refresh_in_the_channel_gives_each_viewer_what_their_access_shows(
    world: LeadWorld,
) -> None:
    await world.install(ADMIN)
    await world.install(NO_ROLE)
    channel = channel_thread("leads")

    recipient = await refresh(world, OTHER_SELLER, conversation=channel)
    admin = await refresh(world, ADMIN, conversation=channel)
    nobody = await refresh(world, NO_ROLE, conversation=channel)

    assert button_ids(recipient["value"]) == ids_of(world, OTHER_SELLER)
    assert DEAL_NAME in text_of(admin)
    assert button_ids(admin["value"]) == {}
    assert DEAL_NAME not in text_of(nobody)
    assert CUSTOMER not in text_of(nobody)
    assert "New lead in Partner Center" in text_of(nobody)


async def test_a_refresh_after_the_decision_shows_the_decided_card_to_everyone(
    world: LeadWorld,
) -> None:
    await accept(world)

    for user in (SELLER, OTHER_SELLER, NO_ROLE):
        body = await refresh(world, user)
        assert text_of(body).startswith("Accepted by Sam Seller")
        assert button_ids(body["value"]) == {}


async def test_a_refresh_after_expiry_shows_the_expired_card(world: LeadWorld) -> None:
    world.clock.current = NOW + timedelta(days=3, hours=8)

    body = await refresh(world, SELLER)

    assert text_of(body).splitlines()[0] == "Expired"


async def test_a_refresh_of_the_same_version_mints_no_new_pending_changes(
    world: LeadWorld,
) -> None:
    before = len(world.pending)
    for _ in range(3):
        body = await refresh(world, SELLER)
        assert button_ids(body["value"]) == ids_of(world, SELLER)
    assert len(world.pending) == before


@pytest.mark.parametrize("data", [{}, {"referralId": "../x"}, {"referralId": 7}])
async def test_a_refresh_with_bad_data_is_a_bad_request(
    world: LeadWorld, data: dict[str, Any]
) -> None:
    body = await world.click(LEAD_REFRESH_VERB, data)
    assert body["type"] == ERROR
    assert body["statusCode"] == 400


async def test_the_lead_verbs_are_registered_only_with_lead_alerts(world: LeadWorld) -> None:
    assert {LEAD_ACCEPT_VERB, LEAD_DECLINE_VERB, LEAD_REFRESH_VERB} <= world.actions.verbs


async def test_no_customer_data_reason_or_token_reaches_a_log_line(
    world: LeadWorld, caplog: pytest.LogCaptureFixture
) -> None:
    reason = "Pat Doe moved to Contoso"
    with caplog.at_level(logging.DEBUG):
        await decline(world, reason)
        await world.settled()
        await refresh(world, OTHER_SELLER)

    lines = [record.getMessage() for record in caplog.records]
    assert any("card_action.done" in line for line in lines)
    for line in lines:
        for secret in (*CUSTOMER_TEXTS, reason, SELLER.upn, OTHER_SELLER.upn, "eyJ"):
            assert secret not in line, (secret, line)
