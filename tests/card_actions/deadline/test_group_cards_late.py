"""In a channel a late answer never replaces the posted card with the proposer's own (their
buttons would show to everyone): the ended change updates the message for all, once. A card's
refresh only reads, and is answered with the view, never with "Saving…"."""

from __future__ import annotations

import uuid

import aiohttp

from bot.card_actions.replies import SAVING_TITLE
from bot.cards.confirm_change import CANCEL_VERB, CONFIRM_VERB, REFRESH_VERB
from tests.card_actions.deadline.clicks import SLOW, Click, Deadline, no_card_work_left, send
from tests.support.activities import card_invoke_payload, channel_thread
from tests.support.bot import BotUnderTest, has_button
from tests.support.e2e import propose, text_of
from tests.support.emulator_controls import REFERRALS_PATH
from tests.support.emulators import PartnerCenterView
from tests.support.seeds import REFERRAL_ID

CHANNEL = channel_thread()


def in_channel(verb: str, pending_id: str) -> Click:
    reply_to = f"1:{uuid.uuid4().hex}"
    data = {"pendingId": pending_id}
    return Click(card_invoke_payload(verb, data, conversation=CHANNEL, reply_to_id=reply_to))


async def test_a_slow_confirm_in_a_channel_updates_the_posted_message_once_for_everyone(
    bot: BotUnderTest, partner_center: PartnerCenterView, session: aiohttp.ClientSession
) -> None:
    _, change = await propose(bot, "mark 123 won", conversation=CHANNEL, mention=True)
    await partner_center.add_fault(
        "latency", seconds=SLOW, method="PATCH", path=f"{REFERRALS_PATH}/{REFERRAL_ID}"
    )
    click = in_channel(CONFIRM_VERB, change)

    answer = await send(bot, session, click)
    await no_card_work_left(within=10.0)

    assert SAVING_TITLE in text_of(answer.card)  # the proposer's screen, for now
    [update] = bot.connector.updates()  # no PUT over the clicked card with the proposer's answer
    assert update.reply_to_id != click.card_id
    [shown] = update.cards
    assert "Saved by" in text_of(shown)
    assert not has_button(shown, CONFIRM_VERB)
    assert not has_button(shown, CANCEL_VERB)
    assert len(await partner_center.patches(status=200)) == 1


async def test_a_refresh_is_answered_with_its_view_even_past_the_deadline(
    bot: BotUnderTest, session: aiohttp.ClientSession, deadline: Deadline
) -> None:
    _, change = await propose(bot, "mark 123 won", conversation=CHANNEL, mention=True)
    deadline.passes = True  # a Confirm's answer would be "Saving…" by now

    view = await send(bot, session, in_channel(REFRESH_VERB, change))

    assert has_button(view.card, CONFIRM_VERB)
    assert SAVING_TITLE not in text_of(view.card)
    assert deadline.asked == []  # never put on the deadline
    assert bot.connector.updates() == []
