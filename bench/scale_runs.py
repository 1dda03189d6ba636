"""The scale bench's runs: the real bot process (`python -m bot`, demo settings, SQLite state)
against the strict emulators holding a `bench.scale_tenant` tenant.

Per seller: a cold sync (the first list turn, until the index is stored), then warm turns within
the refresh interval; then a second bot process on the same state file with
REFERRAL_BOT_INDEX__REFRESH_SECONDS=0, so that every turn comes past the interval (its index is
loaded from the store, which also shows that a restart keeps it).
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

from bench.connector import FakeConnector
from bench.fixtures import bot_environment, sqlite_file, state_environment
from bench.load import run_load, settled_cpu_seconds
from bench.payloads import Payloads
from bench.scale_tenant import Tenant, names
from bench.scenarios import Emulators
from bench.server import Server, server_process
from bot.settings import ENV_PREFIX, IndexSettings, StateBackend
from bot.state.referral_indexes import stored_name
from emulators.fixtures import FixtureUser
from emulators.partner_center.routes import COLLECTION
from emulators.server import RunningEmulators

SHOW, MARK, QUARTER = "show <customer>", "mark <customer> won", "deals closing this quarter"
KINDS = (SHOW, MARK, QUARTER)
WITHIN, AFTER = "within the interval", "past the interval"
SYNC_TIMEOUT_SECONDS = 600.0


@dataclass(frozen=True)
class ScalePlan:
    referrals: int  # the tenant: all seen by the Referral Admin
    users_share: int  # of which the Referral User is on the team
    turns: int  # measured turns per kind, seller and phase (c=1)
    idle: int  # conversations for the RSS per idle conversation
    repeats: int  # index query timings per query


@dataclass(frozen=True)
class Calls:
    """Upstream requests per turn: list pages (the index's freshness), GET by id, the rest."""

    pages: float
    by_id: float
    other: float
    identity: float

    @classmethod
    def of(cls, recorded: Mapping[str, list[dict[str, Any]]], turns: int) -> Calls:
        referrals, count = recorded["referrals"], max(turns, 1)

        def share(kept: Sequence[dict[str, Any]]) -> float:
            return len(kept) / count

        pages = [r for r in referrals if r["method"] == "GET" and r["path"] == COLLECTION]
        by_id = [r for r in referrals if r["method"] == "GET" and r["path"] != COLLECTION]
        other = [r for r in referrals if r["method"] != "GET"]
        return cls(share(pages), share(by_id), share(other), share(recorded["identity"]))


@dataclass(frozen=True)
class TurnFigures:
    calls: Calls
    cpu_ms: float  # bot CPU per turn (user + system, /proc/<pid>/stat)
    p50_ms: float  # latency of the whole turn (POST → 200)
    failures: int
    confirm_cards: int  # turns that ended on a confirm card ("mark … won")
    turns: int


@dataclass(frozen=True)
class ColdSync:
    visible: int
    pages: int
    identity: int
    seconds: float  # the first turn sent → the index stored
    cpu_seconds: float  # the bot's, over the same span (the first turn's own work included)
    stored_bytes: int  # the sealed blob in the SQLite state file
    rss_delta_mib: float


@dataclass
class SellerFigures:
    cold: ColdSync | None = None
    turns: dict[tuple[str, str], TurnFigures] = field(default_factory=dict)


@dataclass
class ScaleResults:
    sellers: dict[str, SellerFigures] = field(default_factory=dict)  # by role
    idle_kib_per_conversation: float = float("nan")
    restart_load_seconds: dict[str, float] = field(default_factory=dict)
    refresh_seconds: float = IndexSettings().refresh_seconds


def _stored_size(folder: Path, seller: FixtureUser) -> int | None:
    """The seller's sealed index in the state file (None: not stored yet)."""
    uri = f"file:{sqlite_file(folder)}?mode=ro"
    name = stored_name(f"{seller.tenant_id}/{seller.oid}")
    try:
        with sqlite3.connect(uri, uri=True, timeout=1) as connection:
            sql = "SELECT length(blob) FROM referral_indexes WHERE name = ?"
            row = connection.execute(sql, (name,)).fetchone()
    except sqlite3.OperationalError:  # the file or table does not exist yet
        return None
    return None if row is None else int(row[0])


async def _stored(folder: Path, seller: FixtureUser) -> int:
    deadline = time.perf_counter() + SYNC_TIMEOUT_SECONDS
    while (size := _stored_size(folder, seller)) is None:
        if time.perf_counter() > deadline:
            raise TimeoutError(f"no index stored for {seller.upn} in {SYNC_TIMEOUT_SECONDS} s")
        await asyncio.sleep(0.02)
    return size


class _Seller:
    """One seller's turns against one bot process."""

    def __init__(
        self, tenant: Tenant, seller: FixtureUser, service_url: str, emulators: Emulators
    ) -> None:
        self.seller = seller
        self._tenant = tenant
        self._payloads = Payloads(seller, service_url)
        self._emulators = emulators
        self._conversations = 0

    def _turn(self, text: str) -> dict[str, Any]:
        self._conversations += 1
        tag = f"{self.seller.oid[:8]}-{self._conversations}"
        return self._payloads.message(text, self._payloads.conversation(tag))

    def batch(self, kind: str, count: int, offset: int) -> list[dict[str, Any]]:
        if kind == QUARTER:
            return [self._turn(QUARTER) for _ in range(count)]
        verb = "show {}" if kind == SHOW else "mark {} won"
        chosen = names(self._tenant, self.seller, offset + count)[offset:]
        return [self._turn(verb.format(name)) for name in chosen]

    async def cold_sync(self, bot: Server, folder: Path) -> ColdSync:
        await self._emulators.clear()
        rss, cpu = bot.rss_mib(), await settled_cpu_seconds(bot)
        started = time.perf_counter()
        first = asyncio.create_task(run_load(bot, [self._turn(QUARTER)], 1))
        size = await _stored(folder, self.seller)
        seconds = time.perf_counter() - started
        await first
        cpu = await settled_cpu_seconds(bot) - cpu
        recorded = await self._emulators.recorded()
        calls = Calls.of(recorded, 1)
        visible = self._tenant.visible(self.seller)
        return ColdSync(
            visible, round(calls.pages), round(calls.identity), seconds, cpu, size,
            bot.rss_mib() - rss,
        )  # fmt: skip

    async def turns(
        self, bot: Server, connector: FakeConnector, kind: str, count: int, offset: int
    ) -> TurnFigures:
        """One warm-up turn of the kind, then `count` measured ones, each in a new chat."""
        await run_load(bot, self.batch(kind, 1, offset), 1)
        batch = self.batch(kind, count, offset + 1)
        await self._emulators.clear()
        measured = await run_load(bot, batch, 1)
        recorded = await self._emulators.recorded()
        chats = {payload["conversation"]["id"] for payload in batch}
        return TurnFigures(
            Calls.of(recorded, count),
            measured.cpu_ms_per_turn,
            measured.percentile_ms(50),
            measured.failures,
            len(chats & connector.confirm_data.keys()),
            count,
        )


async def idle_kib(bot: Server, payloads: Payloads, conversations: int) -> float:
    """RSS growth per new chat that only said "help" (after ten such chats as a warm-up)."""
    warm = [payloads.message("help", payloads.conversation(f"wi{n}")) for n in range(10)]
    await run_load(bot, warm, 8)
    before = bot.rss_mib()
    batch = [payloads.message("help", payloads.conversation(f"i{n}")) for n in range(conversations)]
    await run_load(bot, batch, 64)
    return 1024 * (bot.rss_mib() - before) / max(conversations, 1)


def _environment(env: Mapping[str, str], folder: Path, refresh: float | None) -> dict[str, str]:
    merged = {**env, **state_environment(StateBackend.SQLITE, folder)}
    if refresh is not None:
        merged[f"{ENV_PREFIX}INDEX__REFRESH_SECONDS"] = str(refresh)
    return merged


async def measure_scale(
    plan: ScalePlan,
    tenant: Tenant,
    rig: tuple[RunningEmulators, FakeConnector, str],
    sellers: Sequence[FixtureUser],
    folder: Path,
    cores: Sequence[int],
) -> ScaleResults:
    """Both phases for every seller; `rig` is (running emulators, connector, its service URL)."""
    running, connector, service_url = rig
    emulators = Emulators(running)
    results = ScaleResults()
    people = [_Seller(tenant, seller, service_url, emulators) for seller in sellers]
    # one sealing key for both processes (demo mode would make one per process, and the
    # second could not open the first's index): the restart then loads the stored index
    env = {**bot_environment(running), f"{ENV_PREFIX}IDENTITY__TOKEN_CACHE_KEY": _fernet_key()}
    async with server_process("bot", _environment(env, folder, None), cores=cores) as bot:
        idle_payloads = Payloads(sellers[-1], service_url)
        results.idle_kib_per_conversation = await idle_kib(bot, idle_payloads, plan.idle)
        for person in people:
            figures = results.sellers.setdefault(_role(person.seller), SellerFigures())
            figures.cold = await person.cold_sync(bot, folder)
            synced = time.perf_counter()
            for n, kind in enumerate(KINDS):
                offset = n * (plan.turns + 1)
                figures.turns[(kind, WITHIN)] = await person.turns(
                    bot, connector, kind, plan.turns, offset
                )
            if time.perf_counter() - synced >= results.refresh_seconds:
                raise RuntimeError("the warm turns outlasted the refresh interval: fewer --turns")
    async with server_process("bot", _environment(env, folder, 0), cores=cores) as bot:
        for person in people:
            figures = results.sellers[_role(person.seller)]
            started = time.perf_counter()
            await run_load(bot, person.batch(QUARTER, 1, 0), 1)  # loads the stored index
            results.restart_load_seconds[_role(person.seller)] = time.perf_counter() - started
            for n, kind in enumerate(KINDS):
                offset = (len(KINDS) + n) * (plan.turns + 1)
                figures.turns[(kind, AFTER)] = await person.turns(
                    bot, connector, kind, plan.turns, offset
                )
    return results


def _fernet_key() -> str:
    return Fernet.generate_key().decode()


def _role(seller: FixtureUser) -> str:
    return seller.roles[0] if seller.roles else "no role"


def today() -> datetime:
    return datetime.now(UTC)
