"""Every change command, end to end through MainDialog to the confirm card and the stored change."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.change import plan_change
from bot.domain.pending import PendingState
from tests.dialogs.harness import MEGAN_USER, DialogHarness, card_text, pending_id_of
from tests.support.activities import channel_thread, personal_chat

SELLER_NOW = datetime(2026, 11, 25, 11, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def shown_prefix(text: str) -> str:
    """The start of a value as the card shows it (long values are abbreviated there)."""
    return text.replace("\u2026", "")[:40]


# (what the seller says, referral id, JSON Patch paths, card text the seller must see)
COMMANDS = [
    ("mark 123 won", "123", ["/status", "/substatus"], ["Won", "can't be undone"]),
    (
        "we lost Fabrikam, budget frozen",
        "555",
        ["/status", "/substatus", "/statusReason"],
        ["Lost", "budget frozen"],
    ),
    ("accept the Northwind lead", "777", ["/status", "/substatus"], ["Accepted"]),
    (
        "decline the Northwind lead: not our area",
        "777",
        ["/status", "/substatus", "/statusReason"],
        ["Declined", "not our area"],
    ),
    ("set the deal value of Contoso Azure to 200k", "123", ["/details/dealValue"], ["200,000"]),
    (
        "set the deal value of Contoso Azure to 150k and push the close date to next Friday",
        "123",
        ["/details/closingDateTime"],  # 150k is already the value: only the date changes
        ["Close date"],
    ),
    (
        "set the deal value of Contoso Azure to 175k and push the close date to next Friday",
        "123",
        ["/details/dealValue", "/details/closingDateTime"],
        ["175,000", "Close date"],
    ),
    ("move 123 to 2026-12-04", "123", ["/details/closingDateTime"], ["Close date"]),
    ("note on 123: demo booked", "123", ["/details/notes"], ["demo booked"]),
    ("set stage of 123 to propose", "123", ["/salesStage"], ["Propose"]),
    ("rename 123 to Contoso Azure Phase 2", "123", ["/name"], ["Contoso Azure Phase 2"]),
    ("set crm id of 123 to CRM-42", "123", ["/externalReferenceId"], ["CRM-42"]),
    ("add Jane Doe jane.doe@contoso.com to 4711", "4711", ["/team/-"], ["Jane Doe"]),
    ("remove alex.wilber@contoso.com from 4711", "4711", ["/team"], ["Team"]),
]


@pytest.mark.parametrize(("text", "referral_id", "paths", "shown"), COMMANDS)
async def test_a_change_command_ends_in_a_confirm_card_and_a_stored_pending_change(
    text: str, referral_id: str, paths: list[str], shown: list[str]
) -> None:
    bot = DialogHarness()

    replies = await bot.say(text)

    card = replies.card
    visible = card_text(card)
    for snippet in shown:
        assert snippet in visible
    change = await bot.stored(card)
    assert change.referral_id == referral_id
    assert [op["path"] for op in change.operations] == paths
    assert {op["op"] for op in change.operations} <= {"add", "replace"}
    assert change.etag == bot.referrals.etag(referral_id)
    assert change.state is PendingState.PENDING
    assert bot.referrals.called("apply") == []
    # the card shows exactly the planner's rows for the version the seller saw
    planned = plan_change(bot.referrals.referral(referral_id), change.intent, now=SELLER_NOW)
    assert change.operations == planned.operations
    for row in planned.fields:
        assert row.label in visible
        assert shown_prefix(row.after) in visible


async def test_the_stored_change_names_the_proposer_and_expires_after_the_ttl() -> None:
    bot = DialogHarness()

    card = (await bot.say("mark 123 won", user=MEGAN_USER)).card

    change = await bot.stored(card)
    assert change.proposer_id == MEGAN_USER.aad_object_id
    assert change.proposer_name == "Megan Bowen"
    assert change.tenant_id == MEGAN_USER.tenant_id
    assert change.conversation_id == personal_chat(MEGAN_USER).id
    assert change.created_at == bot.clock.now()
    assert change.expires_at == bot.clock.now() + timedelta(minutes=30)
    assert change.intent.outcome is not None
    assert len(change.id) >= 20


async def test_the_confirm_buttons_carry_only_the_pending_id() -> None:
    bot = DialogHarness()

    card = (await bot.say("mark 123 won")).card

    verbs = {action["verb"]: action["data"] for action in card["actions"]}
    pending_id = pending_id_of(card)
    assert verbs == {
        "referral.confirm": {"pendingId": pending_id},
        "referral.cancel": {"pendingId": pending_id},
    }


async def test_each_proposal_gets_its_own_unguessable_id() -> None:
    bot = DialogHarness()

    first = pending_id_of((await bot.say("mark 123 won")).card)
    second = pending_id_of((await bot.say("mark 123 won")).card)

    assert first != second


async def test_in_a_channel_the_confirm_card_says_whose_change_it_is() -> None:
    bot = DialogHarness()

    card = (await bot.say("mark 123 won", conversation=channel_thread())).card

    assert "Megan Bowen proposes this change" in card_text(card)
    assert "Waiting for Megan Bowen to confirm" in card_text(card)


async def test_in_a_personal_chat_the_confirm_card_does_not_name_the_proposer() -> None:
    bot = DialogHarness()

    card = (await bot.say("mark 123 won")).card

    assert "Megan" not in card_text(card)
    assert "Waiting" not in card_text(card)


async def test_a_channel_message_that_still_has_the_mention_is_understood() -> None:
    bot = DialogHarness()

    card = (await bot.say("<at>Referral Bot</at> mark 123 won", conversation=channel_thread())).card

    assert (await bot.stored(card)).referral_id == "123"


async def test_the_dialog_ends_with_the_card_so_the_next_message_starts_fresh() -> None:
    bot = DialogHarness()
    await bot.say("mark 123 won")

    replies = await bot.say("show 4711")

    assert "Contoso Pharma data platform" in card_text(replies.card)
