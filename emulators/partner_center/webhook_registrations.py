"""Webhook registrations: one per partner tenant, and the checks on a registration body.

Member names are matched case-insensitively (the docs write `WebhookUrl`, the connector
`signatureTokenToMsSignatureHeader`; ASP.NET binds either). Unknown members, event names the
docs do not list and URLs the emulator cannot deliver to are refused with 400 `invalidRequest`.

**Decision:** a WebhookUrl is an absolute `https` URL, or `http` on a loopback host (the tests'
and the demo's receivers); the docs show only `{{YourCallbackUrl}}`.
"""

from __future__ import annotations

import ipaddress
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from emulators.partner_center.errors import ApiError, invalid_request
from emulators.partner_center.webhook_events import DOCUMENTED_EVENTS

_URL, _EVENTS = "webhookurl", "webhookevents"
_SIGNATURE_HEADER = "signaturetokentomssignatureheader"
# Also in the REST reference's request body; accepted and ignored (the service owns them).
_IGNORED = frozenset({"subscriberid", "lastmodifiedtimestamp", "properties"})
_LOOPBACK_NAMES = frozenset({"localhost"})
MAX_URL_LENGTH = 2048


@dataclass(frozen=True)
class Registration:
    tenant_id: str
    subscriber_id: str
    url: str
    events: tuple[str, ...]
    signature_in_ms_header: bool = False

    def wants(self, event_name: str) -> bool:
        return event_name in self.events

    def to_json(self, *, with_subscriber: bool = True) -> dict[str, Any]:
        """The shape of the docs' answers: POST/PUT with SubscriberId, GET without."""
        body: dict[str, Any] = {"WebhookUrl": self.url, "WebhookEvents": list(self.events)}
        return {"SubscriberId": self.subscriber_id, **body} if with_subscriber else body


@dataclass(frozen=True)
class RegistrationRequest:
    url: str
    events: tuple[str, ...]
    signature_in_ms_header: bool


def _is_loopback(host: str) -> bool:
    if host.casefold() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _checked_url(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise invalid_request("'WebhookUrl' is required and must be a string.", target="WebhookUrl")
    if len(value) > MAX_URL_LENGTH:
        raise invalid_request("'WebhookUrl' is too long.", target="WebhookUrl")
    try:
        parts = urlsplit(value)
        host, _ = parts.hostname, parts.port
    except ValueError as exc:
        raise invalid_request("'WebhookUrl' is not a valid URL.", target="WebhookUrl") from exc
    if not host or parts.username is not None or parts.fragment:
        raise invalid_request(
            "'WebhookUrl' must be an absolute URL with a host, no user info and no fragment.",
            target="WebhookUrl",
        )
    if parts.scheme != "https" and not (parts.scheme == "http" and _is_loopback(host)):
        raise invalid_request("'WebhookUrl' must be an https URL.", target="WebhookUrl")
    return value


def _checked_events(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise invalid_request(
            "'WebhookEvents' is required: a non-empty list of event names.", target="WebhookEvents"
        )
    unknown = [name for name in value if not isinstance(name, str) or name not in DOCUMENTED_EVENTS]
    if unknown:
        raise invalid_request(
            f"Unsupported event name(s) {unknown!r}; GET /webhooks/v1/registration/events lists "
            "the supported ones.",
            target="WebhookEvents",
        )
    return tuple(dict.fromkeys(value))  # duplicates dropped, order kept


def parse_registration(body: Any) -> RegistrationRequest:
    """A registration body checked as a whole, or ApiError 400 naming what is wrong."""
    if not isinstance(body, Mapping):
        raise invalid_request("The body must be a registration object.", target="body")
    members: dict[str, Any] = {}
    for name, value in body.items():
        key = str(name).casefold()
        if key in members:
            raise invalid_request(f"The member '{name}' appears twice.", target=str(name))
        if key not in (_URL, _EVENTS, _SIGNATURE_HEADER) and key not in _IGNORED:
            raise invalid_request(f"Unknown member '{name}'.", target=str(name))
        members[key] = value
    flag = members.get(_SIGNATURE_HEADER, False)
    if not isinstance(flag, bool):
        raise invalid_request(
            "'signatureTokenToMsSignatureHeader' must be true or false.",
            target="signatureTokenToMsSignatureHeader",
        )
    return RegistrationRequest(
        _checked_url(members.get(_URL)), _checked_events(members.get(_EVENTS)), flag
    )


def no_registration() -> ApiError:
    message = "No webhook registration exists for this tenant."
    return ApiError(404, "itemNotFound", message, target="registration")


class Registrations:
    """The registrations by partner tenant id; all synchronous, so checks and writes never
    interleave on the event loop."""

    def __init__(self) -> None:
        self._by_tenant: dict[str, Registration] = {}

    def get(self, tenant_id: str) -> Registration | None:
        return self._by_tenant.get(tenant_id)

    def all(self) -> list[Registration]:
        return list(self._by_tenant.values())

    def require(self, tenant_id: str) -> Registration:
        registration = self._by_tenant.get(tenant_id)
        if registration is None:
            raise no_registration()
        return registration

    def create(self, tenant_id: str, request: RegistrationRequest) -> Registration:
        """**Decision:** a second create is 409 (the reference: "registration already exists,
        use PUT"; its status code is not shown)."""
        if tenant_id in self._by_tenant:
            raise ApiError(
                409,
                "invalidRequest",
                "A webhook registration already exists for this tenant; use PUT to update it.",
                target="registration",
            )
        return self._store(tenant_id, str(uuid.uuid4()), request)

    def replace(self, tenant_id: str, request: RegistrationRequest) -> Registration:
        current = self.require(tenant_id)
        return self._store(tenant_id, current.subscriber_id, request)

    def delete(self, tenant_id: str) -> None:
        if self._by_tenant.pop(tenant_id, None) is None:
            raise no_registration()

    def _store(self, tenant_id: str, subscriber: str, request: RegistrationRequest) -> Registration:
        registration = Registration(
            tenant_id, subscriber, request.url, request.events, request.signature_in_ms_header
        )
        self._by_tenant[tenant_id] = registration
        return registration
