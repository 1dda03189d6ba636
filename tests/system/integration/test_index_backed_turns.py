"""Read and change commands through the whole bot, answered from the seller's referral index,
against the strict emulator (the default): what each turn costs upstream, and that no request
ever carries a query Partner Center does not document (issue 15)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest

from bot.cards.confirm_change import CONFIRM_VERB
from emulators.server import RunningEmulators
from tests.support.bot import BotUnderTest, demo_settings, only_card, running_bot
from tests.support.e2e import propose, text_of
from tests.support.emulator_controls import REFERRALS_PATH, recorded_requests
from tests.support.emulators import OTHER_SELLER, SELLER
from tests.support.fixtures import emulators_fixture
from tests.support.referral_documents import member, seed_referral


def _mid_quarter() -> str:
    """The 15th of the current quarter's middle month: inside the quarter in every time zone."""
    today = datetime.now(UTC)
    middle = (today.month - 1) // 3 * 3 + 2
    return datetime(today.year, middle, 15, 12, tzinfo=UTC).isoformat().replace("+00:00", "Z")


def tenant() -> list[dict[str, Any]]:
    team = [member(SELLER)]
    closing = {"dealValue": 80000, "currency": "USD", "closingDateTime": _mid_quarter()}
    return [
        seed_referral("c-1", name="Contoso data estate", customer="Contoso Ltd", team=team),
        seed_referral("f-1", name="Fabrikam renewal", customer="Fabrikam", team=team),
        seed_referral(
            "n-1", name="Northwind ERP rollout", customer="Northwind", team=team, details=closing
        ),
        seed_referral(
            "o-1", name="Contoso Bank rollout", customer="Contoso Bank", team=[member(OTHER_SELLER)]
        ),
    ]


running = emulators_fixture(tenant, scope="module")


@pytest.fixture
async def bot(fresh: RunningEmulators) -> AsyncIterator[BotUnderTest]:
    async with running_bot(demo_settings(fresh)) as running_app:
        yield running_app


async def calls(session: aiohttp.ClientSession, running: RunningEmulators) -> list[dict[str, Any]]:
    found = await recorded_requests(session, running.referrals_base_url)
    return [r for r in found if r["path"].startswith(REFERRALS_PATH)]


def undocumented(request: dict[str, Any]) -> list[str]:
    """What in a request's query Partner Center does not document (docs/referrals-api.md)."""
    query = request.get("query") or {}
    problems = []
    filter_text = str(query.get("$filter", "")).casefold()
    for word in ("contains(", " ne ", " lt ", " ge ", " gt ", " le "):
        if word in filter_text:
            problems.append(f"$filter with {word.strip()}")
    orderby = query.get("$orderby")
    if orderby is not None and orderby.split()[0] not in ("updatedDateTime", "createdDateTime"):
        problems.append(f"$orderby={orderby}")
    return problems


async def test_show_change_and_lists_run_on_the_index_with_documented_queries_only(
    bot: BotUnderTest, fresh: RunningEmulators, session: aiohttp.ClientSession
) -> None:
    shown = text_of(only_card(await bot.say("show Contoso")))
    assert "Contoso data estate" in shown
    assert "Contoso Bank" not in shown  # not on this seller's team
    first = await calls(session, fresh)
    # the cold sync (one page), then the card's referral read fresh by id
    assert [(r["method"], r["path"]) for r in first] == [
        ("GET", REFERRALS_PATH),
        ("GET", f"{REFERRALS_PATH}/c-1"),
    ]

    card, pending = await propose(bot, "mark Fabrikam renewal won")
    assert "Fabrikam renewal" in text_of(card)
    answer = await bot.click(CONFIRM_VERB, {"pendingId": pending})
    assert "Won" in text_of(answer.card)
    change = (await calls(session, fresh))[len(first) :]
    item = f"{REFERRALS_PATH}/f-1"
    assert [(r["method"], r["path"]) for r in change] == [("GET", item), ("PATCH", item)]

    listed = text_of(only_card(await bot.say("deals closing this quarter")))
    assert "Northwind ERP rollout" in listed
    assert "Fabrikam renewal" not in listed
    everything = await calls(session, fresh)
    assert len(everything) == len(first) + len(change)  # the index was fresh: no request
    assert [problem for r in everything for problem in undocumented(r)] == []
