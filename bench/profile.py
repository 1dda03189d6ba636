"""`python -m bench --profile N`: cProfile top-10 of a bot process serving N "mark … won" turns.

The bot runs as `python -m cProfile -o FILE -m bot`; SIGTERM stops it cleanly, so the profile is
written. Start-up and 5 warm-up turns are in it too: N in the hundreds makes them small.
State is the product's default backend, SQLite, in a temporary file (as `python -m bench`).
"""

from __future__ import annotations

import io
import pstats
import tempfile
from pathlib import Path

from bench.connector import running_connector
from bench.fixtures import (
    SHOWN_ID,
    bench_emulators,
    bot_environment,
    marked_ids,
    state_environment,
)
from bench.load import run_load
from bench.scenarios import seller_payloads
from bench.server import server_process
from bot.settings import StateBackend

OUR_CODE = r"/(bot|dialogs)/"  # the cumulative listing: only the bot's own code


async def profile_mark_turns(turns: int, top: int = 10) -> str:
    """Top functions by own time; the bot's own by cumulative time (resumes count as calls)."""
    with tempfile.TemporaryDirectory() as folder, bench_emulators(turns) as emulators:
        out = Path(folder) / "bot.prof"
        async with running_connector() as (_, service_url):
            payloads = seller_payloads(service_url)
            args = ("-o", str(out), "-m", "bot")
            env = {
                **bot_environment(emulators),
                **state_environment(StateBackend.SQLITE, Path(folder)),
            }
            async with server_process("cProfile", env, args=args) as bot:
                warm = payloads.conversation("warm")
                await run_load(bot, [payloads.message(f"show {SHOWN_ID}", warm)] * 5, 1)
                marks = [
                    payloads.message(f"mark {rid} won", payloads.conversation(f"p{rid}"))
                    for rid in marked_ids(turns)
                ]
                await run_load(bot, marks, 1)
        text = io.StringIO()
        stats = pstats.Stats(str(out), stream=text)
        stats.sort_stats("tottime").print_stats(top)
        stats.sort_stats("cumulative").print_stats(OUR_CODE, 2 * top)
        return text.getvalue()
