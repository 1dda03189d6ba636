"""`python -m bench.io_only` still does every turn's I/O, but its logic only once per kind.

The lower bound it measures is only honest if both halves hold: each turn really reads Partner
Center, stores its pending change and replies with a card, and later turns really skip the
grammar, the planning and the rendering (they send the first turn's card again).
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import pytest

from bench.connector import running_connector
from bench.fixtures import (
    SHOWN_ID,
    bench_emulators,
    bot_environment,
    marked_ids,
    sqlite_file,
    state_environment,
)
from bench.load import run_load
from bench.scenarios import Emulators, seller_payloads
from bench.server import Server, server_process
from bot.settings import StateBackend

pytestmark = pytest.mark.slow  # runs the I/O-only benchmark end to end


async def _one_turn(server: Server, payload: dict[str, Any]) -> None:
    measured = await run_load(server, [payload], 1)
    assert measured.failures == 0


async def test_every_turn_does_its_io_but_only_the_first_runs_the_logic() -> None:
    first, second = marked_ids(2)
    with tempfile.TemporaryDirectory() as folder, bench_emulators(2) as running:
        emulators = Emulators(running)
        env = {
            **bot_environment(running),
            **state_environment(StateBackend.SQLITE, Path(folder)),
        }
        async with running_connector() as (connector, service_url):
            payloads = seller_payloads(service_url)
            async with server_process("bench.io_only", env) as bot:
                await emulators.clear()
                for tag in ("s1", "s2"):
                    text = f"show {SHOWN_ID}"
                    await _one_turn(bot, payloads.message(text, payloads.conversation(tag)))
                for rid in (first, second):
                    text = f"mark {rid} won"
                    await _one_turn(bot, payloads.message(text, payloads.conversation(rid)))
                recorded = await emulators.recorded()
            with sqlite3.connect(sqlite_file(Path(folder))) as database:
                [(pending,)] = database.execute("SELECT count(*) FROM pending_changes")
    gets = [call for call in recorded["referrals"] if call["method"] == "GET"]
    assert len(gets) == 4  # one Partner Center read per turn
    assert connector.replies == 4  # one reply per turn
    assert pending == 2  # each mark stored a pending change of its own
    marked = [connector.confirm_data[payloads.conversation(rid)] for rid in (first, second)]
    assert marked[0] == marked[1]  # the second mark sent the first one's card: nothing rendered
