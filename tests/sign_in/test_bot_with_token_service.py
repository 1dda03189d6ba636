"""Sign-in end to end: the bot with the production `TokenServiceAssertions` and `SignInDialog`.

The same path as production: the adapter's `UserTokenClient` asks the token service (here the
emulation, through `token_service_url`), `OAuthPrompt` sends the sign-in card, and the token
goes through the real on-behalf-of provider to the Partner Center emulator.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.cards.confirm_change import CONFIRM_VERB
from bot.settings import BotSettings, StateBackend, StateSettings
from bot.state.sqlite_db import SqliteDatabase
from dialogs.replies import SIGNED_IN, SIGNED_OUT
from emulators.server import RunningEmulators
from tests.support.bot import BotUnderTest, SentActivity, demo_settings, only_card, running_bot
from tests.support.e2e import pending_id
from tests.support.emulators import SELLER, PartnerCenterView
from tests.support.identity import IdentityClient
from tests.support.seeds import REFERRAL_ID
from tests.support.token_service import CONNECTION, TokenServiceControls

OAUTH_CARD = "application/vnd.microsoft.card.oauth"


@pytest.fixture
async def bot(fresh: RunningEmulators) -> AsyncIterator[BotUnderTest]:
    sso = BotSettings(oauth_connection_name=CONNECTION, token_service_url=fresh.token_service_url)
    async with running_bot(demo_settings(fresh, bot=sso)) as running:
        yield running


def oauth_cards(sent: list[SentActivity]) -> list[dict[str, Any]]:
    return [
        attachment["content"]
        for activity in sent
        for attachment in activity.body.get("attachments") or []
        if attachment.get("contentType") == OAUTH_CARD
    ]


def assert_asked_to_sign_in(sent: list[SentActivity]) -> None:
    [card] = oauth_cards(sent)
    assert card["connectionName"] == CONNECTION
    assert "eyJ" not in str(sent)  # no token in anything the seller sees


async def obo_requests(identity: IdentityClient) -> int:
    recorded = await identity.recorded()
    return sum(1 for r in recorded if r["path"].endswith("/oauth2/v2.0/token"))


async def sign_in_by_code(bot: BotUnderTest, token_service: TokenServiceControls) -> str:
    """The seller completes the card and types the code; returns the pending change's id."""
    code = await token_service.sign_in(SELLER, magic_code=True)
    assert code is not None
    sent = await bot.say(code)
    assert SIGNED_IN in [a.text for a in sent]
    return pending_id(only_card(sent))


async def test_without_a_token_the_seller_gets_a_sign_in_card_and_nothing_changes(
    bot: BotUnderTest, partner_center: PartnerCenterView, identity: IdentityClient
) -> None:
    sent = await bot.say("mark 123 won")

    assert_asked_to_sign_in(sent)
    assert await partner_center.patches() == []
    assert await obo_requests(identity) == 0


async def test_after_sign_in_the_command_resumes_and_confirm_patches_once(
    bot: BotUnderTest,
    token_service: TokenServiceControls,
    partner_center: PartnerCenterView,
    identity: IdentityClient,
) -> None:
    assert_asked_to_sign_in(await bot.say("mark 123 won"))

    change = await sign_in_by_code(bot, token_service)
    answer = await bot.click(CONFIRM_VERB, {"pendingId": change})
    again = await bot.click(CONFIRM_VERB, {"pendingId": change})
    await bot.say("show 4711")

    assert answer.status == 200
    assert again.status == 200
    [patch] = await partner_center.patches()
    assert patch["status"] == 200
    assert await obo_requests(identity) == 1  # one OBO; later turns use the seller's cache
    now = await partner_center.referral(REFERRAL_ID)
    assert (now["status"], now["substatus"]) == ("Closed", "Won")


async def test_a_wrong_code_does_not_sign_in(
    bot: BotUnderTest, token_service: TokenServiceControls, partner_center: PartnerCenterView
) -> None:
    await bot.say("mark 123 won")
    code = await token_service.sign_in(SELLER, magic_code=True)

    sent = await bot.say("000000" if code != "000000" else "111111")

    assert SIGNED_IN not in [a.text for a in sent]
    assert not any(activity.cards for activity in sent)
    assert await partner_center.patches() == []


