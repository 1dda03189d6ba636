"""POST /api/partner-center/events on the real app, served as `python -m bot` serves it.

A verified delivery is answered 200 at once and handed to the sink once; anything that fails
verification is a 401 with an empty body and leaves no trace (no claim, no sink call).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import SecretStr

from bot.app import STATE_PARTS, create_app
from bot.background import BackgroundTasks
from bot.domain.events import PartnerCenterEvent
from bot.inbound.event_certificates import SigningCertificates
from bot.inbound.event_signature import EventSignatures
from bot.inbound.partner_center_events import EVENT_KEY_PREFIX, PartnerCenterEvents
from bot.inbound.serving import start_serving
from bot.routes import EVENTS, add_routes
from bot.settings import (
    IdentitySettings,
    InboundSettings,
    Mode,
    Settings,
    StateBackend,
    StateSettings,
)
from tests.support.event_signing import WebhookSigning, event_body
from tests.system.logscan.scan import debug_logging

PATH = "/api/partner-center/events"
REFERRAL_ID = "5f1c2d3e-aaaa-4bbb-8ccc-0123456789ab"


@dataclass
class RecordingSink:
    """Records each event; `gate` (when set) holds every call until it is opened."""

    events: list[PartnerCenterEvent] = field(default_factory=list)
    gate: asyncio.Event | None = None
    started: asyncio.Event = field(default_factory=asyncio.Event)
    arrived: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def handle(self, event: PartnerCenterEvent) -> None:
        self.started.set()
        if self.gate is not None:
            await self.gate.wait()
        async with self.arrived:
            self.events.append(event)
            self.arrived.notify_all()


@dataclass
class Endpoint:
    url: str
    app: web.Application
    session: aiohttp.ClientSession
    signer: WebhookSigning

    async def post(self, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        sent = self.signer.headers(body) if headers is None else headers
        async with self.session.post(self.url, data=body, headers=sent) as answer:
            return answer.status, await answer.read()


def settings_for(signer: WebhookSigning, **events: Any) -> Settings:
    return Settings(
        mode=Mode.DEMO,
        dangerously_allow_unauthenticated=True,
        identity=IdentitySettings(client_id="bot-client", client_secret=SecretStr("not-used")),
        state=StateSettings(backend=StateBackend.MEMORY),
        events=signer.settings(**events),
    )


@asynccontextmanager
async def served(
    signer: WebhookSigning, sink: RecordingSink, **events: Any
) -> AsyncIterator[Endpoint]:
    settings = settings_for(signer, **events)
    app = create_app(settings, event_sink=sink)
    runner = await start_serving(app, "127.0.0.1", 0, settings.inbound)
    try:
        async with aiohttp.ClientSession() as session:
            port = runner.addresses[0][1]
            yield Endpoint(f"http://127.0.0.1:{port}{PATH}", app, session, signer)
    finally:
        await runner.cleanup()


async def handed_on(sink: RecordingSink, count: int) -> list[PartnerCenterEvent]:
    """The sink's events once it has `count` (it runs in the background, after the 200)."""
    async with asyncio.timeout(5), sink.arrived:
        await sink.arrived.wait_for(lambda: len(sink.events) >= count)
    await asyncio.sleep(0.05)  # and no more arrive
    return sink.events


@pytest.fixture
def sink() -> RecordingSink:
    return RecordingSink()


@pytest.fixture
async def endpoint(webhook_signer: WebhookSigning, sink: RecordingSink) -> AsyncIterator[Endpoint]:
    async with served(webhook_signer, sink) as served_endpoint:
        yield served_endpoint


async def test_a_signed_referral_event_is_answered_200_and_handed_on_once(
    endpoint: Endpoint, sink: RecordingSink
) -> None:
    body = event_body("referral-created", REFERRAL_ID)

    assert await endpoint.post(body) == (200, b"")

    [event] = await handed_on(sink, 1)
    assert (event.name, event.resource_id, event.resource_name) == (
        "referral-created",
        REFERRAL_ID,
        "referral",
    )
    assert event.changed_at.utcoffset() is not None


