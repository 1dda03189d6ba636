"""Webhook deliveries: signed as documented, on every stored change, retried with backoff, then
offline; steered by the test controls (fail next N, fire, a new lead)."""

from __future__ import annotations

import asyncio
import base64
import ssl
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from cryptography.x509.verification import PolicyBuilder, Store

from emulators.server import RunningEmulators
from tests.support.emulator_controls import (
    add_fault,
    create_new_lead,
    fail_next_webhook_deliveries,
    fire_webhook_event,
    settled_webhook_deliveries,
    webhook_deliveries,
)
from tests.support.emulators import SELLER, running_emulators
from tests.support.referrals_http import ReferralsHttp
from tests.support.seeds import DEAL, LEAD, emulator_referrals

from .webhook_api import WebhookApi
from .webhook_receiver import Receiver, receiving

BACKOFF = 0.5
EVENT_MEMBERS = ["EventName", "ResourceUri", "ResourceName", "AuditUri", "ResourceChangeUtcDate"]
NEW_DEAL = {
    "type": "Independent",
    "customerProfile": {"name": "Litware"},
    "consent": {},
    "details": {},
}
NOTES = [{"op": "replace", "path": "/details/notes", "value": "called the customer"}]


class Sleeps(list[float]):
    """The emulator's waits between attempts, recorded and skipped (it runs in its own thread)."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)
        await asyncio.sleep(0)


@pytest.fixture(scope="module")
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture(scope="module")
def emulator(sleeps: Sleeps) -> Iterator[RunningEmulators]:
    """This module's emulator: backoff waits recorded, not spent; short attempts; 2 per URL."""
    with running_emulators(
        emulator_referrals(),
        throttle_per_minute=100_000,
        webhook_backoff_seconds=BACKOFF,
        webhook_attempt_timeout_seconds=0.3,
        webhook_concurrency=2,
        webhook_sleep=sleeps,
    ) as running:
        yield running


@pytest.fixture
async def receiver(api: ReferralsHttp, sleeps: Sleeps) -> AsyncIterator[Receiver]:
    sleeps.clear()
    async with receiving() as found:
        yield found


@pytest.fixture
async def webhooks(api: ReferralsHttp) -> WebhookApi:
    return WebhookApi(api)


def _base(api: ReferralsHttp) -> str:
    return api.running.referrals_base_url


async def _settled(api: ReferralsHttp, count: int = 1) -> list[dict[str, Any]]:
    return await settled_webhook_deliveries(api.session, _base(api), count=count)


async def _certificate(running: RunningEmulators) -> x509.Certificate:
    """Downloaded as a receiver would: over HTTPS, trusting the emulators' TLS CA."""
    tls = ssl.create_default_context(cafile=str(running.ca_file))
    async with (
        aiohttp.ClientSession() as session,
        session.get(running.webhook_certificate_url, ssl=tls) as answer,
    ):
        assert answer.status == 200
        return x509.load_der_x509_certificate(await answer.read())


def _verify(
    running: RunningEmulators, certificate: x509.Certificate, body: bytes, b64: str
) -> None:
    """What the docs tell a receiver to do: chain, organization, RSA-SHA256 over the body."""
    ca_file = running.webhook_ca_file
    assert ca_file is not None
    roots = x509.load_pem_x509_certificates(ca_file.read_bytes())
    verifier = (
        PolicyBuilder()
        .store(Store(roots))
        .build_server_verifier(x509.DNSName(running.webhook_certificate_name))
    )
    chain = verifier.verify(certificate, [])
    assert chain[-1] == roots[0]
    organization = certificate.issuer.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    assert [attribute.value for attribute in organization] == [running.webhook_issuer_organization]
    key = certificate.public_key()
    assert isinstance(key, rsa.RSAPublicKey)
    key.verify(base64.b64decode(b64), body, padding.PKCS1v15(), hashes.SHA256())


