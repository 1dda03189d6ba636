"""A new lead event -> one card per team member with the bot, each from their own access; the
channel hears only what the event carries; every card once, through the outbox."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import timedelta
from typing import Any

import aiohttp
import pytest

from bot.cards.lead_alert import LEAD_ACCEPT_VERB, LEAD_DECLINE_VERB, LEAD_REFRESH_VERB
from bot.domain.assertion import UserAssertion
from bot.domain.list_kinds import ListKind
from bot.domain.pending import PendingState
from bot.domain.proactive import NotificationState
from emulators.fixtures import FixtureUser
from emulators.server import RunningEmulators
from tests.support.activities import TeamsUser, channel_thread, personal_chat
from tests.support.cards import actions, visible_text
from tests.support.emulators import (
    ADMIN,
    GLOBAL_ADMIN,
    NO_ROLE,
    OTHER_SELLER,
    SELLER,
    mint_partner_center_token,
)
from tests.support.lead_world import (
    CUSTOMER,
    CUSTOMER_TEXTS,
    DEAL,
    DEAL_NAME,
    LEAD,
    LEAD_SOLO,
    NOW,
    LeadWorld,
    created,
)
from tests.support.referral_documents import member


def cards_to(world: LeadWorld, user: FixtureUser) -> list[dict[str, Any]]:
    return [dict(card) for card in world.sender.cards_in(personal_chat(user).id)]


def buttons(card: dict[str, Any]) -> dict[str, str]:
    return {
        action["verb"]: action["data"]["pendingId"]
        for action in actions(card)
        if action.get("verb") in (LEAD_ACCEPT_VERB, LEAD_DECLINE_VERB)
    }


async def test_a_new_lead_sends_one_card_to_each_team_member_with_the_bot_and_a_token(
    world: LeadWorld,
) -> None:
    await world.install(SELLER, zone="Europe/Berlin")
    await world.install(OTHER_SELLER, zone="America/New_York")
    await world.install(GLOBAL_ADMIN, signed_in=False)  # on the team, never used the bot
    await world.install(ADMIN)  # has the bot, not on the team

    await world.alerts.handle(created(LEAD))

    berlin, new_york = cards_to(world, SELLER), cards_to(world, OTHER_SELLER)
    assert (len(berlin), len(new_york)) == (1, 1)
    assert cards_to(world, GLOBAL_ADMIN) == []
    assert cards_to(world, ADMIN) == []
    assert len(world.sender.sent) == 2  # Nina (no bot) gets nothing either
    assert "Expires in 3 days (Thu 10 Dec, 17:00)" in visible_text(berlin[0])
    assert "Expires in 3 days (Thu 10 Dec, 11:00)" in visible_text(new_york[0])
    for card in (berlin[0], new_york[0]):
        text = visible_text(card)
        assert DEAL_NAME in text
        assert CUSTOMER in text
        assert "EUR 120,000" in text
        assert "Microsoft Defender for Cloud" in text
        assert "German data centre" in text
        assert "The customer asked to be contacted." in text
        assert "New (Received) → Active (Accepted)" in text
        assert "New (Received) → Declined" in text


async def test_each_recipients_buttons_are_their_own_pending_changes_on_the_version_they_read(
    world: LeadWorld,
) -> None:
    await world.install(SELLER)
    await world.install(OTHER_SELLER)

    await world.alerts.handle(created(LEAD))

    seen_ids: set[str] = set()
    for user in (SELLER, OTHER_SELLER):
        [card] = cards_to(world, user)
        ids = buttons(card)
        assert set(ids) == {LEAD_ACCEPT_VERB, LEAD_DECLINE_VERB}
        for pending_id in ids.values():
            stored = await world.pending.get(pending_id)
            assert stored is not None
            assert stored.state is PendingState.PENDING
            assert (stored.proposer_id, stored.referral_id) == (user.oid, LEAD)
            assert stored.conversation_id == personal_chat(user).id
            assert stored.expires_at.isoformat() == "2026-12-10T16:00:00+00:00"
            assert stored.etag  # the If-Match of their click
        seen_ids |= set(ids.values())
    assert len(seen_ids) == 4


async def test_a_member_with_alerts_off_gets_no_card(world: LeadWorld) -> None:
    await world.install(SELLER, alerts_on=False)
    await world.install(OTHER_SELLER)

    await world.alerts.handle(created(LEAD))

    assert cards_to(world, SELLER) == []
    assert len(cards_to(world, OTHER_SELLER)) == 1


async def test_the_channel_card_carries_only_what_the_event_does(world: LeadWorld) -> None:
    await world.install(SELLER)
    await world.install(OTHER_SELLER)
    channel = await world.subscribe()

    await world.alerts.handle(created(LEAD))

    [card] = world.sender.cards_in(channel)
    dumped = json.dumps(card, ensure_ascii=False)
    for text in (*CUSTOMER_TEXTS, "120,000", "120000", "Defender", "nina@"):
        assert text not in dumped, text
    assert "New lead in Partner Center" in visible_text(card)
    assert buttons(dict(card)) == {}
    [link] = [a for a in actions(card) if a["type"] == "Action.OpenUrl"]
    assert link["url"].endswith(f"/{LEAD}")
    refresh = card["refresh"]
    assert refresh["action"]["verb"] == LEAD_REFRESH_VERB
    assert refresh["action"]["data"] == {"referralId": LEAD}
    mris = {TeamsUser.of(SELLER).id, TeamsUser.of(OTHER_SELLER).id}
    assert set(refresh["userIds"]) == mris


async def test_each_personal_card_refreshes_for_its_own_reader_only(world: LeadWorld) -> None:
    await world.install(SELLER)
    await world.install(OTHER_SELLER)

    await world.alerts.handle(created(LEAD))

    [card] = cards_to(world, SELLER)
    assert card["refresh"]["userIds"] == [TeamsUser.of(SELLER).id]


async def test_nobody_able_to_read_it_leaves_the_channel_card_only(world: LeadWorld) -> None:
    await world.install(SELLER, signed_in=False)
    await world.install(NO_ROLE)  # a token, but no Partner Center role: 403
    channel = await world.subscribe()

    await world.alerts.handle(created(LEAD))

    assert [posted.conversation_id for posted in world.sender.sent] == [channel]
    assert "New lead in Partner Center" in visible_text(world.sender.sent[0].card)


async def test_a_channel_of_another_tenant_never_hears_of_it(world: LeadWorld) -> None:
    await world.install(SELLER)
    other = await world.subscribe(channel_thread("elsewhere", tenant_id="another-tenant"))

    await world.alerts.handle(created(LEAD))

    assert world.sender.cards_in(other) == []


async def test_a_referral_that_is_no_new_lead_tells_nobody(world: LeadWorld) -> None:
    await world.install(SELLER)
    channel = await world.subscribe()

    await world.alerts.handle(created(DEAL))

    assert world.sender.sent == []
    assert world.sender.cards_in(channel) == []


async def test_the_same_event_twice_sends_each_card_once(world: LeadWorld) -> None:
    await world.install(SELLER)
    await world.install(OTHER_SELLER)
    await world.subscribe()

    await world.alerts.handle(created(LEAD))
    await world.alerts.handle(created(LEAD))

    assert len(world.sender.sent) == 3
    copies = await world.notifications.copies(f"lead:{LEAD}")
    assert len(copies) == 3
    assert all(copy.state is NotificationState.SENT for copy in copies)


async def test_a_related_referral_created_is_alerted_too(world: LeadWorld) -> None:
    await world.install(OTHER_SELLER)

    await world.alerts.handle(created(LEAD_SOLO, "related-referral-created"))

    assert len(cards_to(world, OTHER_SELLER)) == 1


async def test_other_events_and_bad_resources_do_nothing(world: LeadWorld) -> None:
    await world.install(SELLER)
    await world.alerts.handle(created(LEAD, "test-created"))
    await world.alerts.handle(created("../../etc", "referral-created"))
    assert world.sender.sent == []
    assert await world.reads(LEAD) == 0


async def test_the_lead_is_in_the_sellers_new_leads_at_once(
    world: LeadWorld, running: RunningEmulators, session: aiohttp.ClientSession
) -> None:
    """The seller's index was built before they joined the lead's team and is not refreshed for
    an hour, yet the alert's own read puts the lead in their "new leads" at once."""
    await world.install(SELLER)
    seller = UserAssertion.silent(SELLER.tenant_id, SELLER.oid)
    before = await world.services.referrals.list(ListKind.NEW_LEADS, user=seller, now=NOW)
    await add_to_team(session, running, LEAD_SOLO, SELLER)
    unchanged = await world.services.referrals.list(ListKind.NEW_LEADS, user=seller, now=NOW)

    await world.alerts.handle(created(LEAD_SOLO))

    after = await world.services.referrals.list(ListKind.NEW_LEADS, user=seller, now=NOW)
    assert len(cards_to(world, SELLER)) == 1
    assert LEAD_SOLO not in {r.id for r in before} | {r.id for r in unchanged}
    assert LEAD_SOLO in {r.id for r in after}


