"""`python -m demo` serves the bot as `python -m bot` does: through `bot.inbound.serving`."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

import pytest
from yarl import URL

import demo.__main__ as demo_main
from emulators.config import EmulatorConfig
from emulators.seed import demo_fixtures
from emulators.server import emulators_in_thread

WAIT = 10.0


async def _closed_unanswered(url: URL) -> bool:
    """A connection that sends nothing: True when the server closes it at once."""
    reader, writer = await asyncio.open_connection(url.host, url.port)
    try:
        return await asyncio.wait_for(reader.read(1), WAIT) == b""
    finally:
        writer.close()


def test_the_demo_bot_caps_unauthenticated_connections(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """With a cap of 1, a second silent connection is refused: only the guarded site does that."""
    monkeypatch.setenv("REFERRAL_BOT_INBOUND__MAX_UNAUTHENTICATED_CONNECTIONS", "1")
    monkeypatch.setenv("REFERRAL_BOT_STATE__BACKEND", "memory")
    seen: list[bool] = []

    async def instead_of_the_playground(*args: Any) -> int:
        url = URL(args[3][0])  # (bot_url, where it keeps its state)
        _, first = await asyncio.open_connection(url.host, url.port)
        try:
            seen.append(await _closed_unanswered(url))
        finally:
            first.close()
        return 0

    monkeypatch.setattr(demo_main, "_with_playground", instead_of_the_playground)
    args = argparse.Namespace(port=0)
    config = EmulatorConfig(fixtures=demo_fixtures())
    with emulators_in_thread(config) as running:
        assert asyncio.run(demo_main._run(args, running, tmp_path / "playground")) == 0
    assert seen == [True]
