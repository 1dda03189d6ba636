"""Access tokens still fresh for this process, so a seller's busy minutes cost no msal call.

Every Partner Center request needs the seller's token. Asking msal for it means loading and
decrypting the seller's cache from storage, building an msal app and a hop to its thread pool:
a few ms of CPU per request, for an answer that does not change for the token's lifetime. Here
a token is kept in memory (never in storage or logs) until `margin` before it expires, keyed by
a hash of the authenticated tenant and user *and* the assertion that obtained it: a new
sign-in (a new SSO token) never gets an older token, it goes through msal again.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable

from bot.domain.assertion import UserAssertion


class HotTokens:
    """A bounded LRU of (expiry, access token) by seller and assertion."""

    def __init__(
        self,
        *,
        max_entries: int = 2048,
        margin_seconds: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._tokens: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._max_entries = max_entries
        self._margin = margin_seconds
        self._clock = clock

    def get(self, user: UserAssertion) -> str | None:
        key = _key(user)
        entry = self._tokens.get(key)
        if entry is None:
            return None
        if self._clock() >= entry[0]:
            del self._tokens[key]
            return None
        self._tokens.move_to_end(key)
        return entry[1]

    def keep(self, user: UserAssertion, token: str, expires_in: float) -> None:
        """A token that expires within the margin is not kept (msal refreshes it next time)."""
        fresh_for = expires_in - self._margin
        if fresh_for <= 0:
            return
        key = _key(user)
        self._tokens[key] = (self._clock() + fresh_for, token)
        self._tokens.move_to_end(key)
        while len(self._tokens) > self._max_entries:
            self._tokens.popitem(last=False)

    def __len__(self) -> int:
        return len(self._tokens)


def _key(user: UserAssertion) -> str:
    raw = "\x1f".join((user.tenant_id, user.user_id, user.token))
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()
