"""Issue 17 test helpers: stores that count what the bot asks of them (the memory ones
underneath: "an ordinary turn makes no storage call" is proved by these counts), settings for
the real app without emulators, and posting install events and messages to it."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

from pydantic import SecretStr

from bot.domain.proactive import ChannelSubscription, Recipient
from bot.settings import BotSettings, IdentitySettings, Mode, Settings, StateBackend, StateSettings
from bot.state.recipients import MemoryChannelSubscriptions, MemoryRecipients
from tests.support.activities import TeamsUser, installation_update_payload
from tests.support.bot import BotUnderTest, SentActivity

MEGAN = TeamsUser("5e1f0000-0000-4000-8000-00000000c001", "Megan Bowen")
MEGAN_EMAIL = "megan.bowen@contoso.com"


class CountingRecipients(MemoryRecipients):
    def __init__(self) -> None:
        super().__init__()
        self.calls: Counter[str] = Counter()

    async def put(self, recipient: Recipient) -> None:
        self.calls["put"] += 1
        await super().put(recipient)

    async def get(self, user_id: str) -> Recipient | None:
        self.calls["get"] += 1
        return await super().get(user_id)

    async def by_email(self, email: str) -> Recipient | None:
        self.calls["by_email"] += 1
        return await super().by_email(email)

    async def forget(self, user_id: str) -> None:
        self.calls["forget"] += 1
        await super().forget(user_id)

    async def all(self) -> AsyncIterator[Recipient]:
        self.calls["all"] += 1
        async for recipient in super().all():
            yield recipient

    def total(self) -> int:
        return sum(self.calls.values())


class CountingChannels(MemoryChannelSubscriptions):
    def __init__(self) -> None:
        super().__init__()
        self.calls: Counter[str] = Counter()

    async def put(self, subscription: ChannelSubscription) -> None:
        self.calls["put"] += 1
        await super().put(subscription)

    async def remove(self, conversation_id: str) -> bool:
        self.calls["remove"] += 1
        return await super().remove(conversation_id)

    async def listed(self) -> list[ChannelSubscription]:
        return [subscription async for subscription in super().all()]


def settings(**bot: Any) -> Settings:
    """Demo mode without emulators: nothing here reaches Partner Center."""
    return Settings(
        mode=Mode.DEMO,
        port=0,
        dangerously_allow_unauthenticated=True,
        state=StateSettings(backend=StateBackend.MEMORY),
        bot=BotSettings(**bot),
        identity=IdentitySettings(
            authority_host="https://127.0.0.1:9",  # never called: nothing here signs in
            client_id="installs-tests",
            client_secret=SecretStr("unused"),
        ),
    )


async def post(bot: BotUnderTest, payload: dict[str, Any]) -> list[SentActivity]:
    before = len(bot.connector.sent)
    response = await bot.post(payload)
    assert response.status in (200, 201), response.status
    return bot.connector.sent[before:]


async def install(bot: BotUnderTest, user: TeamsUser, **extra: Any) -> list[SentActivity]:
    return await post(bot, installation_update_payload("add", user=user, **extra))
