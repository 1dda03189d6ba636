"""'mark 123 won' → Confirm with DEBUG logging everywhere: no token, secret, e-mail, phone, or
user or conversation id in a storage line; on every state backend, Blob (Azurite) included.
At the default level a Blob-backed bot logs about as much as an SQLite-backed one."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import aiohttp
import pytest

from bot.cards.confirm_change import CONFIRM_VERB
from bot.settings import StateBackend, StateSettings
from emulators.azurite import Azurite
from emulators.channel_keys import ChannelKeyServer, FixedCredentialsFactory, TokenMinter
from emulators.config import DEMO_BOT_APP_ID
from emulators.server import RunningEmulators
from tests.support.activities import channel_thread, message_payload
from tests.support.azurite import blob_state, fresh_blob_storage
from tests.support.bot import BotUnderTest, authed_settings, demo_settings, running_bot
from tests.support.e2e import propose
from tests.support.emulators import PartnerCenterView
from tests.system.logscan.scan import debug_logging, id_patterns, production_logging

BACKENDS = ("memory", "sqlite", pytest.param("blob", marks=pytest.mark.slow))  # slow: Azurite
Flow = Callable[[], AbstractAsyncContextManager[BotUnderTest]]


@pytest.fixture
def flow(
    request: pytest.FixtureRequest, fresh: RunningEmulators, tmp_path: Path
) -> Callable[[str], AbstractAsyncContextManager[BotUnderTest]]:
    """The bot on the backend named; Azurite is started only for "blob"."""

    @asynccontextmanager
    async def on(backend: str) -> AsyncIterator[BotUnderTest]:
        if backend != "blob":
            path = tmp_path / f"{backend}.sqlite3"
            state = StateSettings(backend=StateBackend(backend), sqlite_path=path)
            async with running_bot(demo_settings(fresh, state=state)) as bot:
                yield bot
            return
        emulator: Azurite = request.getfixturevalue("azurite")
        async with fresh_blob_storage(emulator) as created:
            state = blob_state(emulator, created.container_name)
            async with running_bot(demo_settings(fresh, state=state)) as bot:
                yield bot

    return on


async def _workload(bot: BotUnderTest) -> int:
    """Read, propose, confirm, propose (personal chat), read (channel): the confirm's status."""
    await bot.say("show 123")
    _, pending = await propose(bot, "mark 123 won")
    answer = await bot.click(CONFIRM_VERB, {"pendingId": pending})
    await bot.say("mark 4711 lost")
    await bot.say("show 4711", conversation=channel_thread(), mention=True)
    return answer.status


@pytest.mark.parametrize("backend", BACKENDS)
async def test_the_end_to_end_flow_logs_no_secrets_or_ids_at_debug(
    flow: Callable[[str], AbstractAsyncContextManager[BotUnderTest]],
    partner_center: PartnerCenterView,
    backend: str,
) -> None:
    with debug_logging() as log:
        async with flow(backend) as bot:
            status = await _workload(bot)

    hits = log.hits()
    figures = f"{len(log.texts)} records, {log.line_count()} lines, {len(hits)} hits"
    print(f"\nlog scan ({backend}): {figures}")
    assert status == 200
    assert len(await partner_center.patches()) == 1
    assert len(log.texts) > 20  # DEBUG really was on
    if backend == "blob":
        assert len(log.of("azure")) > 20  # the Azure SDK's every call was logged, and scanned
    assert hits == []


@pytest.mark.slow  # Azurite
async def test_the_storage_debug_switch_shows_the_ids(
    flow: Callable[[str], AbstractAsyncContextManager[BotUnderTest]],
) -> None:
    """The control: the scan does find ids in Blob's lines when REFERRAL_BOT_LOG__SHOW_STORAGE_IDS
    keeps them, so finding none above means they were removed, not never there."""
    with debug_logging(show_storage_ids=True) as log:
        async with flow("blob") as bot:
            await _workload(bot)

    patterns = id_patterns()
    found = {name for text in log.of("azure") for name, p in patterns.items() if p.search(text)}
    assert {"channel thread id", "object id of seller@contoso.example"} <= found


@pytest.mark.slow  # Azurite
async def test_at_the_default_level_blob_state_logs_as_little_as_sqlite(
    flow: Callable[[str], AbstractAsyncContextManager[BotUnderTest]],
    fresh: RunningEmulators,
    session: aiohttp.ClientSession,
) -> None:
    lines: dict[str, int] = {}
    for backend in ("sqlite", "blob"):
        async with session.post(f"{fresh.referrals_base_url}/_emulator/reset") as reset:
            assert reset.status == 204  # the same workload again: 123 is not won yet
        with production_logging("INFO") as log:
            async with flow(backend) as bot:
                assert await _workload(bot) == 200
        lines[backend] = log.line_count()
        assert log.of("azure") == []  # libraries log warnings only, by default
        assert log.hits() == []
    print(f"\nlog lines at INFO: {lines}")
    assert lines["blob"] <= lines["sqlite"] + 5  # same workload, same lines (was 90x as many)


async def test_with_inbound_auth_on_no_channel_or_connector_token_is_logged(
    fresh: RunningEmulators,
    keys: ChannelKeyServer,
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
