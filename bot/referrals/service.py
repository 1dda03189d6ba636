"""PartnerCenterReferrals: the dialogs' ReferralsService port over the typed Partner Center client.

What it adds to the client: finding a referral the way a seller names it and every list, on the
seller's own referral index (`bot.referrals.index_sync`: Partner Center documents no search, so
no undocumented query is ever sent), and the translation of every client or sign-in failure into
`bot.domain.errors.ServiceError` (see `bot.referrals.errors`). Reads and writes by id go to
Partner Center and update the index with what they return.

Lists: the index holds what the seller can see. Partner Center already limits a Referral User to
the referrals whose team includes them, while a Referral Admin or Global Admin sees all of the
partner organisation's, so the dialog titles that list "Open referrals you can see".
"""

from __future__ import annotations

import builtins
import logging
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.domain.assertion import UserAssertion
from bot.domain.coverage import Coverage
from bot.domain.errors import ReferralNotFoundError
from bot.domain.list_kinds import ListKind
from bot.domain.list_query import ListQuery, ListTally
from bot.domain.referral import Referral, Versioned
from bot.referrals.errors import query_refused, service_errors
from bot.referrals.index_sync import ReferralIndexes

logger = logging.getLogger(__name__)

_ID_LIKE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def looks_like_id(text: str) -> bool:
    """One token holding a digit: "123", "4711", a GUID (a CRM id like "CRM-0001" too)."""
    return bool(_ID_LIKE.fullmatch(text)) and any(char.isdigit() for char in text)


def _not_found(_: Exception) -> ReferralNotFoundError:
    return ReferralNotFoundError()


class PartnerCenterReferrals:
    """Implements `dialogs.ports.ReferralsService`; raises only the ServiceError tree."""

    def __init__(self, indexes: ReferralIndexes) -> None:
        self._indexes = indexes
        self._client = indexes.client

    async def get(self, referral_id: str, *, user: UserAssertion) -> Versioned[Referral]:
        try:
            with service_errors("get", invalid=_not_found):
                loaded = await self._client.get(referral_id, user=user)
        except ReferralNotFoundError:
            self._indexes.lost(user, referral_id)
            raise
        self._indexes.saw(user, loaded.value)
        return loaded

    async def apply(
        self,
        referral_id: str,
        operations: Sequence[dict[str, Any]],
        *,
        if_match: str,
        user: UserAssertion,
    ) -> Versioned[Referral]:
        with service_errors("apply"):
            saved = await self._client.patch(referral_id, operations, if_match=if_match, user=user)
        self._indexes.saw(user, saved.value)
        return saved

    async def find(self, text: str, *, user: UserAssertion, limit: int = 10) -> list[Referral]:
        """An exact id first; else, in the seller's index, the CRM id `text`, or deal or
        customer names containing `text` (or `text` without filler words like "lead"); best
        first."""
        text = text.strip()
        if not text or limit < 1:
            return []
        if looks_like_id(text):
            exact = await self._by_id(text, user=user)
            if exact is not None:
                return [exact]
        with service_errors("search", invalid=query_refused):
            index, _ = await self._indexes.fresh(user)
        return [entry.to_referral() for entry in index.find(text, limit=limit)]

    async def suggest(self, text: str, *, user: UserAssertion, limit: int = 3) -> list[str]:
        """Deal or customer names close to `text` ("Contosso" -> "Contoso Ltd"), best first."""
        text = text.strip()
        if not text or limit < 1:
            return []
        with service_errors("search", invalid=query_refused):
            index, _ = await self._indexes.fresh(user)
        return index.suggest(text, limit=limit)

    async def list(
        self,
        wanted: ListKind | ListQuery,
        *,
        user: UserAssertion,
        now: datetime,
        limit: int = 50,
    ) -> builtins.list[Referral]:
        if limit < 1:
            return []
        with service_errors("search", invalid=query_refused):
            index, _ = await self._indexes.fresh(user)
        return [entry.to_referral() for entry in index.list(wanted, now, limit=limit)]

    async def tally(
        self, wanted: ListKind | ListQuery, *, user: UserAssertion, now: datetime
    ) -> ListTally:
        """ "how many open deals", "pipeline total this quarter": counted in the index."""
        with service_errors("search", invalid=query_refused):
            index, _ = await self._indexes.fresh(user)
        return index.tally(wanted, now)

    def coverage(self, *, user: UserAssertion) -> Coverage | None:
        """What the seller's last search or list covered (None: nothing searched yet)."""
        return self._indexes.coverage(user)

    async def forget(self, *, tenant_id: str, user_id: str) -> None:
        """Sign-out: the seller's index goes."""
        await self._indexes.forget(tenant_id, user_id)

    async def _by_id(self, referral_id: str, *, user: UserAssertion) -> Referral | None:
        try:
            return (await self.get(referral_id, user=user)).value
        except ReferralNotFoundError:
            return None  # not an id after all: maybe a CRM id or part of a name
