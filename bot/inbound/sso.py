"""Reach the Bot Framework token service at a configured URL (tests, demo, sovereign clouds).

botbuilder 4.17.1 only takes a token-service URL (`OAUTH_URL`) in its parameterized mode, which
also replaces the public-cloud inbound and outbound settings. Wrapping the adapter's
authentication changes only where user tokens come from (`OAuthPrompt`, Teams SSO exchange,
sign-out); everything else is delegated unchanged.
"""

from __future__ import annotations

from botbuilder.core import Storage
from botbuilder.core.teams import TeamsSSOTokenExchangeMiddleware
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationServiceClientCredentialFactory
from botframework.connector.auth import (
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ServiceClientCredentialsFactory,
)
from botframework.connector.auth._user_token_client_impl import _UserTokenClientImpl
from botframework.connector.auth.user_token_client import UserTokenClient

from bot.inbound.adapter import BotFrameworkConfig
from bot.outbound.connector_clients import DelegatingAuthentication
from bot.settings import BotSettings


class TokenServiceAuthentication(DelegatingAuthentication):
    """`inner`, except that user-token clients talk to `token_service_url`.

    `default_app_id` names the bot's app when a turn has no authenticated app id (demo mode):
    the token service needs it in the sign-in state.
    """

    def __init__(
        self,
        inner: BotFrameworkAuthentication,
        credentials: ServiceClientCredentialsFactory,
        token_service_url: str,
        default_app_id: str = "",
    ) -> None:
        super().__init__(inner)
        self._default_app_id = default_app_id
        self._credentials = credentials
        self._url = token_service_url.rstrip("/")

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        app_id = claims_identity.get_claim_value(AuthenticationConstants.AUDIENCE_CLAIM)
        if app_id is None:
            app_id = claims_identity.get_claim_value(AuthenticationConstants.APP_ID_CLAIM)
        app_id = app_id or self._default_app_id  # unauthenticated (demo): the bot's own app
        credentials = await self._credentials.create_credentials(
            app_id,
            oauth_scope=AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE,
            login_endpoint=AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX,
            validate_authority=True,
        )
        return _UserTokenClientImpl(app_id, credentials, self._url)


def use_token_service(
    adapter: CloudAdapter,
    bot: BotSettings,
    *,
    authenticate: bool,
    credentials: ServiceClientCredentialsFactory | None = None,
    default_app_id: str = "",
) -> None:
    """Point the adapter's user-token clients at `bot.token_service_url`, when it is set."""
    if not bot.token_service_url:
        return
    if credentials is None:
        config = BotFrameworkConfig.of(bot, authenticate=authenticate)
        credentials = ConfigurationServiceClientCredentialFactory(config)
    adapter.bot_framework_authentication = TokenServiceAuthentication(
        adapter.bot_framework_authentication,
        credentials,
        bot.token_service_url,
        default_app_id or bot.app_id,
    )


def use_teams_sso(adapter: CloudAdapter, storage: Storage, connection_name: str) -> None:
    """Teams SSO: answer `signin/tokenExchange` invokes once each (deduplicated in `storage`)."""
    if connection_name:
        adapter.use(TeamsSSOTokenExchangeMiddleware(storage, connection_name))