async def test_a_create_arrives_signed_and_verifies_with_the_served_certificate(
    api: ReferralsHttp, webhooks: WebhookApi, receiver: Receiver
) -> None:
    await webhooks.register(receiver.url, ["referral-created", "referral-updated"])
    created = await api.send("POST", api.url(), body=NEW_DEAL)
    assert created.status == 201
    [delivery] = await _settled(api)
    assert delivery["state"] == "delivered"
    [got] = receiver.received
    assert got.headers["Content-Type"] == "application/json"
    assert got.headers["x-ms-signature-algorithm"] == "rsa-sha256"
    assert got.headers["x-ms-certificate-url"] == api.running.webhook_certificate_url
    assert "x-ms-signature" not in got.headers
    scheme, _, signature = got.headers["Authorization"].partition(" ")
    assert scheme == "Signature"

    certificate = await _certificate(api.running)
    _verify(api.running, certificate, got.body, signature)
    with pytest.raises(InvalidSignature):
        _verify(api.running, certificate, got.body.replace(b"referral", b"Referral"), signature)

    event = delivery["body"]
    assert list(event) == EVENT_MEMBERS
    referral = created.json
    assert event["EventName"] == "referral-created"
    assert event["ResourceUri"] == api.url(referral["id"])
    assert event["ResourceUri"].rsplit("/", 1)[-1] == referral["id"]
    assert (event["ResourceName"], event["AuditUri"]) == ("referral", None)
    changed = datetime.fromisoformat(event["ResourceChangeUtcDate"])
    assert changed == datetime.fromisoformat(referral["updatedDateTime"])
    assert event["ResourceChangeUtcDate"].endswith("+00:00")


async def test_with_the_flag_the_signature_goes_in_x_ms_signature(
    api: ReferralsHttp, webhooks: WebhookApi, receiver: Receiver
) -> None:
    await webhooks.register(receiver.url, ["referral-updated"], ms_signature_header=True)
    assert (await api.patch(DEAL, NOTES)).status == 204
    await _settled(api)
    [got] = receiver.received
    assert "Authorization" not in got.headers
    scheme, _, signature = got.headers["x-ms-signature"].partition(" ")
    assert scheme == "Signature"
    _verify(api.running, await _certificate(api.running), got.body, signature)


async def test_create_and_patch_each_send_their_own_event(
    api: ReferralsHttp, webhooks: WebhookApi, receiver: Receiver
) -> None:
    await webhooks.register(receiver.url, ["referral-created", "referral-updated"])
    created = (await api.send("POST", api.url(), body=NEW_DEAL)).json
    await _settled(api)
    patched = await api.patch(created["id"], NOTES, prefer=True)
    assert (await api.patch(LEAD, NOTES)).status == 204
    found = await _settled(api, count=3)
    assert [(d["event"], d["resourceUri"].rsplit("/", 1)[-1]) for d in found] == [
        ("referral-created", created["id"]),
        ("referral-updated", created["id"]),
        ("referral-updated", LEAD),
    ]
    changed = found[1]["body"]["ResourceChangeUtcDate"]
    assert datetime.fromisoformat(changed) == datetime.fromisoformat(
        patched.json["updatedDateTime"]
    )
    assert len(receiver.received) == 3


async def test_only_registered_events_are_sent(
    api: ReferralsHttp, webhooks: WebhookApi, receiver: Receiver
) -> None:
    await webhooks.register(receiver.url, ["referral-updated"])
    assert (await api.send("POST", api.url(), body=NEW_DEAL)).status == 201
    refused = await api.patch(DEAL, [{"op": "remove", "path": "/details/notes"}])
    assert refused.status == 400  # nothing stored, nothing sent
    assert (await api.patch(DEAL, NOTES)).status == 204
    [delivery] = await _settled(api)
    assert delivery["event"] == "referral-updated"
    assert len(receiver.received) == 1


async def test_the_api_answers_before_the_delivery_is_done(
    api: ReferralsHttp, webhooks: WebhookApi, receiver: Receiver
) -> None:
    receiver.gate = asyncio.Event()
    await webhooks.register(receiver.url, ["referral-updated"])
    assert (await api.patch(DEAL, NOTES)).status == 204  # answered while the receiver holds on
    [pending] = await webhook_deliveries(api.session, _base(api))
    assert pending["state"] == "pending"
    receiver.gate.set()
    [done] = await _settled(api)
    assert done["state"] == "delivered"


