"""Test controls wired into the Referrals app, and the envelope that never lets a 500 leak raw."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from emulators.partner_center.app import envelope
from emulators.partner_center.errors import ApiError
from tests.support.emulators import running_emulators
from tests.support.referrals_http import ReferralsHttp
from tests.support.seeds import DEAL

NOTES = [{"op": "replace", "path": "/details/notes", "value": "mine"}]


async def _control(api: ReferralsHttp, method: str, path: str, body: Any = None) -> Any:
    url = f"{api.running.referrals_base_url}/_emulator/{path}"
    async with api.session.request(method, url, json=body) as response:
        assert response.status < 300, await response.text()
        return await response.json() if response.status != 204 else None


async def test_without_the_flag_there_are_no_emulator_routes() -> None:
    with running_emulators([{"id": "1"}], test_controls=False) as running:
        async with aiohttp.ClientSession() as session:
            base = f"{running.referrals_base_url}/_emulator"
            async with session.post(f"{base}/reset") as reset:
                assert reset.status == 404
            async with session.get(f"{base}/requests") as requests:
                assert requests.status == 404
            assert (await ReferralsHttp(running, session).list_ids()) == ["1"]


async def test_reset_restores_the_fixtures_with_the_same_etags(api: ReferralsHttp) -> None:
    before = (await api.send("GET", api.url())).json["value"]
    await api.patch(DEAL, NOTES)
    body = {"type": "Independent", "customerProfile": {}, "consent": {}, "details": {}}
    assert (await api.send("POST", api.url(), body=body)).status == 201
    await api.reset()
    assert (await api.send("GET", api.url())).json["value"] == before


async def test_a_bump_etag_fault_makes_the_next_conditional_patch_412(api: ReferralsHttp) -> None:
    etag = await api.etag_of(DEAL)
    fault = {"kind": "bump_etag", "method": "PATCH", "path": f"/v1.0/engagements/referrals/{DEAL}"}
    await _control(api, "POST", "faults", fault)
    answer = await api.patch(DEAL, NOTES, if_match=etag)
    assert (answer.status, answer.error_code) == (412, "preconditionFailed")
    after = (await api.get(DEAL)).json
    assert after["eTag"] != etag
    assert after["details"]["notes"] != "mine"


async def test_requests_are_recorded_with_if_match_and_status(api: ReferralsHttp) -> None:
    etag = await api.etag_of(DEAL)
    await api.patch(DEAL, NOTES, if_match=etag)
    recorded = await _control(api, "GET", "requests?method=PATCH")
    [entry] = recorded["requests"]
    assert entry["headers"]["If-Match"] == etag
    assert entry["body"] == NOTES
    assert entry["status"] == 204


async def test_refusals_are_recorded_with_their_real_status(api: ReferralsHttp) -> None:
    await api.send("GET", api.url(), token=None)
    await api.patch(DEAL, [{"op": "remove", "path": "/details/notes"}])
    await api.patch(DEAL, NOTES, if_match='"stale"')
    recorded = (await _control(api, "GET", "requests"))["requests"]
    assert [entry["status"] for entry in recorded] == [401, 400, 412]


async def _serve(aiohttp_client: Any, handler: Any) -> Any:
    app = web.Application(middlewares=[envelope])
    app.router.add_get("/v1.0/boom", handler)
    return await aiohttp_client(app)


async def test_an_unexpected_exception_is_a_spec_shaped_500_and_is_logged(
    aiohttp_client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    async def boom(_: web.Request) -> web.Response:
        raise RuntimeError("secret internals")

    client = await _serve(aiohttp_client, boom)
    with caplog.at_level(logging.ERROR, logger="emulators.partner_center.app"):
        response = await client.get("/v1.0/boom")
        body = await response.json()
    assert response.status == 500
    assert body["error"]["code"] == "generalException"
    assert "secret" not in str(body)
    assert "Request-ID" in response.headers
    assert any("referrals.unexpected_error" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(
    ("raised", "status", "code"),
    [
        (web.HTTPBadRequest(), 400, "invalidRequest"),
        (web.HTTPRequestEntityTooLarge(max_size=1, actual_size=2), 413, "invalidRequest"),
        (web.HTTPNotFound(), 404, "itemNotFound"),
        (web.HTTPInternalServerError(), 500, "generalException"),
        (
            ApiError(503, "serviceNotAvailable", "down", target="service"),
            503,
            "serviceNotAvailable",
        ),
    ],
)
async def test_raised_http_errors_are_answered_in_the_spec_shape(
    aiohttp_client: Any, raised: Exception, status: int, code: str
) -> None:
    async def handler(_: web.Request) -> web.Response:
        raise raised

    client = await _serve(aiohttp_client, handler)
    response = await client.get("/v1.0/boom")
    body = await response.json()
    assert response.status == status
    assert body["error"]["code"] == code
    assert set(body["error"]) == {"code", "message", "target", "innerError"}
