"""Whose access reads a referral named in an event: a seller who has the bot and a cached token.

Partner Center takes only delegated calls, and an event names a referral without saying whose
it is. So the bot reads it on behalf of a seller who has used the bot before, silently (their
cached token only: `UserAssertion.silent`, never a stored password, never app-only), trying
sellers in a bounded order until one read succeeds:
1. the remembered "reads everything" seller: the last one whose read succeeded for a referral
   they are not on the team of (a Referral Admin sees all of the organisation's referrals);
2. the sellers configured as readers (REFERRAL_BOT_ALERTS__READERS, by e-mail): in a tenant of
   many sellers the newest installs are rarely on a new lead's team, and a Referral Admin who
   installed the bot early would otherwise never be tried, so never remembered;
3. the sellers the caller names first (for an update: those the lead's card was sent to);
4. the most recently installed sellers.
At most `max_tries` reads; 403, 404, sign-in required or a busy service moves on to the next.
A remembered reader whose read fails is forgotten (learned again later).
"""

from __future__ import annotations

import heapq
import logging
from collections.abc import AsyncGenerator, Sequence
from contextlib import aclosing
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
        named: Sequence[str] = (),
    ) -> None:
        """`named`: the configured readers' e-mails."""
        self._referrals = referrals
        self._recipients = recipients
        self._records = records
        self._max_tries = max_tries
        self._named = tuple(named)

    async def read(self, referral_id: str, *, first: Sequence[str] = ()) -> Read | None:
        remembered = await self._remembered()
        tried = 0
        async with aclosing(self._candidates(remembered, first)) as candidates:
            async for reader in candidates:
                tried += 1
                found = await self.read_as(reader, referral_id)
                if found is not None:
                    await self._learn(reader, found.value, remembered)
                    return Read(reader, found)
                if remembered is not None and reader.user_id == remembered.user_id:
                    await self._records.forget_reader()
        logger.info("alerts.readers.none referral_ref=%s tried=%d", id_ref(referral_id), tried)
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
    ) -> AsyncGenerator[Recipient, None]:
        """Each seller once, in order, at most `max_tries`. Every recipient is listed (for the
        most recent installs) only when those named before could not read it: with a reader
        remembered, an event costs no scan of every seller."""
        tried: set[str] = set()
        async with aclosing(self._named_first(remembered, first)) as named:
            async for recipient in named:
                if len(tried) >= self._max_tries:
                    return
                if recipient.user_id not in tried:
                    tried.add(recipient.user_id)
                    yield recipient
        if len(tried) >= self._max_tries:
            return
        everyone = [recipient async for recipient in self._recipients.all()]
        wanted = self._max_tries + len(tried)
        for recipient in heapq.nlargest(wanted, everyone, key=lambda r: r.installed_at):
            if len(tried) >= self._max_tries:
                return
            if recipient.user_id not in tried:
                tried.add(recipient.user_id)
                yield recipient

    async def _named_first(
        self, remembered: Recipient | None, first: Sequence[str]
    ) -> AsyncGenerator[Recipient, None]:
        """The remembered reader, the configured ones, then those the caller names."""
        if remembered is not None:
            yield remembered
        for email in self._named:
            if (recipient := await self._recipients.by_email(email)) is not None:
                yield recipient
        for user_id in first:
            if (recipient := await self._recipients.get(user_id)) is not None:
                yield recipient

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
