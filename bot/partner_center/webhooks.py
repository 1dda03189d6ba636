"""WebhookRegistrations: Partner Center's webhook registration API, as "Partner Center webhooks"
documents it (`REFERRAL_BOT_EVENTS__REGISTRATION_URL`, default
`https://api.partnercenter.microsoft.com/webhooks/v1/registration`):

    GET    {registration}/events                   the event names it supports (a JSON array)
    POST   {registration}                          {WebhookUrl, WebhookEvents}: register
    GET    {registration}                          the tenant's registration (404: none)
    PUT    {registration}                          {WebhookUrl, WebhookEvents}: replace it
    DELETE {registration}                          remove it (undocumented: --delete only)
    POST   {registration}/validationEvents         send a test-created event: {correlationId}
    GET    {registration}/validationEvents/{id}    that test's status, one result per attempt

One tenant has one registration; a second POST is refused (the REST reference says to PUT).
Partner Center documents no delete: `delete` sends DELETE for an operator who asks, and nothing
else depends on it. Calls carry a bearer token for
`https://api.partnercenter.microsoft.com` (app-only is accepted here: bot.auth.app_only) and go
over the shared transport and retry policy (bot.partner_center.transport, .retry): GET, PUT and
DELETE are retried like reads; the POSTs only when the service says it did not act (429, or 503
with Retry-After). The docs spell registration fields in PascalCase and the test status in
camelCase; answers are read regardless of case. Test events are throttled to 2 a minute.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

import aiohttp
from yarl import URL

from bot.domain.assertion import UserAssertion
from bot.domain.events import EventName
from bot.partner_center.errors import NotFoundError, UnexpectedResponseError
from bot.partner_center.retry import RetryPolicy
from bot.partner_center.transport import JSON, Call, Reply, Transport, new_guid
from bot.partner_center.wire import dump_json

TEST_EVENT = EventName.TEST_CREATED.value


class AppTokenProvider(Protocol):
    """A token for the registration API, as the app itself (bot.auth.app_only.AppOnlyTokens)."""

    async def get_token(self) -> str: ...


@dataclass(frozen=True)
class WebhookRegistration:
    webhook_url: str
    events: tuple[str, ...]
    subscriber_id: str | None = None


@dataclass(frozen=True)
class DeliveryAttempt:
    response_code: str
    response_message: str
    system_error: bool
    at: str


@dataclass(frozen=True)
class TestEventStatus:
    correlation_id: str
    status: str
    callback_url: str | None
    attempts: tuple[DeliveryAttempt, ...]


class WebhookRegistrations:
    """The session is shared and owned by the caller; this client never closes it."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        registration_url: str,
        tokens: AppTokenProvider,
        policy: RetryPolicy,
    ) -> None:
        self._policy = policy
        self._transport = Transport(session, _AsTheApp(tokens), policy)
        self._url = URL(registration_url.rstrip("/"))

    async def supported_events(self) -> tuple[str, ...]:
        names = (await self._send("GET", self._url / "events")).json()
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            raise _unexpected()
        return tuple(names)

    async def get(self) -> WebhookRegistration | None:
        """The registration, or None when the tenant has none (404, or an empty answer)."""
        try:
            reply = await self._send("GET", self._url)
        except NotFoundError:
            return None
        if not reply.body.strip():
            return None
        fields = _fields(reply.json())
        return None if not fields.get("webhookurl") else _registration(fields)

    async def create(self, webhook_url: str, events: Sequence[str]) -> WebhookRegistration:
        return await self._write("POST", webhook_url, events, idempotent=False)

    async def update(self, webhook_url: str, events: Sequence[str]) -> WebhookRegistration:
        return await self._write("PUT", webhook_url, events, idempotent=True)

    async def delete(self) -> None:
        await self._send("DELETE", self._url)

    async def send_test_event(self) -> str:
        """Partner Center sends a test-created event to the registered URL; its correlation id."""
        answer = (await self._send("POST", self._url / "validationEvents", idempotent=False)).json()
        correlation = answer if isinstance(answer, str) else _fields(answer).get("correlationid")
        if not isinstance(correlation, str) or not correlation:
            raise _unexpected()
        return correlation

    async def test_event_status(self, correlation_id: str) -> TestEventStatus:
        url = self._url / "validationEvents" / quote(correlation_id, safe="")
        fields = _fields((await self._send("GET", url)).json())
        results = fields.get("results") or []
        if not isinstance(results, list):
            raise _unexpected()
        return TestEventStatus(
            correlation_id=str(fields.get("correlationid") or correlation_id),
            status=str(fields.get("status") or ""),
            callback_url=_optional(fields.get("callbackurl")),
            attempts=tuple(_attempt(_fields(result)) for result in results),
        )

    async def _write(
        self, method: str, webhook_url: str, events: Sequence[str], *, idempotent: bool
    ) -> WebhookRegistration:
        body = dump_json({"WebhookUrl": webhook_url, "WebhookEvents": list(events)})
        reply = await self._send(method, self._url, body=body, idempotent=idempotent)
        if not reply.body.strip():  # the docs answer with the registration; accept none too
            return WebhookRegistration(webhook_url, tuple(events))
        return _registration(_fields(reply.json()))

    async def _send(
        self, method: str, url: URL, *, body: bytes | None = None, idempotent: bool = True
    ) -> Reply:
        call = Call(_APP, new_guid(), new_guid(), self._policy.start())
        headers = {"Content-Type": JSON} if body is not None else None

        async def attempt(number: int) -> Reply:
            return await self._transport.send(
                call, method, url, attempt=number, body=body, headers=headers
            )

        return await self._policy.run(attempt, idempotent=idempotent, deadline=call.deadline)


# The transport asks for a token per user; this API is called as the app, so the call carries
# this placeholder and `_AsTheApp` answers with the app's token whatever it is given.
_APP = UserAssertion(tenant_id="", user_id="", token="")


class _AsTheApp:
    def __init__(self, tokens: AppTokenProvider) -> None:
        self._tokens = tokens

    async def get_token(self, user: UserAssertion) -> str:
        return await self._tokens.get_token()


def _unexpected() -> UnexpectedResponseError:
    """A success answer not shaped as the docs show it."""
    return UnexpectedResponseError(code="unexpectedWebhookAnswer")


def _fields(value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise _unexpected()
    return {str(name).casefold(): item for name, item in value.items()}


def _registration(fields: Mapping[str, Any]) -> WebhookRegistration:
    url, events = fields.get("webhookurl"), fields.get("webhookevents") or []
    if not isinstance(url, str) or not isinstance(events, list):
        raise _unexpected()
    return WebhookRegistration(
        url, tuple(str(event) for event in events), _optional(fields.get("subscriberid"))
    )


def _attempt(fields: Mapping[str, Any]) -> DeliveryAttempt:
    return DeliveryAttempt(
        response_code=str(fields.get("responsecode") or ""),
        response_message=str(fields.get("responsemessage") or ""),
        system_error=bool(fields.get("systemerror")),
        at=str(fields.get("datetimeutc") or ""),
    )


def _optional(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
