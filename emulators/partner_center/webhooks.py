"""What turns a stored referral change into webhook deliveries, and the test event's state.

Every referral the store writes (API create and PATCH/PUT, and the test controls' leads and
`bump_etag`) calls `referral_changed`; the partner tenant's registration (the referral's
`organizationId`) decides which events go out. **Decision** (the docs only say "raised when the
related referral is created/updated"): a change to a referral whose engagement holds other
referrals also raises `related-referral-created/updated`, pointing at the changed referral.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
from typing import Any

from aiohttp import web

from emulators.partner_center.errors import ApiError, throttled_response
from emulators.partner_center.throttling import TokenBucket
from emulators.partner_center.webhook_delivery import Delivery, State, WebhookDispatcher
from emulators.partner_center.webhook_events import (
    REFERRAL_CREATED,
    REFERRAL_UPDATED,
    RELATED_REFERRAL_CREATED,
    RELATED_REFERRAL_UPDATED,
    TEST_CREATED,
)
from emulators.partner_center.webhook_registrations import Registration, Registrations

TEST_EVENTS_PER_MINUTE = 2  # documented: "2 requests per minute" for posting a test event
_EVENTS = {
    "created": (REFERRAL_CREATED, RELATED_REFERRAL_CREATED),
    "updated": (REFERRAL_UPDATED, RELATED_REFERRAL_UPDATED),
}


@dataclass(frozen=True)
class ValidationEvent:
    correlation_id: str
    tenant_id: str
    delivery: Delivery


class Throttled(Exception):
    def __init__(self, retry_after: float) -> None:
        super().__init__("throttled")
        self.retry_after = retry_after

    def response(self) -> web.Response:
        return throttled_response(self.retry_after)


class Webhooks:
    def __init__(
        self,
        dispatcher: WebhookDispatcher,
        base_url: str,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.registrations = Registrations()
        self.dispatcher = dispatcher
        self._base_url = base_url.rstrip("/")
        self._monotonic = monotonic
        self._test_bucket = TokenBucket(TEST_EVENTS_PER_MINUTE, clock=monotonic)
        self._validation: dict[str, ValidationEvent] = {}

    def referral_changed(
        self,
        kind: str,
        doc: Mapping[str, Any],
        changed_at: datetime,
        has_related: Callable[[], bool],
    ) -> list[Delivery]:
        """The deliveries one stored change causes (none without a matching registration)."""
        registration = self.registrations.get(str(doc.get("organizationId", "")))
        if registration is None:
            return []
        own, related = _EVENTS[kind]
        names = [own] if registration.wants(own) else []
        if registration.wants(related) and has_related():
            names.append(related)
        uri = self.referral_uri(str(doc["id"]))
        return [self.dispatcher.submit(registration, name, uri, changed_at) for name in names]

    def referral_uri(self, referral_id: str) -> str:
        return f"{self._base_url}/v1.0/engagements/referrals/{referral_id}"

    def send_test_event(self, tenant_id: str, changed_at: datetime) -> ValidationEvent:
        """POST validationEvents: needs a registration that includes `test-created`."""
        registration = self.registrations.require(tenant_id)
        if not registration.wants(TEST_CREATED):
            raise ApiError(
                400,
                "invalidRequest",
                "Register for the 'test-created' event before sending a validation event.",
                target="WebhookEvents",
            )
        wait = self._test_bucket.acquire(tenant_id)
        if wait is not None:
            raise Throttled(wait)
        return self.fire_test(registration, changed_at)

    def fire_test(self, registration: Registration, changed_at: datetime) -> ValidationEvent:
        correlation_id = str(uuid.uuid4())
        uri = f"{self._base_url}/webhooks/v1/registration/validationEvents/{correlation_id}"
        delivery = self.dispatcher.submit(registration, TEST_CREATED, uri, changed_at)
        event = ValidationEvent(correlation_id, registration.tenant_id, delivery)
        self._validation[correlation_id] = event
        return event

    def validation_event(self, tenant_id: str, correlation_id: str) -> ValidationEvent | None:
        event = self._validation.get(correlation_id)
        return event if event is not None and event.tenant_id == tenant_id else None

    def reset(self) -> None:
        """Test-control reset: deliveries, test events and the throttle go; registrations stay
        (a bot registers once when it starts, and tests reset between cases)."""
        self.dispatcher.reset()
        self._validation.clear()
        self._test_bucket = TokenBucket(TEST_EVENTS_PER_MINUTE, clock=self._monotonic)


def validation_status(event: ValidationEvent) -> dict[str, Any]:
    """GET validationEvents/{id}, shaped as the docs' sample (one result per attempt).

    **Decision:** `status` is `completed` once the delivery is final (delivered or offline),
    `pending` before; the docs show only `completed`.
    """
    delivery = event.delivery
    results = [
        {
            "responseCode": _status_name(attempt.status),
            "responseMessage": attempt.error or "",
            "systemError": attempt.status is None,
            "dateTimeUtc": f"{attempt.at:%Y-%m-%dT%H:%M:%S}.{attempt.at.microsecond:06d}0",
        }
        for attempt in delivery.attempts
    ]
    final = delivery.state in (State.DELIVERED, State.OFFLINE)
    return {
        "correlationId": event.correlation_id,
        "partnerId": event.tenant_id,
        "status": "completed" if final else "pending",
        "callbackUrl": delivery.url,
        "results": results,
    }


def _status_name(status: int | None) -> str | None:
    """.NET's HttpStatusCode names, as the docs' `"responseCode": "OK"`."""
    if status is None:
        return None
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        return str(status)
    return "".join(word if word.isupper() else word.capitalize() for word in phrase.split())
