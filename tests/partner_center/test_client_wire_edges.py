"""Client behaviour the emulator never shows, against a tiny local aiohttp server of our own."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.domain.assertion import UserAssertion
from bot.partner_center.client import ReferralsClient
from bot.partner_center.errors import InvalidRequestError, UnavailableError, UnexpectedResponseError
from bot.partner_center.retry import RetryPolicy
from bot.settings import PartnerCenterSettings
from tests.support.referral_documents import make_referral_document

TOKEN = "secret-token-never-logged"
USER = UserAssertion(tenant_id="t", user_id="u", token="sso")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
ServerFactory = Callable[[web.Application], Awaitable[TestServer]]


class StaticTokens:
    def __init__(self) -> None:
        self.calls = 0

    async def get_token(self, user: UserAssertion) -> str:
        self.calls += 1
        return TOKEN


class Service:
    """Routes answered by one handler; every request's raw path and headers are kept."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.seen: list[web.Request] = []

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.seen.append(request)
        return await self.handler(request)


async def start(
    aiohttp_server: ServerFactory, handler: Handler, **settings: Any
) -> tuple[Service, ReferralsClient, StaticTokens, aiohttp.ClientSession]:
    service = Service(handler)
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", service.handle)
    server = await aiohttp_server(app)
    config = PartnerCenterSettings(
        base_url=str(server.make_url("/v1.0/engagements")),
        **({"deadline_seconds": 3.0, "attempt_timeout_seconds": 1.0} | settings),
    )
    session = aiohttp.ClientSession()
    tokens = StaticTokens()
    policy = RetryPolicy.from_settings(config, backoff_initial=0.01)
    return service, ReferralsClient(session, config, tokens, retry_policy=policy), tokens, session


def answer(document: Any, status: int = 200, **headers: str) -> Handler:
    async def handler(_: web.Request) -> web.StreamResponse:
        return web.json_response(document, status=status, headers=headers)

    return handler


async def test_the_etag_header_is_used_when_the_body_has_none(
    aiohttp_server: ServerFactory,
) -> None:
    document = make_referral_document()
    del document["eTag"]
    _, client, _, session = await start(aiohttp_server, answer(document, ETag='"from-header"'))
    async with session:
        assert (await client.get("x", user=USER)).etag == '"from-header"'


async def test_ids_are_opaque_and_quoted_into_one_path_segment(
    aiohttp_server: ServerFactory,
) -> None:
    service, client, _, session = await start(aiohttp_server, answer(make_referral_document()))
    async with session:
        await client.get("a/b c?d#e%", user=USER)

    assert service.seen[0].raw_path == "/v1.0/engagements/referrals/a%2Fb%20c%3Fd%23e%25"


@pytest.mark.parametrize("referral_id", ["", ".", ".."])
async def test_ids_that_cannot_name_a_referral_are_refused_before_any_request(
    aiohttp_server: ServerFactory, referral_id: str
) -> None:
    service, client, tokens, session = await start(aiohttp_server, answer({}))
    async with session:
        with pytest.raises(InvalidRequestError):
            await client.get(referral_id, user=USER)

    assert (service.seen, tokens.calls) == ([], 0)


@pytest.mark.parametrize("top", [0, -1])
async def test_a_top_below_one_is_refused_before_any_request(
    aiohttp_server: ServerFactory, top: int
) -> None:
    service, client, _, session = await start(aiohttp_server, answer({"value": []}))
    async with session:
        with pytest.raises(InvalidRequestError):
            await client.search(user=USER, max_items=top)

    assert service.seen == []


async def test_filters_are_percent_encoded_and_arrive_unchanged(
    aiohttp_server: ServerFactory,
) -> None:
    service, client, _, session = await start(aiohttp_server, answer({"value": []}))
    query = "team/any(t:t/email eq 'a+b@contoso.com') and name eq 'Café & Co'"
    async with session:
        assert await client.search(user=USER, filter=query, max_items=3) == []

    request = service.seen[0]
    assert request.query["$filter"] == query
    assert request.query["$top"] == "3"
    assert "+" not in request.raw_path.split("?", 1)[1].replace("%2B", "")


