"""The webhook registration API: one registration per tenant, its checks, and who may call it."""

from __future__ import annotations

import ssl
from typing import Any

import pytest

from emulators.config import DEMO_BOT_APP_ID, DEMO_BOT_APP_SECRET, PARTNER_CENTER_REST_AUDIENCE
from emulators.fixtures import DEFAULT_TENANT_ID
from emulators.partner_center.webhook_events import DOCUMENTED_EVENTS
from tests.support.emulator_controls import recorded_requests, webhook_registrations
from tests.support.emulators import (
    ADMIN,
    GLOBAL_ADMIN,
    SELLER,
    mint_partner_center_token,
    mint_webhook_api_token,
)
from tests.support.referrals_http import ReferralsHttp

from .webhook_api import WebhookApi

RECEIVER = "https://bot.contoso.example/api/partner-center/events"
OTHER_TENANT = "0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b"


@pytest.fixture
async def webhooks(api: ReferralsHttp) -> WebhookApi:
    hooks = WebhookApi(api)
    await hooks.send("DELETE")  # registrations outlive the controls' reset
    return hooks


async def test_the_events_list_names_the_referral_and_test_events(webhooks: WebhookApi) -> None:
    answer = await webhooks.send("GET", "/events")
    assert answer.status == 200
    assert answer.json == list(DOCUMENTED_EVENTS)
    for name in ("referral-created", "referral-updated", "related-referral-created"):
        assert name in answer.json
    assert {"related-referral-updated", "test-created"} <= set(answer.json)


async def test_create_read_update_delete(webhooks: WebhookApi) -> None:
    assert (await webhooks.send("GET")).status == 404
    events = ["referral-created", "referral-updated"]
    created = await webhooks.send("POST", body={"WebhookUrl": RECEIVER, "WebhookEvents": events})
    assert created.status == 200
    subscriber = created.json["SubscriberId"]
    expected = {"SubscriberId": subscriber, "WebhookUrl": RECEIVER, "WebhookEvents": events}
    assert created.json == expected

    read = await webhooks.send("GET")
    assert (read.status, read.json) == (200, {"WebhookUrl": RECEIVER, "WebhookEvents": events})

    again = await webhooks.send("POST", body={"WebhookUrl": RECEIVER, "WebhookEvents": events})
    assert (again.status, again.error_code) == (409, "invalidRequest")

    moved = "https://bot2.contoso.example/events"
    updated = await webhooks.send(
        "PUT", body={"WebhookUrl": moved, "WebhookEvents": ["test-created"]}
    )
    assert updated.status == 200
    assert updated.json == {
        "SubscriberId": subscriber,
        "WebhookUrl": moved,
        "WebhookEvents": ["test-created"],
    }
    assert (await webhooks.send("GET")).json["WebhookUrl"] == moved

    assert (await webhooks.send("DELETE")).status == 204
    assert (await webhooks.send("GET")).status == 404
    gone = await webhooks.send("DELETE")
    assert (gone.status, gone.error_code) == (404, "itemNotFound")


async def test_update_without_a_registration_is_not_found(webhooks: WebhookApi) -> None:
    answer = await webhooks.send(
        "PUT", body={"WebhookUrl": RECEIVER, "WebhookEvents": ["referral-created"]}
    )
    assert (answer.status, answer.error_code) == (404, "itemNotFound")


async def test_member_names_are_case_insensitive_and_the_flag_is_kept(
    webhooks: WebhookApi,
) -> None:
    body = {
        "webhookUrl": RECEIVER,
        "webhookEvents": ["referral-created", "referral-created"],
        "SignatureTokenToMsSignatureHeader": True,
    }
    answer = await webhooks.send("POST", body=body)
    assert answer.status == 200
    assert answer.json["WebhookEvents"] == ["referral-created"]
    [kept] = await webhook_registrations(webhooks.http.session, webhooks.running.referrals_base_url)
    assert kept["signatureTokenToMsSignatureHeader"] is True
    assert kept["tenantId"] == DEFAULT_TENANT_ID


def _body(url: Any = RECEIVER, events: Any = ("test-created",), **extra: Any) -> dict[str, Any]:
    body = {
        "WebhookUrl": url,
        "WebhookEvents": list(events) if isinstance(events, tuple) else events,
    }
    return {key: value for key, value in {**body, **extra}.items() if value is not None}


REFUSED: list[tuple[str, Any, str]] = [
    ("undocumented event", _body(events=("lead-created",)), "WebhookEvents"),
    ("event in other case", _body(events=("Referral-Created",)), "WebhookEvents"),
    ("no events", _body(events=[]), "WebhookEvents"),
    ("events not a list", _body(events="referral-created"), "WebhookEvents"),
    ("no url", _body(url=None), "WebhookUrl"),
    ("relative url", _body(url="/api/events"), "WebhookUrl"),
    ("ftp url", _body(url="ftp://bot.example/x"), "WebhookUrl"),
    ("plain http", _body(url="http://bot.example/x"), "WebhookUrl"),
    ("user info", _body(url="https://u:p@bot.example/x"), "WebhookUrl"),
    ("fragment", _body(url="https://bot.example/x#y"), "WebhookUrl"),
    ("bad port", _body(url="https://bot.example:99999/x"), "WebhookUrl"),
    ("unknown member", _body(Secret="x"), "Secret"),
    (
        "flag not a boolean",
        _body(signatureTokenToMsSignatureHeader="true"),
        "signatureTokenToMsSignatureHeader",
    ),
    ("not an object", ["referral-created"], "body"),
]


