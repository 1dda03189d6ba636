"""The runs: the floor's echo turn; the bot's show / mark-won / Confirm turns; idle memory."""

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
from bench.server import Server
from bot.cards.confirm_change import CONFIRM_VERB
from bot.emulator.server import RunningEmulators

ECHO, SHOW, MARK, CONFIRM = "echo", "show 123", "mark 123 won", "Confirm"


@dataclass
class Results:
    """Every measurement, by (turn, concurrency), plus the one-off figures."""

    runs: dict[tuple[str, int], Measurement] = field(default_factory=dict)
    figures: dict[str, float] = field(default_factory=dict)
    upstream: dict[str, float] = field(default_factory=dict)


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


async def run_floor(
    server: Server, payloads: Payloads, levels: Sequence[int], turns: int, results: Results
) -> None:
    await run_load(
        server, [payloads.message("hi", payloads.conversation("w")) for _ in range(5)], 1
    )
    for c in levels:
        batch = [
            payloads.message("hello", payloads.conversation(f"e{c}-{n}")) for n in range(turns)
        ]
        results.runs[(ECHO, c)] = await run_load(server, batch, c)


async def run_bot(
    server: Server,
    payloads: Payloads,
    connector: FakeConnector,
    emulators: Emulators,
    plan: tuple[Sequence[int], int, Sequence[str]],
    results: Results,
) -> None:
    """Warm up (the seller's tokens get cached), then show, mark and Confirm per level."""
    levels, turns, ids = plan
    warm = [payloads.message(f"show {SHOWN_ID}", payloads.conversation("warm")) for _ in range(5)]
    await run_load(server, warm, 1)
    remaining = list(ids)
    for c in levels:
        show = [
            payloads.message(f"show {SHOWN_ID}", payloads.conversation(f"s{c}-{n}"))
            for n in range(turns)
        ]
        results.runs[(SHOW, c)] = await run_load(server, show, c)
        batch, remaining = remaining[:turns], remaining[turns:]
        if c == 1:
            await emulators.clear()
        await _mark_and_confirm(server, payloads, connector, c, batch, results)
        if c == 1:
            results.upstream = _per_change(await emulators.recorded(), len(batch))


async def _mark_and_confirm(
    server: Server,
    payloads: Payloads,
    connector: FakeConnector,
    c: int,
    referral_ids: Sequence[str],
    results: Results,
) -> None:
    conversations = {rid: payloads.conversation(f"m{rid}") for rid in referral_ids}
    marks = [payloads.message(f"mark {rid} won", conversations[rid]) for rid in referral_ids]
    results.runs[(MARK, c)] = await run_load(server, marks, c)
    clicks = [
        payloads.click(CONFIRM_VERB, connector.confirm_data.get(conv, {}), conv)
        for conv in conversations.values()
    ]
    results.runs[(CONFIRM, c)] = await run_load(server, clicks, c)


async def idle_rss(server: Server, payloads: Payloads, conversations: int) -> tuple[float, float]:
    """RSS (MiB) before and after one "help" message in each of `conversations` new chats."""
    before = server.rss_mib()
    batch = [payloads.message("help", payloads.conversation(f"i{n}")) for n in range(conversations)]
    await run_load(server, batch, 64)
    return before, server.rss_mib()


def seller_payloads(service_url: str) -> Payloads:
    return Payloads(SELLER, service_url)
