"""Bot Framework SDK clients kept across turns: connector clients and user-token clients.

botbuilder 4.17.1 builds a new `ConnectorClient` for every incoming activity: a msrest
configuration (a config parser, two `requests` sessions, a retry policy), a serializer over all
connector models, credentials, and a fresh TCP (and TLS) connection for the reply. That is most
of the CPU a bare echo turn costs (docs/performance.md). The client holds nothing turn-specific (the
credentials fetch and cache the bot's own token; the reply's URL comes from each call), so the
adapter keeps one per key in a small LRU and closes them when the app stops. The same holds for
the user-token client (`TokenApiClient`, one more msrest configuration) the SDK builds for every
activity: `KeptUserTokenClients` keeps one per bot app id.

The connector clients send over one shared aiohttp session (`bot.outbound.transport`) instead of
msrest's `requests` in a worker thread; the user-token clients (sign-in only) keep msrest's own.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
)
from botframework.connector.auth.user_token_client import UserTokenClient
from botframework.connector.skills import BotFrameworkClient

from bot.outbound.transport import ConnectorTransport

Key = tuple[str, str, str]  # (bot app id, serviceUrl, audience)


class ConnectorClients:
    """The adapter's connector clients; `factory(inner, app_id)` hands them out per turn."""

    def __init__(self, *, max_clients: int = 64) -> None:
        self._clients: OrderedDict[Key, ConnectorClient] = OrderedDict()
        self._retired: list[ConnectorClient] = []
        self._max_clients = max_clients
        self.transport = ConnectorTransport()

    def factory(self, inner: ConnectorFactory, app_id: str | None) -> ConnectorFactory:
        return _CachingFactory(self, inner, app_id or "")

    async def client(
        self, inner: ConnectorFactory, key: Key, service_url: str, audience: str | None
    ) -> ConnectorClient:
        found = self._clients.get(key)
        if found is not None:
            self._clients.move_to_end(key)
            return found
        created: ConnectorClient = await inner.create(service_url, audience)
        self.transport.install(created)
        winner = self._clients.setdefault(key, created)  # another turn may have made one first
        if winner is not created:
            await _close(created)
            return winner
        while len(self._clients) > self._max_clients:
            # maybe still in use by a running turn: closed later, when it is surely idle
            self._retired.append(self._clients.popitem(last=False)[1])
        while len(self._retired) > self._max_clients:
            await _close(self._retired.pop(0))
        return self._clients[key]

    def __len__(self) -> int:
        return len(self._clients)

    async def aclose(self) -> None:
        clients = [*self._clients.values(), *self._retired]
        self._clients.clear()
        self._retired.clear()
        for client in clients:
            await _close(client)
        await self.transport.aclose()


async def _close(client: Any) -> None:
    """msrest's requests sender owns a `requests.Session`: leaving the client closes it."""
    await client.__aexit__(None, None, None)


class _CachingFactory(ConnectorFactory):  # type: ignore[misc]  # botbuilder ships no types
    def __init__(self, clients: ConnectorClients, inner: ConnectorFactory, app_id: str) -> None:
        self._clients = clients
        self._inner = inner
        self._app_id = app_id

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        key = (self._app_id, service_url, audience or "")
        return await self._clients.client(self._inner, key, service_url, audience)


class DelegatingAuthentication(BotFrameworkAuthentication):  # type: ignore[misc]  # no SDK types
    """`inner` for everything; subclasses replace only what they change."""

    def __init__(self, inner: BotFrameworkAuthentication) -> None:
        self.inner = inner

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        return await self.inner.create_user_token_client(claims_identity)

    async def authenticate_request(
        self, activity: Activity, auth_header: str
    ) -> AuthenticateRequestResult:
        return await self.inner.authenticate_request(activity, auth_header)

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        return await self.inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return self.inner.create_connector_factory(claims_identity)

    def create_bot_framework_client(self) -> BotFrameworkClient:
        return self.inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return str(self.inner.get_originating_audience())

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self.inner.authenticate_channel_request(auth_header)


class KeptUserTokenClients(DelegatingAuthentication):
    """`inner`, except that its user-token client for a bot app id is made once, not per turn."""

    def __init__(self, inner: BotFrameworkAuthentication, *, max_clients: int = 16) -> None:
        super().__init__(inner)
        self._clients: OrderedDict[tuple[str, str], UserTokenClient] = OrderedDict()
        self._max_clients = max_clients

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        key = (
            str(claims_identity.get_claim_value(AuthenticationConstants.AUDIENCE_CLAIM) or ""),
            str(claims_identity.get_claim_value(AuthenticationConstants.APP_ID_CLAIM) or ""),
        )
        found = self._clients.get(key)
        if found is None:
            found = await self.inner.create_user_token_client(claims_identity)
            self._clients[key] = found
            while len(self._clients) > self._max_clients:
                self._clients.popitem(last=False)  # unused for long; garbage-collected
        return found

    def __len__(self) -> int:
        return len(self._clients)

    async def aclose(self) -> None:
        clients = list(self._clients.values())
        self._clients.clear()
        for client in clients:
            inner_client = getattr(client, "_client", None)  # the SDK's msrest TokenApiClient
            if inner_client is not None:
                await _close(inner_client)