async def test_another_writer_bumping_the_etag_is_an_update_too(
    api: ReferralsHttp, webhooks: WebhookApi, receiver: Receiver
) -> None:
    await webhooks.register(receiver.url, ["referral-updated"])
    path = f"/v1.0/engagements/referrals/{DEAL}"
    await add_fault(api.session, _base(api), "bump_etag", method="PATCH", path=path)
    etag = await api.etag_of(DEAL)
    assert (await api.patch(DEAL, NOTES, if_match=etag)).status == 412
    [delivery] = await _settled(api)
    assert delivery["body"]["EventName"] == "referral-updated"


async def test_failures_are_retried_with_exponential_backoff_then_go_offline(
    api: ReferralsHttp, webhooks: WebhookApi, receiver: Receiver, sleeps: Sleeps
) -> None:
    receiver.statuses.extend([500] * 10)
    await webhooks.register(receiver.url, ["referral-updated"])
    assert (await api.patch(DEAL, NOTES)).status == 204
    [delivery] = await _settled(api)
    assert delivery["state"] == "offline"
    assert [a["status"] for a in delivery["attempts"]] == [500] * 10
    assert [a["number"] for a in delivery["attempts"]] == list(range(1, 11))
    assert sleeps == [BACKOFF * 2**n for n in range(9)]
    assert len(receiver.received) == 10
    assert len({got.body for got in receiver.received}) == 1  # the same event each time
    offline = await webhook_deliveries(api.session, _base(api), state="offline")
    assert [d["id"] for d in offline] == [delivery["id"]]


async def test_a_delivery_that_recovers_stops_retrying(
    api: ReferralsHttp, webhooks: WebhookApi, receiver: Receiver, sleeps: Sleeps
) -> None:
    receiver.statuses.extend([503, 404])
    receiver.delays.extend([0.0, 0.0, 0.5])  # the third attempt outlasts the 0.3 s timeout
    await webhooks.register(receiver.url, ["referral-updated"])
    assert (await api.patch(DEAL, NOTES)).status == 204
    [delivery] = await _settled(api)
    assert delivery["state"] == "delivered"
    outcomes = [(a["status"], a["error"]) for a in delivery["attempts"]]
    assert outcomes == [(503, None), (404, None), (None, "timeout"), (200, None)]
    assert sleeps == [BACKOFF, BACKOFF * 2, BACKOFF * 4]


async def test_an_unreachable_receiver_goes_offline(
    api: ReferralsHttp, webhooks: WebhookApi, receiver: Receiver
) -> None:
    async with receiving() as closed:
        url = closed.url
    await webhooks.register(url, ["referral-updated"])
    assert (await api.patch(DEAL, NOTES)).status == 204
    [delivery] = await _settled(api)
    assert delivery["state"] == "offline"
    assert {a["error"] for a in delivery["attempts"]} == {"connection"}


@pytest.mark.parametrize(
    ("mode", "seen", "outcome"),
    [
        ("status", 1, (503, None)),
        ("drop", 1, (None, "connection")),
        ("timeout", 3, (None, "timeout")),
    ],
)
async def test_the_fail_next_control(
    api: ReferralsHttp,
    webhooks: WebhookApi,
    receiver: Receiver,
    mode: str,
    seen: int,
    outcome: tuple[int | None, str | None],
) -> None:
    await webhooks.register(receiver.url, ["referral-updated"])
    plan = await fail_next_webhook_deliveries(api.session, _base(api), 2, mode=mode, status=503)
    assert plan == {"count": 2, "mode": mode, "status": 503}
    assert (await api.patch(DEAL, NOTES)).status == 204
    [delivery] = await _settled(api)
    attempts = delivery["attempts"]
    assert [(a["status"], a["error"]) for a in attempts] == [outcome, outcome, (200, None)]
    assert [a["injected"] for a in attempts] == [mode, mode, None]
    assert len(receiver.received) == seen  # a timeout was delivered: the retry is a duplicate


async def test_fail_next_refuses_a_bad_plan(api: ReferralsHttp) -> None:
    url = f"{_base(api)}/_emulator/webhooks/failures"
    for plan in ({"count": 0}, {"count": 1, "mode": "slow"}, {"count": 1, "status": 200}, {"n": 1}):
        async with api.session.post(url, json=plan) as answer:
            assert answer.status == 400, plan


