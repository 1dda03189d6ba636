"""Who the bot may speak to first (issue 17): sellers who install it in personal scope.

Teams says so twice on a personal install (`installationUpdate` "add", and `conversationUpdate`
with the bot in `membersAdded`); either stores the seller's `Recipient`, and the first says hello,
once (`Recipient.greeted`, stored before the hello is sent: said at most once). "remove" forgets
the seller. Teams puts no e-mail on an activity, and the e-mail is how a referral's team member
is matched: one member lookup per install (`TeamsInfo.get_member`) reads it; when that fails, an
e-mail-like field of `from` is used, and the failure is logged.

Later personal messages keep the stored reference and time zone current without a storage call
on an ordinary turn: what was last stored per seller (or that none is) is kept in a bounded LRU,
and only a change is written, over a fresh read (another instance may have changed the seller's
alerts or digest since). A seller's first message after a restart costs one read.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Final

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import Activity, ActivityTypes

from bot.domain.proactive import Recipient, Recipients, Reference
from bot.inbound.replies import hello
from bot.logging import id_ref
from bot.outbound.proactive import reference_of
from dialogs.outbox import say
from dialogs.ports import Clock
from dialogs.turn_facts import seller_of, time_zone_name

logger = logging.getLogger(__name__)

ADDED: Final = frozenset({"add", "add-upgrade"})
REMOVED: Final = frozenset({"remove"})  # "remove-upgrade" is an upgrade, not an uninstall
_EMAIL_FIELDS: Final = ("email", "userPrincipalName", "upn")
# What a send depends on: serviceUrl, channel, conversation, bot and user ids. Read straight off
# the activity: building the reference itself would cost every turn ~0.15 ms of CPU.
Delivery = tuple[str, str, str, str, str]
Known = tuple[Delivery, str] | None  # (where to, time zone); None: no Recipient is stored


def is_personal(activity: Activity) -> bool:
    conversation_type = getattr(activity.conversation, "conversation_type", None) or ""
    return str(conversation_type).casefold() == "personal"


def _delivery_of(activity: Activity) -> Delivery:
    return (
        str(activity.service_url or ""),
        str(activity.channel_id or ""),
        str(getattr(activity.conversation, "id", None) or ""),
        str(getattr(activity.recipient, "id", None) or ""),
        str(getattr(activity.from_property, "id", None) or ""),
    )


def _delivery_in(reference: Reference) -> Delivery:
    def part(key: str) -> str:
        value = reference.get(key)
        return str(value.get("id") or "") if isinstance(value, Mapping) else ""

    return (
        str(reference.get("serviceUrl") or ""),
        str(reference.get("channelId") or ""),
        part("conversation"),
        part("bot"),
        part("user"),
    )


class Installs:
    """The capture of `Recipient`s; `max_known` bounds the LRU of what was last stored."""

    def __init__(self, recipients: Recipients, clock: Clock, *, max_known: int = 4096) -> None:
        self._recipients = recipients
        self._clock = clock
        self._max_known = max_known
        self._known: OrderedDict[str, Known] = OrderedDict()

    async def installation_update(self, context: TurnContext, *, allowed: bool = True) -> None:
        """`allowed`: the tenant policy lets this seller in; an uninstall is heard regardless."""
        activity = context.activity
        if not is_personal(activity):
            return
        action = str(activity.action or "").casefold()
        if action in ADDED and allowed:
            await self.installed(context)
        elif action in REMOVED:
            await self.uninstalled(context)

    async def members_added(self, context: TurnContext) -> bool:
        """True when this was the bot joining a personal chat (an install), now captured."""
        activity = context.activity
        if activity.type != ActivityTypes.conversation_update or not is_personal(activity):
            return False
        bot_id = getattr(activity.recipient, "id", None)
        if not any(getattr(m, "id", None) == bot_id for m in activity.members_added or ()):
            return False
        await self.installed(context)
        return True

    async def installed(self, context: TurnContext) -> None:
        """Stored (or refreshed) and, the first time, greeted."""
        user_id = seller_of(context.activity).user_id
        if not user_id:
            return
        existing = await self._recipients.get(user_id)
        recipient = self._current(existing, context) if existing else await self.made(context)
        if recipient.greeted:
            if recipient != existing:
                await self._recipients.put(recipient)
            self._remember(recipient)
            return
        recipient = replace(recipient, greeted=True)
        await self._recipients.put(recipient)
        self._remember(recipient)
        logger.info("installs.greeted user_ref=%s", id_ref(user_id))
        await say(context, hello(alerts_on=recipient.alerts_on))

    async def uninstalled(self, context: TurnContext) -> None:
        user_id = seller_of(context.activity).user_id
        if not user_id:
            return
        await self._recipients.forget(user_id)
        self._known_as(user_id, None)
        logger.info("installs.forgotten user_ref=%s", id_ref(user_id))

    async def seen_message(self, context: TurnContext) -> None:
        """A personal message: the stored reference and time zone kept current, stored only
        when they changed (no storage call while the LRU knows them unchanged)."""
        activity = context.activity
        user_id = seller_of(activity).user_id
        if not user_id or not is_personal(activity):
            return
        try:
            await self._keep_current(user_id, context)
        except Exception as error:  # the seller's own command matters more: tried next turn
            self._known.pop(user_id, None)
            logger.warning("installs.refresh_failed error=%s", type(error).__name__)

    async def _keep_current(self, user_id: str, context: TurnContext) -> None:
        activity = context.activity
        if user_id in self._known:
            known = self._known[user_id]
            self._known.move_to_end(user_id)
            if known is None:
                return  # not a recipient (installed before issue 17): nothing to keep current
            time_zone = time_zone_name(activity) or known[1]
            if known == (_delivery_of(activity), time_zone):
                return
        stored = await self._recipients.get(user_id)
        if stored is None:
            self._known_as(user_id, None)
            return
        now = (_delivery_of(activity), time_zone_name(activity) or stored.time_zone)
        if (_delivery_in(stored.reference), stored.time_zone) != now:
            stored = self._current(stored, context)
            await self._recipients.put(stored)
            logger.info("installs.reference_updated user_ref=%s", id_ref(user_id))
        self._remember(stored)

    async def stored(self, context: TurnContext) -> Recipient | None:
        """The turn's seller as stored, with this turn's reference and time zone (not written:
        a caller `put`s it with what it changes)."""
        user_id = seller_of(context.activity).user_id
        stored = await self._recipients.get(user_id) if user_id else None
        return self._current(stored, context) if stored else None

    async def put(self, recipient: Recipient) -> None:
        await self._recipients.put(recipient)
        self._remember(recipient)

    async def made(self, context: TurnContext) -> Recipient:
        """A new Recipient from this turn: one member lookup for the e-mail (and the name,
        which an install event may not carry)."""
        activity = context.activity
        seller = seller_of(activity)
        member = await _member(context)
        return Recipient(
            user_id=seller.user_id,
            tenant_id=seller.tenant_id,
            name=seller.name or str(getattr(member, "name", None) or ""),
            email=_email(context, member),
            time_zone=time_zone_name(activity) or "UTC",
            reference=reference_of(activity),
            installed_at=self._clock.now(),
        )

    def _current(self, stored: Recipient, context: TurnContext) -> Recipient:
        """`stored`, with this turn's reference and (if it says one) time zone."""
        activity = context.activity
        return replace(
            stored,
            reference=reference_of(activity),
            time_zone=time_zone_name(activity) or stored.time_zone,
        )

    def _remember(self, recipient: Recipient) -> None:
        known = (_delivery_in(recipient.reference), recipient.time_zone)
        self._known_as(recipient.user_id, known)

    def _known_as(self, user_id: str, known: Known) -> None:
        self._known[user_id] = known
        self._known.move_to_end(user_id)
        while len(self._known) > self._max_known:
            self._known.popitem(last=False)

    def __len__(self) -> int:
        return len(self._known)


