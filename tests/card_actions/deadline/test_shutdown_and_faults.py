"""Saving in the background, at its edges: app shutdown, an unexpected fault, inbound auth on.

The click's deadline passes at once (`Deadline`, tests/card_actions/deadline/clicks.py).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping
from typing import Any

import aiohttp
import pytest
from botbuilder.core import TurnContext
from botframework.connector.auth import AppCredentials

from bot.cards.confirm_change import CONFIRM_VERB
from dialogs.ports import DialogServices
from emulators.channel_keys import ChannelKeyServer, FixedCredentialsFactory, TokenMinter
from emulators.config import DEMO_BOT_APP_ID
from emulators.server import RunningEmulators
from tests.card_actions.deadline.clicks import (
    SLOW,
    Click,
    Deadline,
    card_work,
    send,
    updates_of,
)
from tests.card_actions.deadline.test_slow_partner_center import PATCH_123, assert_saving
from tests.support.activities import message_payload
from tests.support.bot import authed_settings, demo_settings, only_card, running_bot
from tests.support.e2e import pending_id, propose, text_of
from tests.support.emulators import PartnerCenterView
from tests.support.seeds import REFERRAL_ID


async def test_shutdown_while_saving_finishes_the_save_and_leaves_nothing_running(
    fresh: RunningEmulators, partner_center: PartnerCenterView, session: aiohttp.ClientSession
) -> None:
    async with running_bot(demo_settings(fresh), answer_sleep=Deadline().sleep) as bot:
        _, change = await propose(bot, "mark 123 won")
        await partner_center.add_fault("latency", seconds=SLOW, **PATCH_123)
        click = Click.of(CONFIRM_VERB, {"pendingId": change})
        answer = await send(bot, session, click)
        assert_saving(answer.card)
        assert card_work() != []  # the app shuts down while the PATCH is in flight

    assert card_work() == []
    [update] = await updates_of(bot, click, within=0.0)
    assert "Won" in text_of(update.cards[0])
    assert [p["status"] for p in await partner_center.patches()] == [200]


class SlowThenBroken:
    """Card actions that fail after the invoke was answered (a bug, not a Partner Center error)."""

    def __init__(self, services: DialogServices) -> None:
        self.services = services

    async def dispatch(
        self, turn_context: TurnContext, verb: str, data: Mapping[str, Any]
    ) -> dict[str, Any]:
        await asyncio.sleep(SLOW)  # past the deadline
        raise RuntimeError("a bug after the answer")


async def test_a_fault_after_saving_is_logged_with_its_correlation_id_and_told_honestly(
    fresh: RunningEmulators, session: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    settings = demo_settings(fresh)
    async with running_bot(
        settings, card_actions=SlowThenBroken, answer_sleep=Deadline().sleep
    ) as bot:
        click = Click.of(CONFIRM_VERB, {"pendingId": "p-1"})
        with caplog.at_level(logging.INFO, logger="bot.card_actions.deadline"):
            answer = await send(bot, session, click)
            [update] = await updates_of(bot, click)

    assert_saving(answer.card)
    text = text_of(update.cards[0])
    assert "can't tell whether your change was saved" in text
    [saving_id] = re.findall(r"card_action\.saving correlation_id=(\w+)", caplog.text)
    [failed] = [r for r in caplog.records if r.getMessage().startswith("card_action.failed")]
    assert failed.getMessage() == f"card_action.failed correlation_id={saving_id}"
    assert failed.exc_info is not None
    assert saving_id in text
    assert "a bug after the answer" not in text


class RecordingCredentials(FixedCredentialsFactory):
    """Which app id each outbound connector was made for."""

    def __init__(self, app_id: str) -> None:
        super().__init__(app_id)
        self.app_ids: list[str] = []

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> AppCredentials:
        self.app_ids.append(app_id)
        return await super().create_credentials(
            app_id, oauth_scope, login_endpoint, validate_authority
        )


async def test_with_inbound_auth_on_the_card_is_updated_as_the_bots_app(
    fresh: RunningEmulators,
    keys: ChannelKeyServer,
    partner_center: PartnerCenterView,
    session: aiohttp.ClientSession,
) -> None:
    credentials = RecordingCredentials(DEMO_BOT_APP_ID)
    settings = authed_settings(fresh, keys)
    async with running_bot(
        settings, credentials_factory=credentials, answer_sleep=Deadline().sleep
    ) as bot:
        minter = TokenMinter(keys.published[0], DEMO_BOT_APP_ID)
        headers = {"Authorization": f"Bearer {minter.token(bot._connector_url)}"}
        body = message_payload("mark 123 won") | {"serviceUrl": bot._connector_url}
        async with session.post(bot.messages_url, json=body, headers=headers) as proposed:
            assert proposed.status in (200, 201)
        change = pending_id(only_card(bot.connector.sent))
        await partner_center.add_fault("latency", seconds=SLOW, **PATCH_123)
        click = Click.of(CONFIRM_VERB, {"pendingId": change})
        invoke = click.payload | {"serviceUrl": bot._connector_url}
        async with session.post(bot.messages_url, json=invoke, headers=headers) as answer:
            assert_saving((await answer.json())["value"])
        [update] = await updates_of(bot, click)

    assert "Won" in text_of(update.cards[0])
    # the update went out signed, on a connector kept for the bot's app (bot.inbound.adapter)
    assert bot.connector.authorizations[-1] == "Bearer outbound-test-token"
    assert credentials.app_ids
    assert set(credentials.app_ids) == {DEMO_BOT_APP_ID}
    assert (await partner_center.referral(REFERRAL_ID))["substatus"] == "Won"
