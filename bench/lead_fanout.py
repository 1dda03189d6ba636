"""`python -m bench.lead_fanout`: N sellers, each with a new lead at once, counted at Teams.

Issue 17's proof: "1,000 sellers each with a new lead -> all cards sent within the Teams limits
with no 429 storm". The real bot (`python -m bot`, demo settings, SQLite state, pinned to one
core) against the strict emulators (throttle raised so Partner Center is not the bottleneck)
and a fake Teams connector that throttles as Teams documents (`bench.teams_connector`). Every
seller installed the app and spoke to the bot once (`bench.lead_fanout_setup`); then N leads,
one per seller, are created at the emulator, which delivers N signed `referral-created`
events to the bot's event endpoint. Counted at the connector: cards (one per seller, none
missing or twice), 429s, first event to last card, p50/p95 event to card; at the emulators:
Partner Center GETs and identity calls per card; from /proc: the bot's CPU.
`--quick` is the smoke test's size (figures mean nothing).
"""

from __future__ import annotations

import argparse
import dataclasses
import asyncio
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from bench.fixtures import state_environment
from bench.lead_fanout_report import FanoutResults, fanout_footnote, fanout_table
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
from bot.settings import EventSettings, StateBackend
from emulators.config import EmulatorConfig
from emulators.fixtures import Fixtures
from emulators.server import RunningEmulators, emulators_in_thread

THROTTLE_PER_MINUTE = 1_000_000_000
CONTROLS = "/_emulator/webhooks"
REFERRAL_PATH = "/v1.0/engagements/referrals/"


@dataclass(frozen=True)
class FanoutPlan:
    sellers: int
    latency: float = 0.1  # the connector's answer time (Teams' is not documented)
    setup_concurrency: int = 4  # install and first-turn posts in flight during the set-up
    creators: int = 8  # lead creations in flight at the emulator
    stall_seconds: float = 60.0  # no new card for this long (and deliveries settled): done
    admin: str = "first"  # the Referral Admin who has the bot installs "first", "last" or "none"


FULL = FanoutPlan(sellers=1000)
QUICK = FanoutPlan(sellers=20)


class Controls:
    """The Referrals emulator's webhook test controls (docs/webhooks.md)."""

    def __init__(self, session: aiohttp.ClientSession, running: RunningEmulators) -> None:
        self._session = session
        self._base = f"{running.referrals_base_url}{CONTROLS}"

    async def new_lead(self, n: int, seller: Seller) -> str:
        body = {
            "name": f"Lead {n:04d} cloud migration",
            "customer": f"Customer {n:04d} Ltd",
            "team": [seller.user.upn],
            "dealValue": 25_000,
            "expiresInDays": 3,
        }
        async with self._session.post(f"{self._base}/leads", json=body) as answer:
            if answer.status != 201:
                raise RuntimeError(f"new lead: {answer.status} {await answer.text()}")
            return str((await answer.json())["referral"]["id"])

    async def deliveries(self) -> list[dict[str, Any]]:
        async with self._session.get(f"{self._base}/deliveries") as answer:
            answer.raise_for_status()
            found: list[dict[str, Any]] = (await answer.json())["deliveries"]
            return found

    async def clear_deliveries(self) -> None:
        async with self._session.delete(f"{self._base}/deliveries") as answer:
            answer.raise_for_status()


async def _set_up(bot: Server, sellers: list[Seller], plan: FanoutPlan) -> float:
    """Installs, then one turn each; returns the seconds taken. Raises if a seller missed one."""
    started = time.perf_counter()
    for batch, what in ((installs(sellers), "install"), (first_turns(sellers), FIRST_TURN_LABEL)):
        done = await run_load(bot, batch, plan.setup_concurrency)
        if done.failures:
            raise RuntimeError(f"{done.failures} {what} posts failed")
    return time.perf_counter() - started


FIRST_TURN_LABEL = "first-turn"


async def _create_leads(controls: Controls, sellers: list[Seller], creators: int) -> dict[str, str]:
    """One lead per seller, `creators` at a time; referral id -> the seller's conversation."""
    made: dict[str, str] = {}
    queue = list(enumerate(sellers))

    async def creator() -> None:
        while queue:
            n, seller = queue.pop(0)
            made[await controls.new_lead(n, seller)] = seller.conversation

    await asyncio.gather(*(creator() for _ in range(creators)))
    return made


