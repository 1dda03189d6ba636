"""BlobRecipients and BlobChannelSubscriptions: who the bot may speak to first, shared by every
instance in Blob Storage.

`recipients/<SHA-256 of the user id>` holds a recipient, `recipient-emails/<SHA-256 of the
case-folded e-mail>` the user id it belongs to (the index `by_email` reads), and
`channels/<SHA-256 of the conversation id>` a subscription: no id, name or e-mail is in a blob
name. A put writes the recipient, then its e-mail's index entry, then drops the old e-mail's
entry if it still points to them (If-Match); `forget` deletes the recipient, then its entry.
`by_email` checks the recipient it finds still has that e-mail, so an index entry left behind
by a crash in between matches nobody.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from bot.domain.proactive import ChannelSubscription, Recipient
from bot.state import blob_items
from bot.state.blob_storage import AzureBlobStorage
from bot.state.proactive_codec import decode, encode
from bot.state.recipients import email_key
from bot.state.referral_indexes import stored_name

RECIPIENTS = "recipients/"
EMAILS = "recipient-emails/"
CHANNELS = "channels/"
_BODY = "body"
_USER = "user_id"


def _email_name(email: str) -> str:
    return EMAILS + stored_name(email_key(email))


class BlobRecipients:
    """Implements `bot.domain.proactive.Recipients` over AzureBlobStorage."""

    def __init__(self, storage: AzureBlobStorage) -> None:
        self._storage = storage

    async def put(self, recipient: Recipient) -> None:
        old = await self.get(recipient.user_id)
        name = RECIPIENTS + stored_name(recipient.user_id)
        await blob_items.put(self._storage, name, {_BODY: encode(recipient)}, {})
        await blob_items.put(
            self._storage, _email_name(recipient.email), {_USER: recipient.user_id}, {}
        )
        if old is not None and email_key(old.email) != email_key(recipient.email):
            await self._unindex(old)

    async def get(self, user_id: str) -> Recipient | None:
        item, _ = await blob_items.read(self._storage, RECIPIENTS + stored_name(user_id))
        return None if item is None else decode(Recipient, item[_BODY])

    async def by_email(self, email: str) -> Recipient | None:
        item, _ = await blob_items.read(self._storage, _email_name(email))
        if item is None:
            return None
        found = await self.get(str(item[_USER]))
        if found is None or email_key(found.email) != email_key(email):
            return None  # left behind by a put or forget that did not finish
        return found

    async def forget(self, user_id: str) -> None:
        old = await self.get(user_id)
        await self._storage.delete_if_unchanged(RECIPIENTS + stored_name(user_id), etag=None)
        if old is not None:
            await self._unindex(old)

    async def all(self) -> AsyncIterator[Recipient]:
        async for item in blob_items.bodies(self._storage, RECIPIENTS):
            yield decode(Recipient, item[_BODY])

    async def _unindex(self, old: Recipient) -> None:
        """Drops `old`'s e-mail entry unless someone else has been put with it since."""

        def decide(item: blob_items.Item | None) -> blob_items.Write[None]:
            mine = item is not None and item.get(_USER) == old.user_id
            return blob_items.Write(None, delete=mine)

        await blob_items.update(self._storage, _email_name(old.email), decide)


class BlobChannelSubscriptions:
    """Implements `bot.domain.proactive.ChannelSubscriptions` over AzureBlobStorage."""

    def __init__(self, storage: AzureBlobStorage) -> None:
        self._storage = storage

    async def put(self, subscription: ChannelSubscription) -> None:
        name = CHANNELS + stored_name(subscription.conversation_id)
        await blob_items.put(self._storage, name, {_BODY: encode(subscription)}, {})

    async def remove(self, conversation_id: str) -> bool:
        name = CHANNELS + stored_name(conversation_id)
        return await self._storage.delete_if_unchanged(name, etag=None)

    async def all(self) -> AsyncIterator[ChannelSubscription]:
        async for item in blob_items.bodies(self._storage, CHANNELS):
            yield decode(ChannelSubscription, item[_BODY])
