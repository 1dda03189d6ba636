"""Partner Center faults end to end: `mark 123 won` -> confirm card -> Confirm click, with the
Referrals emulator misbehaving; counted at the emulator, as the seller sees it, and timed.

The real bot app runs over loopback (tests/support/bot.py) against the emulators; every case
records one row of the table in artifacts/reliability/faults.md (see conftest.py). The bot's
Retry-After and backoff waits are skipped, not spent, and timed as if spent
(tests/support/skipped_time.py); hangs wait out the real attempt timeout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from bot.card_actions.replies import CARD, MESSAGE
from bot.cards.confirm_change import CONFIRM_VERB
from emulators.server import RunningEmulators
from tests.support.bot import BotUnderTest, SentActivity, has_button, only_card
from tests.support.cards import assert_valid_card, visible_text
from tests.support.e2e import pending_id
from tests.support.emulator_controls import REFERRALS_PATH, clear_faults, recorded_requests
from tests.support.emulators import PartnerCenterView
from tests.support.seeds import REFERRAL_ID
from tests.support.skipped_time import SkippedTime
from tests.system.reliability.cases import (
    CASES,
    CONFIRM_CARD,
    FRESH_CONFIRM,
    Case,
)
from tests.system.reliability.figures import FaultFigures, FigureBook


def param(case: Case) -> Any:
    """A hang waits out the real attempt timeout (0.5 s): slow. Every other wait is skipped."""
    hangs = any(rule.kind == "hang" for rule in case.rules)
    return pytest.param(case, id=case.id, marks=[pytest.mark.slow] if hangs else [])


ITEM_PATH = f"{REFERRALS_PATH}/{REFERRAL_ID}"
TEAMS_INVOKE_BUDGET_SECONDS = 5.0  # Teams redelivers an unanswered invoke (docs/architecture.md)
WRITTEN = (200, 204)


@dataclass(frozen=True)
class Seen:
    """What the seller sees after one step: a card or a plain message, as text."""

    kind: str  # "card" or "message"
    text: str
    card: dict[str, Any] | None = None

    @classmethod
    def of_invoke(cls, body: dict[str, Any]) -> Seen:
        assert body.get("statusCode") == 200, body  # never an error body, never a 5xx
        if body.get("type") == MESSAGE:
            assert isinstance(body["value"], str), body
            return cls("message", body["value"])
        assert body.get("type") == CARD, body
        card: dict[str, Any] = body["value"]
        assert_valid_card(card)
        return cls("card", visible_text(card), card)

    @classmethod
    def of_turn(cls, sent: list[SentActivity]) -> Seen:
        cards = [card for activity in sent for card in activity.cards]
        if cards:
            card = only_card(sent)
            assert_valid_card(card)
            return cls("card", visible_text(card), card)
        assert sent, "the bot answered nothing"
        return cls("message", " ".join(activity.text for activity in sent))

    @property
    def confirmable(self) -> bool:
        return self.card is not None and has_button(self.card, CONFIRM_VERB)

    def shows(self, phrase: str) -> bool:
        if phrase in (CONFIRM_CARD, FRESH_CONFIRM):
            return self.confirmable
        return phrase.casefold() in self.text.casefold()

    def summary(self) -> str:
        first = self.text.strip().splitlines()[0] if self.text.strip() else ""
        first = first if len(first) <= 110 else first[:107] + "…"
        what = "confirm card" if self.confirmable else self.kind
        return f'{what}: "{first}"'


class EmulatorLog:
    """The Referrals emulator's recorded calls on referral 123, read in slices per step."""

    def __init__(self, session: aiohttp.ClientSession, running: RunningEmulators) -> None:
        self._session, self._base = session, running.referrals_base_url
        self._mark = 0

    async def step(self) -> list[dict[str, Any]]:
        """Calls since the previous `step()` (or since the start)."""
        found = await recorded_requests(self._session, self._base, path=ITEM_PATH)
        new, self._mark = found[self._mark :], len(found)
        return new

    async def add(self, case: Case) -> None:
        for rule in case.rules:
            body = {**rule.json(), "path": ITEM_PATH}
            async with self._session.post(f"{self._base}/_emulator/faults", json=body) as answer:
                assert answer.status == 201, await answer.text()

    async def clear(self) -> None:
        await clear_faults(self._session, self._base)


