"""'Did you mean …' names for a referral we couldn't find, when the service can offer them.

`suggest` is an optional extra of a ReferralsService (the Partner Center adapter has it); the
dialogs check for it by type, so a service without it simply gives no suggestions.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from bot.domain.assertion import UserAssertion
from dialogs.ports import ReferralsService


@runtime_checkable
class SuggestsNames(Protocol):
    async def suggest(self, text: str, *, user: UserAssertion, limit: int = 3) -> list[str]: ...


async def close_names(referrals: ReferralsService, text: str, *, user: UserAssertion) -> list[str]:
    if isinstance(referrals, SuggestsNames):
        return await referrals.suggest(text, user=user)
    return []
