"""The bot speaks first (issue 17): cards posted to and updated in a stored conversation.

A conversation reference is stored as JSON (`bot.domain.proactive.Reference`), made here from a
turn's activity (`reference_of`, `channel_reference_of`) and read back into botbuilder's
`ConversationReference` only here. A send continues the conversation as the bot (the adapter's
`continue_conversation` with `bot_app_id`: the app's credentials in production, none in demo mode
where the adapter's authentication is off), and posts with the connector client of that turn:

- a new message (`send_to_conversation`), never a reply: the SDK would make every activity of a
  continued turn a reply to the continuation's made-up id;
- paced per conversation and sent again after a 429 (Retry-After) or a 5xx by the adapter's own
  `OutboundSender`, the one its replies go through: Teams counts both against the same limits;
- 403 and 404 (the app was removed, the chat is gone) raise `RecipientGoneError`; any other
  failure is raised as it is. Failures are taken out of the continued turn before the adapter's
  `on_turn_error` would answer them into the very conversation that refused.

A channel's reference names the channel itself (`19:…@thread.tacv2`, no `;messageid=`), so each
card starts a thread of its own whatever thread "post new leads here" was said in.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, TypeVar

from botbuilder.core import BotAdapter, CardFactory, MessageFactory, TurnContext
from botbuilder.schema import Activity, ConversationAccount, ConversationReference

from bot.domain.proactive import RecipientGoneError, Reference
from bot.logging import id_ref
from bot.outbound.pacing import OutboundSender, status_of

logger = logging.getLogger(__name__)

T = TypeVar("T")
GONE_STATUSES: Final = frozenset({403, 404})
_THREAD_SUFFIX: Final = ";messageid="


def reference_of(activity: Activity) -> dict[str, Any]:
    """Where a later proactive card to this conversation goes (JSON, for the state backend)."""
    reference = TurnContext.get_conversation_reference(activity)
    reference.activity_id = None  # a card is a new message, not a reply to this one
    return _json(reference)


def channel_reference_of(activity: Activity) -> dict[str, Any]:
    """The channel this activity was said in, at its root; no user: the channel is addressed."""
    reference = TurnContext.get_conversation_reference(activity)
    said_in = reference.conversation
    reference.activity_id = None
    reference.user = None
    channel = ConversationAccount(id=channel_id_of(activity), conversation_type="channel")
    channel.is_group = True
    channel.tenant_id = getattr(said_in, "tenant_id", None)
    channel.additional_properties = dict(getattr(said_in, "additional_properties", None) or {})
    reference.conversation = channel
    return _json(reference)


def channel_id_of(activity: Activity) -> str:
    """Teams' channel id (`channelData.channel.id`), else the conversation id without its thread."""
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    channel = data.get("channel")
    if isinstance(channel, dict) and isinstance(channel.get("id"), str) and channel["id"]:
        return str(channel["id"])
    conversation_id = str(getattr(activity.conversation, "id", "") or "")
    return conversation_id.split(_THREAD_SUFFIX, 1)[0]


def conversation_reference(reference: Reference) -> ConversationReference:
    """The stored JSON as botbuilder's type; a reference without a conversation is refused."""
    found: ConversationReference = ConversationReference.deserialize(dict(reference))
    if found.conversation is None or not found.conversation.id or not found.service_url:
        raise ValueError("a conversation reference needs a conversation id and a serviceUrl")
    return found


def _json(reference: ConversationReference) -> dict[str, Any]:
    """msrest leaves out what its models do not map; Teams' own fields (`tenantId`, `userRole`)
    are kept beside them, as Teams sent them."""
    serialized: dict[str, Any] = reference.serialize()
    for key, account in (
        ("user", reference.user),
        ("bot", reference.bot),
        ("conversation", reference.conversation),
    ):
        extra = getattr(account, "additional_properties", None) or {}
        if key in serialized and extra:
            serialized[key] = {**extra, **serialized[key]}
    return serialized


def card_message(card: Mapping[str, Any]) -> Activity:
    activity: Activity = MessageFactory.attachment(CardFactory.adaptive_card(dict(card)))
    return activity


Operation = Callable[[Any, str, Activity], Awaitable[T]]


@dataclass(frozen=True)
class AdapterProactiveSender:
    """`ProactiveSender` over the app's adapter; `outbound` is the adapter's own sender."""

    adapter: BotAdapter
    outbound: OutboundSender
    bot_app_id: str = ""  # the adapter's app id; empty when its authentication is off

    async def send(self, reference: Reference, card: Mapping[str, Any]) -> str | None:
        async def post(client: Any, conversation_id: str, activity: Activity) -> str | None:
            answer = await client.conversations.send_to_conversation(conversation_id, activity)
            posted = getattr(answer, "id", None)
            return str(posted) if posted else None

        return await self._continued(reference, card_message(card), post)

    async def update(self, reference: Reference, activity_id: str, card: Mapping[str, Any]) -> None:
        async def put(client: Any, conversation_id: str, activity: Activity) -> None:
            activity.id = activity_id
            await client.conversations.update_activity(conversation_id, activity_id, activity)

        await self._continued(reference, card_message(card), put)

    async def _continued(
        self, reference: Reference, activity: Activity, operation: Operation[T]
    ) -> T:
        target = conversation_reference(reference)
        conversation_id = str(target.conversation.id)
        TurnContext.apply_conversation_reference(activity, target)
        done: list[T] = []
        failed: list[Exception] = []

        async def logic(context: TurnContext) -> None:
            client = context.turn_state.get(BotAdapter.BOT_CONNECTOR_CLIENT_KEY)
            self.outbound.attach(client)  # paced and retried, as the adapter's replies are
            try:
                done.append(await operation(client, conversation_id, activity))
            except Exception as error:  # raised to the caller, never to on_turn_error
                failed.append(error)

        await self.adapter.continue_conversation(target, logic, bot_app_id=self.bot_app_id)
        if failed:
            raise _translated(failed[0], conversation_id)
        if not done:
            raise RuntimeError("the continued turn never ran")
        return done[0]


def _translated(error: Exception, conversation_id: str) -> Exception:
    status = status_of(error)
    if status in GONE_STATUSES:
        logger.info(
            "proactive.recipient_gone status=%d conversation_ref=%s",
            status,
            id_ref(conversation_id),
        )
        gone = RecipientGoneError(f"Teams answered {status}")
        gone.__cause__ = error
        return gone
    logger.warning(
        "proactive.failed status=%s conversation_ref=%s error=%s",
        status,
        id_ref(conversation_id),
        type(error).__name__,
    )
    return error
