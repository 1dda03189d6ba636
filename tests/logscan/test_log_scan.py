"""'mark 123 won' → Confirm with DEBUG logging everywhere: no token, secret, e-mail or phone."""

from __future__ import annotations

from bot.cards.confirm_change import CONFIRM_VERB
from bot.emulator.config import DEMO_BOT_APP_ID
from bot.emulator.server import RunningEmulators
from tests.inbound.channel_keys import ChannelKeyServer, FixedCredentialsFactory, TokenMinter
from tests.inbound.conftest import authed_settings, keys  # noqa: F401  # keys: a fixture
from tests.integration.conftest import PartnerCenterView
from tests.integration.e2e import propose
from tests.logscan.scan import debug_logging
from tests.support.activities import message_payload
from tests.support.bot import demo_settings, running_bot


async def test_the_end_to_end_flow_logs_no_secrets_at_debug(
    fresh: RunningEmulators, partner_center: PartnerCenterView
) -> None:
    with debug_logging() as log:
        async with running_bot(demo_settings(fresh)) as bot:
            await bot.say("show 123")
            _, pending = await propose(bot, "mark 123 won")
            answer = await bot.click(CONFIRM_VERB, {"pendingId": pending})
            await bot.say("mark 4711 lost")

    hits = log.hits()
    print(f"\nlog scan: {len(log.texts)} records, {log.line_count()} lines, {len(hits)} hits")
    assert answer.status == 200
    assert len(await partner_center.patches()) == 1
    assert len(log.texts) > 20  # DEBUG really was on
    assert hits == []


async def test_with_inbound_auth_on_no_channel_or_connector_token_is_logged(
    fresh: RunningEmulators,
    keys: ChannelKeyServer,  # noqa: F811
) -> None:
    settings = authed_settings(fresh, keys)
    factory = FixedCredentialsFactory(DEMO_BOT_APP_ID)
    with debug_logging() as log:
        async with running_bot(settings, credentials_factory=factory) as bot:
            minter = TokenMinter(keys.published[0], DEMO_BOT_APP_ID)
            body = {**message_payload("mark 123 won"), "serviceUrl": bot._connector_url}
            headers = {"Authorization": f"Bearer {minter.token(bot._connector_url)}"}
            async with bot._session.post(bot.messages_url, json=body, headers=headers) as answer:
                status = answer.status

    hits = [*log.hits(), *(h for h in log.texts if "outbound-test-token" in h[1])]
    lines = log.line_count()
    print(f"\nlog scan (auth on): {len(log.texts)} records, {lines} lines, {len(hits)} hits")
    assert status in (200, 201)
    assert len(bot.connector.sent) == 1
    assert hits == []
