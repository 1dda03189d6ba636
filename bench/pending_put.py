"""`python -m bench.pending_put`: how long a proposal (`put`) takes with many stored changes.

For each size, a fresh Azurite container gets that many pending changes (one in five expired
an hour ago), then `--puts` proposals are timed one after the other: the first is the one that
found the expired changes, the rest show the steady state. The same for SQLite (one file per
size). Then one background sweep round over the largest container, when this version has the
sweeper. Azurite is local: the figures show growth with the stored count, not Azure latency.
`--quick` is a smoke run whose figures mean nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from bench.pending_blobs import (
    BULK,
    NOW,
    counting_blob_storage,
    mixed_changes,
    pending_change,
    store_pending_blobs,
)
from bot.domain.pending import PendingChange, PendingChanges
from bot.state.blob_pending_changes import BlobPendingChanges
from bot.state.blob_storage import AzureBlobStorage
from bot.state.sqlite_state import open_sqlite_state
from emulators.azurite import Azurite, running_azurite

Fill = Callable[[list[PendingChange]], Awaitable[None]]


async def _time_puts(store: PendingChanges, puts: int) -> list[float]:
    seconds = []
    for n in range(puts):
        later = NOW + timedelta(minutes=5, seconds=n)
        started = time.perf_counter()
        await store.put(pending_change(f"new-{n}", created_at=later))
        seconds.append(time.perf_counter() - started)
    return seconds


def _line(backend: str, size: int, seconds: list[float], calls: str = "") -> str:
    rest = statistics.median(seconds[1:]) if len(seconds) > 1 else float("nan")
    return (
        f"{backend:<7} {size:>7,} stored  first put {seconds[0] * 1000:9.1f} ms  "
        f"then median {rest * 1000:8.1f} ms  {calls}"
    )


async def _blob(azurite: Azurite, size: int, puts: int) -> str:
    async with counting_blob_storage(azurite, f"bench-{uuid.uuid4().hex[:12]}", BULK) as (
        storage,
        requests,
    ):
        await storage.create_container()
        await store_pending_blobs(storage, mixed_changes(size))
        requests.clear()
        seconds = await _time_puts(BlobPendingChanges(storage), puts)
        calls = " ".join(f"{method}={count}" for method, count in sorted(requests.items()))
        line = _line("blob", size, seconds, f"HTTP requests for {puts} puts: {calls}")
        return line + await _sweep_round(storage, size)


async def _sweep_round(storage: AzureBlobStorage, size: int) -> str:
    try:  # the sweeper exists from D3 on; the same script measures the version before it
        from bot.state.blob_pending_changes import PREFIX, sweepable
        from bot.state.blob_sweeper import BlobSweeper
    except ImportError:
        return ""
    sweeper = BlobSweeper(storage, PREFIX, sweepable, clock=lambda: NOW)
    stalls: list[float] = []
    ticking = asyncio.create_task(_ticker(stalls))
    started = time.perf_counter()
    swept = await sweeper.sweep_once()
    took = time.perf_counter() - started
    ticking.cancel()
    return (
        f"\n        background sweep round ({size:,} stored): listed {swept.listed:,}, "
        f"deleted {swept.deleted:,} in {took:.2f} s; longest event-loop stall (CPU) "
        f"{max(stalls, default=0.0) * 1000:.1f} ms"
    )


async def _ticker(stalls: list[float]) -> None:
    """How long the loop could not run anything else (what a turn would wait) during a round."""
    while True:  # CPU time of this thread: the other processes on a busy machine do not count
        before = time.thread_time()
        await asyncio.sleep(0)
        stalls.append(time.thread_time() - before)


async def _sqlite(size: int, puts: int) -> str:
    with tempfile.TemporaryDirectory() as folder:
        async with open_sqlite_state(Path(folder) / "bench.sqlite3") as parts:
            store = parts.pending
            # filled through put, each created when it was proposed: nothing expired is dropped
            changes = mixed_changes(size)
            await asyncio.gather(
                *(
                    store.put(replace(c, created_at=c.expires_at - timedelta(hours=2)))
                    for c in changes
                )
            )
            return _line("sqlite", size, await _time_puts(store, puts))


async def _run(sizes: Sequence[int], puts: int) -> None:
    with running_azurite() as azurite:
        for size in sizes:
            print(await _blob(azurite, size, puts), flush=True)
    for size in sizes:
        print(await _sqlite(size, puts), flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pending_put", description=__doc__)
    parser.add_argument("--sizes", default="0,1000,10000", help="stored changes, comma-separated")
    parser.add_argument("--puts", type=int, default=5, help="timed proposals per size")
    parser.add_argument("--quick", action="store_true", help="smoke run: sizes 0,50; 2 puts")
    args = parser.parse_args(argv)
    sizes = [0, 50] if args.quick else [int(part) for part in args.sizes.split(",")]
    puts = 2 if args.quick else max(args.puts, 2)
    asyncio.run(_run(sizes, puts))


if __name__ == "__main__":
    main()