async def test_a_next_link_to_another_origin_is_never_followed(
    aiohttp_server: ServerFactory,
) -> None:
    page = {
        "value": [make_referral_document()],
        "@odata.nextLink": "https://evil.example/steal?x=1",
    }
    service, client, _, session = await start(aiohttp_server, answer(page))
    async with session:
        with pytest.raises(UnexpectedResponseError):
            [r async for r in client.list_referrals(user=USER)]

    assert len(service.seen) == 1


async def test_a_relative_next_link_is_resolved_against_the_service(
    aiohttp_server: ServerFactory,
) -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        if "$skiptoken" in request.query:
            return web.json_response({"value": [make_referral_document(id="2")]})
        link = "/v1.0/engagements/referrals?$skiptoken=YWJj%3D"
        return web.json_response(
            {"value": [make_referral_document(id="1")], "@odata.nextLink": link}
        )

    service, client, _, session = await start(aiohttp_server, handler)
    async with session:
        ids = [r.id async for r in client.list_referrals(user=USER)]

    assert ids == ["1", "2"]
    assert service.seen[1].raw_path == "/v1.0/engagements/referrals?$skiptoken=YWJj%3D"


@pytest.mark.parametrize("body", [b"{not json", b"[]", b'{"name": "no id"}'])
async def test_an_unreadable_success_is_an_unexpected_response(
    aiohttp_server: ServerFactory, body: bytes
) -> None:
    async def handler(_: web.Request) -> web.StreamResponse:
        return web.Response(
            body=body, content_type="application/json", headers={"Request-ID": "r-1"}
        )

    _, client, _, session = await start(aiohttp_server, handler)
    async with session:
        with pytest.raises(UnexpectedResponseError) as caught:
            await client.get("x", user=USER)

    assert (caught.value.status_code, caught.value.request_id) == (200, "r-1")


async def test_each_attempt_has_its_own_timeout(aiohttp_server: ServerFactory) -> None:
    async def slow(_: web.Request) -> web.StreamResponse:
        await asyncio.sleep(2)
        return web.json_response({})

    service, client, _, session = await start(
        aiohttp_server, slow, attempt_timeout_seconds=0.1, max_attempts=3
    )
    async with session:
        with pytest.raises(UnavailableError) as caught:
            await client.get("x", user=USER)

    assert caught.value.code == "timeout"
    assert len(service.seen) == 3


async def test_an_empty_if_match_is_refused_before_any_request(
    aiohttp_server: ServerFactory,
) -> None:
    service, client, tokens, session = await start(aiohttp_server, answer({}))
    async with session:
        with pytest.raises(InvalidRequestError):
            await client.patch(
                "x", [{"op": "replace", "path": "/name", "value": "n"}], if_match="", user=USER
            )

    assert (service.seen, tokens.calls) == ([], 0)


async def test_one_log_line_per_request_without_token_or_query_values(
    aiohttp_server: ServerFactory, caplog: pytest.LogCaptureFixture
) -> None:
    _, client, _, session = await start(aiohttp_server, answer({"value": []}))
    caplog.set_level(logging.INFO, logger="bot.partner_center")
    async with session:
        await client.search(
            user=USER,
            filter="customerProfile/name eq 'Jane Private'",
            max_items=7,
            correlation_id="corr-1",
        )

    lines = [
        record.getMessage()
        for record in caplog.records
        if "partner_center.request" in record.getMessage()
    ]
    assert len(lines) == 1
    assert lines[0].startswith(
        "partner_center.request GET /v1.0/engagements/referrals?$filter=…&$top=7 "
    )
    assert "status=200 attempt=1 correlation_id=corr-1" in lines[0]
    assert "elapsed_ms=" in lines[0]
    text = caplog.text
    assert TOKEN not in text
    assert "Jane" not in text
    assert "Bearer" not in text


async def test_the_client_leaves_the_shared_session_open(aiohttp_server: ServerFactory) -> None:
    _, client, _, session = await start(aiohttp_server, answer(make_referral_document()))
    async with session:
        await client.get("x", user=USER)
        assert not session.closed
