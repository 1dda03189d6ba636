"""The Bot Framework adapter, with the two seams botbuilder 4.17.1 gets wrong fixed.

1. Invoke answers (docs/architecture.md, "SDK seams"): `ActivityHandler` already turns an
   invoke body into a dict, and the stock `CloudAdapter.process` serialises it a second time, so
   every `adaptiveCard/action` answers HTTP 500 (`'dict' object has no attribute 'is_xml_model'`).
   Here a body is serialised once: msrest models are serialised, dicts and lists pass as they are.
2. The HTTP edge (docs/architecture.md, "SDK seams"): the stock path answers 500 for a missing
   Content-Type, bad JSON and many bad tokens. Here a request is checked before the SDK sees it
   (415, 400, 413, 408) and any failure to authenticate it is a 401, never a 500.
3. Order (issue 13, D1): the channel token is verified from the `Authorization` header before
   a byte of the body is read; a request without a valid one is answered 401 and its connection
   closed without reading or draining the body. Only then is the body read and decoded, with
   bounded size, time and cost (bot.inbound.body), and the token tied to the activity.

Also (docs/performance.md), the SDK's own per-turn CPU: the adapter keeps one connector client
per (bot, serviceUrl, audience) across turns (`bot.outbound.connector_clients`) instead of
building one per activity, and `bot.inbound.sdk_speedups` removes msrest's and TurnContext's
avoidable work; both are set up when an adapter is built.

Outbound (issue 6): what a turn sends, replies and updates goes through `bot.outbound.pacing`
(paced to Teams' per-conversation limits, sent again after a 429 or a transient 5xx). Invoke
answers are the HTTP response, not a connector call, so they are never paced or delayed.
Proactive turns (issue 17: cards the bot sends first, card updates) use the kept connector
clients too.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from aiohttp import web
from botbuilder.core import Bot, InvokeResponse, TurnContext, serializer_helper
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import Activity, ResourceResponse
from botframework.connector.auth import (
    AuthenticateRequestResult,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ServiceClientCredentialsFactory,
)
from msrest.serialization import Model

from bot.inbound.body import Unreadable, decode_activity, read_body
from bot.inbound.channel_token import ChannelTokenValidator, Unauthorized, VerifiedToken
from bot.inbound.sdk_speedups import apply_sdk_speedups
from bot.inbound.serving import connection_authenticated
from bot.outbound.connector_clients import ConnectorClients, KeptUserTokenClients
from bot.outbound.pacing import OutboundSender
from bot.settings import BotSettings, InboundSettings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BotFrameworkConfig:
    """The attribute names `ConfigurationBotFrameworkAuthentication` reads; empty id = no auth."""

    APP_ID: str
    APP_PASSWORD: str
    APP_TENANTID: str
    APP_TYPE: str

    @classmethod
    def of(cls, bot: BotSettings, *, authenticate: bool) -> BotFrameworkConfig:
        if not authenticate:
            return cls(APP_ID="", APP_PASSWORD="", APP_TENANTID="", APP_TYPE="MultiTenant")
        return cls(
            APP_ID=bot.app_id,
            APP_PASSWORD=bot.app_password.get_secret_value(),
            APP_TENANTID=bot.app_tenant_id,
            APP_TYPE=str(bot.app_type),
        )


async def read_activity(request: web.Request, inbound: InboundSettings) -> Activity:
    """The posted activity, or an HTTP 4xx saying what is wrong with the request."""
    if request.content_type != "application/json":
        raise web.HTTPUnsupportedMediaType(text="send application/json")
    body = await read_body(
        request, limit=inbound.body_limit_bytes, within=inbound.body_read_timeout_seconds
    )
    return decode_activity(body)


async def checked_activity(
    request: web.Request, inbound: InboundSettings
) -> Activity | web.Response:
    """The activity, or the answer already sent for a body that cannot be read (then closed)."""
    try:
        return await read_activity(request, inbound)
    except Unreadable as error:
        logger.info("adapter.unreadable_body status=%d", error.answer.status)
        return await answered_and_closed(request, error.answer)


async def answered_and_closed(request: web.Request, answer: web.HTTPException) -> web.Response:
    """`answer` sent now, then the connection closed: a body not yet read is dropped unread.

    aiohttp would otherwise drain what is left of the body for up to 10 s (lingering) before
    closing; for a caller without a valid token that is time and bytes spent for nothing.
    """
    response = web.Response(
        status=answer.status, text=answer.text, content_type=answer.content_type
    )
    response.force_close()
    await response.prepare(request)
    await response.write_eof()
    request.protocol.force_close()
    return response


def serialised_once(body: Any) -> Any:
    """JSON-ready invoke body: msrest models serialised here, plain data passed through."""
    if isinstance(body, Model):
        return serializer_helper(body)
    return body


def invoke_http_response(invoke: InvokeResponse | None) -> web.Response:
    if invoke is None:
        return web.Response(status=HTTPStatus.CREATED)
    status = int(invoke.status or HTTPStatus.OK)
    if invoke.body is None:
        return web.Response(status=status)
    return web.json_response(serialised_once(invoke.body), status=status)


class ReferralAdapter(CloudAdapter):  # type: ignore[misc]  # botbuilder ships no types
    """CloudAdapter with a checked HTTP edge, invoke bodies serialised once, paced replies."""

    validator: ChannelTokenValidator | None = None
    inbound: InboundSettings = InboundSettings()
    connector_clients: ConnectorClients
    _authentication: KeptUserTokenClients

    @property
    def bot_framework_authentication(self) -> KeptUserTokenClients:
        return self._authentication

    @bot_framework_authentication.setter
    def bot_framework_authentication(self, value: BotFrameworkAuthentication) -> None:
        """Whatever authentication is set (also later, e.g. bot.inbound.sso), its user-token
        clients are kept across turns (bot.outbound.connector_clients)."""
        if not isinstance(value, KeptUserTokenClients):
            value = KeptUserTokenClients(value)
        self._authentication = value

    outbound: OutboundSender | None = None

    @classmethod
    def from_settings(
        cls,
        bot: BotSettings,
        *,
        authenticate: bool,
        validator: ChannelTokenValidator | None = None,
        credentials_factory: ServiceClientCredentialsFactory | None = None,
        outbound: OutboundSender | None = None,
        inbound: InboundSettings | None = None,
    ) -> ReferralAdapter:
        """With a validator, tokens are checked by it (bot.inbound.channel_token), not by
        botbuilder.
        """
        apply_sdk_speedups()
        config = BotFrameworkConfig.of(bot, authenticate=authenticate)
        adapter = cls(
            ConfigurationBotFrameworkAuthentication(config, credentials_factory=credentials_factory)
        )
        adapter.validator = validator if authenticate else None
        adapter.inbound = inbound or InboundSettings()
        adapter.connector_clients = ConnectorClients()
        adapter.outbound = outbound or OutboundSender()
        return adapter

    async def send_activities(
        self, context: TurnContext, activities: list[Activity]
    ) -> list[ResourceResponse]:
        self._pace_outbound(context)
        responses: list[ResourceResponse] = await super().send_activities(context, activities)
        return responses

    async def update_activity(
        self, context: TurnContext, activity: Activity
    ) -> ResourceResponse | None:
        self._pace_outbound(context)
        response: ResourceResponse | None = await super().update_activity(context, activity)
        return response

    async def process_proactive(
        self,
        claims_identity: ClaimsIdentity,
        continuation_activity: Activity,
        audience: str | None,
        logic: Callable[[TurnContext], Awaitable[None]],
    ) -> None:
        """The SDK's, but on the kept connector clients: a proactive card (bot.outbound.proactive)
        or a card update would otherwise build a client, a session and a connection per send."""
        auth = self.bot_framework_authentication
        factory = self.connector_clients.factory(
            auth.create_connector_factory(claims_identity), _bot_app_id(claims_identity)
        )
        client = await factory.create(continuation_activity.service_url, audience)
        user_tokens = await auth.create_user_token_client(claims_identity)
        context = self._create_turn_context(
            continuation_activity, claims_identity, audience, client, user_tokens, logic, factory
        )
        await self.run_pipeline(context, logic)

    def _pace_outbound(self, context: TurnContext) -> None:
        if self.outbound is not None:
            self.outbound.attach(context.turn_state.get(self.BOT_CONNECTOR_CLIENT_KEY))

    async def process(
        self, request: web.Request, bot: Bot, ws_response: web.WebSocketResponse | None = None
    ) -> web.Response:
        if request.method != "POST":
            raise web.HTTPMethodNotAllowed(request.method, ["POST"])
        header = request.headers.get("Authorization")
        if self.validator is None:  # auth off (demo), or the SDK's own check, which needs the body
            activity = await checked_activity(request, self.inbound)
            if isinstance(activity, web.Response):
                return activity
            authenticated = await self._sdk_authenticated(activity, header)
        else:
            try:
                verified = await self.validator.verify(header)
            except Unauthorized as error:
                logger.info("adapter.unauthorized %s", error)
                return await answered_and_closed(request, web.HTTPUnauthorized())
            connection_authenticated(request)
            activity = await checked_activity(request, self.inbound)
            if isinstance(activity, web.Response):
                return activity
            authenticated = self._checked(verified, activity, self.validator)
        authenticated.connector_factory = self.connector_clients.factory(
            authenticated.connector_factory, _bot_app_id(authenticated.claims_identity)
        )
        invoke = await self.process_activity(authenticated, activity, bot.on_turn)
        return invoke_http_response(invoke)

    async def _sdk_authenticated(
        self, activity: Activity, header: str | None
    ) -> AuthenticateRequestResult:
        try:
            return await self.bot_framework_authentication.authenticate_request(
                activity, header or ""
            )
        except Exception as error:  # the SDK raises PermissionError, IndexError, KeyError, …
            logger.info("adapter.unauthorized %s", type(error).__name__)
            raise web.HTTPUnauthorized() from None

    def _checked(
        self, verified: VerifiedToken, activity: Activity, validator: ChannelTokenValidator
    ) -> AuthenticateRequestResult:
        """The verified token tied to the activity, then the SDK's outbound side for replies."""
        try:
            identity = validator.check_activity(verified, activity)
        except Unauthorized as error:
            logger.info("adapter.unauthorized %s", error)
            raise web.HTTPUnauthorized() from None
        return self._result_for(identity)

    def _result_for(self, identity: ClaimsIdentity) -> AuthenticateRequestResult:
        auth = self.bot_framework_authentication
        result = AuthenticateRequestResult()
        result.claims_identity = identity
        result.audience = auth.get_originating_audience()
        result.caller_id = None  # channel (not skill) requests carry no caller id
        result.connector_factory = auth.create_connector_factory(identity)
        return result


def _bot_app_id(identity: ClaimsIdentity | None) -> str:
    """The bot the activity is for (audience claim); the same for every turn of one bot."""
    claims = getattr(identity, "claims", None) or {}
    return str(claims.get("aud") or claims.get("appid") or "")
