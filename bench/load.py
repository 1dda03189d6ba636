"""The load generator: POST activities at a fixed concurrency, time each, read server CPU."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp

from bench.server import Server


@dataclass(frozen=True)
class Measurement:
    turns: int
    failures: int
    seconds: float
    cpu_seconds: float
    latencies: tuple[float, ...]  # seconds, sorted

    @property
    def turns_per_second(self) -> float:
        return self.turns / self.seconds if self.seconds else float("nan")

    @property
    def cpu_ms_per_turn(self) -> float:
        return 1000 * self.cpu_seconds / self.turns if self.turns else float("nan")

    def percentile_ms(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        if len(self.latencies) == 1:
            return 1000 * self.latencies[0]
        return 1000 * statistics.quantiles(self.latencies, n=100, method="inclusive")[int(p) - 1]


async def settled_cpu_seconds(server: Server, step: float = 0.05, bound: float = 1.0) -> float:
    """Server CPU once it stops rising: work a turn finishes after answering counts for it."""
    now = server.cpu_seconds()
    for _ in range(round(bound / step)):
        await asyncio.sleep(step)
        before, now = now, server.cpu_seconds()
        if now == before:
            break
    return now


async def _post(session: aiohttp.ClientSession, url: str, payload: dict[str, Any]) -> bool:
    async with session.post(url, json=payload) as answer:
        await answer.read()
        return answer.status in (200, 201)


async def run_load(
    server: Server, payloads: Sequence[dict[str, Any]], concurrency: int
) -> Measurement:
    """Send every payload, `concurrency` in flight at once; server CPU delta over the run.

    The wall time ends with the last answer; the CPU time also takes in what the server still
    does after it (replies, background saves), and starts after the previous run's has settled.
    """
    url = f"{server.base_url}/api/messages"
    queue = list(reversed(payloads))
    latencies: list[float] = []
    failures = 0
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            nonlocal failures
            while queue:
                payload = queue.pop()
                started = time.perf_counter()
                ok = await _post(session, url, payload)
                latencies.append(time.perf_counter() - started)
                failures += not ok

        cpu_before = await settled_cpu_seconds(server)
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        seconds = time.perf_counter() - started
        cpu = await settled_cpu_seconds(server) - cpu_before
    return Measurement(len(payloads), failures, seconds, cpu, tuple(sorted(latencies)))
