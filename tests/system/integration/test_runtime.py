"""The bot runtime over loopback with stand-in dialogs: HTTP edge, state, errors, card invokes."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import aiohttp
import pytest

from emulators.server import RunningEmulators
from tests.support.activities import TeamsUser, channel_thread, message_payload, personal_chat
from tests.support.bot import BotUnderTest, demo_settings, running_bot
from tests.support.e2e import obo_grants
from tests.support.emulators import OTHER_SELLER, SELLER
from tests.support.identity import IdentityClient
from tests.support.standins import FAULT_TEXT, StandInCardActions, StandInDialog


@pytest.fixture
async def bot(fresh: RunningEmulators) -> AsyncIterator[BotUnderTest]:
    settings = demo_settings(fresh)
    async with running_bot(
        settings, root_dialog=StandInDialog, card_actions=StandInCardActions
    ) as running:
        yield running


async def test_health_check_answers_ok(bot: BotUnderTest, session: aiohttp.ClientSession) -> None:
    async with session.get(f"{bot.base_url}/healthz") as answer:
        assert answer.status == 200
        assert await answer.json() == {"status": "ok"}


async def test_personal_message_runs_the_root_dialog_and_replies_through_the_connector(
    bot: BotUnderTest,
) -> None:
    sent = await bot.say("hello there")

    assert [activity.text for activity in sent] == ["echo: hello there"]
    assert sent[0].body["recipient"]["id"] == TeamsUser.of(SELLER).id
    assert sent[0].body["conversation"]["id"] == personal_chat(SELLER).id


async def test_channel_mention_is_removed_before_the_dialog_sees_the_text(
    bot: BotUnderTest,
) -> None:
    sent = await bot.say("hello", conversation=channel_thread(), mention=True)

    assert [activity.text for activity in sent] == ["echo: hello"]


async def test_two_sellers_in_one_channel_keep_separate_dialogs(bot: BotUnderTest) -> None:
    channel = channel_thread()

    asked = await bot.say("start", user=SELLER, conversation=channel, mention=True)
    other = await bot.say("Olga", user=OTHER_SELLER, conversation=channel, mention=True)
    answered = await bot.say("Sam", user=SELLER, conversation=channel, mention=True)

    assert [a.text for a in asked] == ["What's your name?"]
    assert [a.text for a in other] == ["echo: Olga"]
    assert [a.text for a in answered] == ["Thanks, Sam"]


async def test_a_fault_is_answered_with_an_apology_and_reference_never_the_exception(
    bot: BotUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="bot.inbound.turn_errors"):
        sent = await bot.say("boom")

    [reply] = sent
    assert "Sorry" in reply.text
    assert FAULT_TEXT not in reply.text
    assert "kaboom" not in reply.text
    assert "eyJ" not in reply.text
    [record] = [r for r in caplog.records if r.name == "bot.inbound.turn_errors"]
    reference = reply.text.rstrip(".").rsplit(" ", 1)[-1]
    assert reference in record.getMessage()
    assert record.exc_info is not None


async def test_a_fault_resets_the_sellers_dialog(bot: BotUnderTest) -> None:
    await bot.say("start")
    await bot.say("boom")  # fails in the prompt's next step

    after = await bot.say("Sam")

    assert [a.text for a in after] == ["echo: Sam"]


async def test_card_action_invoke_answers_http_200_with_the_card_serialised_once(
    bot: BotUnderTest,
) -> None:
    answer = await bot.click("test.verb", {"pendingId": "p-1"})

    assert answer.status == 200
    assert answer.card["body"][0]["text"] == "test.verb {'pendingId': 'p-1'}"


async def test_failing_card_action_answers_an_error_invoke_response_without_details(
    bot: BotUnderTest,
) -> None:
    answer = await bot.click("test.explode", {})

    assert answer.status == 200
    assert answer.body["type"] == "application/vnd.microsoft.error"
    assert "Sorry" in answer.body["value"]["message"]
    assert FAULT_TEXT not in str(answer.body)
    assert "kaboom" not in str(answer.body)
    assert bot.connector.sent == []


async def test_invoke_without_a_verb_is_a_bad_request_answer(bot: BotUnderTest) -> None:
    payload = message_payload("x") | {"type": "invoke", "name": "adaptiveCard/action"}
    payload["value"] = {"action": {"type": "Action.Execute"}}

    response = await bot.post(payload)

    assert response.status == 200
    body = await response.json()
    assert body["statusCode"] == 400
    assert body["type"] == "application/vnd.microsoft.error"
    assert bot.connector.sent == []


@pytest.mark.parametrize(
    ("headers", "body", "status"),
    [
        ({"Content-Type": "text/plain"}, b"{}", 415),
        ({"Content-Type": "application/json"}, b"{not json", 400),
        ({"Content-Type": "application/json"}, b"[1, 2]", 400),
        ({"Content-Type": "application/json"}, b'{"text": "no type"}', 400),
    ],
)
async def test_malformed_requests_get_4xx_never_500(
    bot: BotUnderTest,
    session: aiohttp.ClientSession,
    headers: dict[str, str],
    body: bytes,
    status: int,
) -> None:
    async with session.post(bot.messages_url, data=body, headers=headers) as answer:
        assert answer.status == status


async def test_show_goes_through_dev_sso_obo_and_the_client_to_the_emulator(
    bot: BotUnderTest,
) -> None:
    sent = await bot.say("show 123")

    assert [a.text for a in sent] == ["123: Contoso cloud migration"]


async def test_one_obo_and_one_sso_token_serve_several_turns_of_a_seller(
    bot: BotUnderTest, identity: IdentityClient
) -> None:
    for _ in range(3):
        sent = await bot.say("show 4711")
        assert [a.text for a in sent] == ["4711: Fabrikam renewal"]

    assert obo_grants(await identity.recorded()) == 1


async def test_each_seller_gets_their_own_obo_token(
    bot: BotUnderTest, identity: IdentityClient
) -> None:
    await bot.say("show 123", user=SELLER)
    await bot.say("show 123", user=OTHER_SELLER)
    await bot.say("show 123", user=SELLER)

    assert obo_grants(await identity.recorded()) == 2
