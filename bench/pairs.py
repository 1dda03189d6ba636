"""The pairs: the floor, then the bot, in fresh processes each time; one `Results` per pair.

Floor and bot alternate (docs/performance.md) so that drift on a shared machine hits both sides of a
pair alike; the report takes ratios within a pair first, then the median over pairs.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.connector import running_connector
from bench.fixtures import (
    bench_emulators,
    bot_environment,
    marked_ids,
    sqlite_file,
    state_environment,
)
from bench.grammar import parse_figures
from bench.plan import Plan
from bench.scenarios import (
    BotRig,
    Emulators,
    Results,
    idle_rss,
    run_bot,
    run_floor,
    seller_payloads,
)
from bench.server import Server, import_seconds, server_process
from bot.settings import StateBackend
from emulators.server import RunningEmulators


async def measure_pairs(plan: Plan, cores: Sequence[int]) -> list[Results]:
    """Every pair against one set of emulators and one fake connector; idle RSS in the last."""
    per_pair = plan.changes_per_pair()
    ids = marked_ids(plan.pairs * per_pair)
    pairs: list[Results] = []
    with bench_emulators(len(ids)) as running:
        async with running_connector() as (connector, service_url):
            rig = BotRig(seller_payloads(service_url), connector, Emulators(running))
            for n in range(plan.pairs):
                pair = _Pair(plan, cores, idle=plan.idle if n == plan.pairs - 1 else 0)
                pairs.append(await pair.measure(rig, running, ids[n * per_pair :][:per_pair]))
    return pairs


class _Pair:
    """One floor process and one bot process, measured in that order."""

    def __init__(self, plan: Plan, cores: Sequence[int], *, idle: int) -> None:
        self._plan, self._cores, self._idle = plan, cores, idle
        self._results = Results()

    async def measure(
        self, rig: BotRig, running: RunningEmulators, referral_ids: Sequence[str]
    ) -> Results:
        figures = self._results.figures
        figures["floor import"] = await import_seconds("bench.floor", self._cores)
        figures["bot import"] = await import_seconds("bot.app", self._cores)
        self._results.grammar = parse_figures(self._plan.grammar_repeats)
        async with server_process("bench.floor", {}, cores=self._cores) as floor:
            self._started("floor", floor)
            await run_floor(floor, rig.payloads, self._plan, self._results)
            await self._idle_rss("floor", floor, rig)
        async with server_process("bench.floor", {}, cores=self._cores, args=["--stock"]) as stock:
            await run_floor(stock, rig.payloads, self._plan, self._results, stock=True)
        with tempfile.TemporaryDirectory(prefix="bench-state-") as folder:
            env = {**bot_environment(running), **state_environment(self._plan.state, Path(folder))}
            async with server_process("bot", env, cores=self._cores) as bot:
                self._started("bot", bot)
                await run_bot(bot, rig, self._plan, referral_ids, self._results)
                await self._idle_rss("bot", bot, rig)
            _check_state_used(self._plan.state, Path(folder))
        return self._results

    def _started(self, side: str, server: Server) -> None:
        self._results.figures[f"{side} startup"] = server.startup_seconds
        self._results.figures[f"{side} rss start"] = server.rss_mib()
        self._results.pinned &= server.pinned

    async def _idle_rss(self, side: str, server: Server, rig: BotRig) -> None:
        if self._idle:
            self._results.figures[f"{side} rss idle"] = await idle_rss(
                server, rig.payloads, self._idle
            )


def _check_state_used(backend: StateBackend, folder: Path) -> None:
    """The bot really stored its state in the SQLite file it was given (not its default)."""
    if backend is StateBackend.SQLITE and not sqlite_file(folder).is_file():
        raise RuntimeError(f"the bot wrote no SQLite state at {sqlite_file(folder)}")
