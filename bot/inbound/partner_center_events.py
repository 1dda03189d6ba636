"""Partner Center's webhook deliveries: verified, deduplicated, answered at once, handed on.

`POST REFERRAL_BOT_EVENTS__PATH` (default `/api/partner-center/events`), each step refusing
before the next one costs anything:

1. The headers (`bot.inbound.event_signature.signed_delivery`): else 401 with an empty body,
   the connection closed with the body unread.
2. The body: at most `max_body_bytes`, within the inbound body timeout (413 / 408, closed).
3. The signature (certificate download, chain, organization, RSA-SHA256 over the body bytes):
   else 401 with an empty body. Nothing is parsed, stored or handed on before this passes.
4. The event (`PartnerCenterEvent`): a verified body that is not one is a 400.
5. `test-created` is answered 200 and logged; a name the bot does not know, 200 and ignored
   (Partner Center adds events; refusing would only make it retry).
6. A referral event is claimed in the state backend's seen store as `pc-event:<dedupe key>`,
   kept `REFERRAL_BOT_EVENTS__DEDUPE_HOURS` (bot.state.seen): the same change delivered again
   (Partner Center's retries) is answered 200 and dropped. If the store fails, 503 and nothing
   handed on: Partner Center delivers it again.
7. 200 at once; the `EventSink` runs in the app's `BackgroundTasks`. Partner Center does not
   send it again after a 200, so what the sink does with it is the sink's to make durable.

Log lines name a reason, an event name and a `referral_ref` (a hash), never a header,
signature, certificate URL or body.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from aiohttp import web

from bot.background import BackgroundTasks
from bot.domain.events import REFERRAL_EVENTS, EventName, EventSink, PartnerCenterEvent
from bot.inbound.adapter import answered_and_closed
from bot.inbound.body import Unreadable, read_body
from bot.inbound.event_certificates import NotFromPartnerCenter
from bot.inbound.event_signature import EventSignatures, signed_delivery
from bot.inbound.serving import connection_authenticated
from bot.logging import id_ref, safe_field
from bot.settings import EventSettings, InboundSettings
from bot.state.seen import SeenActivities

logger = logging.getLogger(__name__)
EVENT_KEY_PREFIX = "pc-event:"  # in the seen store, with a TTL of its own (bot.app)


class MalformedEvent(ValueError):
    pass


@dataclass(frozen=True)
class PartnerCenterEvents:
    """The endpoint's collaborators; `handle` is the aiohttp handler (bot.routes)."""

    settings: EventSettings
    inbound: InboundSettings
    signatures: EventSignatures
    seen: SeenActivities
    sink: EventSink
    background: BackgroundTasks

    async def handle(self, request: web.Request) -> web.StreamResponse:
        try:
            delivery = signed_delivery(request.headers, self.settings.certificate_hosts)
        except NotFromPartnerCenter as refused:
            _refused(refused.reason)
            return await answered_and_closed(request, web.HTTPUnauthorized(text=""))
        try:
            body = await read_body(
                request,
                limit=self.settings.max_body_bytes,
                within=self.inbound.body_read_timeout_seconds,
            )
            await self.signatures.verify(delivery, body)
        except Unreadable as error:
            _refused(f"body_{error.answer.status}")
            return await answered_and_closed(request, error.answer)
        except NotFromPartnerCenter as refused:
            _refused(refused.reason)
            return web.Response(status=401)
        connection_authenticated(request)
        try:
            event = event_from_body(body)
        except MalformedEvent as malformed:
            logger.warning("events.malformed reason=%s", malformed)
            return web.Response(status=400)
        return await self._take(event)

    async def _take(self, event: PartnerCenterEvent) -> web.Response:
        ref = id_ref(event.resource_id)
        if event.name == EventName.TEST_CREATED:
            logger.info("events.test_received ref=%s", ref)
            return web.Response(status=200)
        if event.name not in REFERRAL_EVENTS:
            logger.info("events.ignored name=%s", safe_field(event.name, 80))
            return web.Response(status=200)
        try:
            first = await self.seen.claim(EVENT_KEY_PREFIX + event.dedupe_key)
        except Exception as error:  # any store failure: Partner Center retries a 503
            logger.warning("events.dedupe_failed %s referral_ref=%s", type(error).__name__, ref)
            return web.Response(status=503)
        if not first:
            logger.info("events.duplicate name=%s referral_ref=%s", event.name, ref)
            return web.Response(status=200)
        self.background.start(self.sink.handle(event), name=f"events.sink {event.name} {ref}")
        logger.info("events.accepted name=%s referral_ref=%s", event.name, ref)
        return web.Response(status=200)


class LoggingEventSink:
    """The sink until lead alerts are wired (bot.app): the event is logged, nothing else."""

    async def handle(self, event: PartnerCenterEvent) -> None:
        logger.info(
            "events.sink.logged name=%s referral_ref=%s changed_at=%s",
            event.name,
            id_ref(event.resource_id),
            event.changed_at.isoformat(),
        )


def _refused(reason: str) -> None:
    logger.info("events.refused reason=%s", reason)


def event_from_body(body: bytes) -> PartnerCenterEvent:
    """The documented event model; field names are matched regardless of case."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise MalformedEvent("json") from None
    if not isinstance(data, dict):
        raise MalformedEvent("not_an_object")
    fields = {str(name).casefold(): value for name, value in data.items()}
    if len(fields) != len(data):
        raise MalformedEvent("duplicate_field")
    audit = fields.get("audituri", fields.get("auditurl"))
    if audit is not None and not isinstance(audit, str):
        raise MalformedEvent("audit_uri")
    return PartnerCenterEvent(
        name=_text(fields, "eventname"),
        resource_uri=_text(fields, "resourceuri"),
        resource_name=_text(fields, "resourcename", required=False),
        audit_uri=audit,
        changed_at=_utc(_text(fields, "resourcechangeutcdate")),
    )


def _text(fields: dict[str, Any], name: str, *, required: bool = True) -> str:
    value = fields.get(name, None if required else "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise MalformedEvent(name)
    return value


def _utc(text: str) -> datetime:
    """ResourceChangeUtcDate: ISO 8601; without an offset it is UTC, as its name says."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise MalformedEvent("resourcechangeutcdate") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
