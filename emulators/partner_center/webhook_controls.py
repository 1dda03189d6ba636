"""Test controls for webhooks under /_emulator/webhooks/ (test/demo runs only; JSON).

- GET    deliveries[?event=&state=]   {"deliveries": [...]}: event, url, body, headers, state
                                      (pending|retrying|delivered|offline|cancelled), attempts
                                      (status, error, latencyMs, injected), oldest first
- DELETE deliveries                   204: pending ones cancelled, all forgotten
- POST   failures {"count", "mode": "status"|"drop"|"timeout", "status"?: 500}
                                      201: the next `count` attempts fail that way
                                      (status/drop: not sent; timeout: sent, answer ignored)
- GET    failures / DELETE failures   the plan / 204
- POST   fire {"event", "referralId"?, "tenantId"?}
                                      202 {"deliveries": [ids]}: that event now, for a stored
                                      referral (test-created needs no referral); 409 when the
                                      tenant's registration does not include the event
- POST   leads {"name", "customer", "team": [UPN…], "city"?, "country"?, "contact"?,
                "dealValue"?, "currency"?, "requirements"?, "notes"?, "expiresInDays"? |
                "expirationDateTime"?, "substatus"?, "id"?, "engagementId"?}
                                      201 {"referral", "deliveries": [ids]}: a new incoming lead,
                                      stored and announced like any created referral
- GET    registrations                {"registrations": [...]} with tenant and signature flag
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from emulators.controls import control_error
from emulators.fixtures import DEFAULT_TENANT_ID, Fixtures
from emulators.partner_center.errors import ApiError
from emulators.partner_center.leads import build_lead
from emulators.partner_center.store import ReferralStore
from emulators.partner_center.webhook_delivery import Delivery, FailureMode, FailurePlan, State
from emulators.partner_center.webhook_events import EMITTED_EVENTS, REFERRAL_EVENTS, TEST_CREATED
from emulators.partner_center.webhooks import Webhooks

PREFIX = "/_emulator/webhooks"


def _utcnow() -> datetime:
    return datetime.now(UTC)


async def _json(request: web.Request) -> Any:
    try:
        return json.loads(await request.text())
    except ValueError as exc:
        raise ApiError(400, "invalidControlRequest", "the body is not JSON", target="body") from exc


def _deliveries_json(deliveries: list[Delivery]) -> web.Response:
    return web.json_response({"deliveries": [delivery.to_json() for delivery in deliveries]})


def _failure_plan(body: Any) -> FailurePlan:
    if not isinstance(body, dict) or set(body) - {"count", "mode", "status"}:
        raise ValueError("use {'count', 'mode', 'status'?}")
    count, mode, status = body.get("count"), body.get("mode", "status"), body.get("status", 500)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError("'count' must be a positive integer")
    if mode not in set(FailureMode):
        raise ValueError(f"'mode' must be one of {sorted(FailureMode)}")
    if isinstance(status, bool) or not isinstance(status, int) or not 300 <= status <= 599:
        raise ValueError("'status' must be a failing HTTP status (300-599)")
    return FailurePlan(count, FailureMode(mode), status)


class WebhookControls:
    def __init__(
        self,
        webhooks: Webhooks,
        store: ReferralStore,
        fixtures: Fixtures,
        *,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._webhooks = webhooks
        self._dispatcher = webhooks.dispatcher
        self._store = store
        self._fixtures = fixtures
        self._clock = clock

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get(f"{PREFIX}/deliveries", self._list)
        app.router.add_delete(f"{PREFIX}/deliveries", self._clear)
        app.router.add_post(f"{PREFIX}/failures", self._fail_next)
        app.router.add_get(f"{PREFIX}/failures", self._failures)
        app.router.add_delete(f"{PREFIX}/failures", self._no_failures)
        app.router.add_post(f"{PREFIX}/fire", self._fire)
        app.router.add_post(f"{PREFIX}/leads", self._new_lead)
        app.router.add_get(f"{PREFIX}/registrations", self._registrations)

    async def _list(self, request: web.Request) -> web.Response:
        unknown = sorted(set(request.query) - {"event", "state"})
        if unknown:
            return control_error(f"unknown filter(s) {unknown}; use 'event' and/or 'state'")
        event, state = request.query.get("event"), request.query.get("state")
        if state is not None and state not in set(State):
            return control_error(f"'state' must be one of {sorted(State)}")
        found = [
            delivery
            for delivery in self._dispatcher.deliveries()
            if (event is None or delivery.event == event)
            and (state is None or delivery.state == state)
        ]
        return _deliveries_json(found)

    async def _clear(self, _: web.Request) -> web.Response:
        self._dispatcher.reset()
        return web.Response(status=204)

    async def _fail_next(self, request: web.Request) -> web.Response:
        try:
            plan = _failure_plan(await _json(request))
        except ApiError as exc:
            return control_error(exc.message)
        except ValueError as exc:
            return control_error(str(exc))
        self._dispatcher.failures = plan
        return web.json_response(plan.to_json(), status=201)

    async def _failures(self, _: web.Request) -> web.Response:
        return web.json_response(self._dispatcher.failures.to_json())

    async def _no_failures(self, _: web.Request) -> web.Response:
        self._dispatcher.failures = FailurePlan()
        return web.Response(status=204)

    async def _fire(self, request: web.Request) -> web.Response:
        try:
            body = await _json(request)
        except ApiError as exc:
            return control_error(exc.message)
        if not isinstance(body, dict) or set(body) - {"event", "referralId", "tenantId"}:
            return control_error("use {'event', 'referralId'?, 'tenantId'?}")
        event = body.get("event")
        if event not in EMITTED_EVENTS:
            return control_error(f"'event' must be one of {list(EMITTED_EVENTS)}")
        tenant_id = str(body.get("tenantId") or DEFAULT_TENANT_ID)
        registration = self._webhooks.registrations.get(tenant_id)
        if registration is None or not registration.wants(event):
            return control_error(f"tenant {tenant_id} is not registered for {event}", status=409)
        if event == TEST_CREATED:
            delivery = self._webhooks.fire_test(registration, self._clock()).delivery
            return web.json_response({"deliveries": [delivery.id]}, status=202)
        doc = self._store.get(str(body.get("referralId") or ""))
        if doc is None or event not in REFERRAL_EVENTS:
            return control_error("'referralId' must name a stored referral", status=404)
        uri = self._webhooks.referral_uri(doc["id"])
        delivery = self._dispatcher.submit(registration, event, uri, self._clock())
        return web.json_response({"deliveries": [delivery.id]}, status=202)

    async def _new_lead(self, request: web.Request) -> web.Response:
        before = {delivery.id for delivery in self._dispatcher.deliveries()}
        try:
            lead = build_lead(await _json(request), self._fixtures, self._clock())
            doc = self._store.create(
                lead.fields, referral_id=lead.referral_id, engagement_id=lead.engagement_id
            )
        except ApiError as exc:
            return control_error(exc.message, status=409 if exc.status == 409 else 400)
        # The store announced it synchronously: what is new in the records is this lead's.
        caused = [d.id for d in self._dispatcher.deliveries() if d.id not in before]
        return web.json_response({"referral": doc, "deliveries": caused}, status=201)

    async def _registrations(self, _: web.Request) -> web.Response:
        found = [
            {
                "tenantId": registration.tenant_id,
                **registration.to_json(),
                "signatureTokenToMsSignatureHeader": registration.signature_in_ms_header,
            }
            for registration in self._webhooks.registrations.all()
        ]
        return web.json_response({"registrations": found})