def patches(calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [call for call in calls if call["method"] == "PATCH"]


def gets(calls: list[dict[str, Any]]) -> int:
    return sum(1 for call in calls if call["method"] == "GET")


def applied(calls: list[dict[str, Any]], etag_before: str) -> int:
    """PATCHes that changed the referral: answered 2xx, or dropped after a write whose If-Match
    was current (the emulator runs the write, then closes the connection)."""
    return sum(
        1
        for call in patches(calls)
        if call["status"] in WRITTEN
        or (
            call["fault"] == "drop_after_write"
            and call["status"] is None
            and call["headers"].get("If-Match") == etag_before
        )
    )


async def click(bot: BotUnderTest, pending: str, time: SkippedTime) -> tuple[int, Seen, float]:
    """The click's answer and its seconds, waits the bot skipped included."""
    started = time.monotonic()
    answer = await bot.click(CONFIRM_VERB, {"pendingId": pending})
    wall = time.monotonic() - started
    assert answer.status == 200, (answer.status, answer.body)
    return answer.status, Seen.of_invoke(answer.body), wall


@pytest.mark.parametrize("case", [param(case) for case in CASES])
async def test_a_fault_is_survived_once_and_counted(
    case: Case,
    bot: BotUnderTest,
    partner_center: PartnerCenterView,
    session: aiohttp.ClientSession,
    fresh: RunningEmulators,
    figure_book: FigureBook,
    skipped: SkippedTime,
) -> None:
    log = EmulatorLog(session, fresh)
    etag_before = (await partner_center.referral(REFERRAL_ID))["eTag"]
    await log.step()  # the admin read above is not the bot's

    if case.step == "propose":
        await log.add(case)
        started = skipped.monotonic()
        seen = Seen.of_turn(await bot.say("mark 123 won"))
        wall, invoke = skipped.monotonic() - started, f"message turn, reply {seen.kind}"
        faulted = await log.step()
        await log.clear()
        card = seen.card if seen.confirmable else None
        if card is None:  # asked again once the fault is cleared
            card = only_card(await bot.say("mark 123 won"))
        _, second, _ = await click(bot, pending_id(card), skipped)
    else:
        pending = pending_id(only_card(await bot.say("mark 123 won")))
        await log.step()
        await log.add(case)
        status, seen, wall = await click(bot, pending, skipped)
        invoke = f"{status}, {seen.kind}"
        faulted = await log.step()
        await log.clear()
        if seen.confirmable and seen.card is not None:  # a fresh confirm card replaced ours
            assert pending_id(seen.card) != pending
            pending = pending_id(seen.card)
        _, second, _ = await click(bot, pending, skipped)
    afterwards = await log.step()
    total = applied(faulted, etag_before) + applied(afterwards, etag_before)
    now = await partner_center.referral(REFERRAL_ID)
    figure_book.add(
        FaultFigures(
            fault=case.fault,
            on=case.on,
            patches=len(patches(faulted)),
            applied=applied(faulted, etag_before),
            gets=gets(faulted),
            seller_sees=seen.summary(),
            invoke=invoke,
            wall_seconds=wall,
            second_click=second.summary(),
            applied_total=total,
        )
    )

    assert (len(patches(faulted)), applied(faulted, etag_before), gets(faulted)) == (
        case.patches,
        case.applied,
        case.gets,
    )
    assert seen.kind == case.answer, seen.text
    assert seen.shows(case.sees), seen.text
    assert wall < TEAMS_INVOKE_BUDGET_SECONDS
    assert second.shows(case.second), second.text
    if case.second_must_not is not None:
        assert not second.shows(case.second_must_not), second.text
    assert total == 1  # exactly once, whatever happened on the way
    assert (now["status"], now["substatus"]) == ("Closed", "Won")
    assert now["eTag"] != etag_before
