"""Activity dedupe: Teams redelivers an unanswered activity after 15 s and repeats invokes.

A redelivered message must not run a second turn (a second confirm card, a second pending
change); a repeated invoke must get the answer the first delivery got, without a second
PATCH. Ids are remembered per conversation in a bounded LRU with a TTL behind `SeenActivities`,
so a shared store (several instances) can replace the in-memory one later. Keys are hashed:
hostile ids of any length cost the same few bytes.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes

from bot.state.seen import Answer, MemorySeenActivities, SeenActivities

logger = logging.getLogger(__name__)
INVOKE_RESPONSE_KEY = TurnContext._INVOKE_RESPONSE_KEY  # the SDK's own slot
Turn = Callable[[TurnContext], Awaitable[None]]


def activity_key(activity: Activity) -> str | None:
    """Hash of (channel, conversation, activity id); None when there is nothing to key on."""
    conversation = getattr(activity.conversation, "id", None)
    if not activity.id or not conversation:
        return None
    raw = "\x1f".join((str(activity.channel_id), str(conversation), str(activity.id)))
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


async def _quietly(read: Turn, turn_context: TurnContext) -> None:
    """A read done ahead of the turn only saves a trip: if it fails, the turn reads again, and
    fails inside the claimed turn, which releases the claim for Teams' redelivery."""
    try:
        await read(turn_context)
    except Exception as error:
        logger.info("dedupe.alongside_failed %s", type(error).__name__)


@dataclass
class ActivityDedupe:
    """Runs a turn once per activity; repeats are answered without running it again."""

    seen: SeenActivities = field(default_factory=MemorySeenActivities)
    wait_for_first: float = 5.0  # a repeat of an invoke still running waits this long for it
    poll: float = 0.05

    async def run(
        self, turn_context: TurnContext, turn: Turn, *, alongside: Turn | None = None
    ) -> None:
        """`alongside` (a read the turn will need, such as its state) runs with the claim, so a
        store that batches concurrent calls (bot.state.sqlite_db) serves both in one trip."""
        key = activity_key(turn_context.activity)
        if key is None:
            await turn(turn_context)
        elif await self._claim(turn_context, key, alongside):
            await self._first(turn_context, turn, key)
        else:
            await self._repeat(turn_context, key)

    async def _claim(self, turn_context: TurnContext, key: str, alongside: Turn | None) -> bool:
        if alongside is None:
            return await self.seen.claim(key)
        reading = asyncio.ensure_future(_quietly(alongside, turn_context))  # runs when claim waits
        try:
            first = await self.seen.claim(key)
        finally:
            await reading
        return first

    async def _first(self, turn_context: TurnContext, turn: Turn, key: str) -> None:
        try:
            await turn(turn_context)
        except BaseException:
            await self.seen.forget(key)
            raise
        await self._keep_answer(turn_context, key)

    async def _repeat(self, turn_context: TurnContext, key: str) -> None:
        logger.info("dedupe.repeat type=%s", turn_context.activity.type)
        if turn_context.activity.type == ActivityTypes.invoke:
            await self._answer_again(turn_context, key)

    async def _keep_answer(self, turn_context: TurnContext, key: str) -> None:
        reply = turn_context.turn_state.get(INVOKE_RESPONSE_KEY)
        invoke = getattr(reply, "value", None)
        if not isinstance(invoke, InvokeResponse):
            return
        await self.seen.remember(key, (int(invoke.status or 200), invoke.body))

    async def _answer_again(self, turn_context: TurnContext, key: str) -> None:
        answer = await self._first_answer(key)
        if answer is None:  # the first delivery failed, or is still running after the wait
            answer = (409, None)
        invoke = InvokeResponse(status=answer[0], body=answer[1])
        await turn_context.send_activity(Activity(type=ActivityTypes.invoke_response, value=invoke))

    async def _first_answer(self, key: str) -> Answer | None:
        """Polled, not an Event: the first delivery may be running on another instance."""
        for _ in range(max(1, int(self.wait_for_first / self.poll))):
            answer = await self.seen.answer(key)
            if answer is not None:
                return answer
            await asyncio.sleep(self.poll)
        return await self.seen.answer(key)