async def add_to_team(
    session: aiohttp.ClientSession, running: RunningEmulators, referral_id: str, user: FixtureUser
) -> None:
    """An admin adds the seller to the referral's team in Partner Center (not through the bot)."""
    token = mint_partner_center_token(running, ADMIN)
    operation = {"op": "add", "path": "/team/-", "value": member(user)}
    async with session.patch(
        f"{running.referrals_url}/{referral_id}",
        json=[operation],
        headers={"Authorization": f"Bearer {token}"},
    ) as answer:
        assert answer.status in (200, 204), await answer.text()


async def test_two_instances_handling_the_same_event_send_each_card_once(
    world: LeadWorld,
) -> None:
    await world.install(SELLER)
    await world.install(OTHER_SELLER)
    await world.subscribe()

    await asyncio.gather(
        world.alerts.handle(created(LEAD)), world.another_instance().handle(created(LEAD))
    )

    assert sorted(p.conversation_id for p in world.sender.sent) == sorted(
        [personal_chat(SELLER).id, personal_chat(OTHER_SELLER).id, channel_thread("leads").id]
    )


async def test_no_customer_data_or_token_reaches_a_log_line(
    world: LeadWorld, caplog: pytest.LogCaptureFixture
) -> None:
    await world.install(SELLER)
    await world.install(OTHER_SELLER)
    await world.subscribe()
    world.sender.gone.add(personal_chat(OTHER_SELLER).id)

    with caplog.at_level(logging.DEBUG):
        await world.alerts.handle(created(LEAD))
        await world.alerts.handle(created(LEAD_SOLO))

    lines = [record.getMessage() for record in caplog.records]
    assert any("alerts.lead.alerted" in line for line in lines)
    for line in lines:
        for secret in (*CUSTOMER_TEXTS, SELLER.upn, OTHER_SELLER.upn, "eyJ", SELLER.oid):
            assert secret not in line, (secret, line)


async def test_a_new_lead_costs_one_read_per_recipient(world: LeadWorld) -> None:
    """The first reader is on the team: their read is their card's too."""
    await world.install(SELLER, installed_at=NOW - timedelta(days=1))
    await world.install(OTHER_SELLER, installed_at=NOW - timedelta(days=9))

    await world.alerts.handle(created(LEAD))

    assert await world.reads(LEAD) == 2
    assert world.tokens.issued == [SELLER.oid, OTHER_SELLER.oid]