async def test_after_revocation_the_next_command_asks_to_sign_in(
    bot: BotUnderTest, token_service: TokenServiceControls
) -> None:
    await token_service.sign_in(SELLER)
    only_card(await bot.say("mark 123 won"))

    await token_service.revoke(SELLER)

    assert_asked_to_sign_in(await bot.say("mark 4711 won"))


async def test_sign_out_signs_out_at_the_token_service(
    bot: BotUnderTest, token_service: TokenServiceControls
) -> None:
    await token_service.sign_in(SELLER)

    sent = await bot.say("sign out")

    assert [a.text for a in sent] == [SIGNED_OUT]
    assert await token_service.recorded(path="/api/usertoken/SignOut")
    assert_asked_to_sign_in(await bot.say("mark 123 won"))


async def test_a_refused_token_is_signed_out_and_the_change_resumes_after_sign_in(
    bot: BotUnderTest,
    token_service: TokenServiceControls,
    partner_center: PartnerCenterView,
    identity: IdentityClient,
) -> None:
    await token_service.sign_in(SELLER)
    await identity.set_user(SELLER, consent_required=True)  # Entra refuses the OBO

    sent = await bot.say("mark 123 won")

    assert_asked_to_sign_in(sent)
    assert await token_service.recorded(path="/api/usertoken/SignOut")
    await identity.set_user(SELLER, consent_required=False)
    change = await sign_in_by_code(bot, token_service)
    await bot.click(CONFIRM_VERB, {"pendingId": change})
    [patch] = await partner_center.patches()
    assert patch["status"] == 200


async def test_a_confirm_without_a_token_keeps_the_change_for_after_sign_in(
    bot: BotUnderTest, token_service: TokenServiceControls, partner_center: PartnerCenterView
) -> None:
    await token_service.sign_in(SELLER)
    change = pending_id(only_card(await bot.say("mark 123 won")))
    await token_service.revoke(SELLER)

    refused = await bot.click(CONFIRM_VERB, {"pendingId": change})
    assert "sign in" in str(refused.body).casefold()
    assert await partner_center.patches() == []

    await token_service.sign_in(SELLER)
    applied = await bot.click(CONFIRM_VERB, {"pendingId": change})
    again = await bot.click(CONFIRM_VERB, {"pendingId": change})

    assert applied.status == 200
    assert again.status == 200
    [patch] = await partner_center.patches()
    assert patch["status"] == 200


async def test_sign_in_command_then_confirm_again_applies_the_kept_change_once(
    bot: BotUnderTest, token_service: TokenServiceControls, partner_center: PartnerCenterView
) -> None:
    await token_service.sign_in(SELLER)
    change = pending_id(only_card(await bot.say("mark 123 won")))
    await token_service.revoke(SELLER)
    assert "sign in" in str((await bot.click(CONFIRM_VERB, {"pendingId": change})).body).lower()

    assert_asked_to_sign_in(await bot.say("sign in"))
    code = await token_service.sign_in(SELLER, magic_code=True)
    assert code is not None
    sent = await bot.say(code)
    assert [a.text for a in sent] == [SIGNED_IN]  # nothing re-run: no command was waiting
    await bot.click(CONFIRM_VERB, {"pendingId": change})
    await bot.click(CONFIRM_VERB, {"pendingId": change})

    [patch] = await partner_center.patches()
    assert patch["status"] == 200


async def test_sign_out_deletes_the_sellers_referral_index(
    fresh: RunningEmulators, token_service: TokenServiceControls, tmp_path: Path
) -> None:
    sso = BotSettings(oauth_connection_name=CONNECTION, token_service_url=fresh.token_service_url)
    state = StateSettings(backend=StateBackend.SQLITE, sqlite_path=tmp_path / "state.sqlite3")
    async with running_bot(demo_settings(fresh, bot=sso, state=state)) as bot:
        await token_service.sign_in(SELLER)
        assert only_card(await bot.say("show Contoso"))  # searched on a new index, saved
        assert await referral_indexes_stored(state.sqlite_path) == 1

        sent = await bot.say("sign out")

        assert [a.text for a in sent] == [SIGNED_OUT]
        assert await referral_indexes_stored(state.sqlite_path) == 0


async def referral_indexes_stored(path: Path) -> int:
    database = await SqliteDatabase.open(path)
    try:
        sql = "SELECT COUNT(*) FROM referral_indexes"
        count: int = (await database.run(lambda c: c.execute(sql).fetchone()))[0]
        return count
    finally:
        await database.aclose()
