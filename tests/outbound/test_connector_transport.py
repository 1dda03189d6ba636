"""`bot.outbound.transport`: msrest's connector client, but sending over aiohttp on the loop.

Against a real loopback server: what `requests` put on the wire still goes (the credentials'
Authorization header, the body), refusals keep the status and Retry-After that `bot.outbound.pacing`
reads, a connection never made is tried again as msrest's urllib3 policy did, an answer lost
after the request arrived is not, and no worker thread is involved.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
import trustme
from aiohttp import web
from botbuilder.schema import Activity, ErrorResponseException
from botframework.connector.aio import ConnectorClient
from msrest.authentication import Authentication
from msrest.exceptions import ClientRequestError

from bot.outbound.connector_clients import ConnectorClients
from bot.outbound.pacing import retry_after_seconds, status_of
from bot.outbound.transport import ConnectorTransport

Handler = Callable[[web.Request], Any]
TOKEN = "bot-token-for-the-connector"


class _Signed(Authentication):
    """Signs the session as MicrosoftAppCredentials does: an Authorization header on it."""

    def signed_session(self, session: requests.Session | None = None) -> requests.Session:
        signed: requests.Session = super().signed_session(session)
        signed.headers["Authorization"] = f"Bearer {TOKEN}"
        return signed


async def _serve(handler: Handler) -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}/"
    finally:
        await runner.cleanup()


def _client(base_url: str, transport: ConnectorTransport) -> ConnectorClient:
    client = ConnectorClient(_Signed(), base_url=base_url)
    transport.install(client)
    return client


async def _reply(client: ConnectorClient) -> Any:
    activity = Activity(type="message", text="hello")
    return await client.conversations.reply_to_activity("a:1", "f:1", activity)


async def test_a_reply_goes_over_aiohttp_with_the_credentials_and_no_worker_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[str, str, dict[str, Any]]] = []
    agents: list[str] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append((request.path, request.headers["Authorization"], await request.json()))
        agents.append(request.headers["User-Agent"])
        return web.json_response({"id": "reply-1"})

    def no_threads(*args: object, **kwargs: object) -> None:
        raise AssertionError("a reply must not go to a worker thread")

    monkeypatch.setattr(asyncio.get_running_loop(), "run_in_executor", no_threads)
    transport = ConnectorTransport()
    try:
        async for url in _serve(handler):
            answer = await _reply(_client(url, transport))
    finally:
        await transport.aclose()

    assert answer.id == "reply-1"
    [(path, authorization, body)] = seen
    assert path == "/v3/conversations/a:1/activities/f:1"
    assert authorization == f"Bearer {TOKEN}"
    assert body["text"] == "hello"
    assert "msrest" in agents[0]  # msrest's pipeline (its user-agent policy) still runs


async def test_a_refusal_keeps_its_status_and_retry_after_for_the_outbound_retry() -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(status=429, headers={"Retry-After": "3"})  # no body at all

    transport = ConnectorTransport()
    try:
        async for url in _serve(handler):
            with pytest.raises(ErrorResponseException) as refused:
                await _reply(_client(url, transport))
    finally:
        await transport.aclose()

    assert status_of(refused.value) == 429
    headers = refused.value.response.headers
    assert retry_after_seconds(headers.get("retry-after"), datetime.now(UTC)) == 3.0


async def test_a_connection_never_made_is_tried_again_then_a_client_request_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def ok(request: web.Request) -> web.Response:
        return web.Response()

    async for url in _serve(ok):
        closed = url  # the server is gone after this block: its port refuses connections
    transport = ConnectorTransport()
    client = _client(closed, transport)
    policy = client.config.retry_policy.policy
    policy.connect, policy.backoff_factor = 2, 0
    attempts = 0
    make_session = transport.session

    def counted() -> Any:
        nonlocal attempts
        attempts += 1
        return make_session()

    monkeypatch.setattr(transport, "session", counted)
    try:
        with pytest.raises(ClientRequestError):
            await _reply(client)
    finally:
        await transport.aclose()

    assert attempts == 3  # the first try and `connect` more, as urllib3 would have


async def test_an_answer_lost_after_the_request_arrived_is_not_sent_again() -> None:
    arrived = 0

    async def handler(request: web.Request) -> web.Response:
        nonlocal arrived
        arrived += 1
        await request.read()
        assert request.transport is not None
        request.transport.close()  # the reply may be in Teams: only bot.outbound.pacing may decide
        return web.Response()

    transport = ConnectorTransport()
    try:
        async for url in _serve(handler):
            with pytest.raises(ClientRequestError):
                await _reply(_client(url, transport))
    finally:
        await transport.aclose()

    assert arrived == 1


async def test_the_adapters_kept_clients_reply_over_the_transport(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.json_response({"id": "kept"})

    class Factory:
        async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
            return ConnectorClient(_Signed(), base_url=service_url)

    def no_threads(*args: object, **kwargs: object) -> None:
        raise AssertionError("a reply must not go to a worker thread")

    clients = ConnectorClients()
    try:
        async for url in _serve(handler):
            client = await clients.factory(Factory(), "bot").create(url, "aud")
            monkeypatch.setattr(asyncio.get_running_loop(), "run_in_executor", no_threads)
            answer = await _reply(client)
    finally:
        await clients.aclose()
    assert answer.id == "kept"


def test_a_client_without_msrests_requests_sender_is_left_as_it_is() -> None:
    transport = ConnectorTransport()
    stand_in = type("StandIn", (), {})()
    assert transport.install(stand_in) is False
    real = ConnectorClient(_Signed(), base_url="http://127.0.0.1:9/")
    assert transport.install(real) is True
    assert transport.install(real) is True  # idempotent


async def test_closing_the_kept_clients_closes_the_shared_session() -> None:
    clients = ConnectorClients()
    session = clients.transport.session()
    assert clients.transport.session() is session  # one session for every client
    await clients.aclose()
    assert session.closed


def test_verify_is_translated_as_requests_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ca_file = tmp_path / "ca.pem"
    trustme.CA().cert_pem.write_to_path(str(ca_file))
    transport = ConnectorTransport()

    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    assert transport.ssl_for(False, trust_env=True) is False
    assert transport.ssl_for(True, trust_env=True) is None  # aiohttp's default: the system's
    from_file = transport.ssl_for(str(ca_file), trust_env=False)
    assert isinstance(from_file, ssl.SSLContext)
    assert transport.ssl_for(str(ca_file), trust_env=True) is from_file  # once per CA file

    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca_file))  # as requests: with trust_env only
    assert transport.ssl_for(True, trust_env=True) is from_file
    assert transport.ssl_for(True, trust_env=False) is None


async def test_the_environments_proxy_carries_the_reply_unless_no_proxy_names_the_host(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An admin's HTTP(S)_PROXY is honoured as requests honoured it (and NO_PROXY too)."""
    through_proxy: list[str] = []

    async def proxy(request: web.Request) -> web.Response:
        through_proxy.append(str(request.url))  # a forward proxy gets the absolute URL
        return web.json_response({"id": "via-proxy"})

    for name in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    async for proxy_url in _serve(proxy):
        monkeypatch.setenv("HTTP_PROXY", proxy_url)
        transport = ConnectorTransport()
        try:
            answer = await _reply(_client("http://connector.example/", transport))
        finally:
            await transport.aclose()
    assert answer.id == "via-proxy"
    assert through_proxy == ["http://connector.example/v3/conversations/a:1/activities/f:1"]

    monkeypatch.setenv("NO_PROXY", "connector.example")
    transport = ConnectorTransport()
    assert transport.proxy_for("http://connector.example/v3", {}, use_env=True) is None
    assert transport.proxy_for("http://other.example/v3", {}, use_env=True) is not None
    assert transport.proxy_for("http://other.example/v3", {}, use_env=False) is None
    explicit = {"http": "http://explicit:3128"}
    assert transport.proxy_for("http://other.example/", explicit, use_env=True) == explicit["http"]