async def test_deliveries_to_one_url_are_concurrent_but_bounded(
    api: ReferralsHttp, webhooks: WebhookApi, receiver: Receiver
) -> None:
    receiver.gate = asyncio.Event()
    await webhooks.register(receiver.url, ["referral-updated"])
    for _ in range(5):
        await fire_webhook_event(api.session, _base(api), "referral-updated", referral_id=DEAL)
    await receiver.until(lambda r: r.in_flight == 2)
    await asyncio.sleep(0.05)  # room for a third, were the bound not kept
    assert (receiver.in_flight, receiver.most_in_flight) == (2, 2)
    receiver.gate.set()
    found = await _settled(api, count=5)
    assert {d["state"] for d in found} == {"delivered"}
    assert receiver.most_in_flight == 2


async def test_the_fire_control(
    api: ReferralsHttp, webhooks: WebhookApi, receiver: Receiver
) -> None:
    event = "related-referral-updated"
    await webhooks.register(receiver.url, [event])
    ids = await fire_webhook_event(api.session, _base(api), event, referral_id=LEAD)
    [delivery] = await _settled(api)
    assert delivery["id"] == ids[0]
    assert (delivery["event"], delivery["resourceUri"]) == (event, api.url(LEAD))
    url = f"{_base(api)}/_emulator/webhooks/fire"
    async with api.session.post(url, json={"event": "referral-created", "referralId": LEAD}) as no:
        assert no.status == 409  # not registered for it
    missing = {"event": "related-referral-updated", "referralId": "nope"}
    async with api.session.post(url, json=missing) as answer:
        assert answer.status == 404


async def test_a_new_lead_arrives(
    api: ReferralsHttp, webhooks: WebhookApi, receiver: Receiver
) -> None:
    await webhooks.register(receiver.url, ["referral-created", "related-referral-created"])
    before = datetime.now(UTC)
    created = await create_new_lead(
        api.session,
        _base(api),
        name="Litware endpoint security",
        customer="Litware Inc",
        city="Dublin",
        country="IE",
        contact={"firstName": "Lia", "lastName": "Ware", "email": "lia@litware.example"},
        dealValue=42000,
        currency="EUR",
        requirements={"products": ["Microsoft Defender"], "additionalRequirements": "Pilot first"},
        notes="Asked for a Defender assessment.",
        team=[SELLER.upn, "jane.doe@contoso.example"],
        expiresInDays=3,
    )
    lead = created["referral"]
    assert (lead["status"], lead["substatus"], lead["direction"]) == ("New", "Pending", "Incoming")
    assert (lead["type"], lead["qualification"]) == ("Shared", "SalesQualified")
    assert lead["inviteContext"]["invitedBy"]["organizationId"] == "msft"
    expires = datetime.fromisoformat(lead["expirationDateTime"])
    assert timedelta(days=3) <= expires - before < timedelta(days=3, minutes=1)
    assert lead["customerProfile"]["name"] == "Litware Inc"
    assert lead["customerProfile"]["team"][0]["email"] == "lia@litware.example"
    assert lead["details"]["dealValue"] == 42000
    assert lead["details"]["requirements"]["products"] == ["Microsoft Defender"]
    assert [(m["firstName"], m["lastName"], m["email"]) for m in lead["team"]] == [
        ("Sam", "Seller", SELLER.upn),
        ("Jane", "Doe", "jane.doe@contoso.example"),
    ]
    assert (await api.get(lead["id"], user=SELLER)).json["name"] == "Litware endpoint security"
    [delivery] = await _settled(api)
    assert created["deliveries"] == [delivery["id"]]
    assert (delivery["event"], delivery["resourceUri"]) == ("referral-created", api.url(lead["id"]))


async def test_a_lead_in_an_existing_engagement_is_a_related_referral(
    api: ReferralsHttp, webhooks: WebhookApi, receiver: Receiver
) -> None:
    await webhooks.register(receiver.url, ["referral-created", "related-referral-created"])
    engagement = (await api.get(DEAL)).json["engagementId"]
    created = await create_new_lead(
        api.session, _base(api), name="Add-on", customer="Fabrikam", team=[SELLER.upn],
        engagementId=engagement,
    )  # fmt: skip
    found = await _settled(api, count=2)
    assert sorted(d["event"] for d in found) == ["referral-created", "related-referral-created"]
    assert {d["resourceUri"] for d in found} == {api.url(created["referral"]["id"])}
    lead = created["referral"]
    assert datetime.fromisoformat(lead["expirationDateTime"]) - datetime.fromisoformat(
        lead["createdDateTime"]
    ) == timedelta(days=14)