async def test_a_replayed_delivery_is_answered_200_and_not_handed_on_again(
    endpoint: Endpoint, sink: RecordingSink
) -> None:
    body = event_body("referral-updated", REFERRAL_ID)
    assert (await endpoint.post(body))[0] == 200
    await handed_on(sink, 1)

    assert (await endpoint.post(body))[0] == 200
    assert (await endpoint.post(body, endpoint.signer.headers(body, in_ms_signature=True)))[
        0
    ] == 200

    assert len(await handed_on(sink, 1)) == 1


async def test_the_same_delivery_twice_at_once_is_handed_on_once(
    endpoint: Endpoint, sink: RecordingSink
) -> None:
    body = event_body("referral-created", REFERRAL_ID)

    answers = await asyncio.gather(*(endpoint.post(body) for _ in range(5)))

    assert {status for status, _ in answers} == {200}
    assert len(await handed_on(sink, 1)) == 1


async def test_a_later_change_of_the_same_referral_is_a_new_event(
    endpoint: Endpoint, sink: RecordingSink
) -> None:
    first = event_body("referral-updated", REFERRAL_ID, changed_at="2026-03-02T09:15:00Z")
    later = event_body("referral-updated", REFERRAL_ID, changed_at="2026-03-02T09:16:00Z")

    await endpoint.post(first)
    await endpoint.post(later)

    assert len(await handed_on(sink, 2)) == 2


async def test_the_answer_comes_before_a_slow_sink_finishes(
    webhook_signer: WebhookSigning,
) -> None:
    slow = RecordingSink(gate=asyncio.Event())
    async with served(webhook_signer, slow) as endpoint:
        assert (await endpoint.post(event_body())) == (200, b"")
        await asyncio.wait_for(slow.started.wait(), 5)
        assert slow.events == []  # still working when Partner Center had its answer

        slow.gate.set()  # type: ignore[union-attr]
        assert len(await handed_on(slow, 1)) == 1


@pytest.mark.parametrize(
    "change",
    [
        {"drop": "Authorization"},
        {"drop": "x-ms-certificate-url"},
        {"drop": "x-ms-signature-algorithm"},
        {"set": ("x-ms-signature-algorithm", "rsa-sha1")},
        {"set": ("x-ms-certificate-url", "https://evil.example/cert/x.cer")},
        {"set": ("Authorization", "Bearer eyJ0eXAiOiJKV1QifQ.e30.sig")},
    ],
)
async def test_a_delivery_failing_its_headers_is_401_empty_and_leaves_no_trace(
    endpoint: Endpoint, sink: RecordingSink, change: dict[str, Any]
) -> None:
    body = event_body("referral-created", REFERRAL_ID)
    headers = endpoint.signer.headers(body)
    if "drop" in change:
        del headers[change["drop"]]
    else:
        name, value = change["set"]
        headers[name] = value

    assert await endpoint.post(body, headers) == (401, b"")

    assert await endpoint.post(body) == (200, b"")  # not claimed by the forged copy
    assert len(await handed_on(sink, 1)) == 1


async def test_a_forged_or_re_signed_body_is_401_and_leaves_no_trace(
    endpoint: Endpoint, sink: RecordingSink
) -> None:
    genuine = event_body("referral-created", REFERRAL_ID)
    forged = event_body("referral-created", "00000000-0000-0000-0000-000000000bad")
    forger = dataclasses.replace(endpoint.signer.certificate, key=_other_key())

    assert await endpoint.post(forged, endpoint.signer.headers(genuine)) == (401, b"")
    assert await endpoint.post(genuine, endpoint.signer.headers(genuine, signer=forger)) == (
        401,
        b"",
    )
    await asyncio.sleep(0.05)
    assert sink.events == []

    assert (await endpoint.post(genuine))[0] == 200
    assert [event.resource_id for event in await handed_on(sink, 1)] == [REFERRAL_ID]


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"EventName": "referral-created"}',
        b'{"EventName": "referral-created", "ResourceUri": "https://x/r/1", '
        b'"ResourceName": "referral", "ResourceChangeUtcDate": "yesterday"}',
        b'{"EventName": 7, "ResourceUri": "https://x/r/1", "ResourceChangeUtcDate": "2026-01-01"}',
    ],
)
async def test_a_verified_body_that_is_not_an_event_is_400(
    endpoint: Endpoint, sink: RecordingSink, body: bytes
) -> None:
    assert (await endpoint.post(body))[0] == 400
    await asyncio.sleep(0.05)
    assert sink.events == []


