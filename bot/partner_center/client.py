"""ReferralsClient: typed async calls to the Partner Center Referrals API over one shared session.

Writes are made safe by If-Match, not by hoping: `patch` always sends the eTag it planned
against, and after an ambiguous failure (timeout, dropped connection, a 5xx that does not say
"retry after") it re-reads before deciding anything (see `_reconcile`). `create` cannot be
checked that way, so an ambiguous create is reported, never re-sent.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Mapping, Sequence
from contextlib import aclosing
from typing import Any
from urllib.parse import quote, urlencode

import aiohttp
from yarl import URL

from bot.domain.assertion import AccessTokenProvider, UserAssertion
from bot.domain.referral import Referral, Versioned
from bot.partner_center.errors import (
    InvalidRequestError,
    PartnerCenterError,
    PreconditionFailedError,
    ThrottledError,
    UnavailableError,
    UnexpectedResponseError,
    WriteNotAppliedError,
)
from bot.partner_center.operations import checked_operations, document_shows
from bot.partner_center.retry import (
    DEADLINE_EXCEEDED,
    OUTCOME_UNKNOWN,
    REREAD_FAILED,
    RetryPolicy,
    should_retry,
)
from bot.partner_center.transport import JSON, Call, Reply, Transport, new_guid
from bot.partner_center.wire import Page, dump_json
from bot.settings import PartnerCenterSettings

_QUERY_SAFE = "'(),/:$@"


class ReferralsClient:
    """The session is shared and owned by the caller; this client never closes it."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        settings: PartnerCenterSettings,
        tokens: AccessTokenProvider,
        *,
        retry_policy: RetryPolicy | None = None,
        new_id: Callable[[], str] = new_guid,
    ) -> None:
        self._policy = retry_policy or RetryPolicy.from_settings(settings)
        self._transport = Transport(session, tokens, self._policy)
        self._collection = URL(settings.base_url.rstrip("/") + "/referrals")
        self._new_id = new_id

    async def get(
        self, referral_id: str, *, user: UserAssertion, correlation_id: str | None = None
    ) -> Versioned[Referral]:
        call = self._call(user, correlation_id)
        return (await self._read(call, self._item_url(referral_id))).versioned()

    async def list_referrals(
        self,
        *,
        user: UserAssertion,
        filter: str | None = None,
        orderby: str | None = None,
        top: int | None = None,
        correlation_id: str | None = None,
    ) -> AsyncGenerator[Referral, None]:
        """Every matching referral, page by page, following `@odata.nextLink` verbatim."""
        if top is not None and top < 1:
            raise InvalidRequestError(code="invalidRequest", detail="top below 1")
        correlation_id = correlation_id or self._new_id()
        url: URL | None = self._query_url(filter, orderby, top)
        remaining = top
        while url is not None:
            page = (await self._read(self._call(user, correlation_id), url)).page()
            for referral in page.items[:remaining]:
                yield referral
            if remaining is not None:
                remaining -= min(remaining, len(page.items))
                if remaining == 0:
                    return
            url = self._next_url(page.next_link, correlation_id)

    async def pages(
        self,
        *,
        user: UserAssertion,
        orderby: str | None = None,
        count: bool = False,
        correlation_id: str | None = None,
    ) -> AsyncGenerator[Page, None]:
        """Every referral the seller can see, a page at a time (following `@odata.nextLink`
        verbatim), for a reader that stops when it has what it needs (the referral index)."""
        correlation_id = correlation_id or self._new_id()
        url: URL | None = self._query_url(None, orderby, None, count=count)
        while url is not None:
            page = (await self._read(self._call(user, correlation_id), url)).page()
            yield page
            url = self._next_url(page.next_link, correlation_id)

    async def search(
        self,
        *,
        user: UserAssertion,
        filter: str | None = None,
        orderby: str | None = None,
        max_items: int = 50,
        correlation_id: str | None = None,
    ) -> list[Referral]:
        """At most `max_items` matches, as one list (for "which Contoso did you mean?")."""
        referrals = self.list_referrals(
            user=user, filter=filter, orderby=orderby, top=max_items, correlation_id=correlation_id
        )
        async with aclosing(referrals) as found:
            return [referral async for referral in found]

    async def create(
        self,
        document: Mapping[str, Any],
        *,
        user: UserAssertion,
        correlation_id: str | None = None,
    ) -> Versioned[Referral]:
        body = dump_json(dict(document))
        call = self._call(user, correlation_id)

        async def attempt(number: int) -> Versioned[Referral]:
            reply = await self._transport.send(
                call, "POST", self._collection, attempt=number, body=body, headers=_WRITE
            )
            return reply.versioned()

        return await self._policy.run(attempt, idempotent=False, deadline=call.deadline)

    async def patch(
        self,
        referral_id: str,
        operations: Sequence[Mapping[str, Any]],
        *,
        if_match: str,
        user: UserAssertion,
        correlation_id: str | None = None,
    ) -> Versioned[Referral]:
        """Apply add/replace operations if the referral still has `if_match` as its eTag."""
        checked = checked_operations(operations)
        if not if_match:
            raise InvalidRequestError(code="invalidRequest", detail="no eTag for If-Match")
        url, call = self._item_url(referral_id), self._call(user, correlation_id)
        body, headers = dump_json(checked), {**_WRITE, "If-Match": if_match, "Prefer": _PREFER}

        async def attempt(number: int) -> Versioned[Referral]:
            try:
                reply = await self._transport.send(
                    call, "PATCH", url, attempt=number, body=body, headers=headers
                )
            except UnavailableError as error:
                if should_retry(error, idempotent=False) or error.code == DEADLINE_EXCEEDED:
                    raise
                return await self._reconcile(call, url, checked, if_match, error)
            return await self._written(call, url, reply)

        return await self._policy.run(attempt, idempotent=False, deadline=call.deadline)

    async def _written(self, call: Call, url: URL, reply: Reply) -> Versioned[Referral]:
        """The updated referral; a 204 (Prefer ignored) costs one re-read."""
        if reply.status != 204 and reply.body.strip():
            return reply.versioned()
        try:
            return (await self._read(self._follow_up(call), url)).versioned()
        except (ThrottledError, UnavailableError) as unknown:
            raise UnavailableError(
                code=REREAD_FAILED, correlation_id=call.correlation_id
            ) from unknown

    async def _reconcile(
        self,
        call: Call,
        url: URL,
        operations: list[dict[str, Any]],
        if_match: str,
        error: UnavailableError,
    ) -> Versioned[Referral]:
        """After an ambiguous write failure: did it land, not land, or did someone else write?"""
        reread = self._follow_up(call)
        try:
            reply = await self._read(reread, url)
        except (ThrottledError, UnavailableError) as unknown:
            raise UnavailableError(
                code=OUTCOME_UNKNOWN, correlation_id=call.correlation_id
            ) from unknown
        current = reply.versioned()
        if if_match != "*" and current.etag == if_match:
            raise WriteNotAppliedError(
                code=error.code, status_code=error.status_code, correlation_id=call.correlation_id
            ) from error
        if document_shows(reply.json(), operations):
            return current
        if if_match == "*":
            raise WriteNotAppliedError(
                code=error.code, correlation_id=call.correlation_id
            ) from error
        raise PreconditionFailedError(
            code="preconditionFailed", target="ETag", correlation_id=call.correlation_id
        ) from error

    async def _read(self, call: Call, url: URL) -> Reply:
        async def attempt(number: int) -> Reply:
            return await self._transport.send(call, "GET", url, attempt=number)

        return await self._policy.run(attempt, idempotent=True, deadline=call.deadline)

    def _call(self, user: UserAssertion, correlation_id: str | None) -> Call:
        return Call(user, correlation_id or self._new_id(), self._new_id(), self._policy.start())

    def _follow_up(self, call: Call) -> Call:
        """A read made on behalf of a write: its own request id, the write's deadline."""
        return Call(call.user, call.correlation_id, self._new_id(), call.deadline)

    def _item_url(self, referral_id: str) -> URL:
        if referral_id in {"", ".", ".."}:
            raise InvalidRequestError(code="invalidRequest", detail="not a referral id")
        return URL(f"{self._collection}/{quote(referral_id, safe='')}", encoded=True)

    def _query_url(
        self, filter: str | None, orderby: str | None, top: int | None, *, count: bool = False
    ) -> URL:
        params = {
            "$filter": filter,
            "$orderby": orderby,
            "$top": None if top is None else str(top),
            "$count": "true" if count else None,
        }
        query = urlencode(
            {key: value for key, value in params.items() if value is not None},
            quote_via=quote,
            safe=_QUERY_SAFE,
        )
        return URL(f"{self._collection}?{query}" if query else str(self._collection), encoded=True)

    def _next_url(self, next_link: str | None, correlation_id: str) -> URL | None:
        """The nextLink as given; never one that would carry our token to another origin."""
        if next_link is None:
            return None
        url = self._collection.join(URL(next_link, encoded=True))
        if url.origin() != self._collection.origin():
            raise _foreign_link(correlation_id)
        return url


def _foreign_link(correlation_id: str) -> PartnerCenterError:
    return UnexpectedResponseError(code="foreignNextLink", correlation_id=correlation_id)


_WRITE = {"Content-Type": JSON}
_PREFER = "return=representation"
