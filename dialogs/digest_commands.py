"""Issue 17 §4: "send me a digest every weekday at 9" and "stop the digest", answered at once.

The schedule is stored on the seller's Recipient record (the port `DigestSettings`), keyed by
their AAD object id from the authenticated activity, never by anything typed. The seller's time
zone is the one Teams sends with this message (else the one stored for them); the digest job
sends at that local time.
"""

from __future__ import annotations

from botbuilder.core import TurnContext

from bot.domain.proactive import DigestSchedule
from dialogs import replies
from dialogs.grammar.commands import SetDigest, StopDigest
from dialogs.outbox import say
from dialogs.ports import DialogServices
from dialogs.turn_facts import seller_of, time_zone_name


async def change_digest(
    context: TurnContext, services: DialogServices, command: SetDigest | StopDigest
) -> None:
    digests = services.digests
    if digests is None:
        await say(context, replies.DIGEST_UNAVAILABLE)
        return
    seller = seller_of(context.activity)
    schedule = (
        DigestSchedule(command.weekdays, command.hour, command.minute)
        if isinstance(command, SetDigest)
        else None
    )
    change = await digests.set_digest(
        tenant_id=seller.tenant_id,
        user_id=seller.user_id,
        schedule=schedule,
        time_zone=time_zone_name(context.activity),  # None: Teams sent no known zone
        now=services.clock.now(),
    )
    if not change.known:
        await say(context, replies.DIGEST_NEEDS_CHAT)
    elif isinstance(command, SetDigest):
        await say(
            context, replies.digest_set(command.weekdays, command.hour, command.minute, change)
        )
    elif change.before is None:
        await say(context, replies.DIGEST_NONE_TO_STOP)
    else:
        await say(context, replies.DIGEST_STOPPED)
