"""Issue 17 stores for tests that count what the bot asks of them (the memory ones underneath):
"an ordinary turn makes no storage call" is proved by these counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator

from bot.domain.proactive import ChannelSubscription, Recipient
from bot.state.recipients import MemoryChannelSubscriptions, MemoryRecipients


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