async def test_a_bad_lead_is_refused_and_nothing_is_stored(
    api: ReferralsHttp, webhooks: WebhookApi, receiver: Receiver
) -> None:
    await webhooks.register(receiver.url, ["referral-created"])
    url = f"{_base(api)}/_emulator/webhooks/leads"
    bad = [
        {"name": "x", "customer": "y"},  # no team
        {"name": "x", "customer": "y", "team": ["a@b.example"], "colour": "red"},
        {"name": "x", "customer": "y", "team": ["a@b.example"], "country": "Ireland"},
        {"name": "x", "customer": "y", "team": ["a@b.example"], "expiresInDays": "3"},
        {"name": "x", "customer": "y", "team": ["a@b.example"], "substatus": "Accepted"},
    ]
    before = await api.list_ids()
    for body in bad:
        async with api.session.post(url, json=body) as answer:
            assert answer.status == 400, body
    assert await api.list_ids() == before
    assert await webhook_deliveries(api.session, _base(api)) == []


async def test_the_test_event_through_validation_events(
    api: ReferralsHttp, webhooks: WebhookApi, receiver: Receiver
) -> None:
    await webhooks.register(receiver.url, ["referral-created"])
    refused = await webhooks.send("POST", "/validationEvents")
    assert (refused.status, refused.error_code) == (400, "invalidRequest")
    await webhooks.register(receiver.url, ["test-created"])
    sent = await webhooks.send("POST", "/validationEvents")
    assert sent.status == 200
    correlation = sent.json["correlationId"]
    [delivery] = await _settled(api)
    event = delivery["body"]
    assert (event["EventName"], event["ResourceName"]) == ("test-created", "test")
    assert event["ResourceUri"] == f"{webhooks.url}/validationEvents/{correlation}"
    status = await webhooks.send("GET", f"/validationEvents/{correlation}")
    assert status.status == 200
    assert status.json["correlationId"] == correlation
    assert (status.json["status"], status.json["callbackUrl"]) == ("completed", receiver.url)
    [result] = status.json["results"]
    assert (result["responseCode"], result["systemError"]) == ("OK", False)
    other = WebhookApi(webhooks.http, tenant_id="0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b")
    assert (await other.send("GET", f"/validationEvents/{correlation}")).status == 404

    assert (await webhooks.send("POST", "/validationEvents")).status == 200
    throttled = await webhooks.send("POST", "/validationEvents")  # documented: 2 a minute
    assert throttled.status == 429
    assert int(throttled.headers["Retry-After"]) >= 1


async def test_a_failed_test_event_reports_each_attempt(
    api: ReferralsHttp, webhooks: WebhookApi, receiver: Receiver
) -> None:
    receiver.statuses.extend([500, 500])
    await webhooks.register(receiver.url, ["test-created"])
    correlation = (await webhooks.send("POST", "/validationEvents")).json["correlationId"]
    await _settled(api)
    status = (await webhooks.send("GET", f"/validationEvents/{correlation}")).json
    codes = [result["responseCode"] for result in status["results"]]
    assert codes == ["InternalServerError", "InternalServerError", "OK"]


async def test_reset_cancels_pending_deliveries_and_keeps_the_registration(
    api: ReferralsHttp, webhooks: WebhookApi, receiver: Receiver
) -> None:
    receiver.gate = asyncio.Event()
    await webhooks.register(receiver.url, ["referral-updated"])
    assert (await api.patch(DEAL, NOTES)).status == 204
    await api.reset()
    assert await webhook_deliveries(api.session, _base(api)) == []
    assert (await webhooks.send("GET")).json["WebhookUrl"] == receiver.url


async def test_stopping_the_emulators_ends_pending_deliveries() -> None:
    async with receiving() as receiver:
        receiver.gate = asyncio.Event()
        with running_emulators(emulator_referrals()) as running:
            async with aiohttp.ClientSession() as session:
                http = ReferralsHttp(running, session)
                await WebhookApi(http).register(receiver.url, ["referral-updated"])
                assert (await http.patch(DEAL, NOTES)).status == 204
                await receiver.until(lambda r: r.in_flight == 1)
            loop = asyncio.get_running_loop()
            started = loop.time()
        assert loop.time() - started < 5  # the stop did not wait for the held delivery
