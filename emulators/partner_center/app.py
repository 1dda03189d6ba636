"""Partner Center Referrals API emulator: the composition root of the app and its middlewares.

Middleware order (outermost first): the envelope (service headers, every error in the spec's
shape, never a bare 500), then the test controls when enabled (they record every /v1.0 and
/webhooks request and inject faults), then the guards (the Referrals API's auth and throttling;
the webhook API's auth), then the handlers.

The same app serves Partner Center's webhook API (`/webhooks/v1/registration`) and sends the
deliveries: every referral the store writes is announced to the tenant's registration
(docs/webhooks.md).
"""

from __future__ import annotations

import logging
import uuid

from aiohttp import web
from aiohttp.typedefs import Handler

from emulators.config import EmulatorConfig, TokenTrust
from emulators.controls import EmulatorControls
from emulators.partner_center.errors import ApiError, general_exception, invalid_request
from emulators.partner_center.guard import Guard
from emulators.partner_center.request_body import MAX_BODY_BYTES
from emulators.partner_center.routes import ReferralsRoutes
from emulators.partner_center.store import ReferralStore
from emulators.partner_center.webhook_auth import WEBHOOK_PREFIX, WebhookGuard
from emulators.partner_center.webhook_controls import WebhookControls
from emulators.partner_center.webhook_delivery import DeliverySettings, Signer, WebhookDispatcher
from emulators.partner_center.webhook_routes import WebhookRoutes
from emulators.partner_center.webhooks import Webhooks

logger = logging.getLogger(__name__)

API_PREFIX = "/v1.0/"


def _from_http_exception(exc: web.HTTPException) -> ApiError:
    """aiohttp's own refusals (unknown route, method, size) in the spec's error shape."""
    if exc.status == 404:
        error = ApiError(404, "itemNotFound", "No such resource.", target="path")
    elif exc.status == 405:
        error = invalid_request("The method is not supported here.", target="method", status=405)
        if "Allow" in exc.headers:
            error.headers["Allow"] = exc.headers["Allow"]
    elif exc.status == 413:
        message = f"The body is larger than {MAX_BODY_BYTES} bytes."
        error = invalid_request(message, target="body", status=413)
    elif 400 <= exc.status < 500:
        error = invalid_request(exc.reason, target="request", status=exc.status)
    else:
        error = general_exception()
    return error


@web.middleware
async def envelope(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except ApiError as exc:
        response = exc.response()
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        response = _from_http_exception(exc).response()
    except Exception:
        logger.exception("referrals.unexpected_error %s %s", request.method, request.path)
        response = general_exception().response()
    if not response.prepared:
        response.headers["Request-ID"] = str(uuid.uuid4())
        correlation = request.headers.get("MS-CorrelationId")
        if correlation is not None:
            response.headers["MS-CorrelationId"] = correlation
    return response


def _webhooks(config: EmulatorConfig, base_url: str, signer: Signer, cert_url: str) -> Webhooks:
    settings = DeliverySettings(
        backoff_seconds=config.webhook_backoff_seconds,
        attempt_timeout_seconds=config.webhook_attempt_timeout_seconds,
        concurrency=config.webhook_concurrency,
        sleep=config.webhook_sleep,
    )
    return Webhooks(WebhookDispatcher(signer, cert_url, settings), base_url)


def create_referrals_app(
    config: EmulatorConfig,
    trust: TokenTrust,
    base_url: str,
    *,
    signer: Signer,
    certificate_url: str,
) -> web.Application:
    """`signer` and `certificate_url`: the webhook signing key and where its certificate is
    served (emulators/certs.py)."""
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[envelope])
    webhooks = _webhooks(config, base_url, signer, certificate_url)
    store = ReferralStore(config.fixtures.referrals, base_url=base_url)
    store.on_change = lambda kind, doc, at: webhooks.referral_changed(
        kind, doc, at, lambda: store.has_related(str(doc["id"]))
    )
    guard = Guard(config, trust, protected_prefix=API_PREFIX)
    webhook_guard = WebhookGuard(config, trust)
    app.cleanup_ctx.extend(
        [guard.session_context, webhook_guard.session_context, webhooks.dispatcher.session_context]
    )

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app.router.add_get("/healthz", healthz)
    ReferralsRoutes(store, base_url, config.query_mode).add_to(app)
    WebhookRoutes(webhooks).add_to(app)
    if config.test_controls:

        def reset() -> None:
            store.reset()
            guard.reset_throttle()
            webhooks.reset()

        controls = EmulatorControls(
            on_reset=reset, bump_etag=store.bump_etag, recorded_prefix=(API_PREFIX, WEBHOOK_PREFIX)
        )
        app.middlewares.append(controls.middleware)
        controls.add_routes(app)
        WebhookControls(webhooks, store, config.fixtures).add_routes(app)
    app.middlewares.extend([guard.middleware, webhook_guard.middleware])
    return app
