"""Teams completes a sign-in with an invoke (`signin/verifyState`, SSO `signin/tokenExchange`).

`ReferralBot` runs the dialog for them (`bot.sign_in.invokes.SignInInvokes`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.cards.confirm_change import CONFIRM_VERB
from bot.settings import BotSettings
from dialogs.replies import SIGNED_IN
from emulators.server import RunningEmulators
from tests.sign_in.test_bot_with_token_service import assert_asked_to_sign_in
from tests.support.activities import message_payload
from tests.support.bot import BotUnderTest, demo_settings, only_card, running_bot
from tests.support.e2e import pending_id
from tests.support.emulators import SELLER, PartnerCenterView
from tests.support.identity import IdentityClient
from tests.support.token_service import CONNECTION, TokenServiceControls


@pytest.fixture
async def bot(
    fresh: RunningEmulators,
) -> AsyncIterator[BotUnderTest]:
    sso = BotSettings(oauth_connection_name=CONNECTION, token_service_url=fresh.token_service_url)
    async with running_bot(demo_settings(fresh, bot=sso)) as running:
        yield running


async def invoke(bot: BotUnderTest, name: str, value: dict[str, Any]) -> tuple[int, list[Any]]:
    before = len(bot.connector.sent)
    payload = message_payload("") | {"type": "invoke", "name": name, "value": value}
    payload.pop("text")
    response = await bot.post(payload)
    return response.status, bot.connector.sent[before:]


async def test_verify_state_completes_the_sign_in_and_resumes_the_command(
    bot: BotUnderTest, token_service: TokenServiceControls, partner_center: PartnerCenterView
) -> None:
    assert_asked_to_sign_in(await bot.say("mark 123 won"))
    code = await token_service.sign_in(SELLER, magic_code=True)

    status, sent = await invoke(bot, "signin/verifyState", {"state": code})

    assert status == 200
    assert SIGNED_IN in [a.text for a in sent]
    change = pending_id(only_card(sent))
    await bot.click(CONFIRM_VERB, {"pendingId": change})
    [patch] = await partner_center.patches()
    assert patch["status"] == 200


async def test_sso_token_exchange_signs_in_without_a_card_click(
    bot: BotUnderTest, token_service: TokenServiceControls, identity: IdentityClient
) -> None:
    assert_asked_to_sign_in(await bot.say("mark 123 won"))
    teams_token = await identity.sso_token(SELLER)
    value = {"id": "exchange-1", "connectionName": CONNECTION, "token": teams_token}

    status, sent = await invoke(bot, "signin/tokenExchange", value)

    assert status == 200
    assert SIGNED_IN in [a.text for a in sent]
    only_card(sent)
    assert await token_service.recorded(path="/api/usertoken/exchange")


def test_the_bot_handles_teams_sign_in_invokes() -> None:
    from bot.inbound.activity_handler import ReferralBot
    from bot.sign_in.invokes import SignInInvokes

    assert issubclass(ReferralBot, SignInInvokes)
