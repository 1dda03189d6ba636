"""MemoryRecipients and MemoryChannelSubscriptions: who the bot may speak to first, in one
process (tests, the memory backend).

E-mails are matched case-insensitively through an index kept with the entries: a put that
changes someone's e-mail drops the old one, and `forget` deletes the person (not a flag), so a
forgotten seller is neither matched nor listed again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from bot.domain.proactive import ChannelSubscription, Recipient


def email_key(email: str) -> str:
    """How e-mails compare: trimmed and case-folded."""
    return email.strip().casefold()


class MemoryRecipients:
    """Implements `bot.domain.proactive.Recipients` in one process."""

    def __init__(self) -> None:
        self._by_id: dict[str, Recipient] = {}
        self._by_email: dict[str, str] = {}  # email_key -> user_id

    async def put(self, recipient: Recipient) -> None:
        self._unindex(recipient.user_id)
        self._by_id[recipient.user_id] = recipient
        self._by_email[email_key(recipient.email)] = recipient.user_id

    async def get(self, user_id: str) -> Recipient | None:
        return self._by_id.get(user_id)

    async def by_email(self, email: str) -> Recipient | None:
        user_id = self._by_email.get(email_key(email))
        return None if user_id is None else self._by_id.get(user_id)

    async def forget(self, user_id: str) -> None:
        self._unindex(user_id)
        self._by_id.pop(user_id, None)

    async def all(self) -> AsyncIterator[Recipient]:
        for recipient in list(self._by_id.values()):
            yield recipient

    def _unindex(self, user_id: str) -> None:
        old = self._by_id.get(user_id)
        if old is not None and self._by_email.get(email_key(old.email)) == user_id:
            del self._by_email[email_key(old.email)]


class MemoryChannelSubscriptions:
    """Implements `bot.domain.proactive.ChannelSubscriptions` in one process."""

    def __init__(self) -> None:
        self._channels: dict[str, ChannelSubscription] = {}

    async def put(self, subscription: ChannelSubscription) -> None:
        self._channels[subscription.conversation_id] = subscription

    async def remove(self, conversation_id: str) -> bool:
        return self._channels.pop(conversation_id, None) is not None

    async def all(self) -> AsyncIterator[ChannelSubscription]:
        for subscription in list(self._channels.values()):
            yield subscription
