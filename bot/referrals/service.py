"""PartnerCenterReferrals: the dialogs' ReferralsService port over the typed Partner Center client.

What it adds to the client: searching the way a seller names a deal (server-side `contains`,
then fuzzy ranking), the list queries in the seller's calendar, and the translation of every
client or sign-in failure into `bot.domain.errors.ServiceError` (see `bot.referrals.errors`).

Lists: the adapter only knows who the seller is as (tenant, AAD object id), not their e-mail, so
"my open referrals" cannot filter on `team/any(t:t/email eq …)`. It asks for every open referral
the seller can see: Partner Center already limits a Referral User to the referrals whose team
includes them, while a Referral Admin or Global Admin sees all open referrals of the partner
organisation, so the dialog titles that list "Open referrals you can see".
"""

from __future__ import annotations

import builtins
import logging
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from bot.domain.assertion import UserAssertion
from bot.domain.errors import ReferralNotFoundError
from bot.domain.list_kinds import ListKind
from bot.domain.referral import Referral, Versioned
from bot.partner_center.client import ReferralsClient
from bot.referrals import queries, ranking
from bot.referrals.errors import query_refused, service_errors

logger = logging.getLogger(__name__)

_ID_LIKE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_CANDIDATES = 50  # how many server-side matches are ranked locally
_SUGGESTION_POOL = 200  # how many referrals "did you mean" compares against


def looks_like_id(text: str) -> bool:
    """One token holding a digit: "123", "4711", a GUID (a CRM id like "CRM-0001" too)."""
    return bool(_ID_LIKE.fullmatch(text)) and any(char.isdigit() for char in text)


def _not_found(_: Exception) -> ReferralNotFoundError:
    return ReferralNotFoundError()


class PartnerCenterReferrals:
    """Implements `dialogs.ports.ReferralsService`; raises only the ServiceError tree."""

    def __init__(self, client: ReferralsClient) -> None:
        self._client = client

    async def get(self, referral_id: str, *, user: UserAssertion) -> Versioned[Referral]:
        with service_errors("get", invalid=_not_found):
            return await self._client.get(referral_id, user=user)

    async def apply(
        self,
        referral_id: str,
        operations: Sequence[dict[str, Any]],
        *,
        if_match: str,
        user: UserAssertion,
    ) -> Versioned[Referral]:
        with service_errors("apply"):
            return await self._client.patch(referral_id, operations, if_match=if_match, user=user)

    async def find(self, text: str, *, user: UserAssertion, limit: int = 10) -> list[Referral]:
        """An exact id first; else deal or customer names containing `text` (or `text` without
        filler words like "lead"), or the CRM id `text`; best first."""
        text = text.strip()
        if not text or limit < 1:
            return []
        if looks_like_id(text):
            exact = await self._by_id(text, user=user)
            if exact is not None:
                return [exact]
        found = await self._search(queries.find_filter(text), user=user)
        core = queries.core_name(text)
        if not found and core is not None:
            text, found = core, await self._search(queries.find_filter(core), user=user)
        return ranking.rank(text, found, limit=limit)

    async def suggest(self, text: str, *, user: UserAssertion, limit: int = 3) -> list[str]:
        """Deal or customer names close to `text` ("Contosso" -> "Contoso Ltd"), best first."""
        text = text.strip()
        if not text or limit < 1:
            return []
        pool = await self._search(
            None, user=user, orderby="updatedDateTime desc", limit=_SUGGESTION_POOL
        )
        return ranking.close_names(text, pool, limit=limit)

    async def list(
        self, kind: ListKind, *, user: UserAssertion, now: datetime, limit: int = 50
    ) -> builtins.list[Referral]:
        if limit < 1:
            return []
        query = queries.list_query(kind, now if now.tzinfo else now.replace(tzinfo=UTC))
        return await self._search(query.filter, user=user, orderby=query.orderby, limit=limit)

    async def _by_id(self, referral_id: str, *, user: UserAssertion) -> Referral | None:
        try:
            return (await self.get(referral_id, user=user)).value
        except ReferralNotFoundError:
            return None  # not an id after all: maybe a CRM id or part of a name

    async def _search(
        self,
        filter: str | None,
        *,
        user: UserAssertion,
        orderby: str | None = None,
        limit: int = _CANDIDATES,
    ) -> builtins.list[Referral]:
        with service_errors("search", invalid=query_refused):
            return await self._client.search(
                user=user, filter=filter, orderby=orderby, max_items=limit
            )
