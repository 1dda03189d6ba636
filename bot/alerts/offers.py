"""One recipient's lead card: what their own read shows, and their own Accept and Decline.

Accept and Decline are two pending changes, exactly as a Confirm card's (bot.domain.pending):
planned on the version this recipient read (its eTag becomes the PATCH's If-Match), proposed by
them (only they can click them), expiring when the lead does; the buttons carry only the ids.
Which ids a recipient's card carries is kept (`LeadRecords.offer_made`), so a refresh of the same
version shows the same buttons instead of minting new pending changes on every view; a newer
version (another eTag) gets new ones, planned on it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from bot.cards.elements import Element
from bot.cards.lead_alert import LeadButtons, LeadView, render_lead_card
from bot.domain.change import ReferralChange, plan_change
from bot.domain.errors import DomainError
from bot.domain.intent import ChangeIntent, Outcome
from bot.domain.leads import LeadOffer, LeadRecords, has_expired, is_open_lead
from bot.domain.pending import PendingChange, PendingChanges, PendingState
from bot.domain.referral import Referral, Versioned
from dialogs.ports import Clock

LEAD_LIFETIME = timedelta(days=14)  # Partner Center's, when a lead names no expiry itself
ACCEPT = ChangeIntent(outcome=Outcome.ACCEPTED)
DECLINE = ChangeIntent(outcome=Outcome.DECLINED)  # the reason is added at the click


@dataclass(frozen=True)
class Viewer:
    """Who a lead card is built for: a recipient, or whoever asked for a refresh."""

    user_id: str  # AAD object id: the pending changes' proposer
    tenant_id: str
    name: str
    conversation_id: str  # their personal chat with the bot
    zone: tzinfo
    teams_user_ids: tuple[str, ...] = ()  # the card's refresh userIds


class LeadOffers:
    def __init__(
        self, pending: PendingChanges, records: LeadRecords, clock: Clock, portal_url: str
    ) -> None:
        self._pending = pending
        self._records = records
        self._clock = clock
        self._portal_url = portal_url

    def view(self, referral_id: str, viewer: Viewer) -> LeadView:
        now = self._clock.now().astimezone(viewer.zone)
        return LeadView(referral_id, now, viewer.zone, self._portal_url, viewer.teams_user_ids)

    async def card(
        self,
        read: Versioned[Referral],
        viewer: Viewer,
        *,
        with_buttons: bool = True,
        notice: str | None = None,
    ) -> Element:
        """The open lead for `viewer`; their Accept/Decline when `with_buttons` and it can
        still be accepted."""
        buttons = await self.buttons(read, viewer) if with_buttons else None
        view = self.view(read.value.id, viewer)
        return render_lead_card(read.value, view, buttons=buttons, notice=notice)

    async def buttons(self, read: Versioned[Referral], viewer: Viewer) -> LeadButtons | None:
        """None when the lead can't be accepted or declined any more (or by this viewer)."""
        referral = read.value
        now = self._clock.now().astimezone(viewer.zone)
        if not is_open_lead(referral) or has_expired(referral, now):
            return None
        try:
            accept = plan_change(referral, ACCEPT, now=now)
            decline = plan_change(referral, DECLINE, now=now)
        except DomainError:
            return None
        offer = await self._current_offer(read, viewer)
        if offer is None:
            offer = await self._new_offer(read, viewer, accept, decline)
        return LeadButtons(offer.accept_id, offer.decline_id, accept.fields, decline.fields)

    async def _current_offer(self, read: Versioned[Referral], viewer: Viewer) -> LeadOffer | None:
        """The buttons this viewer already has for this very version, while both still work."""
        offer = await self._records.offer(read.value.id, viewer.user_id)
        if offer is None or offer.etag != read.etag:
            return None
        for pending_id in (offer.accept_id, offer.decline_id):
            stored = await self._pending.get(pending_id)
            if stored is None or stored.state is not PendingState.PENDING:
                return None
        return offer

    async def _new_offer(
        self,
        read: Versioned[Referral],
        viewer: Viewer,
        accept: ReferralChange,
        decline: ReferralChange,
    ) -> LeadOffer:
        created = self._clock.now()
        expires = read.value.expiration_date_time or created + LEAD_LIFETIME
        ids = []
        for change in (accept, decline):
            pending = _pending(read, viewer, change, created=created, expires=expires)
            await self._pending.put(pending)
            ids.append(pending.id)
        offer = LeadOffer(read.value.id, viewer.user_id, ids[0], ids[1], read.etag)
        await self._records.offer_made(offer)
        return offer


def _pending(
    read: Versioned[Referral],
    viewer: Viewer,
    change: ReferralChange,
    *,
    created: datetime,
    expires: datetime,
) -> PendingChange:
    return PendingChange(
        id=secrets.token_urlsafe(16),
        proposer_id=viewer.user_id,
        proposer_name=viewer.name,
        tenant_id=viewer.tenant_id,
        conversation_id=viewer.conversation_id,
        referral_id=read.value.id,
        etag=read.etag,
        intent=change.intent,
        operations=change.operations,
        created_at=created,
        expires_at=expires,
    )