async def _member(context: TurnContext) -> Any:
    """Teams' member record of the turn's sender (`TeamsChannelAccount`), None if unavailable."""
    sender = context.activity.from_property
    try:
        return await TeamsInfo.get_member(context, str(getattr(sender, "id", "") or ""))
    except Exception as error:  # the connector's errors, a missing client: fall back, log
        logger.warning("installs.member_lookup_failed error=%s", type(error).__name__)
        return None


def _email(context: TurnContext, member: Any) -> str:
    """Lower-case e-mail (else UPN) of the turn's sender: Teams' member lookup, else `from`."""
    sender = context.activity.from_property
    found = getattr(member, "email", None) or getattr(member, "user_principal_name", None)
    address = str(found or _email_of(sender) or "").strip().casefold()
    if not address:
        logger.warning(
            "installs.email_unknown user_ref=%s", id_ref(seller_of(context.activity).user_id)
        )
    return address


def _email_of(sender: Any) -> str | None:
    """An e-mail-like field Teams may put on `from` (`properties`, or unmapped fields)."""
    for source in (
        getattr(sender, "properties", None),
        getattr(sender, "additional_properties", None),
    ):
        if not isinstance(source, dict):
            continue
        for field in _EMAIL_FIELDS:
            value = source.get(field)
            if isinstance(value, str) and "@" in value:
                return value
    return None
