"""Issue 16 §4 end to end: several referrals in one message -> one confirm card -> one Confirm.

Through MainDialog to the batch confirm card, then the click through the card actions: each
referral that can take the change is written once; a final one is named and skipped.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter

from bot.card_actions.verbs import CardActions
from bot.cards.confirm_change import CONFIRM_VERB
from bot.domain.pending import PendingState
from tests.dialogs.harness import MEGAN_USER, DialogHarness, card_text, pending_id_of
from tests.dialogs.seed import referral_document
from tests.support.activities import TeamsUser, channel_thread, make_card_invoke
from tests.support.answers import text_of


async def click(
    harness: DialogHarness, card: dict[str, Any], user: TeamsUser = MEGAN_USER
) -> dict[str, Any]:
    data = {"pendingId": pending_id_of(card)}
    activity = make_card_invoke(CONFIRM_VERB, data, user=user)
    actions = CardActions(harness.services)
    return await actions.dispatch(TurnContext(TestAdapter(), activity), CONFIRM_VERB, data)


def applied(harness: DialogHarness) -> Counter[str]:
    return Counter(call.argument for call in harness.referrals.called("apply"))


async def test_a_final_referral_is_named_and_skipped_the_others_confirm_once() -> None:
    harness = DialogHarness()
    replies = await harness.say("mark 555, 123 and 900 lost, budget frozen")
    card = replies.card
    text = card_text(card)
    assert "Please confirm these 2 changes" in text
    assert "referral 555" in text
    assert "referral 123" in text
    assert "Not included:" in text
    assert "Adatum ERP upgrade (referral 900)" in text
    assert "Confirm all 2" in text
    batch = await harness.stored(card)
    assert batch.is_batch
    assert len(batch.batch_items) == 2
    assert applied(harness) == Counter()  # nothing written before the Confirm
    body = await click(harness, card)
    assert text_of(body).count("Saved.") == 2
    assert applied(harness) == Counter({"555": 1, "123": 1})
    for referral_id in ("555", "123"):
        assert harness.referrals.referral(referral_id).status == "Closed"
    again = await click(harness, card)
    assert text_of(again).count("Already saved.") == 2
    assert applied(harness) == Counter({"555": 1, "123": 1})
    items = [await harness.pending.get(item) for item in batch.batch_items]
    assert [item.state for item in items if item] == [PendingState.APPLIED] * 2


async def test_several_ids_each_planned_against_their_own_version() -> None:
    harness = DialogHarness()
    card = (await harness.say("set the value of 123 and 4711 to 250k")).card
    batch = await harness.stored(card)
    items = [await harness.pending.get(item) for item in batch.batch_items]
    assert [(item.referral_id, item.etag) for item in items if item] == [
        ("123", harness.referrals.etag("123")),
        ("4711", harness.referrals.etag("4711")),
    ]
    assert "250,000" in card_text(card)


async def test_an_unknown_id_is_named_and_the_rest_is_proposed() -> None:
    harness = DialogHarness()
    card = (await harness.say("mark 123 and 999 won")).card
    text = card_text(card)
    assert "Please confirm this change" in text
    assert "referral 999" in text
    assert "can't find" in text


async def test_nothing_is_proposed_when_no_referral_can_take_the_change() -> None:
    harness = DialogHarness()
    replies = await harness.say("mark 900 and 901 won")
    assert replies.cards == []
    assert "nothing was changed" in replies.text
    assert "900" in replies.text
    assert "901" in replies.text
    assert len(harness.pending) == 0


async def test_more_than_ten_referrals_asks_to_narrow_and_reads_none() -> None:
    harness = DialogHarness()
    ids = ", ".join(str(n) for n in range(100, 111))
    replies = await harness.say(f"mark {ids} and 111 lost")
    assert replies.cards == []
    assert "12 referrals" in replies.text
    assert "at most 10" in replies.text
    assert harness.referrals.called("get") == []
    assert len(harness.pending) == 0


async def test_in_a_channel_the_batch_card_says_whose_change_it_is() -> None:
    harness = DialogHarness()
    replies = await harness.say("mark 555 and 123 lost", conversation=channel_thread())
    text = card_text(replies.card)
    assert "Megan Bowen proposes these 2 changes" in text
    assert "Waiting for Megan Bowen to confirm" in text
    assert "actions" not in replies.card  # the buttons are the proposer's refresh only


async def test_a_list_as_the_target_proposes_its_referrals_and_confirms_each_once() -> None:
    harness = DialogHarness()
    card = (await harness.say("push every deal closing this year by a week")).card
    text = card_text(card)
    assert "Please confirm these 2 changes" in text
    assert "Sat 28 Nov 2026 → Sat 5 Dec 2026" in text  # 555, from its own close date
    assert "Tue 15 Dec 2026 → Tue 22 Dec 2026" in text  # 123
    assert "Adatum ERP upgrade (referral 900)" in text  # closed: named, not changed
    assert "Litware CRM (referral 901)" in text
    body = await click(harness, card)
    assert text_of(body).count("Saved.") == 2
    await click(harness, card)
    assert applied(harness) == Counter({"555": 1, "123": 1})


async def test_a_list_with_more_than_ten_referrals_asks_to_narrow_and_proposes_nothing() -> None:
    harness = DialogHarness()
    for n in range(12):
        harness.referrals.add(
            referral_document(
                f"70{n:02d}", f"Deal {n}", "Wingtip Toys", closing="2026-11-27T00:00:00Z"
            )
        )
    replies = await harness.say("push every deal closing this week by a week")
    assert replies.cards == []
    assert "at most 10" in replies.text
    assert len(harness.pending) == 0
    assert harness.referrals.called("get") == []


async def test_an_empty_list_says_so() -> None:
    harness = DialogHarness()
    replies = await harness.say("mark every deal closing last week lost")
    assert replies.cards == []
    assert "No referral of yours matches" in replies.text


async def test_several_referrals_at_a_waiting_step_drop_the_question() -> None:
    harness = DialogHarness()
    await harness.say("mark Contoso won")  # "which Contoso?": a pick list waits
    card = (await harness.say("mark 555 and 123 lost")).card
    assert (await harness.stored(card)).is_batch
    assert "Please confirm these 2 changes" in card_text(card)
