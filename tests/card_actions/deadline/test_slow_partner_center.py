"""A Confirm click is answered within `answer_within`, however slow Partner Center is.

In time: the result card, and nothing else is sent. Late: a "Saving…" card at once, then the
result replaces the clicked card through one PUT, after exactly one PATCH. The deadline passes
when the test says (tests/card_actions/deadline/clicks.py), so nothing waits the real 4 s.
"""

from __future__ import annotations

import asyncio

import aiohttp

from bot.card_actions.deadline import ANSWER_WITHIN
from bot.card_actions.replies import CHECK_AGAIN, NOT_SAVED_YET, SAVING_TITLE
from bot.cards.confirm_change import CONFIRM_VERB
from tests.card_actions.deadline.clicks import (
    SLOW,
    Click,
    Deadline,
    card_work,
    send,
    updates_of,
)
from tests.support.bot import BotUnderTest, has_button
from tests.support.e2e import pending_id, propose, text_of
from tests.support.emulator_controls import REFERRALS_PATH
from tests.support.emulators import PartnerCenterView
from tests.support.seeds import REFERRAL_ID
from tests.support.skipped_time import SkippedTime

PATCH_123 = {"method": "PATCH", "path": f"{REFERRALS_PATH}/{REFERRAL_ID}"}
GET_123 = {"method": "GET", "path": f"{REFERRALS_PATH}/{REFERRAL_ID}"}


def assert_saving(card: dict[str, object]) -> None:
    text = text_of(card)
    assert SAVING_TITLE in text
    assert "haven't heard back from Partner Center" in text
    assert "saved." not in text.casefold()  # "Saved." / "already saved." would claim too much
    # one button, which asks again about the same change (never a second save: see below)
    actions = card["actions"]
    assert isinstance(actions, list)
    [check_again] = actions
    assert check_again["title"] == CHECK_AGAIN
    assert check_again["verb"] == CONFIRM_VERB
    assert set(check_again["data"]) == {"pendingId"}


async def test_a_fast_partner_center_answers_the_result_card_and_updates_nothing(
    bot: BotUnderTest,
    partner_center: PartnerCenterView,
    session: aiohttp.ClientSession,
    deadline: Deadline,
) -> None:
    _, change = await propose(bot, "mark 123 won")
    click = Click.of(CONFIRM_VERB, {"pendingId": change})
    deadline.passes = False  # Partner Center answers first

    answer = await send(bot, session, click)

    assert "Won" in text_of(answer.card)
    assert SAVING_TITLE not in text_of(answer.card)
    assert card_work() == []  # nothing left to finish in the background
    assert await updates_of(bot, click) == []
    assert len(await partner_center.patches(status=200)) == 1


async def test_a_slow_partner_center_answers_saving_in_time_then_puts_the_result_once(
    bot: BotUnderTest,
    partner_center: PartnerCenterView,
    session: aiohttp.ClientSession,
    deadline: Deadline,
) -> None:
    _, change = await propose(bot, "mark 123 won")
    sent_before = len(bot.connector.sent)
    await partner_center.add_fault("latency", seconds=SLOW, **PATCH_123)
    click = Click.of(CONFIRM_VERB, {"pendingId": change})

    answer = await send(bot, session, click)

    assert answer.status == 200
    assert deadline.asked == [ANSWER_WITHIN]  # Teams' 5 s, less the network
    assert answer.seconds < SLOW, answer.seconds  # answered without waiting for the PATCH
    assert_saving(answer.card)
    assert (await partner_center.referral(REFERRAL_ID))["status"] == "Active"  # not saved yet
    [update] = await updates_of(bot, click)
    assert len(bot.connector.sent) == sent_before + 1  # the PUT, nothing else
    [result] = update.cards
    assert "Won" in text_of(result)
    assert "Saved" in text_of(result)
    assert [p["status"] for p in await partner_center.patches()] == [200]
    now = await partner_center.referral(REFERRAL_ID)
    assert (now["status"], now["substatus"]) == ("Closed", "Won")


