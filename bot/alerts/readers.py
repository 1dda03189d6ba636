"""Whose access reads a referral named in an event: a seller who has the bot and a cached token.

Partner Center takes only delegated calls, and an event names a referral without saying whose
it is. So the bot reads it on behalf of a seller who has used the bot before, silently (their
cached token only: `UserAssertion.silent`, never a stored password, never app-only), trying
sellers in a bounded order until one read succeeds:
1. the remembered "reads everything" seller: the last one whose read succeeded for a referral
   they are not on the team of (a Referral Admin sees all of the organisation's referrals);
2. the sellers the caller names first (for an update: those the lead's card was sent to);
3. the most recently installed sellers.
At most `max_tries` reads; 403, 404, sign-in required or a busy service moves on to the next.
A remembered reader whose read fails is forgotten (learned again later).
"""

from __future__ import annotations

import heapq
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.assertion import UserAssertion
from bot.domain.errors import ServiceError
from bot.domain.leads import LeadRecords
from bot.domain.proactive import Recipient, Recipients
from bot.domain.referral import Referral, Versioned
from bot.logging import id_ref
from dialogs.ports import ReferralsService

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Read:
    reader: Recipient
    referral: Versioned[Referral]


class Readers:
    def __init__(
        self,
        referrals: ReferralsService,
        recipients: Recipients,
        records: LeadRecords,
        *,
        max_tries: int,
    ) -> None:
        self._referrals = referrals
        self._recipients = recipients
        self._records = records
        self._max_tries = max_tries

    async def read(self, referral_id: str, *, first: Sequence[str] = ()) -> Read | None:
        remembered = await self._remembered()
        candidates = await self._candidates(remembered, first)
        for reader in candidates:
            found = await self.read_as(reader, referral_id)
            if found is not None:
                await self._learn(reader, found.value, remembered)
                return Read(reader, found)
            if remembered is not None and reader.user_id == remembered.user_id:
                await self._records.forget_reader()
        logger.info(
            "alerts.readers.none referral_ref=%s tried=%d", id_ref(referral_id), len(candidates)
        )
        return None

    async def read_as(self, reader: Recipient, referral_id: str) -> Versioned[Referral] | None:
        """The referral as this seller's own access shows it (silently); None when it can't."""
        user = UserAssertion.silent(reader.tenant_id, reader.user_id)
        try:
            return await self._referrals.get(referral_id, user=user)
        except ServiceError as error:
            logger.info(
                "alerts.readers.refused referral_ref=%s user_ref=%s error=%s",
                id_ref(referral_id),
                id_ref(reader.user_id),
                type(error).__name__,
            )
            return None

    async def _remembered(self) -> Recipient | None:
        remembered = await self._records.reader()
        if remembered is None:
            return None
        recipient = await self._recipients.get(remembered[1])
        if recipient is None or recipient.tenant_id != remembered[0]:
            return None
        return recipient

    async def _candidates(
        self, remembered: Recipient | None, first: Sequence[str]
    ) -> list[Recipient]:
        chosen: dict[str, Recipient] = {}
        if remembered is not None:
            chosen[remembered.user_id] = remembered
        for user_id in first:
            if len(chosen) >= self._max_tries:
                break
            recipient = await self._recipients.get(user_id)
            if recipient is not None:
                chosen.setdefault(user_id, recipient)
        if len(chosen) < self._max_tries:
            everyone = [recipient async for recipient in self._recipients.all()]
            wanted = self._max_tries + len(chosen)
            for recipient in heapq.nlargest(wanted, everyone, key=lambda r: r.installed_at):
                chosen.setdefault(recipient.user_id, recipient)
        return list(chosen.values())[: self._max_tries]

    async def _learn(
        self, reader: Recipient, referral: Referral, remembered: Recipient | None
    ) -> None:
        """A read that succeeded for someone not on the referral's team: they read everything."""
        team = {member.email.casefold() for member in referral.team if member.email}
        if reader.email.casefold() in team:
            return
        if remembered is None or remembered.user_id != reader.user_id:
            await self._records.remember_reader(reader.tenant_id, reader.user_id)
            logger.info("alerts.readers.remembered user_ref=%s", id_ref(reader.user_id))
