"""The token-service emulation answers botframework-connector 4.17.1's own client."""

from __future__ import annotations

import jwt
import pytest
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount
from botframework.connector.auth import MicrosoftAppCredentials
from botframework.connector.auth._user_token_client_impl import _UserTokenClientImpl
from botframework.connector.token_api.models import TokenExchangeRequest

from emulators.config import DEMO_BOT_APP_ID
from emulators.server import RunningEmulators
from tests.support.activities import TeamsUser
from tests.support.emulators import OTHER_SELLER, SELLER
from tests.support.identity import IdentityClient
from tests.support.token_service import CONNECTION, TokenServiceControls

CHANNEL = "msteams"
SELLER_ID = TeamsUser.of(SELLER).id


@pytest.fixture
def client(fresh: RunningEmulators) -> _UserTokenClientImpl:
    return _UserTokenClientImpl(
        DEMO_BOT_APP_ID, MicrosoftAppCredentials.empty(), fresh.token_service_url
    )


def claims_of(token: str) -> dict[str, object]:
    decoded: dict[str, object] = jwt.decode(token, options={"verify_signature": False})
    return decoded


async def test_no_token_before_sign_in(client: _UserTokenClientImpl) -> None:
    assert await client.get_user_token(SELLER_ID, CONNECTION, CHANNEL, None) is None


async def test_after_sign_in_the_token_is_a_real_sso_token_for_the_bot_app(
    client: _UserTokenClientImpl, token_service: TokenServiceControls
) -> None:
    assert await token_service.sign_in(SELLER) is None

    answer = await client.get_user_token(SELLER_ID, CONNECTION, CHANNEL, None)

    assert answer.connection_name == CONNECTION
    assert answer.channel_id == CHANNEL
    assert answer.expiration
    claims = claims_of(answer.token)
    assert claims["oid"] == SELLER.oid
    assert claims["tid"] == SELLER.tenant_id
    assert DEMO_BOT_APP_ID in str(claims["aud"])


async def test_a_sign_in_is_bound_to_the_requester(
    client: _UserTokenClientImpl, token_service: TokenServiceControls
) -> None:
    await token_service.sign_in(SELLER)

    other = TeamsUser.of(OTHER_SELLER).id
    assert await client.get_user_token(other, CONNECTION, CHANNEL, None) is None
    assert await client.get_user_token(SELLER_ID, "OtherConnection", CHANNEL, None) is None


async def test_magic_code_completes_the_sign_in_only_when_right(
    client: _UserTokenClientImpl, token_service: TokenServiceControls
) -> None:
    code = await token_service.sign_in(SELLER, magic_code=True)
    assert code is not None
    assert len(code) == 6

    assert await client.get_user_token(SELLER_ID, CONNECTION, CHANNEL, None) is None
    wrong = "000000" if code != "000000" else "111111"
    assert await client.get_user_token(SELLER_ID, CONNECTION, CHANNEL, wrong) is None
    assert (await client.get_user_token(SELLER_ID, CONNECTION, CHANNEL, code)).token
    assert (await client.get_user_token(SELLER_ID, CONNECTION, CHANNEL, None)).token


async def test_sign_out_forgets_the_token(
    client: _UserTokenClientImpl, token_service: TokenServiceControls
) -> None:
    await token_service.sign_in(SELLER)

    await client.sign_out_user(SELLER_ID, CONNECTION, CHANNEL)

    assert await client.get_user_token(SELLER_ID, CONNECTION, CHANNEL, None) is None


async def test_revoke_control_forgets_the_token(
    client: _UserTokenClientImpl, token_service: TokenServiceControls
) -> None:
    await token_service.sign_in(SELLER)

    assert await token_service.revoke(SELLER) == 1

    assert await client.get_user_token(SELLER_ID, CONNECTION, CHANNEL, None) is None


async def test_token_status_and_aad_tokens(
    client: _UserTokenClientImpl, token_service: TokenServiceControls
) -> None:
    await token_service.sign_in(SELLER)

    [status] = await client.get_token_status(SELLER_ID, CHANNEL, None)
    assert (status.connection_name, status.has_token) == (CONNECTION, True)
    tokens = await client.get_aad_tokens(SELLER_ID, CONNECTION, ["https://x.example"], CHANNEL)
    assert claims_of(tokens["https://x.example"].token)["oid"] == SELLER.oid


async def test_sso_exchange_trades_a_teams_token_and_signs_the_user_in(
    client: _UserTokenClientImpl, identity: IdentityClient
) -> None:
    teams_token = await identity.sso_token(SELLER)

    answer = await client.exchange_token(
        SELLER_ID, CONNECTION, CHANNEL, TokenExchangeRequest(token=teams_token)
    )

    assert claims_of(answer.token)["oid"] == SELLER.oid
    assert (await client.get_user_token(SELLER_ID, CONNECTION, CHANNEL, None)).token


async def test_sso_exchange_refuses_a_forged_token(client: _UserTokenClientImpl) -> None:
    forged = jwt.encode({"oid": SELLER.oid}, "k" * 40, algorithm="HS256")

    answer = await client.exchange_token(
        SELLER_ID, CONNECTION, CHANNEL, TokenExchangeRequest(token=forged)
    )

    assert getattr(answer, "token", None) is None
    assert await client.get_user_token(SELLER_ID, CONNECTION, CHANNEL, None) is None


async def test_sign_in_resource_names_the_bot_app_for_sso(client: _UserTokenClientImpl) -> None:
    activity = Activity(
        type="message",
        channel_id=CHANNEL,
        service_url="http://127.0.0.1:1/",
        from_property=ChannelAccount(id=SELLER_ID),
        recipient=ChannelAccount(id="28:bot"),
        conversation=ConversationAccount(id="a:1"),
        id="1",
    )

    resource = await client.get_sign_in_resource(CONNECTION, activity, None)

    assert resource.sign_in_link.startswith("http://127.0.0.1:")
    assert resource.token_exchange_resource.uri == f"api://{DEMO_BOT_APP_ID}/access_as_user"


async def test_controls_refuse_bad_requests(token_service: TokenServiceControls) -> None:
    status, _ = await token_service.post("/_emulator/token-service/sign-in", {"oid": SELLER.oid})
    assert status == 400
    unknown = {"user_id": SELLER_ID, "oid": "nobody", "connection_name": CONNECTION}
    status, _ = await token_service.post("/_emulator/token-service/sign-in", unknown)
    assert status == 404


async def test_requests_are_recorded_without_tokens(
    client: _UserTokenClientImpl, token_service: TokenServiceControls
) -> None:
    await token_service.sign_in(SELLER)
    await client.get_user_token(SELLER_ID, CONNECTION, CHANNEL, None)

    [recorded] = await token_service.recorded(path="/api/usertoken/GetToken")
    assert recorded["status"] == 200
    assert "eyJ" not in str(recorded)
