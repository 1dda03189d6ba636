"""Test controls under /_emulator/: recorded requests and injected faults (test/demo runs only).

Tests use them to see exactly what a client sent and to make the service misbehave the ways a
real one does: slow, silent, throttled, failing, dropping the connection after a write, racing
with another writer, or ignoring `Prefer`. Routes (JSON):
- POST /_emulator/reset                       204: on_reset(), records and faults cleared
- GET|DELETE /_emulator/requests[?method=&path=<glob>]
- POST|GET|DELETE /_emulator/faults, DELETE /_emulator/faults/{id}
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from emulators.faults import FAULT_KINDS, Fault, FaultBook, FaultError, parse_fault
from emulators.recording import RequestRecorder

CONTROL_PREFIX = "/_emulator/"
_POLL_SECONDS = 0.05
_UNANSWERED = frozenset({"hang", "drop_after_write"})  # the client never gets a response


def control_error(message: str, status: int = 400) -> web.Response:
    return web.json_response(
        {"error": {"code": "invalidControlRequest", "message": message}}, status=status
    )


def _service_headers(request: web.Request, retry_after: int | None) -> dict[str, str]:
    headers = {"Request-ID": str(uuid.uuid4())}
    if "MS-CorrelationId" in request.headers:
        headers["MS-CorrelationId"] = request.headers["MS-CorrelationId"]
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    return headers


def _throttled(request: web.Request, retry_after: int) -> web.Response:
    body = {
        "statusCode": 429,
        "message": f"Rate limit is exceeded. Try again in {retry_after} seconds.",
    }
    return web.json_response(body, status=429, headers=_service_headers(request, retry_after))


def _server_error(request: web.Request, status: int, retry_after: int | None) -> web.Response:
    unavailable = status == 503
    code = "serviceNotAvailable" if unavailable else "generalException"
    message = "The service is temporarily unavailable." if unavailable else "An error occurred."
    body = {
        "error": {
            "code": code,
            "message": message,
            "target": None,
            "innerError": {"code": str(status), "message": "Injected by the emulator."},
        }
    }
    return web.json_response(body, status=status, headers=_service_headers(request, retry_after))


def _close_connection(request: web.Request) -> None:
    """Close the connection with nothing sent; any response returned later cannot be written."""
    if request.transport is not None:
        request.transport.close()


def _status_of(exc: Exception) -> int:
    """The status an exception becomes (aiohttp's and the app's errors carry one), else 500."""
    status = getattr(exc, "status", None)
    return status if isinstance(status, int) else 500


class EmulatorControls:
    """Recording + fault injection for one aiohttp app; mount with `middleware` and `add_routes`."""

    def __init__(
        self,
        *,
        on_reset: Callable[[], None] | None = None,
        bump_etag: Callable[[str], bool] | None = None,
        recorded_prefix: str | tuple[str, ...] = "/v1.0/",
    ) -> None:
        self._on_reset = on_reset
        self._bump_etag = bump_etag
        self._prefix = recorded_prefix
        self._kinds = FAULT_KINDS if bump_etag is not None else FAULT_KINDS - {"bump_etag"}
        self.recorder = RequestRecorder()
        self.faults = FaultBook()
        self._release = asyncio.Event()  # set on reset/shutdown: hung and slow requests end

    @property
    def middleware(self) -> Middleware:
        @web.middleware
        async def emulator_controls(request: web.Request, handler: Handler) -> web.StreamResponse:
            if not self._is_recorded(request.path):
                return await handler(request)
            return await self._handle(request, handler)

        return emulator_controls

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post("/_emulator/reset", self._reset)
        app.router.add_get("/_emulator/requests", self._list_requests)
        app.router.add_delete("/_emulator/requests", self._clear_requests)
        app.router.add_post("/_emulator/faults", self._add_fault)
        app.router.add_get("/_emulator/faults", self._list_faults)
        app.router.add_delete("/_emulator/faults", self._clear_faults)
        app.router.add_delete("/_emulator/faults/{fault_id}", self._remove_fault)
        app.on_shutdown.append(self._release_waiters)

    def reset(self) -> None:
        if self._on_reset is not None:
            self._on_reset()
        self.recorder.clear()
        self.faults.clear()
        self._release.set()
        self._release = asyncio.Event()

    def _is_recorded(self, path: str) -> bool:
        return path.startswith(self._prefix) and not path.startswith(CONTROL_PREFIX)

    async def _handle(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        fault = self.faults.take(request.method, request.path)
        original_headers = request.headers
        if fault is not None and fault.kind == "ignore_prefer":
            # Cloning must happen before the body is read (aiohttp refuses afterwards).
            headers = {k: v for k, v in request.headers.items() if k.lower() != "prefer"}
            request = request.clone(headers=headers)
        kind = fault.kind if fault else None
        entry = await self.recorder.record(request, headers=original_headers, fault=kind)
        try:
            response = await self._apply(fault, request, handler)
        except Exception as exc:
            entry.status = None if kind in _UNANSWERED else _status_of(exc)
            raise
        entry.status = None if kind in _UNANSWERED else response.status
        return response

    async def _apply(
        self, fault: Fault | None, request: web.Request, handler: Handler
    ) -> web.StreamResponse:
        kind = fault.kind if fault else None
        params: Mapping[str, Any] = fault.params if fault else {}
        if kind == "throttle":
            return _throttled(request, params["retry_after"])
        if kind == "error":
            return _server_error(request, params["status"], params.get("retry_after"))
        if kind == "hang":
            await self._wait(request, params["seconds"])
            _close_connection(request)
            return web.Response(status=204)  # never written: the connection is closed
        if kind == "latency":
            await self._wait(request, params["seconds"])
        elif kind == "bump_etag" and self._bump_etag is not None:
            self._bump_etag(request.path.rstrip("/").rsplit("/", 1)[-1])
        try:
            return await handler(request)
        finally:
            if kind == "drop_after_write":  # whatever the outcome, the answer is lost
                _close_connection(request)

    async def _wait(self, request: web.Request, seconds: float) -> None:
        """Sleep up to `seconds`, ending early on reset, shutdown, or when the client has gone."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        release = self._release
        while not release.is_set() and (left := deadline - loop.time()) > 0:
            if request.transport is None or request.transport.is_closing():
                return
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(min(left, _POLL_SECONDS)):
                    await release.wait()

    async def _release_waiters(self, _: web.Application) -> None:
        self._release.set()

    async def _reset(self, _: web.Request) -> web.Response:
        self.reset()
        return web.Response(status=204)

    async def _list_requests(self, request: web.Request) -> web.Response:
        unknown = sorted(set(request.query) - {"method", "path"})
        if unknown:
            return control_error(f"unknown filter(s) {unknown}; use 'method' and/or 'path'")
        entries = self.recorder.entries(
            method=request.query.get("method"), path=request.query.get("path")
        )
        return web.json_response({"requests": [entry.to_json() for entry in entries]})

    async def _clear_requests(self, _: web.Request) -> web.Response:
        self.recorder.clear()
        return web.Response(status=204)

    async def _add_fault(self, request: web.Request) -> web.Response:
        try:
            raw = json.loads(await request.text())
            fault = parse_fault(raw, fault_id=str(uuid.uuid4()), kinds=self._kinds)
        except ValueError as exc:  # FaultError and malformed JSON alike
            prefix = "" if isinstance(exc, FaultError) else "the body is not JSON: "
            return control_error(f"{prefix}{exc}")
        self.faults.add(fault)
        return web.json_response({"id": fault.id, **fault.to_json()}, status=201)

    async def _list_faults(self, _: web.Request) -> web.Response:
        return web.json_response({"faults": [fault.to_json() for fault in self.faults.all()]})

    async def _clear_faults(self, _: web.Request) -> web.Response:
        self.faults.clear()
        return web.Response(status=204)

    async def _remove_fault(self, request: web.Request) -> web.Response:
        if not self.faults.remove(request.match_info["fault_id"]):
            return control_error("no such fault", status=404)
        return web.Response(status=204)
