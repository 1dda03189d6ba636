"""Who the bot acts for: the seller's assertion, and the port that turns it into an API token."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class UserAssertion:
    """The seller's own token for the bot's app (Teams SSO), bound to whom it authenticated.

    `tenant_id` and `user_id` come from the validated inbound activity; they key the token cache.
    The token never appears in repr, logs or state.
    """

    tenant_id: str
    user_id: str
    token: str = field(repr=False)

    @classmethod
    def silent(cls, tenant_id: str, user_id: str) -> UserAssertion:
        """No SSO token: only the seller's cached Partner Center token (msal refreshes it)
        may be used; without one, SignInRequiredError. For work outside the seller's turn."""
        return cls(tenant_id, user_id, "")


class AccessTokenProvider(Protocol):
    """Gives a Partner Center access token for the seller (on behalf of them)."""

    async def get_token(self, user: UserAssertion) -> str: ...
