"""The /_emulator/ controls over real loopback HTTP, mounted on a tiny app of the test's own."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from aiohttp.typedefs import Handler
from pytest_aiohttp import AiohttpClient

from emulators.controls import EmulatorControls

Client = TestClient[web.Request, web.Application]


@dataclass
class Backend:
    """What the app behind the controls saw: handler runs, etag bumps and resets, in order."""

    events: list[str] = field(default_factory=list)
    prefers: list[str | None] = field(default_factory=list)

    def reset(self) -> None:
        self.events.append("reset")

    def bump(self, referral_id: str) -> bool:
        self.events.append(f"bump {referral_id}")
        return True

    @property
    def handled(self) -> list[str]:
        return [event for event in self.events if event.startswith("handler")]


def make_app(backend: Backend, *, can_bump: bool = True) -> web.Application:
    controls = EmulatorControls(
        on_reset=backend.reset, bump_etag=backend.bump if can_bump else None
    )
    app = web.Application(middlewares=[controls.middleware])
    controls.add_routes(app)

    async def write(request: web.Request) -> web.Response:
        body = await request.text()
        backend.events.append(f"handler {request.method} {request.match_info['id']}")
        backend.prefers.append(request.headers.get("Prefer"))
        if request.headers.get("Prefer") == "return=representation":
            return web.json_response({"id": request.match_info["id"], "sent": body})
        return web.Response(status=204)

    async def read(request: web.Request) -> web.Response:
        backend.events.append(f"handler GET {request.match_info['id']}")
        return web.json_response({"id": request.match_info["id"]})

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app.router.add_route("*", "/v1.0/things/{id}", write)
    app.router.add_get("/v1.0/read/{id}", read)
    app.router.add_get("/healthz", healthz)
    return app


@pytest.fixture
def backend() -> Backend:
    return Backend()


@pytest.fixture
async def client(aiohttp_client: AiohttpClient, backend: Backend) -> Client:
    return await aiohttp_client(make_app(backend))


async def add_fault(client: Client, **rule: Any) -> dict[str, Any]:
    async with client.post("/_emulator/faults", json=rule) as response:
        assert response.status == 201, await response.text()
        created: dict[str, Any] = await response.json()
        return created


async def recorded(client: Client, query: str = "") -> list[dict[str, Any]]:
    async with client.get(f"/_emulator/requests{query}") as response:
        assert response.status == 200
        requests: list[dict[str, Any]] = (await response.json())["requests"]
        return requests


async def faults(client: Client) -> list[dict[str, Any]]:
    async with client.get("/_emulator/faults") as response:
        found: list[dict[str, Any]] = (await response.json())["faults"]
        return found


async def status_of(request: AbstractAsyncContextManager[aiohttp.ClientResponse]) -> int:
    async with request as response:
        await response.read()
        return response.status


# -- recording ----------------------------------------------------------------------------------


async def test_a_request_is_recorded_with_kept_headers_parsed_body_and_status(
    client: Client,
) -> None:
    headers = {
        "Authorization": "Bearer eyJ.secret.token",
        "If-Match": '"\\"abc\\""',
        "Prefer": "return=representation",
        "MS-CorrelationId": "c0ffee00-0000-4000-8000-000000000001",
        "MS-RequestId": "c0ffee00-0000-4000-8000-000000000002",
        "Accept": "application/json",
        "X-Unrelated": "dropped",
    }
    ops = [{"op": "replace", "path": "/status", "value": "Closed"}]
    async with client.patch("/v1.0/things/42?x=1", json=ops, headers=headers) as response:
        assert response.status == 200

    (entry,) = await recorded(client)

    assert entry["method"] == "PATCH"
    assert entry["path"] == "/v1.0/things/42"
    assert entry["query"] == {"x": "1"}
    assert entry["body"] == ops
    assert entry["status"] == 200
    assert entry["fault"] is None
    assert entry["at"].endswith("Z")
    assert entry["headers"] == {
        "Authorization": "Bearer <redacted>",
        "If-Match": headers["If-Match"],
        "Prefer": "return=representation",
        "MS-CorrelationId": headers["MS-CorrelationId"],
        "MS-RequestId": headers["MS-RequestId"],
        "Content-Type": "application/json",
        "Accept": "application/json",
    }


async def test_the_token_never_appears_in_the_records(client: Client) -> None:
    await status_of(client.get("/v1.0/read/1", headers={"Authorization": "Bearer s3cr3t.tok"}))
    async with client.get("/_emulator/requests") as response:
        assert "s3cr3t" not in await response.text()


async def test_credentials_in_form_bodies_are_redacted(client: Client) -> None:
    form = {"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": "eyJ.a.b"}
    form["client_secret"] = "hunter2"
    await status_of(client.post("/v1.0/things/token", data=form))

    (entry,) = await recorded(client)

    assert entry["body"] == {
        "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
        "assertion": "<redacted>",
        "client_secret": "<redacted>",
    }


@pytest.mark.parametrize(("data", "expected"), [("plain words", "plain words"), ("", None)])
async def test_non_json_bodies_are_kept_as_text_and_empty_ones_as_null(
    client: Client, data: str, expected: str | None
) -> None:
    await status_of(client.post("/v1.0/things/1", data=data))
    (entry,) = await recorded(client)
    assert entry["body"] == expected


async def test_the_handler_still_reads_the_body_the_recorder_read(client: Client) -> None:
    async with client.put(
        "/v1.0/things/1", data="abc", headers={"Prefer": "return=representation"}
    ) as response:
        assert (await response.json())["sent"] == "abc"


async def test_only_requests_under_the_prefix_are_recorded(client: Client) -> None:
    await status_of(client.get("/healthz"))
    await status_of(client.get("/_emulator/faults"))
    await status_of(client.get("/v1.0/read/1"))

    assert [entry["path"] for entry in await recorded(client)] == ["/v1.0/read/1"]


async def test_an_unknown_route_is_recorded_with_its_404(client: Client) -> None:
    await status_of(client.get("/v1.0/nowhere"))
    (entry,) = await recorded(client)
    assert entry["status"] == 404


async def test_the_prefix_is_configurable_for_other_apps(aiohttp_client: AiohttpClient) -> None:
    controls = EmulatorControls(recorded_prefix="/")
    app = web.Application(middlewares=[controls.middleware])
    controls.add_routes(app)
    app.router.add_post("/tenant/oauth2/v2.0/token", _token)
    client = await aiohttp_client(app)

    await status_of(client.post("/tenant/oauth2/v2.0/token", data={"grant_type": "x"}))
    await status_of(client.get("/_emulator/requests"))

    assert [entry["path"] for entry in await recorded(client)] == ["/tenant/oauth2/v2.0/token"]


async def _token(_: web.Request) -> web.Response:
    return web.json_response({"access_token": "x"})


async def test_records_can_be_filtered_by_method_and_path_glob(client: Client) -> None:
    await status_of(client.get("/v1.0/read/1"))
    await status_of(client.patch("/v1.0/things/1", json=[]))
    await status_of(client.patch("/v1.0/things/2", json=[]))

    patches = await recorded(client, "?method=patch")
    things_2 = await recorded(client, "?path=/v1.0/things/2")
    all_things = await recorded(client, "?method=PATCH&path=/v1.0/things/*")

    assert [entry["path"] for entry in patches] == ["/v1.0/things/1", "/v1.0/things/2"]
    assert [entry["path"] for entry in things_2] == ["/v1.0/things/2"]
    assert len(all_things) == 2


async def test_an_unknown_record_filter_is_a_400(client: Client) -> None:
    async with client.get("/_emulator/requests?verb=GET") as response:
        assert response.status == 400
        assert "verb" in (await response.json())["error"]["message"]


async def test_deleting_the_records_empties_them(client: Client) -> None:
    await status_of(client.get("/v1.0/read/1"))
    assert await status_of(client.delete("/_emulator/requests")) == 204
    assert await recorded(client) == []


async def test_reset_calls_the_app_back_and_clears_records_and_faults(
    client: Client, backend: Backend
) -> None:
    await add_fault(client, kind="throttle", times=-1)
    await status_of(client.get("/v1.0/read/1"))

    assert await status_of(client.post("/_emulator/reset")) == 204

    assert backend.events == ["reset"]
    assert await recorded(client) == []
    assert await faults(client) == []
    assert await status_of(client.get("/v1.0/read/1")) == 200


# -- faults -------------------------------------------------------------------------------------


async def test_throttle_answers_429_with_retry_after_and_the_service_body_without_the_handler(
    client: Client, backend: Backend
) -> None:
    await add_fault(client, kind="throttle", retry_after=7)
    headers = {"MS-CorrelationId": "c0ffee00-0000-4000-8000-000000000009"}

    async with client.patch("/v1.0/things/1", json=[], headers=headers) as response:
        assert response.status == 429
        assert response.headers["Retry-After"] == "7"
        assert response.headers["MS-CorrelationId"] == headers["MS-CorrelationId"]
        assert await response.json() == {
            "statusCode": 429,
            "message": "Rate limit is exceeded. Try again in 7 seconds.",
        }

    assert backend.handled == []
    (entry,) = await recorded(client)
    assert (entry["status"], entry["fault"]) == (429, "throttle")


async def test_throttle_defaults_to_two_seconds(client: Client) -> None:
    await add_fault(client, kind="throttle")
    async with client.get("/v1.0/read/1") as response:
        assert response.headers["Retry-After"] == "2"


async def test_error_defaults_to_503_service_not_available_without_retry_after(
    client: Client, backend: Backend
) -> None:
    await add_fault(client, kind="error")

    async with client.get("/v1.0/read/1") as response:
        assert response.status == 503
        assert "Retry-After" not in response.headers
        error = (await response.json())["error"]

    assert error["code"] == "serviceNotAvailable"
    assert set(error) == {"code", "message", "target", "innerError"}
    assert backend.handled == []


async def test_error_503_carries_retry_after_when_asked(client: Client) -> None:
    await add_fault(client, kind="error", status=503, retry_after=3)
    async with client.get("/v1.0/read/1") as response:
        assert response.headers["Retry-After"] == "3"


async def test_error_500_is_a_general_exception(client: Client) -> None:
    await add_fault(client, kind="error", status=500)
    async with client.get("/v1.0/read/1") as response:
        assert response.status == 500
        assert (await response.json())["error"]["code"] == "generalException"


async def test_latency_delays_then_handles_normally(client: Client, backend: Backend) -> None:
    await add_fault(client, kind="latency", seconds=0.3)

    started = time.monotonic()
    assert await status_of(client.get("/v1.0/read/1")) == 200
    elapsed = time.monotonic() - started

    assert elapsed >= 0.3
    assert backend.handled == ["handler GET 1"]
    (entry,) = await recorded(client)
    assert (entry["status"], entry["fault"]) == (200, "latency")


async def test_hang_never_answers_and_never_runs_the_handler(
    client: Client, backend: Backend
) -> None:
    await add_fault(client, kind="hang")

    with pytest.raises(asyncio.TimeoutError):
        await status_of(client.get("/v1.0/read/1", timeout=aiohttp.ClientTimeout(total=0.3)))

    assert backend.handled == []
    (entry,) = await recorded(client)
    assert (entry["status"], entry["fault"]) == (None, "hang")


async def test_a_hang_ends_with_a_dropped_connection_after_its_seconds(client: Client) -> None:
    await add_fault(client, kind="hang", seconds=0.2)
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await status_of(client.get("/v1.0/read/1"))


async def test_reset_releases_a_hung_request(client: Client) -> None:
    await add_fault(client, kind="hang", seconds=600)
    hung = asyncio.create_task(status_of(client.get("/v1.0/read/1")))
    await _until(lambda: recorded(client), lambda entries: len(entries) == 1)

    await status_of(client.post("/_emulator/reset"))

    with pytest.raises(aiohttp.ServerDisconnectedError):
        await asyncio.wait_for(hung, timeout=5)


async def test_a_hung_request_does_not_hold_up_server_shutdown(backend: Backend) -> None:
    server = TestServer(make_app(backend))
    await server.start_server()
    async with aiohttp.ClientSession() as session:
        rule = {"kind": "hang", "seconds": 600}
        await status_of(session.post(server.make_url("/_emulator/faults"), json=rule))
        hung = asyncio.create_task(status_of(session.get(server.make_url("/v1.0/read/1"))))
        await _until(lambda: _records_via(session, server), lambda entries: len(entries) == 1)

        started = time.monotonic()
        await server.close()
        elapsed = time.monotonic() - started

        with pytest.raises(aiohttp.ClientConnectionError):
            await asyncio.wait_for(hung, timeout=5)
    assert elapsed < 5


async def _records_via(session: aiohttp.ClientSession, server: TestServer) -> list[Any]:
    async with session.get(server.make_url("/_emulator/requests")) as response:
        return list((await response.json())["requests"])


async def _until(
    read: Callable[[], Awaitable[list[Any]]], done: Callable[[list[Any]], bool]
) -> None:
    for _ in range(100):
        if done(await read()):
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not reached")


async def test_drop_after_write_applies_the_write_then_disconnects(
    client: Client, backend: Backend
) -> None:
    await add_fault(client, method="PATCH", path="/v1.0/things/*", kind="drop_after_write")

    with pytest.raises(aiohttp.ServerDisconnectedError):
        await status_of(client.patch("/v1.0/things/7", json=[{"op": "add"}]))

    assert backend.handled == ["handler PATCH 7"]
    (entry,) = await recorded(client)
    assert (entry["status"], entry["fault"]) == (None, "drop_after_write")
    assert await status_of(client.patch("/v1.0/things/7", json=[])) == 204


async def test_bump_etag_calls_back_with_the_id_before_the_handler_runs(
    client: Client, backend: Backend
) -> None:
    await add_fault(client, method="PATCH", path="/v1.0/things/*", kind="bump_etag")

    assert await status_of(client.patch("/v1.0/things/42", json=[])) == 204

    assert backend.events == ["bump 42", "handler PATCH 42"]
    (entry,) = await recorded(client)
    assert entry["fault"] == "bump_etag"


async def test_bump_etag_is_refused_by_an_app_without_the_callback(
    aiohttp_client: AiohttpClient, backend: Backend
) -> None:
    client = await aiohttp_client(make_app(backend, can_bump=False))
    async with client.post("/_emulator/faults", json={"kind": "bump_etag"}) as response:
        assert response.status == 400
        assert "bump_etag" in (await response.json())["error"]["message"]


async def test_ignore_prefer_hides_the_header_from_the_handler_but_not_from_the_record(
    client: Client, backend: Backend
) -> None:
    await add_fault(client, method="PATCH", kind="ignore_prefer")
    prefer = {"Prefer": "return=representation"}

    first = await status_of(client.patch("/v1.0/things/1", json=[], headers=prefer))
    second = await status_of(client.patch("/v1.0/things/1", json=[], headers=prefer))

    assert (first, second) == (204, 200)
    assert backend.prefers == [None, "return=representation"]
    entries = await recorded(client)
    assert entries[0]["headers"]["Prefer"] == "return=representation"
    assert [entry["fault"] for entry in entries] == ["ignore_prefer", None]


async def test_a_fault_applies_times_then_expires(client: Client) -> None:
    created = await add_fault(client, kind="throttle", times=2)
    assert created["times"] == 2

    first = await status_of(client.get("/v1.0/read/1"))
    (remaining,) = await faults(client)
    second = await status_of(client.get("/v1.0/read/1"))
    third = await status_of(client.get("/v1.0/read/1"))

    assert (first, second, third) == (429, 429, 200)
    assert remaining["times"] == 1
    assert await faults(client) == []


async def test_times_minus_one_lasts_until_cleared(client: Client) -> None:
    await add_fault(client, kind="error", times=-1)

    statuses = [await status_of(client.get("/v1.0/read/1")) for _ in range(3)]
    assert statuses == [503, 503, 503]
    assert [fault["times"] for fault in await faults(client)] == [-1]

    assert await status_of(client.delete("/_emulator/faults")) == 204
    assert await status_of(client.get("/v1.0/read/1")) == 200


async def test_a_fault_matches_only_its_method_and_path(client: Client, backend: Backend) -> None:
    await add_fault(client, method="patch", path="/v1.0/things/1", kind="throttle", times=-1)

    other_method = await status_of(client.put("/v1.0/things/1", json=[]))
    other_path = await status_of(client.patch("/v1.0/things/2", json=[]))
    matching = await status_of(client.patch("/v1.0/things/1", json=[]))

    assert (other_method, other_path, matching) == (204, 204, 429)


async def test_the_first_matching_fault_wins_and_only_it_is_used_up(client: Client) -> None:
    await add_fault(client, kind="throttle")
    await add_fault(client, kind="error")

    statuses = [await status_of(client.get("/v1.0/read/1")) for _ in range(3)]

    assert statuses == [429, 503, 200]


async def test_a_single_fault_can_be_removed_by_id(client: Client) -> None:
    created = await add_fault(client, kind="throttle", times=-1)

    assert await status_of(client.delete(f"/_emulator/faults/{created['id']}")) == 204
    assert await status_of(client.delete(f"/_emulator/faults/{created['id']}")) == 404
    assert await status_of(client.get("/v1.0/read/1")) == 200


async def test_faults_are_listed_with_their_parameters(client: Client) -> None:
    created = await add_fault(client, kind="latency", seconds=1.5, path="/v1.0/read/*")

    assert await faults(client) == [
        {
            "id": created["id"],
            "kind": "latency",
            "method": "*",
            "path": "/v1.0/read/*",
            "times": 1,
            "seconds": 1.5,
        }
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "JSON object"),
        ('{"kind": "explode"}', "'kind' must be one of"),
        ("{}", "'kind' must be one of"),
        ('{"kind": "throttle", "times": 0}', "'times'"),
        ('{"kind": "throttle", "times": -2}', "'times'"),
        ('{"kind": "throttle", "times": "1"}', "'times'"),
        ('{"kind": "throttle", "times": true}', "'times'"),
        ('{"kind": "throttle", "method": ""}', "'method'"),
        ('{"kind": "throttle", "path": "v1.0/x"}', "'path'"),
        ('{"kind": "throttle", "retry_afer": 3}', "unknown parameter(s) ['retry_afer']"),
        ('{"kind": "throttle", "retry_after": -1}', "'retry_after' must be an integer"),
        ('{"kind": "latency"}', "'latency' needs 'seconds'"),
        ('{"kind": "latency", "seconds": "1"}', "number of seconds"),
        ('{"kind": "latency", "seconds": -1}', "between 0 and 600"),
        ('{"kind": "hang", "seconds": 1e9}', "between 0 and 3600"),
        ('{"kind": "error", "status": 404}', "from 500 to 599"),
        ('{"kind": "drop_after_write", "seconds": 1}', "accepted: none"),
    ],
)
async def test_bad_fault_rules_are_400_with_a_clear_message(
    client: Client, body: str, message: str
) -> None:
    async with client.post("/_emulator/faults", data=body) as response:
        assert response.status == 400
        error = (await response.json())["error"]
    assert message in error["message"]
    assert await faults(client) == []


async def test_control_answers_are_json(client: Client) -> None:
    created = await add_fault(client, kind="throttle")
    async with client.get("/_emulator/faults") as response:
        assert response.content_type == "application/json"
        assert json.loads(await response.text())["faults"][0]["id"] == created["id"]


async def test_a_body_too_large_to_read_is_recorded_with_the_refusal(
    aiohttp_client: AiohttpClient,
) -> None:
    controls = EmulatorControls()
    app = web.Application(client_max_size=10, middlewares=[controls.middleware])
    controls.add_routes(app)
    app.router.add_post("/v1.0/things/{id}", _token)
    client = await aiohttp_client(app)

    assert await status_of(client.post("/v1.0/things/1", data="x" * 100)) == 413

    (entry,) = await recorded(client)
    assert (entry["status"], entry["body"]) == (413, None)


class ItemNotFound(Exception):
    """Like the Referrals app's errors: raised by a handler, carrying the status it becomes."""

    status = 404


async def test_the_status_of_an_app_error_raised_by_the_handler_is_recorded(
    aiohttp_client: AiohttpClient,
) -> None:
    @web.middleware
    async def render(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except ItemNotFound:
            return web.json_response({"error": {"code": "itemNotFound"}}, status=404)

    controls = EmulatorControls()
    app = web.Application(middlewares=[render, controls.middleware])
    controls.add_routes(app)
    app.router.add_get("/v1.0/things/{id}", _missing)
    client = await aiohttp_client(app)

    assert await status_of(client.get("/v1.0/things/1")) == 404
    (entry,) = await recorded(client)
    assert entry["status"] == 404


async def _missing(_: web.Request) -> web.Response:
    raise ItemNotFound


async def test_drop_after_write_drops_the_answer_even_when_the_handler_fails(
    client: Client, backend: Backend
) -> None:
    await add_fault(client, path="/v1.0/nowhere/*", kind="drop_after_write")

    with pytest.raises(aiohttp.ServerDisconnectedError):
        await status_of(client.get("/v1.0/nowhere/1"))

    (entry,) = await recorded(client)
    assert (entry["status"], entry["fault"]) == (None, "drop_after_write")
