"""Signed webhook deliveries in the background: retries with backoff, then the offline queue.

As Partner Center documents it: a delivery is a POST of the event body, signed
(`Authorization: Signature <base64>`, or `x-ms-signature` when the registration asks for it),
with `x-ms-certificate-url` and `x-ms-signature-algorithm: rsa-sha256`; it is tried up to 10
times, then moved to an offline queue and never tried again.

**Decisions** (the docs name no backoff, timeout, success codes or concurrency): any 2xx answer
is a success; anything else, a connection error or an attempt longer than the timeout is a
failure; attempt n+1 waits `backoff * 2**(n-1)` seconds; at most `concurrency` attempts to one
URL are in flight at once, so deliveries may arrive out of order. Every delivery is a task the
dispatcher keeps; `close()` (app shutdown) and `reset()` (test controls) cancel what is pending.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol

import aiohttp
from aiohttp import web

from emulators.partner_center.webhook_events import encode, event_body
from emulators.partner_center.webhook_registrations import Registration

MAX_ATTEMPTS = 10
SIGNATURE_ALGORITHM = "rsa-sha256"
KEPT_FINISHED = 5000  # finished deliveries kept for the controls; older ones are dropped
Sleep = Callable[[float], Awaitable[None]]


class Signer(Protocol):
    def sign(self, body: bytes) -> str: ...


class State(StrEnum):
    PENDING = "pending"  # not tried yet, or an attempt is in flight
    RETRYING = "retrying"  # failed at least once, waiting for the next attempt
    DELIVERED = "delivered"
    OFFLINE = "offline"  # failed MAX_ATTEMPTS times: in the offline queue, no more attempts
    CANCELLED = "cancelled"  # reset or shutdown before it finished

    @property
    def final(self) -> bool:
        return self not in (State.PENDING, State.RETRYING)


class FailureMode(StrEnum):
    STATUS = "status"  # not sent; recorded as if the receiver answered `status`
    DROP = "drop"  # not sent; recorded as a dropped connection
    TIMEOUT = "timeout"  # sent, but the answer is treated as too late: the retry redelivers


@dataclass(frozen=True)
class DeliverySettings:
    backoff_seconds: float = 1.0
    attempt_timeout_seconds: float = 10.0
    concurrency: int = 8
    sleep: Sleep | None = None


@dataclass
class Attempt:
    number: int
    at: datetime
    status: int | None  # the receiver's answer; None when there was none
    error: str | None  # "connection" | "timeout" | None
    latency_ms: float
    injected: FailureMode | None = None

    @property
    def succeeded(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "at": self.at.isoformat(),
            "status": self.status,
            "error": self.error,
            "latencyMs": round(self.latency_ms, 3),
            "injected": self.injected,
        }


@dataclass
class Delivery:
    id: str
    tenant_id: str
    event: str
    url: str
    body: dict[str, Any]
    payload: bytes
    headers: dict[str, str]
    created_at: datetime
    state: State = State.PENDING
    attempts: list[Attempt] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "event": self.event,
            "url": self.url,
            "resourceUri": self.body["ResourceUri"],
            "body": self.body,
            "headers": self.headers,
            "createdAt": self.created_at.isoformat(),
            "state": self.state,
            "attempts": [attempt.to_json() for attempt in self.attempts],
        }


@dataclass
class FailurePlan:
    """The next `count` attempts fail the way `mode` says (test controls)."""

    count: int = 0
    mode: FailureMode = FailureMode.STATUS
    status: int = 500

    def take(self) -> FailurePlan | None:
        if self.count <= 0:
            return None
        self.count -= 1
        return FailurePlan(1, self.mode, self.status)

    def to_json(self) -> dict[str, Any]:
        return {"count": self.count, "mode": self.mode, "status": self.status}


def _now() -> datetime:
    return datetime.now(UTC)


class WebhookDispatcher:
    def __init__(
        self,
        signer: Signer,
        certificate_url: str,
        settings: DeliverySettings | None = None,
        *,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self._signer = signer
        self._certificate_url = certificate_url
        self._settings = settings or DeliverySettings()
        self._sleep: Sleep = asyncio.sleep if self._settings.sleep is None else self._settings.sleep
        self._clock = clock
        self._session: aiohttp.ClientSession | None = None
        self._records: dict[str, Delivery] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._limits: dict[str, asyncio.Semaphore] = {}
        self.failures = FailurePlan()

    async def session_context(self, _: web.Application) -> AsyncIterator[None]:
        """cleanup_ctx: one client session for every delivery of the app's life."""
        async with aiohttp.ClientSession(trust_env=False) as session:
            self._session = session
            try:
                yield
            finally:
                await self.close()
                self._session = None

    def submit(
        self, registration: Registration, event_name: str, resource_uri: str, changed_at: datetime
    ) -> Delivery:
        """Queue one signed delivery and return at once; the attempts run in a task."""
        body = event_body(event_name, resource_uri, changed_at)
        payload = encode(body)
        delivery = Delivery(
            id=str(uuid.uuid4()),
            tenant_id=registration.tenant_id,
            event=event_name,
            url=registration.url,
            body=body,
            payload=payload,
            headers=self._headers(payload, registration.signature_in_ms_header),
            created_at=self._clock(),
        )
        self._records[delivery.id] = delivery
        task = asyncio.get_running_loop().create_task(self._run(delivery))
        self._tasks[delivery.id] = task
        task.add_done_callback(lambda _: self._tasks.pop(delivery.id, None))
        self._forget_old()
        return delivery

    def get(self, delivery_id: str) -> Delivery | None:
        return self._records.get(delivery_id)

    def deliveries(self) -> list[Delivery]:
        return list(self._records.values())

    def reset(self) -> None:
        """Cancel what is pending and forget every delivery and the failure plan."""
        self._cancel_all()
        self._records.clear()
        self.failures = FailurePlan()

    async def close(self) -> None:
        tasks = self._cancel_all()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _cancel_all(self) -> list[asyncio.Task[None]]:
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        return tasks

    def _headers(self, payload: bytes, in_ms_header: bool) -> dict[str, str]:
        signature = f"Signature {self._signer.sign(payload)}"
        return {
            "Content-Type": "application/json",
            ("x-ms-signature" if in_ms_header else "Authorization"): signature,
            "x-ms-certificate-url": self._certificate_url,
            "x-ms-signature-algorithm": SIGNATURE_ALGORITHM,
        }

    async def _run(self, delivery: Delivery) -> None:
        try:
            for number in range(1, MAX_ATTEMPTS + 1):
                attempt = await self._attempt(delivery, number)
                delivery.attempts.append(attempt)
                if attempt.succeeded:
                    delivery.state = State.DELIVERED
                    return
                if number < MAX_ATTEMPTS:
                    delivery.state = State.RETRYING
                    await self._sleep(self._settings.backoff_seconds * 2 ** (number - 1))
                    delivery.state = State.PENDING
            delivery.state = State.OFFLINE
        finally:
            if not delivery.state.final:
                delivery.state = State.CANCELLED

    async def _attempt(self, delivery: Delivery, number: int) -> Attempt:
        limit = self._limits.setdefault(delivery.url, asyncio.Semaphore(self._settings.concurrency))
        async with limit:
            at, started = self._clock(), time.perf_counter()
            injected = self.failures.take()
            if injected is not None and injected.mode is not FailureMode.TIMEOUT:
                status = injected.status if injected.mode is FailureMode.STATUS else None
                error = "connection" if injected.mode is FailureMode.DROP else None
                return Attempt(number, at, status, error, 0.0, injected.mode)
            status, error = await self._post(delivery)
            latency = (time.perf_counter() - started) * 1000
            if injected is not None:
                return Attempt(number, at, None, "timeout", latency, injected.mode)
            return Attempt(number, at, status, error, latency)

    async def _post(self, delivery: Delivery) -> tuple[int | None, str | None]:
        if self._session is None:
            raise RuntimeError("the dispatcher's session context is not running")
        timeout = aiohttp.ClientTimeout(total=self._settings.attempt_timeout_seconds)
        try:
            async with self._session.post(
                delivery.url,
                data=delivery.payload,
                headers=delivery.headers,
                timeout=timeout,
                allow_redirects=False,
            ) as answer:
                await answer.read()
                return answer.status, None
        except TimeoutError:
            return None, "timeout"
        except aiohttp.ClientError:
            return None, "connection"

    def _forget_old(self) -> None:
        finished = [key for key, record in self._records.items() if record.state.final]
        for key in finished[: max(0, len(finished) - KEPT_FINISHED)]:
            del self._records[key]