async def _settled(
    connector: TeamsConnector, controls: Controls, wanted: int, stall: float
) -> None:
    """Until `wanted` cards arrived and every delivery is final, or nothing moved for `stall`."""
    last, moved = -1, time.perf_counter()
    while time.perf_counter() - moved < stall:
        cards = sum(connector.cards_per_conversation().values())
        if cards != last:
            last, moved = cards, time.perf_counter()
        if cards >= wanted:
            deliveries = await controls.deliveries()
            if all(d["state"] not in ("pending", "retrying") for d in deliveries):
                await asyncio.sleep(1.0)  # a late duplicate would arrive here
                return
        await asyncio.sleep(0.05)


async def _measured(
    bot: Server, connector: TeamsConnector, running: RunningEmulators, sellers: list[Seller],
    plan: FanoutPlan,
) -> FanoutResults:  # fmt: skip
    emulators = Emulators(running)
    async with aiohttp.ClientSession() as session:
        controls = Controls(session, running)
        await controls.clear_deliveries()
        await emulators.clear()
        connector.start_counting()
        cpu = await settled_cpu_seconds(bot)
        leads = await _create_leads(controls, sellers, plan.creators)
        await _settled(connector, controls, len(sellers), plan.stall_seconds)
        cpu = await settled_cpu_seconds(bot) - cpu
        deliveries = await controls.deliveries()
    return FanoutResults.of(
        sellers=[s.conversation for s in sellers],
        leads=leads,
        connector=connector,
        deliveries=deliveries,
        recorded=await emulators.recorded(),
        cpu_seconds=cpu,
    )


async def measure_fanout(plan: FanoutPlan, folder: Path) -> tuple[FanoutResults, float, bool]:
    """The results, the set-up's seconds, and whether the bot had a core of its own."""
    users = seller_users(plan.sellers)
    people = {"first": [ADMIN, *users], "last": [*users, ADMIN], "none": users}[plan.admin]
    config = EmulatorConfig(
        fixtures=Fixtures.of(people, []),
        test_controls=True,
        throttle_per_minute=THROTTLE_PER_MINUTE,
    )
    cores = usable_cores()
    connector = TeamsConnector(latency=plan.latency)
    with emulators_in_thread(config) as running:
        async with running_teams_connector(connector) as service_url:
            everyone = sellers_on(connector, people, service_url)
            sellers = [s for s in everyone if s.user != ADMIN]
            env = {
                **bot_fanout_environment(running),
                **state_environment(StateBackend.SQLITE, folder),
            }
            async with server_process("bot", env, cores=cores) as bot:
                await register(running, f"{bot.base_url}{EventSettings().path}")
                setup = await _set_up(bot, everyone, plan)
                quiet = [c for c, n in spoken_to(connector, everyone).items() if n < 2]
                if quiet:
                    raise RuntimeError(f"{len(quiet)} sellers got no hello or no answer")
                results = await _measured(bot, connector, running, sellers, plan)
    return results, setup, bot.pinned


def run(plan: FanoutPlan) -> str:
    """The table and its footnote, as printed."""
    started = time.perf_counter()
    with unpinned_afterwards(), tempfile.TemporaryDirectory(prefix="bench-fanout-") as folder:
        results, setup, pinned = asyncio.run(measure_fanout(plan, Path(folder)))
    note = fanout_footnote(plan_facts(plan), results, setup, pinned, time.perf_counter() - started)
    return f"{fanout_table(results)}\n\n{note}"


def plan_facts(plan: FanoutPlan) -> dict[str, float]:
    return {
        "sellers": plan.sellers,
        "latency": plan.latency,
        "setup_concurrency": plan.setup_concurrency,
        "creators": plan.creators,
        "throttle": THROTTLE_PER_MINUTE,
    }


def _parse(argv: Sequence[str]) -> FanoutPlan:
    parser = argparse.ArgumentParser(prog="python -m bench.lead_fanout", description=__doc__)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK.sellers} sellers (smoke)")
    parser.add_argument("--sellers", type=int, help=f"sellers and leads (default {FULL.sellers})")
    parser.add_argument("--latency", type=float, help="the connector's answer time, seconds")
    parser.add_argument("--admin", choices=["first", "last", "none"], default="first")
    parser.add_argument("--stall", type=float, default=60.0)
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    if args.sellers:
        plan = FanoutPlan(args.sellers, plan.latency, plan.setup_concurrency, plan.creators)
    if args.latency is not None:
        plan = FanoutPlan(plan.sellers, args.latency, plan.setup_concurrency, plan.creators)
    return dataclasses.replace(plan, admin=args.admin, stall_seconds=args.stall)


def main(argv: Sequence[str] | None = None) -> None:
    print(run(_parse(sys.argv[1:] if argv is None else argv)), flush=True)


if __name__ == "__main__":
    main()