@pytest.mark.parametrize(
    ("body", "target"), [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED]
)
async def test_bad_registrations_are_refused_in_the_error_shape(
    webhooks: WebhookApi, body: Any, target: str
) -> None:
    answer = await webhooks.send("POST", body=body)
    assert answer.status == 400, answer.text
    error = answer.json["error"]
    assert (error["code"], error["target"]) == ("invalidRequest", target)
    assert error["innerError"]["code"] == "400"
    assert (await webhooks.send("GET")).status == 404  # nothing was stored


async def test_a_loopback_receiver_may_use_http(webhooks: WebhookApi) -> None:
    for url in ("http://127.0.0.1:8080/events", "http://localhost/events", "http://[::1]:1/e"):
        await webhooks.send("DELETE")
        body = {"WebhookUrl": url, "WebhookEvents": ["test-created"]}
        assert (await webhooks.send("POST", body=body)).status == 200, url


async def test_the_body_must_be_json(webhooks: WebhookApi) -> None:
    plain = {"Content-Type": "text/plain"}
    answer = await webhooks.send("POST", data="WebhookUrl=x", headers=plain)
    assert (answer.status, answer.error_code) == (415, "invalidRequest")
    text_json = await webhooks.send(
        "POST",
        data='{"WebhookUrl": "https://a.example/e", "WebhookEvents": ["test-created"]}',
        headers={"Content-Type": "text/json"},
    )
    assert text_json.status == 200


async def test_each_tenant_sees_only_its_own_registration(webhooks: WebhookApi) -> None:
    await webhooks.register(RECEIVER, ["referral-created"])
    other = WebhookApi(webhooks.http, tenant_id=OTHER_TENANT)
    assert (await other.send("GET")).status == 404
    body = {"WebhookUrl": "https://other.example/e", "WebhookEvents": ["test-created"]}
    assert (await other.send("POST", body=body)).status == 200
    assert (await webhooks.send("GET")).json["WebhookUrl"] == RECEIVER
    assert (await other.send("DELETE")).status == 204
    assert (await webhooks.send("GET")).status == 200


async def test_webhook_calls_are_recorded_by_the_controls(webhooks: WebhookApi) -> None:
    await webhooks.register(RECEIVER, ["referral-created"])
    found = await recorded_requests(
        webhooks.http.session, webhooks.running.referrals_base_url, path="/webhooks/*"
    )
    assert [(r["method"], r["status"]) for r in found][-1] == ("POST", 200)
    assert found[-1]["body"]["WebhookUrl"] == RECEIVER


async def test_app_only_and_admin_users_may_call_it(webhooks: WebhookApi) -> None:
    running = webhooks.running
    app_only = await webhooks.send("GET", "/events")
    global_admin = await webhooks.send(
        "GET", "/events", token=mint_webhook_api_token(running, GLOBAL_ADMIN)
    )
    assert (app_only.status, global_admin.status) == (200, 200)


async def test_who_is_refused(webhooks: WebhookApi) -> None:
    running = webhooks.running
    cases = {
        "no token": (None, 401, "unauthenticated"),
        "the Referrals API's audience": (
            mint_partner_center_token(running, GLOBAL_ADMIN),
            401,
            "unauthenticated",
        ),
        "expired": (mint_webhook_api_token(running, exp=1_000_000), 401, "unauthenticated"),
        "forged": (mint_webhook_api_token(running) + "x", 401, "unauthenticated"),
        "a referral user": (mint_webhook_api_token(running, SELLER), 403, "accessDenied"),
        "a referral admin": (mint_webhook_api_token(running, ADMIN), 403, "accessDenied"),
        "no MFA": (
            mint_webhook_api_token(running, GLOBAL_ADMIN, amr=["pwd"]), 401, "unauthenticated"
        ),
    }  # fmt: skip
    for name, (token, status, code) in cases.items():
        answer = await webhooks.send("GET", "/events", token=token)
        assert (answer.status, answer.error_code) == (status, code), name


async def test_an_app_only_token_from_client_credentials_registers(webhooks: WebhookApi) -> None:
    """The bot's way in: its own app's token for the Partner Center REST resource."""
    running = webhooks.running
    form = {
        "grant_type": "client_credentials",
        "client_id": DEMO_BOT_APP_ID,
        "client_secret": DEMO_BOT_APP_SECRET,
        "scope": f"{PARTNER_CENTER_REST_AUDIENCE}/.default",
    }
    tls = ssl.create_default_context(cafile=str(running.ca_file))
    token_url = f"{running.authority(DEFAULT_TENANT_ID)}/oauth2/v2.0/token"
    async with webhooks.http.session.post(token_url, data=form, ssl=tls) as answer:
        assert answer.status == 200, await answer.text()
        token = (await answer.json())["access_token"]
    body = {"WebhookUrl": RECEIVER, "WebhookEvents": ["referral-created"]}
    assert (await webhooks.send("POST", body=body, token=token)).status == 200
    assert (await webhooks.send("GET", token=token)).json["WebhookUrl"] == RECEIVER