async def test_clicks_repeated_while_saving_never_send_a_second_patch(
    bot: BotUnderTest, partner_center: PartnerCenterView, session: aiohttp.ClientSession
) -> None:
    _, change = await propose(bot, "mark 123 won")
    await partner_center.add_fault("latency", seconds=SLOW, **PATCH_123)
    click = Click.of(CONFIRM_VERB, {"pendingId": change})

    # Teams repeating the same invoke, at once and again after the first answer
    first, repeated = await asyncio.gather(send(bot, session, click), send(bot, session, click))
    again = await send(bot, session, click)
    # the seller clicking Confirm again on another device: a new invoke, same change
    other = await send(bot, session, Click.of(CONFIRM_VERB, {"pendingId": change}))

    assert_saving(first.card)
    assert first.card["actions"][0]["data"] == {"pendingId": change}
    assert repeated.body == first.body == again.body  # bot.inbound.dedupe: the first answer
    assert other.body["type"] == "application/vnd.microsoft.activity.message"
    assert "being saved right now" in other.body["value"]
    assert max(a.seconds for a in (first, repeated, again, other)) < SLOW
    [update] = await updates_of(bot, click)
    assert "Won" in text_of(update.cards[0])
    assert [p["status"] for p in await partner_center.patches()] == [200]


async def test_a_conflict_while_saving_puts_a_fresh_confirm_card(
    bot: BotUnderTest,
    partner_center: PartnerCenterView,
    session: aiohttp.ClientSession,
    deadline: Deadline,
) -> None:
    _, change = await propose(bot, "mark 123 won")
    await partner_center.add_fault("bump_etag", **PATCH_123)  # someone else writes first: 412
    await partner_center.add_fault("latency", seconds=SLOW, **GET_123)  # the re-read is slow
    click = Click.of(CONFIRM_VERB, {"pendingId": change})

    answer = await send(bot, session, click)

    assert_saving(answer.card)
    [update] = await updates_of(bot, click)
    [fresh] = update.cards
    assert "Someone else changed this referral" in text_of(fresh)
    fresh_id = pending_id(fresh)
    assert fresh_id != change
    assert [p["status"] for p in await partner_center.patches()] == [412]

    deadline.passes = False  # no fault left: Partner Center answers first
    applied = await send(bot, session, Click.of(CONFIRM_VERB, {"pendingId": fresh_id}))

    assert "Won" in text_of(applied.card)
    assert [p["status"] for p in await partner_center.patches()] == [412, 200]


async def test_a_message_answer_after_saving_puts_a_notice_that_still_confirms(
    bot: BotUnderTest,
    partner_center: PartnerCenterView,
    session: aiohttp.ClientSession,
    skipped: SkippedTime,
) -> None:
    _, change = await propose(bot, "mark 123 won")
    # 429 with Retry-After 1 s on every attempt: the client gives up after its attempts
    await partner_center.add_fault("throttle", retry_after=1, times=10, **PATCH_123)
    click = Click.of(CONFIRM_VERB, {"pendingId": change})

    answer = await send(bot, session, click)

    assert_saving(answer.card)
    [update] = await updates_of(bot, click, within=30.0)
    [notice] = update.cards
    assert NOT_SAVED_YET in text_of(notice)
    assert "Partner Center is busy" in text_of(notice)
    assert pending_id(notice) == change  # Confirm and Cancel again, for the same change
    assert await partner_center.patches(status=200) == []
    assert has_button(notice, CONFIRM_VERB)
    assert skipped.sleeps == [1.0, 1.0, 1.0]  # Retry-After before each PATCH after the first


async def test_a_slow_batch_answers_saving_then_puts_each_outcome_after_one_patch_each(
    bot: BotUnderTest, partner_center: PartnerCenterView, session: aiohttp.ClientSession
) -> None:
    """Issue 16 §4 through the whole bot: one card for two referrals, Partner Center slow on one
    of them, Confirm clicked again on another device while it saves: one PATCH per referral,
    and between the two result cards each referral is reported saved once."""
    card, batch = await propose(bot, "mark 123 and 4711 won")
    assert "Please confirm these 2 changes" in text_of(card)
    await partner_center.add_fault("latency", seconds=SLOW, **PATCH_123)
    click = Click.of(CONFIRM_VERB, {"pendingId": batch})
    again = Click.of(CONFIRM_VERB, {"pendingId": batch})

    first = await send(bot, session, click)
    second = await send(bot, session, again)

    assert_saving(first.card)
    assert_saving(second.card)
    [first_result] = (await updates_of(bot, click))[0].cards
    [second_result] = (await updates_of(bot, again))[0].cards
    results = text_of(first_result) + "\n" + text_of(second_result)
    assert "Referral 123" in text_of(first_result)
    assert "Referral 4711" in text_of(first_result)
    assert results.count("Saved.") == 2  # 123 once, 4711 once, whichever click saved it
    statuses = sorted((p["path"], p["status"]) for p in await partner_center.patches())
    assert statuses == [(f"{REFERRALS_PATH}/123", 200), (f"{REFERRALS_PATH}/4711", 200)]
