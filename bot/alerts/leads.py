"""`LeadAlerts`: the EventSink for Partner Center's referral events (issue 17 §3, §4).

referral-created / related-referral-created:
1. One read with someone's access (`Readers`): which referral it is, and its team.
2. An incoming lead still New: each team member who has the bot (matched by e-mail) and alerts
   on gets a card built from THEIR OWN silent read: each is told only what their access shows,
   and a failed read means no card for them. Their Accept/Decline come with it (`LeadOffers`).
3. Each subscribed channel gets a card with only what the event carries, when nobody could read
   the referral (it may be a lead; the channel is how the team learns of it) and also when it is
   a new lead (a channel that asked for new leads is told of every one, and its members who are
   on the team see their own card there through the refresh). A referral read as something else
   (an outgoing deal, one already decided) is no new lead: nobody is told.
   Channels of other tenants never hear of it: with a reader, only the reader's tenant's
   channels; without one, only the deployment's own tenants' (`home_tenants`; none set: all).
4. Every card goes through the outbox (`Delivery`): claimed, sent once, the gone forgotten.
The reads also tell each seller's referral index about the lead, so "new leads" lists it at once.

referral-updated / related-referral-updated, for a lead the bot alerted about: read it (its
recipients first); if it left New (accepted, declined or expired, perhaps in Partner Center's own
UI), every copy of its card turns into the decided card (`LeadCopies`).

A card whose instance died after claiming it is sent by another instance once the claim's lease
ran out (`resend`, run by the scheduler's stranded-cards job: bot.alerts.stranded).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from bot.alerts.audience import (
    channel_key,
    conversation_id,
    lead_card_of,
    lead_group,
    teams_user_id,
    user_key,
)
from bot.alerts.delivery import Delivered, Delivery
from bot.alerts.offers import Viewer
from bot.alerts.parts import LeadParts
from bot.alerts.readers import Read
from bot.cards.elements import Element
from bot.cards.lead_alert import LeadView, refresh_user_ids, render_lead_channel_card
from bot.domain.events import EventName, PartnerCenterEvent
from bot.domain.leads import has_expired, is_open_lead, is_referral_id, seen_decision
from bot.domain.proactive import (
    ChannelSubscriptions,
    Notification,
    Notifications,
    NotificationState,
    Recipient,
)
from bot.domain.referral import Referral
from bot.domain.time_zones import zone_or_utc
from bot.logging import id_ref, safe_field
from dialogs.ports import Clock

logger = logging.getLogger(__name__)

CREATED = frozenset({EventName.REFERRAL_CREATED, EventName.RELATED_REFERRAL_CREATED})
UPDATED = frozenset({EventName.REFERRAL_UPDATED, EventName.RELATED_REFERRAL_UPDATED})


@dataclass(frozen=True)
class _Outgoing:
    notification: Notification
    card: Element


class LeadAlerts:
    """Implements `bot.domain.events.EventSink`."""

    def __init__(
        self,
        parts: LeadParts,
        *,
        channels: ChannelSubscriptions,
        notifications: Notifications,
        delivery: Delivery,
        clock: Clock,
        portal_url: str,
        home_tenants: Iterable[str] = (),
        enabled: bool = True,
    ) -> None:
        self.parts = parts
        self._channels = channels
        self._notifications = notifications
        self._delivery = delivery
        self._clock = clock
        self._portal_url = portal_url
        self._home_tenants = frozenset(tenant for tenant in home_tenants if tenant)
        self._enabled = enabled

    @property
    def delivery(self) -> Delivery:
        """How the cards go out (claimed in the outbox); the stranded-cards job drops with it."""
        return self._delivery

    async def handle(self, event: PartnerCenterEvent) -> None:
        referral_id = event.resource_id
        if not self._enabled or event.name not in CREATED | UPDATED:
            logger.info("alerts.event.ignored name=%s", safe_field(event.name, 64))
            return
        if not is_referral_id(referral_id):
            logger.warning("alerts.event.bad_resource name=%s", safe_field(event.name, 64))
            return
        if event.name in CREATED:
            await self._created(event, referral_id)
        else:
            await self._updated(referral_id)

    async def _created(self, event: PartnerCenterEvent, referral_id: str) -> None:
        read = await self.parts.readers.read(referral_id)
        if read is None:
            await self._send(await self._channel_cards(event, referral_id, (), None))
            return
        referral = read.referral.value
        if not is_open_lead(referral) or has_expired(referral, self._clock.now()):
            logger.info("alerts.lead.not_new referral_ref=%s", id_ref(referral_id))
            return
        team = await self._team(referral)
        personal = await asyncio.gather(*(self._personal(member, read) for member in team))
        cards = [card for card in personal if card is not None]
        user_ids = [teams_user_id(card.notification.reference) for card in cards]
        tenant = read.reader.tenant_id
        cards += await self._channel_cards(event, referral_id, user_ids, tenant)
        delivered = await self._send(cards)
        logger.info(
            "alerts.lead.alerted referral_ref=%s members=%d with_bot=%d cards=%d sent=%d",
            id_ref(referral_id),
            len(referral.team),
            len(team),
            len(cards),
            delivered.count(Delivered.SENT),
        )

    async def _team(self, referral: Referral) -> list[Recipient]:
        """The lead's team members who have the bot and want alerts (once each)."""
        found: dict[str, Recipient] = {}
        for member in referral.team:
            if not member.email:
                continue
            recipient = await self.parts.recipients.by_email(member.email)
            if recipient is not None and recipient.alerts_on:
                found.setdefault(recipient.user_id, recipient)
        return list(found.values())

    async def _personal(self, recipient: Recipient, read: Read) -> _Outgoing | None:
        """Their card from their own read (the reader's read is theirs already); None when
        their access shows no open lead."""
        referral_id = read.referral.value.id
        own = (
            read.referral
            if recipient.user_id == read.reader.user_id
            else await self.parts.readers.read_as(recipient, referral_id)
        )
        if own is None or not is_open_lead(own.value):
            return None
        viewer = viewer_of(recipient)
        card = await self.parts.offers.card(own, viewer)
        notification = Notification(
            key=user_key(referral_id, recipient.user_id),
            group=lead_group(referral_id),
            reference=recipient.reference,
            state=NotificationState.CLAIMED,
            user_id=recipient.user_id,
        )
        return _Outgoing(notification, card)

    async def _channel_cards(
        self,
        event: PartnerCenterEvent,
        referral_id: str,
        user_ids: Iterable[str | None],
        tenant: str | None,
    ) -> list[_Outgoing]:
        related = event.name == EventName.RELATED_REFERRAL_CREATED
        card = self._channel_card(referral_id, user_ids, event.changed_at, related=related)
        cards = []
        async for subscription in self._channels.all():
            if not self._may_hear(subscription.tenant_id, tenant):
                continue
            notification = Notification(
                key=channel_key(referral_id, subscription.conversation_id),
                group=lead_group(referral_id),
                reference=subscription.reference,
                state=NotificationState.CLAIMED,
            )
            cards.append(_Outgoing(notification, card))
        return cards

    def _channel_card(
        self,
        referral_id: str,
        user_ids: Iterable[str | None],
        arrived_at: datetime | None,
        *,
        related: bool = False,
    ) -> Element:
        view = LeadView(
            referral_id,
            self._clock.now(),
            UTC,
            self._portal_url,
            refresh_user_ids(list(user_ids)),
            zone_label="UTC",
        )
        return render_lead_channel_card(view, arrived_at=arrived_at, related=related)

    def _may_hear(self, channel_tenant: str, reader_tenant: str | None) -> bool:
        if reader_tenant is not None:
            return channel_tenant == reader_tenant
        return not self._home_tenants or channel_tenant in self._home_tenants

    async def _send(self, cards: list[_Outgoing]) -> list[Delivered]:
        return list(
            await asyncio.gather(
                *(self._delivery.deliver(card.notification, card.card) for card in cards)
            )
        )

    async def resend(self, stranded: Notification) -> Delivered:
        """A lead card whose sender died after claiming it (bot.alerts.stranded): built again
        from what the recipient's access shows now and sent once; dropped (taken over and
        released) when there is nothing to tell any more: decided, expired, unreadable to them,
        or the recipient or channel is gone."""
        referral_id = lead_card_of(stranded)
        outgoing = None
        if referral_id is not None and is_referral_id(referral_id):
            if stranded.user_id:
                outgoing = await self._personal_again(stranded.user_id, referral_id)
            else:
                outgoing = await self._channel_again(stranded, referral_id)
        if outgoing is None:
            return Delivered.DROPPED if await self._delivery.drop(stranded) else Delivered.BUSY
        return await self._delivery.deliver(outgoing.notification, outgoing.card)

    async def _personal_again(self, user_id: str, referral_id: str) -> _Outgoing | None:
        recipient = await self.parts.recipients.get(user_id)
        if recipient is None or not recipient.alerts_on:
            return None
        own = await self.parts.readers.read_as(recipient, referral_id)
        if own is None or has_expired(own.value, self._clock.now()):
            return None
        return await self._personal(recipient, Read(recipient, own))

    async def _channel_again(self, stranded: Notification, referral_id: str) -> _Outgoing | None:
        """The event is gone (when it arrived, whether it was a related referral): the card
        says only that a referral arrived."""
        channel = conversation_id(stranded.reference)
        subscribed = [s async for s in self._channels.all() if s.conversation_id == channel]
        if not subscribed:
            return None
        copies = await self._notifications.copies(stranded.group)
        first = [copy.user_id for copy in copies if copy.user_id]
        read = await self.parts.readers.read(referral_id, first=first)
        if read is not None and (
            not is_open_lead(read.referral.value)
            or has_expired(read.referral.value, self._clock.now())
        ):
            return None
        user_ids = [teams_user_id(copy.reference) for copy in copies if copy.user_id]
        card = self._channel_card(referral_id, user_ids, None)
        notification = replace(stranded, reference=subscribed[0].reference)
        return _Outgoing(notification, card)

    async def _updated(self, referral_id: str) -> None:
        copies = await self._notifications.copies(lead_group(referral_id))
        if not copies:
            return  # never alerted about here: nothing to update
        first = [copy.user_id for copy in copies if copy.user_id]
        read = await self.parts.readers.read(referral_id, first=first)
        if read is None:
            return
        seen = seen_decision(read.referral.value)
        if seen is not None:
            await self.parts.copies.settle(referral_id, seen)


def viewer_of(recipient: Recipient) -> Viewer:
    """A recipient as the viewer of their own lead card (in their personal chat)."""
    return Viewer(
        user_id=recipient.user_id,
        tenant_id=recipient.tenant_id,
        name=recipient.name,
        conversation_id=conversation_id(recipient.reference),
        zone=zone_or_utc(recipient.time_zone),
        teams_user_ids=refresh_user_ids([teams_user_id(recipient.reference)]),
    )
