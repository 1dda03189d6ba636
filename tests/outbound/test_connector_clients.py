"""SDK clients are made once per key and closed once, not once per turn
(bot.outbound.connector_clients).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from botframework.connector.auth import AuthenticationConstants, ClaimsIdentity

from bot.outbound.connector_clients import ConnectorClients, KeptUserTokenClients


@dataclass
class FakeClient:
    name: str
    closed: int = 0

    async def __aexit__(self, *_: Any) -> None:
        self.closed += 1


@dataclass
class CountingFactory:
    made: list[FakeClient] = field(default_factory=list)
    delay: float = 0.0

    async def create(self, service_url: str, audience: str | None = None) -> Any:
        await asyncio.sleep(self.delay)
        client = FakeClient(f"{service_url}|{audience}")
        self.made.append(client)
        return client


async def test_one_client_per_key_across_turns() -> None:
    clients, inner = ConnectorClients(), CountingFactory()
    factory = clients.factory(inner, "bot-app")

    first = await factory.create("https://smba.example/emea/", "aud")
    again = [await clients.factory(inner, "bot-app").create("https://smba.example/emea/", "aud")]
    other_region = await factory.create("https://smba.example/amer/", "aud")
    other_bot = await clients.factory(inner, "other-app").create(
        "https://smba.example/emea/", "aud"
    )

    assert again == [first]
    assert len({id(first), id(other_region), id(other_bot)}) == 3
    assert len(inner.made) == 3


async def test_two_first_turns_at_once_keep_one_client_and_close_the_other() -> None:
    clients, inner = ConnectorClients(), CountingFactory(delay=0.01)
    factory = clients.factory(inner, "bot")

    a, b = await asyncio.gather(
        factory.create("https://s/", "x"), factory.create("https://s/", "x")
    )

    assert a is b
    assert len(inner.made) == 2
    assert sorted(client.closed for client in inner.made) == [0, 1]


async def test_bounded_and_everything_closed_once_at_the_end() -> None:
    clients, inner = ConnectorClients(max_clients=2), CountingFactory()
    factory = clients.factory(inner, "bot")
    for n in range(6):
        await factory.create(f"https://s{n}/", "x")

    assert len(clients) == 2
    await clients.aclose()

    assert len(clients) == 0
    assert [client.closed for client in inner.made] == [1] * 6


@dataclass
class CountingAuthentication:
    made: int = 0

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> Any:
        self.made += 1
        return object()


def _identity(app_id: str) -> ClaimsIdentity:
    return ClaimsIdentity({AuthenticationConstants.AUDIENCE_CLAIM: app_id}, True)


async def test_one_user_token_client_per_bot_app_id() -> None:
    inner = CountingAuthentication()
    kept = KeptUserTokenClients(inner)

    first = await kept.create_user_token_client(_identity("bot"))
    again = await kept.create_user_token_client(_identity("bot"))
    other = await kept.create_user_token_client(_identity("other-bot"))

    assert again is first
    assert other is not first
    assert inner.made == 2
    assert len(kept) == 2