async def test_a_test_event_is_answered_and_logged_but_not_handed_on(
    endpoint: Endpoint, sink: RecordingSink, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="bot.inbound.partner_center_events")
    body = event_body("test-created", extra={"ResourceName": "test"})

    assert (await endpoint.post(body))[0] == 200

    await asyncio.sleep(0.05)
    assert sink.events == []
    assert any("events.test_received" in record.getMessage() for record in caplog.records)


async def test_an_event_the_bot_does_not_know_is_answered_and_ignored(
    endpoint: Endpoint, sink: RecordingSink
) -> None:
    assert (await endpoint.post(event_body("subscription-updated")))[0] == 200
    await asyncio.sleep(0.05)
    assert sink.events == []


async def test_a_body_over_the_cap_is_refused_before_verification(
    webhook_signer: WebhookSigning, sink: RecordingSink
) -> None:
    async with served(webhook_signer, sink, max_body_bytes=2048) as endpoint:
        body = event_body(extra={"Padding": "x" * 4096})
        assert (await endpoint.post(body))[0] == 413
    assert webhook_signer.server.hits == {}


async def test_a_failing_seen_store_is_503_so_partner_center_retries(
    webhook_signer: WebhookSigning, sink: RecordingSink, session: aiohttp.ClientSession
) -> None:
    class Broken:
        async def claim(self, key: str) -> bool:
            raise ConnectionError("store down")

    settings = webhook_signer.settings()
    app = web.Application()
    app[EVENTS] = PartnerCenterEvents(
        settings=settings,
        inbound=InboundSettings(),
        signatures=EventSignatures(SigningCertificates(session, settings)),
        seen=Broken(),  # type: ignore[arg-type]
        sink=sink,
        background=BackgroundTasks(),
    )
    add_routes(app, events_path=PATH)
    server = TestServer(app, host="127.0.0.1", port=0)
    await server.start_server()
    try:
        endpoint = Endpoint(str(server.make_url(PATH)), app, session, webhook_signer)
        assert (await endpoint.post(event_body()))[0] == 503
    finally:
        await server.close()
    assert sink.events == []


async def test_event_keys_are_kept_for_days_in_the_seen_store(endpoint: Endpoint) -> None:
    seen = endpoint.app[STATE_PARTS].seen

    assert getattr(seen, "prefix_ttls") == {EVENT_KEY_PREFIX: 168 * 3600}  # noqa: B009
    assert getattr(seen, "id_ttl") == 600  # noqa: B009 (Teams activity ids: unchanged)


async def test_the_endpoint_is_not_served_when_disabled(
    webhook_signer: WebhookSigning, sink: RecordingSink
) -> None:
    async with served(webhook_signer, sink, enabled=False) as endpoint:
        assert (await endpoint.post(event_body()))[0] == 404


async def test_no_signature_body_or_certificate_url_reaches_a_log_line(
    webhook_signer: WebhookSigning, sink: RecordingSink
) -> None:
    body = event_body("referral-created", REFERRAL_ID)
    headers = webhook_signer.headers(body)
    signature = headers["Authorization"].removeprefix("Signature ")
    with debug_logging() as captured:
        async with served(webhook_signer, sink) as endpoint:
            await endpoint.post(body)
            await endpoint.post(body)  # duplicate
            await endpoint.post(body + b" ", headers)  # refused: signature
            await endpoint.post(event_body("test-created"))
            await handed_on(sink, 1)

    # (aiohttp.access: the test's certificate server, Partner Center's side, logs its own GETs)
    texts = "\n".join(text for name, text in captured.texts if name != "aiohttp.access")
    assert "events.accepted" in texts
    assert "events.refused reason=signature" in texts
    for secret in (signature, signature[:40], REFERRAL_ID, webhook_signer.server.host, "/cert/"):
        assert secret not in texts
    assert captured.hits() == []


def _other_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)
