"""Production: the seller's token from the Bot Framework token service (Azure Bot OAuth).

After the seller signs in (Teams SSO exchange or the sign-in card), the token service holds
their token for the bot's own app under the OAuth connection. Each turn asks it through the
adapter's `UserTokenClient` (the CloudAdapter puts one in `turn_state`), keyed by the channel
user id, and binds the answer to the authenticated tenant + AAD object id of the activity.
None means: sign in first. The token is never stored by the bot.
"""

from __future__ import annotations

import logging

from botbuilder.core import TurnContext
from botframework.connector.auth.user_token_client import UserTokenClient

from bot.domain.assertion import UserAssertion
from bot.domain.errors import ServiceUnavailableError
from bot.sign_in.acting_user import acting_user
from bot.sign_in.replies import UNAVAILABLE

logger = logging.getLogger(__name__)
USER_TOKEN_CLIENT_KEY = "UserTokenClient"  # CloudAdapterBase.USER_TOKEN_CLIENT_KEY


def user_token_client(turn_context: TurnContext) -> UserTokenClient | None:
    client = turn_context.turn_state.get(USER_TOKEN_CLIENT_KEY)
    return client if isinstance(client, UserTokenClient) else None


class TokenServiceAssertions:
    """`UserAssertions` over the token service, for the OAuth connection `connection_name`."""

    def __init__(self, connection_name: str) -> None:
        self.connection_name = connection_name

    async def assertion(self, turn_context: TurnContext) -> UserAssertion | None:
        activity = turn_context.activity
        user = acting_user(activity)
        client = user_token_client(turn_context)
        sender_id = getattr(activity.from_property, "id", None)
        if user is None or client is None or not sender_id or not activity.channel_id:
            return None
        try:
            answer = await client.get_user_token(
                sender_id, self.connection_name, activity.channel_id, None
            )
        except Exception as error:  # msrest raises HttpOperationError, ClientRequestError, …
            logger.warning("identity.token_service.unavailable %s", type(error).__name__)
            raise ServiceUnavailableError(UNAVAILABLE) from error
        token = getattr(answer, "token", None)
        if not token:
            return None
        return UserAssertion(tenant_id=user.tenant_id, user_id=user.user_id, token=str(token))

    async def sign_out(self, turn_context: TurnContext) -> None:
        """Forget the seller's token at the token service (`sign out`, revoked consent)."""
        activity = turn_context.activity
        client = user_token_client(turn_context)
        sender_id = getattr(activity.from_property, "id", None)
        if client is None or not sender_id or not activity.channel_id:
            return
        try:
            await client.sign_out_user(sender_id, self.connection_name, activity.channel_id)
        except Exception as error:
            logger.warning("identity.token_service.sign_out_failed %s", type(error).__name__)
            raise ServiceUnavailableError(UNAVAILABLE) from error
