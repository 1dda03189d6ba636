"""WebhookRegistrations against a stand-in shaped as "Partner Center webhooks" documents it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.partner_center.errors import (
    ForbiddenError,
    ThrottledError,
    UnauthenticatedError,
    UnavailableError,
)
from bot.partner_center.retry import RetryPolicy
from bot.partner_center.webhooks import WebhookRegistration, WebhookRegistrations
from tests.support.webhook_registration import BASE, SUPPORTED, RegistrationApi

TOKEN = "app-only-token"
URL = "https://bot.contoso.example/api/partner-center/events"
EVENTS = ("referral-created", "referral-updated")


class Tokens:
    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.asked = 0

    async def get_token(self) -> str:
        self.asked += 1
        return self.token


async def no_wait(seconds: float) -> None:
    return None


@pytest.fixture
async def api() -> AsyncIterator[RegistrationApi]:
    stand_in = RegistrationApi(accepts=lambda token: token == TOKEN)
    await stand_in.start()
    try:
        yield stand_in
    finally:
        await stand_in.close()


def client_for(
    session: aiohttp.ClientSession, api: RegistrationApi, tokens: Tokens | None = None
) -> WebhookRegistrations:
    policy = RetryPolicy(sleep=no_wait, backoff_initial=0.0)
    return WebhookRegistrations(session, api.url, tokens or Tokens(), policy)


async def test_register_read_update_and_delete_as_documented(
    session: aiohttp.ClientSession, api: RegistrationApi
) -> None:
    client = client_for(session, api)
    assert await client.get() is None

    created = await client.create(URL, EVENTS)
    assert created == WebhookRegistration(URL, EVENTS, "e82cac64-dc67-4cd3-849b-78b6127dd57d")
    assert await client.get() == created
    updated = await client.update(URL, (*EVENTS, "test-created"))
    assert updated.events == (*EVENTS, "test-created")
    await client.delete()
    assert await client.get() is None

    writes = [(r.method, r.path, r.body) for r in api.writes()]
    assert writes == [
        ("POST", BASE, {"WebhookUrl": URL, "WebhookEvents": list(EVENTS)}),
        ("PUT", BASE, {"WebhookUrl": URL, "WebhookEvents": [*EVENTS, "test-created"]}),
        ("DELETE", BASE, None),
    ]


async def test_every_call_carries_the_app_token_and_fresh_correlation_ids(
    session: aiohttp.ClientSession, api: RegistrationApi
) -> None:
    client = client_for(session, api)
    await client.supported_events()
    await client.get()

    first, second = api.requests
    assert first.headers["Authorization"] == f"Bearer {TOKEN}"
    assert first.headers["MS-CorrelationId"] != second.headers["MS-CorrelationId"]


async def test_the_supported_events_are_read(
    session: aiohttp.ClientSession, api: RegistrationApi
) -> None:
    assert await client_for(session, api).supported_events() == SUPPORTED


async def test_a_test_event_and_its_delivery_status(
    session: aiohttp.ClientSession, api: RegistrationApi
) -> None:
    client = client_for(session, api)
    await client.create(URL, ("test-created",))

    correlation_id = await client.send_test_event()
    status = await client.test_event_status(correlation_id)

    assert correlation_id == "04af2aea-d413-42db-824e-f328001484d1"
    assert (status.status, status.callback_url) == ("completed", URL)
    [attempt] = status.attempts
    assert (attempt.response_code, attempt.system_error) == ("OK", False)


async def test_a_throttled_read_is_retried_with_the_same_request_id(
    session: aiohttp.ClientSession, api: RegistrationApi
) -> None:
    api.fail_next(429, {"Retry-After": "1"})

    assert await client_for(session, api).supported_events() == SUPPORTED

    first, second = api.requests
    assert first.headers["MS-RequestId"] == second.headers["MS-RequestId"]


async def test_a_registration_post_that_failed_ambiguously_is_not_sent_again(
    session: aiohttp.ClientSession, api: RegistrationApi
) -> None:
    api.fail_next(500)

    with pytest.raises(UnavailableError):
        await client_for(session, api).create(URL, EVENTS)

    assert len(api.writes()) == 1


async def test_a_put_is_retried_after_a_5xx(
    session: aiohttp.ClientSession, api: RegistrationApi
) -> None:
    api.fail_next(503)

    await client_for(session, api).update(URL, EVENTS)

    assert [r.method for r in api.writes()] == ["PUT", "PUT"]


@pytest.mark.parametrize(
    ("status", "error"),
    [(401, UnauthenticatedError), (403, ForbiddenError), (429, ThrottledError)],
)
async def test_refusals_are_typed_errors(
    session: aiohttp.ClientSession, api: RegistrationApi, status: int, error: type[Exception]
) -> None:
    api.fail_next(status, times=10)

    with pytest.raises(error):
        await client_for(session, api).send_test_event()


async def test_a_token_partner_center_refuses_is_unauthenticated(
    session: aiohttp.ClientSession, api: RegistrationApi
) -> None:
    with pytest.raises(UnauthenticatedError):
        await client_for(session, api, Tokens("someone-else")).get()
