"""The answer deadline and the lead card: a refresh is never answered "Saving…", and a late Accept
or Decline never replaces a card others may see (a channel's) with the clicker's own view."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter

from bot.background import BackgroundTasks
from bot.card_actions import replies
from bot.card_actions.deadline import AnswerInTime
from bot.cards.confirm_change import CONFIRM_VERB
from bot.cards.lead_alert import LEAD_ACCEPT_VERB, LEAD_REFRESH_VERB
from tests.support.activities import make_card_invoke

DONE = replies.card({"type": "AdaptiveCard", "version": "1.5", "body": []})


class Slow:
    """Card actions that answer only when `release` is set: past any deadline."""

    def __init__(self) -> None:
        self.release = asyncio.Event()

    async def dispatch(
        self, turn_context: TurnContext, verb: str, data: Mapping[str, Any]
    ) -> dict[str, Any]:
        await self.release.wait()
        return DONE


async def no_wait(seconds: float) -> None:
    await asyncio.sleep(0)


async def click(verb: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    slow, background, replaced = Slow(), BackgroundTasks(), []

    async def replace_card(invoke: TurnContext, card: dict[str, Any]) -> None:
        replaced.append(card)

    deadline = AnswerInTime(slow, background, replace_card=replace_card, sleep=no_wait)
    context = TurnContext(TestAdapter(), make_card_invoke(verb, {"pendingId": "p1"}))
    answering = asyncio.ensure_future(deadline.dispatch(context, verb, {"pendingId": "p1"}))
    await asyncio.sleep(0.01)
    slow.release.set()
    answer = await answering
    await background.drain(grace_seconds=1)
    return answer, replaced


async def test_a_refresh_waits_for_its_own_answer_instead_of_saving() -> None:
    answer, replaced = await click(LEAD_REFRESH_VERB)
    assert answer == DONE
    assert replaced == []


async def test_a_late_accept_answers_saving_and_leaves_the_card_to_the_copies() -> None:
    answer, replaced = await click(LEAD_ACCEPT_VERB)
    assert answer["value"] != DONE["value"]
    assert "Saving" in str(answer["value"])
    assert replaced == []


async def test_a_late_confirm_still_replaces_the_clicked_card() -> None:
    answer, replaced = await click(CONFIRM_VERB)
    assert "Saving" in str(answer["value"])
    assert replaced == [DONE["value"]]
