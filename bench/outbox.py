"""`python -m bench.outbox`: what the outbox costs per proactive card, on SQLite and on Blob.

Per backend: `--count` notifications each claimed and marked sent, one after the other (the
path of every card the sender posts, without the post), timed one by one, and `copies()` of
a group of `--group` sent entries (what a decision reads to update every copy) among other
groups', timed `--repeats` times. Blob runs against a local Azurite, so its figures show
requests and local round trips, not Azure's latency; its HTTP requests are counted.
`--quick` is a smoke run whose figures mean nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.pending_blobs import BULK, counting_blob_storage
from bot.domain.proactive import ClaimResult, Notification, Notifications, NotificationState
from bot.state.blob_outbox import BlobNotifications
from bot.state.sqlite_db import SqliteDatabase
from bot.state.sqlite_outbox import SqliteNotifications
from emulators.azurite import running_azurite

NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
LEASE = timedelta(seconds=60)
REFERENCE = {
    "bot": {"id": "28:bot", "name": "Referral Bot"},
    "conversation": {"id": "a:1xyz", "conversation_type": "personal", "tenant_id": "t-1"},
    "service_url": "https://smba.trafficmanager.net/emea/",
    "channel_id": "msteams",
}


def _notification(lead: int, user: int) -> Notification:
    return Notification(
        key=f"lead:{lead}:user:u-{user}",
        group=f"lead:{lead}",
        reference=REFERENCE,
        state=NotificationState.CLAIMED,
        user_id=f"u-{user}",
    )


async def _claim_and_send(store: Notifications, entry: Notification) -> None:
    result = await store.claim(entry, owner="bench", now=NOW, lease=LEASE)
    if result is not ClaimResult.WON:
        raise RuntimeError(f"{entry.key}: {result}")
    await store.sent(entry.key, owner="bench", activity_id=f"act-{entry.key}", now=NOW)


async def _time_sends(store: Notifications, count: int) -> str:
    sends = []
    for n in range(count):  # one lead per card: the copies' group below stays its own
        started = time.perf_counter()
        await _claim_and_send(store, _notification(1_000 + n, n))
        sends.append(time.perf_counter() - started)
    return f"claim+sent  median {_ms(sends)} ms  p90 {_ms(sends, 0.9)} ms  ({count} cards)"


async def _time_copies(store: Notifications, group: int, repeats: int) -> str:
    for user in range(group):
        await _claim_and_send(store, _notification(1, user))
    reads = []
    for _ in range(repeats):
        started = time.perf_counter()
        found = await store.copies("lead:1")
        reads.append(time.perf_counter() - started)
        if len(found) != group:
            raise RuntimeError(f"copies() found {len(found)} of {group}")
    return f"copies()    median {_ms(reads)} ms  p90 {_ms(reads, 0.9)} ms  (a group of {group})"


def _ms(seconds: list[float], quantile: float = 0.5) -> str:
    if quantile == 0.5 or len(seconds) < 2:
        return f"{statistics.median(seconds) * 1000:7.2f}"
    return f"{statistics.quantiles(seconds, n=10)[int(quantile * 10) - 1] * 1000:7.2f}"


async def _sqlite(count: int, group: int, repeats: int) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        database = await SqliteDatabase.open(Path(folder) / "bench.sqlite3")
        try:
            store = SqliteNotifications(database)
            lines = [await _time_sends(store, count), await _time_copies(store, group, repeats)]
        finally:
            await database.aclose()
    return [f"sqlite  {line}" for line in lines]


async def _blob(count: int, group: int, repeats: int) -> list[str]:
    with running_azurite() as azurite:
        container = f"bench-{uuid.uuid4().hex[:12]}"
        async with counting_blob_storage(azurite, container, BULK) as (storage, requests):
            await storage.create_container()
            store = BlobNotifications(storage)
            requests.clear()
            sends = await _time_sends(store, count)
            per_card = _calls(requests, count)
            reads = await _time_copies(store, group, repeats)
            requests.clear()
            await store.copies("lead:1")
            per_read = _calls(requests, 1)
    return [
        f"blob    {sends}  HTTP per card: {per_card}",
        f"blob    {reads}  HTTP per read: {per_read}",
    ]


def _calls(requests: Counter[str], per: int) -> str:
    return " ".join(f"{method}={count / per:g}" for method, count in sorted(requests.items()))


async def _run(count: int, group: int, repeats: int) -> None:
    for line in await _sqlite(count, group, repeats):
        print(line, flush=True)
    for line in await _blob(count, group, repeats):
        print(line, flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.outbox", description=__doc__)
    parser.add_argument("--count", type=int, default=200, help="cards claimed and sent")
    parser.add_argument("--group", type=int, default=50, help="sent copies of one group")
    parser.add_argument("--repeats", type=int, default=20, help="timed copies() reads")
    parser.add_argument("--quick", action="store_true", help="smoke run: 5 cards, a group of 3")
    args = parser.parse_args(argv)
    if args.quick:
        asyncio.run(_run(5, 3, 2))
    else:
        asyncio.run(_run(max(args.count, 2), max(args.group, 1), max(args.repeats, 2)))


if __name__ == "__main__":
    main()
