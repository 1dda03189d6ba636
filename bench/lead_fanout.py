"""`python -m bench.lead_fanout`: N sellers, each with a new lead at once, counted at Teams.

Issue 17's proof: "1,000 sellers each with a new lead -> all cards sent within the Teams limits
with no 429 storm". The real bot (`python -m bot`, demo settings, SQLite state, pinned to one
core) against the strict emulators (throttle raised so Partner Center is not the bottleneck)
and a fake Teams connector that throttles as Teams documents (`bench.teams_connector`). Every
seller, and a Referral Admin named in REFERRAL_BOT_ALERTS__READERS, installed the app and spoke
to the bot once (`bench.lead_fanout_setup`); then N leads, one per seller, are created at the
emulator, which delivers N signed `referral-created` events to the bot's event endpoint.
Counted at the connector: cards (one per seller, none missing or twice), 429s, first event to
last card, p50/p95 event to card; at the emulators: Partner Center GETs and identity calls per
card; from /proc: the bot's CPU. `--quick` is the smoke test's size (figures mean nothing).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from bench.fixtures import state_environment
from bench.lead_controls import LeadControls
from bench.lead_fanout_report import (
    FanoutResults,
    Setup,
    fanout_footnote,
    fanout_table,
    on_behalf_of_grants,
)
from bench.lead_fanout_setup import (
    ADMIN,
    Seller,
    bot_fanout_environment,
    first_turns,
    installs,
    register,
    seller_users,
    sellers_on,
    spoken_to,
)
from bench.load import run_load, settled_cpu_seconds
from bench.scenarios import Emulators
from bench.server import Server, server_process, unpinned_afterwards, usable_cores
from bench.teams_connector import TeamsConnector, running_teams_connector
from bot.settings import ENV_PREFIX, EventSettings, StateBackend
from bot.state.blob_storage import opened_blob_storage
from emulators.azurite import running_azurite
from emulators.config import EmulatorConfig
from emulators.fixtures import Fixtures, FixtureUser
from emulators.server import RunningEmulators, emulators_in_thread

THROTTLE_PER_MINUTE = 1_000_000_000
ADMIN_PLACES = ("first", "last", "none")


@dataclass(frozen=True)
class FanoutPlan:
    sellers: int
    latency: float = 0.1  # the connector's answer time (Teams' is not documented)
    setup_concurrency: int = 4  # install and first-turn posts in flight during the set-up
    creators: int = 8  # lead creations in flight at the emulator
    stall_seconds: float = 60.0  # no new card for this long: done, whatever is missing
    admin: str = "first"  # when the Referral Admin installs: "first", "last" or "none"
    named_reader: bool = True  # the admin is named in REFERRAL_BOT_ALERTS__READERS
    state: StateBackend = StateBackend.SQLITE  # or BLOB (on a local Azurite)
    log_level: str = "ERROR"  # the bot's, on this process's stderr

    def people(self, sellers: list[FixtureUser]) -> list[FixtureUser]:
        """Everyone who installs the bot, in the order they do."""
        return {"first": [ADMIN, *sellers], "last": [*sellers, ADMIN]}.get(self.admin, sellers)

    def environment(self) -> dict[str, str]:
        named = self.named_reader and self.admin in ("first", "last")
        return {
            f"{ENV_PREFIX}ALERTS__READERS": json.dumps([ADMIN.upn] if named else []),
            f"{ENV_PREFIX}LOG_LEVEL": self.log_level,
        }


FULL = FanoutPlan(sellers=1000)
QUICK = FanoutPlan(sellers=20, stall_seconds=15.0)


async def _set_up(bot: Server, people: list[Seller], plan: FanoutPlan) -> float:
    """Installs, then one turn each; returns the seconds taken. Raises if anyone missed one."""
    started = time.perf_counter()
    for batch in (installs(people), first_turns(people)):
        done = await run_load(bot, batch, plan.setup_concurrency)
        if done.failures:
            raise RuntimeError(f"{done.failures} of {len(batch)} set-up posts failed")
    return time.perf_counter() - started


async def _create_leads(
    controls: LeadControls, sellers: list[Seller], creators: int
) -> dict[str, str]:
    """One lead per seller, `creators` at a time; referral id -> the seller's conversation."""
    made: dict[str, str] = {}
    queue = list(enumerate(sellers))

    async def creator() -> None:
        while queue:
            number, seller = queue.pop(0)
            made[await controls.new_lead(number, seller.user.upn)] = seller.conversation

    await asyncio.gather(*(creator() for _ in range(creators)))
    return made


async def _settled(
    connector: TeamsConnector, controls: LeadControls, wanted: int, stall: float
) -> None:
    """Until `wanted` cards arrived and every delivery is final, or nothing moved for `stall`
    seconds (cards missing); then a second more, in which a duplicate would arrive."""
    last, moved = -1, time.perf_counter()
    while time.perf_counter() - moved < stall:
        cards = sum(connector.cards_per_conversation().values())
        if cards != last:
            last, moved = cards, time.perf_counter()
        if cards >= wanted and await controls.settled():
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(1.0)


@dataclass(frozen=True)
class _Rig:
    bot: Server
    connector: TeamsConnector
    running: RunningEmulators


