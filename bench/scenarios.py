"""One server's runs: the floor's echo turn; the bot's show / mark-won / Confirm turns; idle RSS.

Every measured run comes right after a warm-up of the same turn kind at the same concurrency, so
first-use costs (imports, caches, the seller's tokens, connection pools) stay out of the figures.
"""

from __future__ import annotations

import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bench.connector import FakeConnector
from bench.fixtures import SELLER, SHOWN_ID
from bench.load import Measurement, run_load
from bench.payloads import Payloads
from bench.plan import Plan
from bench.server import Server
from bot.cards.confirm_change import CONFIRM_VERB
from emulators.server import RunningEmulators

ECHO, SHOW, MARK, CONFIRM = "echo", "show 123", "mark 123 won", "Confirm"
STOCK_ECHO = "echo on the stock SDK"  # the floor's echo bot without the SDK fixes
STOCK_LEVEL = 8


@dataclass
class Results:
    """One pair's measurements, by (turn, concurrency), plus its one-off figures."""

    runs: dict[tuple[str, int], Measurement] = field(default_factory=dict)
    figures: dict[str, float] = field(default_factory=dict)
    upstream: dict[str, float] = field(default_factory=dict)
    grammar: dict[str, float] = field(default_factory=dict)
    warmup_failures: int = 0
    pinned: bool = True  # both servers ran pinned to one core


class Emulators:
    """Reads and clears what the emulators recorded (both: Referrals and identity)."""

    def __init__(self, running: RunningEmulators) -> None:
        self._bases = {
            "referrals": running.referrals_base_url,
            "identity": running.identity_base_url,
        }
        self._ssl = ssl.create_default_context(cafile=str(running.ca_file))

    async def clear(self) -> None:
        async with aiohttp.ClientSession() as session:
            for base in self._bases.values():
                async with session.delete(f"{base}/_emulator/requests", ssl=self._ssl) as answer:
                    answer.raise_for_status()

    async def recorded(self) -> dict[str, list[dict[str, Any]]]:
        found: dict[str, list[dict[str, Any]]] = {}
        async with aiohttp.ClientSession() as session:
            for name, base in self._bases.items():
                async with session.get(f"{base}/_emulator/requests", ssl=self._ssl) as answer:
                    found[name] = (await answer.json())["requests"]
        return found


def _per_change(recorded: dict[str, list[dict[str, Any]]], changes: int) -> dict[str, float]:
    referrals = recorded["referrals"]
    count = max(changes, 1)
    return {
        "GET": sum(r["method"] == "GET" for r in referrals) / count,
        "PATCH": sum(r["method"] == "PATCH" for r in referrals) / count,
        "other Partner Center": sum(r["method"] not in ("GET", "PATCH") for r in referrals) / count,
        "identity": len(recorded["identity"]) / count,
    }


@dataclass(frozen=True)
class BotRig:
    """What the bot's runs talk to besides the bot: the fake connector and the emulators."""

    payloads: Payloads
    connector: FakeConnector
    emulators: Emulators


async def _warm(server: Server, batch: Sequence[dict[str, Any]], c: int, results: Results) -> None:
    """Turns whose figures are dropped; a failure among them is still reported."""
    results.warmup_failures += (await run_load(server, batch, c)).failures


async def run_floor(
    server: Server, payloads: Payloads, plan: Plan, results: Results, *, stock: bool = False
) -> None:
    """Echo turns per level, each level after its own warm-up (as the bot's are); the stock
    SDK's echo bot (the SDK fixes' "before") at one level only."""
    for c in (STOCK_LEVEL,) if stock else plan.levels:
        warm = [
            payloads.message("hi", payloads.conversation(f"we{c}-{n}")) for n in range(plan.warmup)
        ]
        await _warm(server, warm, c, results)
        batch = [
            payloads.message("hello", payloads.conversation(f"e{c}-{n}"))
            for n in range(plan.turns_at(c))
        ]
        results.runs[(STOCK_ECHO if stock else ECHO, c)] = await run_load(server, batch, c)


async def run_bot(
    server: Server, rig: BotRig, plan: Plan, referral_ids: Sequence[str], results: Results
) -> None:
    """Per level: show, mark and Confirm, each measured right after a warm-up of its own kind.

    `referral_ids` holds `plan.changes_per_pair()` fresh referrals: one per mark, warm-up included.
    """
    remaining = list(referral_ids)
    for c in plan.levels:
        await _show(server, rig.payloads, plan, c, results)
        warm, measured = remaining[: plan.warmup], remaining[plan.warmup :]
        measured, remaining = measured[: plan.turns_at(c)], measured[plan.turns_at(c) :]
        await _mark_and_confirm(server, rig, c, (warm, measured), results)


async def _show(server: Server, payloads: Payloads, plan: Plan, c: int, results: Results) -> None:
    def batch(tag: str, count: int) -> list[dict[str, Any]]:
        return [
            payloads.message(f"show {SHOWN_ID}", payloads.conversation(f"{tag}{c}-{n}"))
            for n in range(count)
        ]

    await _warm(server, batch("ws", plan.warmup), c, results)
    results.runs[(SHOW, c)] = await run_load(server, batch("s", plan.turns_at(c)), c)


async def _mark_and_confirm(
    server: Server,
    rig: BotRig,
    c: int,
    referral_ids: tuple[Sequence[str], Sequence[str]],
    results: Results,
) -> None:
    """Warm marks, measured marks, warm Confirms (of the warm marks), measured Confirms.

    At c=1 the emulators' records of the two measured runs give the upstream calls per change.
    """
    warm, measured = referral_ids
    payloads = rig.payloads
    conversations = {rid: payloads.conversation(f"m{rid}") for rid in (*warm, *measured)}

    def marks(ids: Sequence[str]) -> list[dict[str, Any]]:
        return [payloads.message(f"mark {rid} won", conversations[rid]) for rid in ids]

    def clicks(ids: Sequence[str]) -> list[dict[str, Any]]:
        data = rig.connector.confirm_data
        return [
            payloads.click(CONFIRM_VERB, data.get(conversations[rid], {}), conversations[rid])
            for rid in ids
        ]

    await _warm(server, marks(warm), c, results)
    await rig.emulators.clear()
    results.runs[(MARK, c)] = await run_load(server, marks(measured), c)
    recorded = await rig.emulators.recorded()
    await _warm(server, clicks(warm), c, results)
    await rig.emulators.clear()
    results.runs[(CONFIRM, c)] = await run_load(server, clicks(measured), c)
    if c == 1:
        after = await rig.emulators.recorded()
        both = {name: recorded[name] + after[name] for name in recorded}
        results.upstream = _per_change(both, len(measured))


async def idle_rss(server: Server, payloads: Payloads, conversations: int) -> float:
    """RSS (MiB) after one "help" message in each of `conversations` new chats."""
    batch = [payloads.message("help", payloads.conversation(f"i{n}")) for n in range(conversations)]
    await run_load(server, batch, 64)
    return server.rss_mib()


def seller_payloads(service_url: str) -> Payloads:
    return Payloads(SELLER, service_url)
