"""The optional extras of a ReferralsService: "did you mean" names, what a search covered,
and forgetting a seller's index at sign-out.

The Partner Center adapter has them all; the dialogs check for each by type, so a service
without one simply gives no suggestions, no coverage note, nothing to forget.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from bot.domain.assertion import UserAssertion
from bot.domain.coverage import Coverage
from dialogs.ports import ReferralsService


@runtime_checkable
class SuggestsNames(Protocol):
    async def suggest(self, text: str, *, user: UserAssertion, limit: int = 3) -> list[str]: ...


async def close_names(referrals: ReferralsService, text: str, *, user: UserAssertion) -> list[str]:
    if isinstance(referrals, SuggestsNames):
        return await referrals.suggest(text, user=user)
    return []


@runtime_checkable
class ReportsCoverage(Protocol):
    def coverage(self, *, user: UserAssertion) -> Coverage | None: ...


def coverage_of(referrals: ReferralsService, *, user: UserAssertion) -> Coverage | None:
    return referrals.coverage(user=user) if isinstance(referrals, ReportsCoverage) else None


@runtime_checkable
class ForgetsSellers(Protocol):
    async def forget(self, *, tenant_id: str, user_id: str) -> None: ...


async def forget_seller(referrals: ReferralsService, *, tenant_id: str, user_id: str) -> None:
    if isinstance(referrals, ForgetsSellers):
        await referrals.forget(tenant_id=tenant_id, user_id=user_id)
