"""In-memory stand-ins for the dialog ports: no HTTP, no tokens, errors on demand.

`FakeReferralsService` keeps Referral documents with an eTag each and answers like the Partner
Center adapter does (the `bot.domain.errors` ServiceError tree only). Tests make a method fail
with `fail(method, error)` and read what was asked from `calls`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import jsonpatch
from botbuilder.core import TurnContext

from bot.domain.assertion import UserAssertion
from bot.domain.errors import ReferralBotError, ReferralNotFoundError
from bot.domain.list_kinds import ListKind
from bot.domain.list_query import ListQuery, ListTally
from bot.domain.referral import Referral, Versioned
from bot.referrals.index_entry import IndexEntry
from dialogs.turn_facts import tenant_of
from tests.support.list_filter import brute_list, brute_tally


@dataclass
class FakeClock:
    current: datetime = field(default_factory=lambda: datetime(2026, 11, 25, 10, 0, tzinfo=UTC))

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta


@dataclass
class FakeAssertions:
    """The seller's assertion from the activity (tenant + AAD object id); None = signed out."""

    signed_out: set[str] = field(default_factory=set)  # AAD object ids without a token
    everyone_signed_out: bool = False

    async def assertion(self, turn_context: TurnContext) -> UserAssertion | None:
        sender = turn_context.activity.from_property
        user_id = str(getattr(sender, "aad_object_id", None) or sender.id)
        if self.everyone_signed_out or user_id in self.signed_out:
            return None
        tenant = tenant_of(turn_context.activity)
        return UserAssertion(tenant_id=tenant, user_id=user_id, token=f"sso-{user_id}")


@dataclass(frozen=True)
class Call:
    method: str
    argument: str
    user_id: str


class FakeReferralsService:
    """Implements dialogs.ports.ReferralsService (and the optional `suggest`) in memory."""

    def __init__(self, documents: Iterable[Mapping[str, Any]] = ()) -> None:
        self._documents: dict[str, dict[str, Any]] = {}
        self._versions: dict[str, int] = {}
        self._failures: dict[str, ReferralBotError] = {}
        self.calls: list[Call] = []
        for document in documents:
            self.add(document)

    def add(self, document: Mapping[str, Any]) -> None:
        self._documents[str(document["id"])] = dict(document)
        self._versions[str(document["id"])] = 1

    def fail(self, method: str, error: ReferralBotError) -> None:
        """Every later call of `method` raises `error` (until `recover`)."""
        self._failures[method] = error

    def recover(self) -> None:
        self._failures.clear()

    def etag(self, referral_id: str) -> str:
        return f'W/"{referral_id}-v{self._versions[referral_id]}"'

    def referral(self, referral_id: str) -> Referral:
        return Referral.from_document(self._documents[referral_id])

    def called(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def _enter(self, method: str, argument: str, user: UserAssertion) -> None:
        self.calls.append(Call(method, argument, user.user_id))
        if method in self._failures:
            raise self._failures[method]

    async def get(self, referral_id: str, *, user: UserAssertion) -> Versioned[Referral]:
        self._enter("get", referral_id, user)
        if referral_id not in self._documents:
            raise ReferralNotFoundError()
        return Versioned(self.referral(referral_id), self.etag(referral_id))

    async def find(self, text: str, *, user: UserAssertion, limit: int = 10) -> list[Referral]:
        self._enter("find", text, user)
        wanted = text.casefold()
        found = [
            self.referral(key)
            for key, document in self._documents.items()
            if any(wanted in value.casefold() for value in _searchable(document))
        ]
        return found[:limit]

    async def suggest(self, text: str, *, user: UserAssertion, limit: int = 3) -> list[str]:
        self._enter("suggest", text, user)
        names = [value for doc in self._documents.values() for value in _names(doc)]
        return difflib.get_close_matches(text, names, n=limit, cutoff=0.6)

    async def list(
        self,
        wanted: ListKind | ListQuery,
        *,
        user: UserAssertion,
        now: datetime,
        limit: int = 50,
    ) -> list[Referral]:
        """A preset in insertion order (as always); a composed query by `brute_list`."""
        kind = wanted if isinstance(wanted, ListKind) else wanted.preset
        self._enter("list", str(kind) if kind is not None else repr(wanted), user)
        rows = [self.referral(key) for key in self._documents]
        if kind is not None:
            return [row for row in rows if _in_list(kind, row, now)][:limit]
        assert isinstance(wanted, ListQuery)
        entries = [IndexEntry.of(row) for row in rows]
        return [self.referral(entry.id) for entry in brute_list(wanted, entries, now, limit)]

    async def tally(
        self, wanted: ListKind | ListQuery, *, user: UserAssertion, now: datetime
    ) -> ListTally:
        self._enter("tally", repr(wanted), user)
        query = wanted if isinstance(wanted, ListQuery) else None
        assert query is not None, "tests tally composed queries"
        entries = [IndexEntry.of(self.referral(key)) for key in self._documents]
        return brute_tally(query, entries, now)

    async def apply(
        self,
        referral_id: str,
        operations: Sequence[dict[str, Any]],
        *,
        if_match: str,
        user: UserAssertion,
    ) -> Versioned[Referral]:
        self._enter("apply", referral_id, user)
        if referral_id not in self._documents:
            raise ReferralNotFoundError()
        patched = jsonpatch.apply_patch(self._documents[referral_id], list(operations))
        self._documents[referral_id] = patched
        self._versions[referral_id] += 1
        return Versioned(self.referral(referral_id), self.etag(referral_id))


def _names(document: Mapping[str, Any]) -> list[str]:
    customer = (document.get("customerProfile") or {}).get("name")
    return [value for value in (document.get("name"), customer) if isinstance(value, str)]


def _searchable(document: Mapping[str, Any]) -> list[str]:
    crm = document.get("externalReferenceId")
    return [*_names(document), *([crm] if isinstance(crm, str) else [])]


def _in_list(kind: ListKind, referral: Referral, now: datetime) -> bool:
    is_open = referral.status != "Closed"
    if kind is ListKind.NEW_LEADS:
        return referral.status == "New" and referral.direction == "Incoming"
    if kind is ListKind.MY_OPEN:
        return is_open
    closing = referral.details.closing_date_time if referral.details else None
    if not is_open or closing is None:
        return False
    local = closing.astimezone(now.tzinfo)
    if kind is ListKind.CLOSING_THIS_MONTH:
        return (local.year, local.month) == (now.year, now.month)
    return (local.year, (local.month - 1) // 3) == (now.year, (now.month - 1) // 3)