async def _measured(rig: _Rig, sellers: list[Seller], plan: FanoutPlan) -> FanoutResults:
    emulators = Emulators(rig.running)
    setup_throttled = sum(rig.connector.throttled.values())
    async with aiohttp.ClientSession() as session:
        controls = LeadControls(session, rig.running)
        await controls.clear_deliveries()
        await emulators.clear()
        rig.connector.start_counting()
        cpu = await settled_cpu_seconds(rig.bot)
        leads = await _create_leads(controls, sellers, plan.creators)
        await _settled(rig.connector, controls, len(sellers), plan.stall_seconds)
        cpu = await settled_cpu_seconds(rig.bot) - cpu
        deliveries = await controls.deliveries()
    return FanoutResults.of(
        sellers=[s.conversation for s in sellers],
        leads=leads,
        connector=rig.connector,
        deliveries=deliveries,
        recorded=await emulators.recorded(),
        cpu_seconds=cpu,
        setup_throttled=setup_throttled,
    )


@contextlib.asynccontextmanager
async def _state(backend: StateBackend, folder: Path) -> AsyncIterator[dict[str, str]]:
    """The bot's state settings: SQLite in `folder`, or a fresh container on a local Azurite."""
    if backend is not StateBackend.BLOB:
        yield state_environment(backend, folder)
        return
    with running_azurite() as azurite:
        container = f"fanout-{uuid.uuid4().hex[:12]}"
        async with opened_blob_storage(azurite.connection_string, container) as storage:
            await storage.create_container()
        yield {
            f"{ENV_PREFIX}STATE__BACKEND": backend.value,
            f"{ENV_PREFIX}STATE__BLOB_CONNECTION_STRING": azurite.connection_string,
            f"{ENV_PREFIX}STATE__BLOB_CONTAINER": container,
        }


async def measure_fanout(plan: FanoutPlan, folder: Path) -> tuple[FanoutResults, Setup, bool]:
    """The results, the set-up, and whether the bot had a core of its own."""
    users = seller_users(plan.sellers)
    people = plan.people(users)
    config = EmulatorConfig(
        fixtures=Fixtures.of(people, []),
        test_controls=True,
        throttle_per_minute=THROTTLE_PER_MINUTE,
    )
    connector = TeamsConnector(latency=plan.latency)
    with emulators_in_thread(config) as running:
        async with (
            running_teams_connector(connector) as service_url,
            _state(plan.state, folder) as state,
        ):
            everyone = sellers_on(connector, people, service_url)
            sellers = [seller for seller in everyone if seller.user != ADMIN]
            env = {**bot_fanout_environment(running), **state, **plan.environment()}
            async with server_process("bot", env, cores=usable_cores()) as bot:
                await register(running, f"{bot.base_url}{EventSettings().path}")
                await Emulators(running).clear()
                setup = Setup(await _set_up(bot, everyone, plan), len(everyone))
                if quiet := [c for c, n in spoken_to(connector, everyone).items() if n < 2]:
                    raise RuntimeError(f"{len(quiet)} sellers got no hello or no answer")
                setup.signed_in = on_behalf_of_grants(await Emulators(running).recorded())
                results = await _measured(_Rig(bot, connector, running), sellers, plan)
    return results, setup, bot.pinned


def run(plan: FanoutPlan) -> str:
    """The table and its footnote, as printed."""
    started = time.perf_counter()
    with unpinned_afterwards(), tempfile.TemporaryDirectory(prefix="bench-fanout-") as folder:
        results, setup, pinned = asyncio.run(measure_fanout(plan, Path(folder)))
    facts = {**dataclasses.asdict(plan), "throttle": THROTTLE_PER_MINUTE}
    note = fanout_footnote(facts, setup, pinned, time.perf_counter() - started)
    return f"{fanout_table(results, setup)}\n\n{note}"


def _parse(argv: Sequence[str]) -> FanoutPlan:
    parser = argparse.ArgumentParser(prog="python -m bench.lead_fanout", description=__doc__)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK.sellers} sellers (smoke)")
    parser.add_argument("--sellers", type=int, help=f"sellers and leads (default {FULL.sellers})")
    parser.add_argument("--latency", type=float, help="the connector's answer time, seconds")
    parser.add_argument(
        "--admin", choices=ADMIN_PLACES, default="first", help="when the Referral Admin installs"
    )
    parser.add_argument(
        "--state",
        choices=[StateBackend.SQLITE.value, StateBackend.BLOB.value],
        default=StateBackend.SQLITE.value,
        help="the bot's state backend (blob: on a local Azurite)",
    )
    parser.add_argument("--log-level", default="ERROR", help="the bot's log level (to stderr)")
    parser.add_argument(
        "--unnamed", action="store_true", help="the admin not in REFERRAL_BOT_ALERTS__READERS"
    )
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    return dataclasses.replace(
        plan,
        sellers=args.sellers or plan.sellers,
        latency=plan.latency if args.latency is None else args.latency,
        admin=args.admin,
        named_reader=not args.unnamed,
        state=StateBackend(args.state),
        log_level=args.log_level,
    )


def main(argv: Sequence[str] | None = None) -> None:
    print(run(_parse(sys.argv[1:] if argv is None else argv)), flush=True)


if __name__ == "__main__":
    main()
