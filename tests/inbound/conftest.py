"""Emulators once for the package; per test a channel key server and the bot with auth ON.

`pytest_terminal_summary` prints the inbound matrix (case -> status, turn ran) collected by
tests/inbound/test_matrix.py, so the lead can copy it into the note.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr

from bot.emulator.config import DEMO_BOT_APP_ID
from bot.emulator.server import RunningEmulators
from bot.settings import BotSettings, Settings
from tests.inbound.channel_keys import ChannelKeyServer, serving
from tests.integration.conftest import PartnerCenterView, seed
from tests.support.bot import demo_settings
from tests.support.emulators import running_emulators
from tests.support.identity import IdentityClient

MATRIX = pytest.StashKey[list[tuple[str, int, int]]]()


def matrix_rows(config: pytest.Config) -> list[tuple[str, int, int]]:
    return config.stash.setdefault(MATRIX, [])


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    rows = config.stash.get(MATRIX, [])
    if not rows:
        return
    terminalreporter.section("inbound auth matrix (case -> HTTP status, turns run)")
    for case, status, turns in rows:
        terminalreporter.write_line(f"{case:<40} {status:>4}  turns={turns}")


@pytest.fixture(scope="package")
def running() -> Iterator[RunningEmulators]:
    with running_emulators(referrals=seed()) as emulators:
        yield emulators


@pytest.fixture
async def fresh(running: RunningEmulators, session: aiohttp.ClientSession) -> RunningEmulators:
    async with session.post(f"{running.referrals_base_url}/_emulator/reset") as answer:
        assert answer.status == 204
    await IdentityClient(running, session).reset()
    return running


@pytest.fixture
async def partner_center(
    fresh: RunningEmulators, session: aiohttp.ClientSession
) -> PartnerCenterView:
    return PartnerCenterView(session, fresh)


@pytest.fixture
async def keys() -> AsyncIterator[ChannelKeyServer]:
    async with serving(ChannelKeyServer()) as server:
        yield server


def authed_settings(running: RunningEmulators, keys: ChannelKeyServer, **bot: Any) -> Settings:
    """Demo wiring (emulators) but with inbound auth ON against the local key server."""
    return demo_settings(
        running,
        dangerously_allow_unauthenticated=False,
        bot=BotSettings(
            app_id=DEMO_BOT_APP_ID,
            app_password=SecretStr("bot-password"),
            openid_metadata_url=keys.metadata_url,
            **bot,
        ),
    )
