"""The handlers of `/webhooks/v1/registration`: the tenant's registration, the event list and
the test event, behind `WebhookGuard` (`webhook_caller_of(request)` is set).

- GET    /webhooks/v1/registration                              200 {WebhookUrl, WebhookEvents}
- POST   /webhooks/v1/registration                              200 {SubscriberId, WebhookUrl,
                                                                WebhookEvents}; 409 when one exists
- PUT    /webhooks/v1/registration                              200 as POST; 404 when none exists
- DELETE /webhooks/v1/registration                              204; 404 when none exists
- GET    /webhooks/v1/registration/events                       200 [event names]
- POST   /webhooks/v1/registration/validationEvents             200 {correlationId}; 429 after
                                                                2 a minute
- GET    /webhooks/v1/registration/validationEvents/{id}        200 the delivery's state
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from aiohttp import web

from emulators.partner_center.errors import ApiError
from emulators.partner_center.request_body import read_json
from emulators.partner_center.webhook_auth import webhook_caller_of
from emulators.partner_center.webhook_events import DOCUMENTED_EVENTS
from emulators.partner_center.webhook_registrations import parse_registration
from emulators.partner_center.webhooks import Throttled, Webhooks, validation_status

REGISTRATION = "/webhooks/v1/registration"
MEDIA_TYPES = ("application/json", "text/json")  # the REST reference's request media types


def _utcnow() -> datetime:
    return datetime.now(UTC)


class WebhookRoutes:
    def __init__(self, webhooks: Webhooks, *, clock: Callable[[], datetime] = _utcnow) -> None:
        self._webhooks = webhooks
        self._registrations = webhooks.registrations
        self._clock = clock

    def add_to(self, app: web.Application) -> None:
        app.router.add_get(REGISTRATION, self.get_registration)
        app.router.add_post(REGISTRATION, self.create_registration)
        app.router.add_put(REGISTRATION, self.update_registration)
        app.router.add_delete(REGISTRATION, self.delete_registration)
        app.router.add_get(f"{REGISTRATION}/events", self.list_events)
        app.router.add_post(f"{REGISTRATION}/validationEvents", self.send_test_event)
        app.router.add_get(f"{REGISTRATION}/validationEvents/{{id}}", self.get_test_event)

    async def get_registration(self, request: web.Request) -> web.Response:
        registration = self._registrations.require(webhook_caller_of(request).tenant_id)
        return web.json_response(registration.to_json(with_subscriber=False))

    async def create_registration(self, request: web.Request) -> web.Response:
        body = parse_registration(await read_json(request, media_types=MEDIA_TYPES))
        registration = self._registrations.create(webhook_caller_of(request).tenant_id, body)
        return web.json_response(registration.to_json())

    async def update_registration(self, request: web.Request) -> web.Response:
        body = parse_registration(await read_json(request, media_types=MEDIA_TYPES))
        registration = self._registrations.replace(webhook_caller_of(request).tenant_id, body)
        return web.json_response(registration.to_json())

    async def delete_registration(self, request: web.Request) -> web.Response:
        self._registrations.delete(webhook_caller_of(request).tenant_id)
        return web.Response(status=204)

    async def list_events(self, _: web.Request) -> web.Response:
        return web.json_response(list(DOCUMENTED_EVENTS))

    async def send_test_event(self, request: web.Request) -> web.Response:
        tenant_id = webhook_caller_of(request).tenant_id
        try:
            event = self._webhooks.send_test_event(tenant_id, self._clock())
        except Throttled as throttled:
            return throttled.response()
        return web.json_response(
            {"correlationId": event.correlation_id},
            headers={"MS-CorrelationId": event.correlation_id},
        )

    async def get_test_event(self, request: web.Request) -> web.Response:
        correlation_id = request.match_info["id"]
        tenant_id = webhook_caller_of(request).tenant_id
        event = self._webhooks.validation_event(tenant_id, correlation_id)
        if event is None:
            raise ApiError(
                404,
                "itemNotFound",
                f"No validation event '{correlation_id}' for this tenant.",
                target="correlationId",
            )
        return web.json_response(validation_status(event))
