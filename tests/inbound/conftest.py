"""Emulators once for the package; per test a channel key server and the bot with auth ON.

`pytest_terminal_summary` prints the inbound matrix (case -> status, turn ran) collected by
tests/inbound/test_matrix.py, so the lead can copy it into the note.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from pydantic import SecretStr

from bot.settings import BotSettings, Settings
from emulators.config import DEMO_BOT_APP_ID
from emulators.server import RunningEmulators
from tests.support.channel_keys import ChannelKeyServer, serving
from tests.system.integration.conftest import (
    fresh,
    identity,
    partner_center,
    running,
)
from tests.support.azurite import azurite
from tests.support.bot import demo_settings

MATRIX = pytest.StashKey[list[tuple[str, int, int]]]()

__all__ = ["azurite", "fresh", "identity", "partner_center", "running"]  # the seeded emulators


def matrix_rows(config: pytest.Config) -> list[tuple[str, int, int]]:
    return config.stash.setdefault(MATRIX, [])


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    rows = config.stash.get(MATRIX, [])
    if not rows:
        return
    terminalreporter.section("inbound auth matrix (case -> HTTP status, turns run)")
    for case, status, turns in rows:
        terminalreporter.write_line(f"{case:<40} {status:>4}  turns={turns}")


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
