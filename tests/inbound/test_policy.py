"""Tenant and guest policy with auth ON and the real dialogs: refused politely, zero PATCHes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp

from bot.cards.confirm_change import CONFIRM_VERB
from bot.inbound.replies import GUEST_REFUSAL, TENANT_REFUSAL
from emulators.channel_keys import (
    ChannelKeyServer,
    FixedCredentialsFactory,
    TokenMinter,
)
from emulators.config import DEMO_BOT_APP_ID
from emulators.server import RunningEmulators
from tests.support.activities import card_invoke_payload, message_payload
from tests.support.bot import BotUnderTest, authed_settings, button_data, only_card, running_bot
from tests.support.emulator_controls import recorded_requests
from tests.support.emulators import PartnerCenterView


@asynccontextmanager
async def authed_bot(
    fresh: RunningEmulators, keys: ChannelKeyServer, **bot: Any
) -> AsyncIterator[BotUnderTest]:
    settings = authed_settings(fresh, keys, **bot)
    factory = FixedCredentialsFactory(DEMO_BOT_APP_ID)
    async with running_bot(settings, credentials_factory=factory) as running:
        yield running


async def send(
    bot: BotUnderTest, session: aiohttp.ClientSession, keys: ChannelKeyServer, payload: Any
) -> tuple[int, Any]:
    body = payload | {"serviceUrl": bot._connector_url}  # the fake connector
    token = TokenMinter(keys.published[0], DEMO_BOT_APP_ID).token(bot._connector_url)
    headers = {"Authorization": f"Bearer {token}"}
    async with session.post(bot.messages_url, json=body, headers=headers) as answer:
        raw = await answer.read()
        return answer.status, (await answer.json() if raw else None)


def as_guest(payload: dict[str, Any]) -> dict[str, Any]:
    return payload | {"from": payload["from"] | {"userRole": "guest"}}


async def test_a_tenant_not_allowed_is_refused_without_calling_partner_center(
    fresh: RunningEmulators, keys: ChannelKeyServer, session: aiohttp.ClientSession
) -> None:
    async with authed_bot(fresh, keys, allowed_tenants=["another-tenant"]) as bot:
        status, _ = await send(bot, session, keys, message_payload("mark 123 won"))

        assert status == 201
        assert [sent.text for sent in bot.connector.sent] == [TENANT_REFUSAL]
    assert await recorded_requests(session, fresh.referrals_base_url) == []


async def test_the_own_tenant_is_allowed(
    fresh: RunningEmulators, keys: ChannelKeyServer, session: aiohttp.ClientSession
) -> None:
    tenant = message_payload("hi")["channelData"]["tenant"]["id"]
    async with authed_bot(fresh, keys, allowed_tenants=[tenant]) as bot:
        await send(bot, session, keys, message_payload("mark 123 won"))

        assert button_data(only_card(bot.connector.sent), CONFIRM_VERB)


async def _proposal(
    bot: BotUnderTest, session: aiohttp.ClientSession, keys: ChannelKeyServer
) -> dict[str, Any]:
    status, _ = await send(bot, session, keys, message_payload("mark 123 won"))
    assert status == 201
    return button_data(only_card(bot.connector.sent), CONFIRM_VERB)


async def test_a_guest_click_on_confirm_is_refused_with_zero_patches(
    fresh: RunningEmulators,
    keys: ChannelKeyServer,
    session: aiohttp.ClientSession,
    partner_center: PartnerCenterView,
) -> None:
    async with authed_bot(fresh, keys) as bot:
        data = await _proposal(bot, session, keys)
        guest_click = as_guest(card_invoke_payload(CONFIRM_VERB, data))

        status, body = await send(bot, session, keys, guest_click)

        assert status == 200
        assert body["statusCode"] == 403
        assert body["value"]["message"] == GUEST_REFUSAL
        assert await partner_center.patches() == []


async def test_the_same_click_by_the_member_patches_once(
    fresh: RunningEmulators,
    keys: ChannelKeyServer,
    session: aiohttp.ClientSession,
    partner_center: PartnerCenterView,
) -> None:
    """Control for the guest test: without the guest role the very same click writes."""
    async with authed_bot(fresh, keys) as bot:
        data = await _proposal(bot, session, keys)

        status, _ = await send(bot, session, keys, card_invoke_payload(CONFIRM_VERB, data))

        assert status == 200
        assert len(await partner_center.patches()) == 1


async def test_a_guest_message_is_refused_without_reading(
    fresh: RunningEmulators, keys: ChannelKeyServer, session: aiohttp.ClientSession
) -> None:
    async with authed_bot(fresh, keys) as bot:
        await send(bot, session, keys, as_guest(message_payload("show 123")))

        assert [sent.text for sent in bot.connector.sent] == [GUEST_REFUSAL]
    assert await recorded_requests(session, fresh.referrals_base_url) == []
