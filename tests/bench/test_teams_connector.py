"""The fan-out bench's connector throttles as Teams documents, so its 429 count can fail: past 7
sends a second to one conversation, or 50 a second across one tenant, it answers 429 with
Retry-After and counts it; what it accepted is recorded with its cards."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from bench.teams_connector import CONVERSATION, TENANT, TeamsConnector, running_teams_connector

CARD = {"contentType": "application/vnd.microsoft.card.adaptive", "content": {"type": "Card"}}


@dataclass
class Clock:
    now: float = 100.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Rig:
    connector: TeamsConnector
    clock: Clock
    session: aiohttp.ClientSession
    url: str

    async def post(
        self, conversation: str, tenant: str = "t-1", **body: Any
    ) -> aiohttp.ClientResponse:
        activity = {"type": "message", "conversation": {"id": conversation, "tenantId": tenant}}
        url = f"{self.url}v3/conversations/{conversation}/activities"
        async with self.session.post(url, json={**activity, **body}) as answer:
            await answer.read()
            return answer


@pytest.fixture
async def rig() -> AsyncIterator[Rig]:
    clock = Clock()
    connector = TeamsConnector(clock=clock)
    async with running_teams_connector(connector) as url, aiohttp.ClientSession() as session:
        yield Rig(connector, clock, session, url)


async def test_the_eighth_send_in_a_second_to_one_conversation_is_a_429(rig: Rig) -> None:
    statuses = [(await rig.post("a:1")).status for _ in range(7)]
    refused = await rig.post("a:1")

    assert statuses == [200] * 7
    assert refused.status == 429
    assert refused.headers["Retry-After"] == "1"
    assert rig.connector.throttled == {CONVERSATION: 1}
    assert len(rig.connector.posted) == 7  # a refused send is not recorded
    rig.clock.now += 1.0
    assert (await rig.post("a:1")).status == 200  # the second is over


async def test_the_ninth_in_two_seconds_is_a_429(rig: Rig) -> None:
    for _ in range(7):
        await rig.post("a:1")
    rig.clock.now += 1.0

    assert (await rig.post("a:1")).status == 200  # the 8th, a second later
    assert (await rig.post("a:1")).status == 429  # a 9th within 2 s


async def test_the_sixty_first_in_thirty_seconds_is_a_429(rig: Rig) -> None:
    statuses = []
    for _ in range(61):  # about two a second: within the 1 s and 2 s limits
        statuses.append((await rig.post("a:1")).status)
        rig.clock.now += 0.45

    assert statuses == [200] * 60 + [429]
    rig.clock.now += 30.0 - 61 * 0.45  # 30 s after the first: its slot is free again
    assert (await rig.post("a:1")).status == 200


async def test_fifty_one_sends_in_a_second_across_one_tenant_are_one_429(rig: Rig) -> None:
    statuses = [(await rig.post(f"a:{n}")).status for n in range(51)]
    elsewhere = await rig.post("a:other", tenant="t-2")

    assert statuses == [200] * 50 + [429]
    assert rig.connector.throttled == {TENANT: 1}
    assert elsewhere.status == 200  # another tenant's budget


async def test_cards_are_counted_per_conversation(rig: Rig) -> None:
    await rig.post("a:1", attachments=[CARD])
    await rig.post("a:1", attachments=[CARD])
    await rig.post("a:2", text="hello")  # no card
    await rig.post("a:3", attachments=[CARD])

    assert rig.connector.cards_per_conversation() == {"a:1": 2, "a:3": 1}
    rig.connector.start_counting()
    assert rig.connector.cards_per_conversation() == {}
    assert (await rig.post("a:1")).status == 200  # the windows go on: 3rd send to a:1
