"""The Bot Framework adapter, with the two seams botbuilder 4.17.1 gets wrong fixed.

1. Invoke answers (TOOLCHAIN §4): `ActivityHandler` already turns an invoke body into a dict,
   and the stock `CloudAdapter.process` serialises it a second time, so every
   `adaptiveCard/action` answers HTTP 500 (`'dict' object has no attribute 'is_xml_model'`).
   Here a body is serialised once: msrest models are serialised, dicts and lists pass as they are.
2. The HTTP edge (TOOLCHAIN §3): the stock path answers 500 for a missing Content-Type, bad JSON
   and many bad tokens. Here a request is checked before the SDK sees it (415, 400, 413 from
   aiohttp's size limit) and any failure to authenticate it is a 401, never a 500.

Also (TOOLCHAIN §7), the SDK's own per-turn CPU: the adapter keeps one connector client per
(bot, serviceUrl, audience) across turns (`bot.connector_clients`) instead of building one per
activity, and `bot.sdk_speedups` removes msrest's and TurnContext's avoidable work; both are set
up when an adapter is built.

Outbound (issue 6): what a turn sends, replies and updates goes through `bot.outbound`
(paced to Teams' per-conversation limits, sent again after a 429 or a transient 5xx). Invoke
answers are the HTTP response, not a connector call, so they are never paced or delayed.
"""

from __future__ import annotations

import json
import logging
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

from bot.connector_clients import ConnectorClients, KeptUserTokenClients
from bot.inbound_auth import ChannelTokenValidator, Unauthorized
from bot.outbound import OutboundSender
from bot.sdk_speedups import apply_sdk_speedups
from bot.settings import BotSettings

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


def _bad_request(reason: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(text=json.dumps({"error": reason}), content_type="application/json")


async def read_activity(request: web.Request) -> Activity:
    """The posted activity, or an HTTP 4xx saying what is wrong with the request."""
    if request.content_type != "application/json":
        raise web.HTTPUnsupportedMediaType(text="send application/json")
    try:
        body = json.loads(await request.read())
    except (ValueError, UnicodeDecodeError):
        raise _bad_request("the body is not JSON") from None
    except RecursionError:  # ~1,000 nested brackets exhaust the C decoder's recursion
        raise _bad_request("the body is nested too deeply") from None
    if not isinstance(body, dict):
        raise _bad_request("the body is not an activity")
    try:
        activity = Activity().deserialize(body)
    except Exception:  # msrest raises several types for malformed fields
        raise _bad_request("the activity is malformed") from None
    if not activity.type or not activity.service_url or not activity.conversation:
        raise _bad_request("the activity needs type, serviceUrl and conversation")
    return activity


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
    connector_clients: ConnectorClients
    _authentication: KeptUserTokenClients

    @property
    def bot_framework_authentication(self) -> KeptUserTokenClients:
        return self._authentication

    @bot_framework_authentication.setter
    def bot_framework_authentication(self, value: BotFrameworkAuthentication) -> None:
        """Whatever authentication is set (also later, e.g. bot.auth.sso), its user-token
        clients are kept across turns (bot.connector_clients)."""
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
    ) -> ReferralAdapter:
        """With a validator, tokens are checked by it (bot.inbound_auth), not by botbuilder."""
        apply_sdk_speedups()
        config = BotFrameworkConfig.of(bot, authenticate=authenticate)
        adapter = cls(
            ConfigurationBotFrameworkAuthentication(config, credentials_factory=credentials_factory)
        )
        adapter.validator = validator if authenticate else None
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

    def _pace_outbound(self, context: TurnContext) -> None:
        if self.outbound is not None:
            self.outbound.attach(context.turn_state.get(self.BOT_CONNECTOR_CLIENT_KEY))

    async def process(
        self, request: web.Request, bot: Bot, ws_response: web.WebSocketResponse | None = None
    ) -> web.Response:
        if request.method != "POST":
            raise web.HTTPMethodNotAllowed(request.method, ["POST"])
        activity = await read_activity(request)
        authenticated = await self._authenticate(activity, request.headers.get("Authorization"))
        authenticated.connector_factory = self.connector_clients.factory(
            authenticated.connector_factory, _bot_app_id(authenticated.claims_identity)
        )
        invoke = await self.process_activity(authenticated, activity, bot.on_turn)
        return invoke_http_response(invoke)

    async def _authenticate(
        self, activity: Activity, header: str | None
    ) -> AuthenticateRequestResult:
        if self.validator is not None:
            return await self._validated(activity, header, self.validator)
        try:
            return await self.bot_framework_authentication.authenticate_request(
                activity, header or ""
            )
        except Exception as error:  # the SDK raises PermissionError, IndexError, KeyError, …
            logger.info("adapter.unauthorized %s", type(error).__name__)
            raise web.HTTPUnauthorized() from None

    async def _validated(
        self, activity: Activity, header: str | None, validator: ChannelTokenValidator
    ) -> AuthenticateRequestResult:
        """Our own validation, then the SDK's outbound side (connector factory) for replies."""
        try:
            identity = await validator.validate(header, activity)
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
