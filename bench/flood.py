"""`python -m bench.flood [--code DIR] [--flooders N] [--healthz N] [--confirms N]`

Issue 13, D1: /healthz and an authenticated Confirm, timed without and then with N clients
posting 1 MiB bodies without a token as fast as they are answered. The bot runs with auth ON
(`bench.flood_server`: `python -m bot` with a fixed outbound token) in its own process, pinned
to one core; the flooders run in a second process and the timed clients, the channel key
server, the fake connector and the emulators here, both on the other core(s), so that the
flooders' own work does not delay the timed clients' event loop. `--code /work/main` measures
another checkout.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import statistics
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event
from typing import Any

import aiohttp

from bench.connector import FakeConnector, running_connector
from bench.fixtures import SELLER, bench_emulators, bot_environment, marked_ids
from bench.payloads import Payloads
from bench.server import Server, server_process
from bot.cards.confirm_change import CONFIRM_VERB
from emulators.config import DEMO_BOT_APP_ID
from tests.support.channel_keys import ChannelKeyServer, TokenMinter, serving

MiB = 1024 * 1024
FLOOD_CONVERSATION = "flood"


@dataclass
class Phase:
    name: str
    healthz: list[float] = field(default_factory=list)  # seconds
    confirms: list[float] = field(default_factory=list)
    flood_requests: int = 0
    server_cpu: float = 0.0
    seconds: float = 0.0


def flood_body(service_url: str) -> bytes:
    """A Teams-looking message whose `value` is half a million zeros: 1 MiB, and no token."""
    head = (
        b'{"type":"message","channelId":"msteams","from":{"id":"29:x"},"conversation":{"id":"'
        + FLOOD_CONVERSATION.encode()
        + b'"},"serviceUrl":"'
        + service_url.encode()
        + b'","value":['
    )
    zeros = (MiB - len(head) - 2) // 2
    return head + b"0," * (zeros - 1) + b"0]}"


async def _flood_once(host: str, port: int, request: bytes) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(request)
        await reader.readline()  # the status line, or b"" once closed
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()


@dataclass(frozen=True)
class FloodSignals:
    """Shared with the flood process: stop it, how many requests it made, when it is under way."""

    stop: Event
    underway: Event
    count: Synchronized[int]
    flooders: int


async def _flood(base_url: str, body: bytes, signals: FloodSignals) -> None:
    host, port = base_url.removeprefix("http://").split(":")
    head = (
        "POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    while not signals.stop.is_set():
        with contextlib.suppress(ConnectionError):
            await _flood_once(host, int(port), head + body)
        with signals.count.get_lock():
            signals.count.value += 1
            if signals.count.value >= signals.flooders:
                signals.underway.set()


def _flood_process(base_url: str, body: bytes, signals: FloodSignals) -> None:
    async def all_of_them() -> None:
        await asyncio.gather(*(_flood(base_url, body, signals) for _ in range(signals.flooders)))

    asyncio.run(all_of_them())


@contextlib.asynccontextmanager
async def flooding(server: Server, body: bytes, flooders: int) -> AsyncIterator[Synchronized[int]]:
    """`flooders` clients in another process until the block ends; yields their request count."""
    context = multiprocessing.get_context("spawn")
    signals = FloodSignals(context.Event(), context.Event(), context.Value("l", 0), flooders)
    process = context.Process(
        target=_flood_process, args=(server.base_url, body, signals), daemon=True
    )
    if flooders:
        process.start()
        await asyncio.to_thread(signals.underway.wait, 60)
    try:
        yield signals.count
    finally:
        signals.stop.set()
        if flooders:
            await asyncio.to_thread(process.join, 30)
            if process.is_alive():
                process.kill()


async def _timed_health(session: aiohttp.ClientSession, url: str) -> float:
    started = time.perf_counter()
    async with session.get(f"{url}/healthz") as answer:
        await answer.read()
        assert answer.status == 200, answer.status
    return time.perf_counter() - started


@dataclass
class Clicker:
    """Proposes a change with an authenticated message, then times the Confirm click."""

    session: aiohttp.ClientSession
    server: Server
    connector: FakeConnector
    payloads: Payloads
    headers: dict[str, str]
    service_url: str

    async def _post(self, payload: dict[str, Any]) -> int:
        url = f"{self.server.base_url}/api/messages"
        async with self.session.post(url, json=payload, headers=self.headers) as answer:
            await answer.read()
            return answer.status

    async def confirm(self, referral_id: str) -> float:
        conversation = self.payloads.conversation(referral_id)
        status = await self._post(self.payloads.message(f"mark {referral_id} won", conversation))
        assert status in (200, 201), status
        data = self.connector.confirm_data.pop(conversation)
        started = time.perf_counter()
        status = await self._post(self.payloads.click(CONFIRM_VERB, data, conversation))
        assert status == 200, status
        return time.perf_counter() - started


async def run_phase(
    phase: Phase,
    server: Server,
    clicker: Clicker,
    referral_ids: Sequence[str],
    *,
    flooders: int,
    healthz: int,
) -> Phase:
    body = flood_body(clicker.service_url)
    async with flooding(server, body, flooders) as count:
        cpu, started = server.cpu_seconds(), time.perf_counter()
        for _ in range(healthz):
            phase.healthz.append(await _timed_health(clicker.session, server.base_url))
            await asyncio.sleep(0.05)
        for referral_id in referral_ids:
            phase.confirms.append(await clicker.confirm(referral_id))
        phase.seconds = time.perf_counter() - started
        phase.server_cpu = server.cpu_seconds() - cpu
        phase.flood_requests = count.value
    return phase


def _ms(values: Sequence[float], p: int) -> str:
    if not values:
        return "-"
    if len(values) == 1:
        return f"{1000 * values[0]:.1f}"
    return f"{1000 * statistics.quantiles(values, n=100, method='inclusive')[p - 1]:.1f}"


def report(phases: Sequence[Phase], code: str) -> str:
    lines = [
        f"bench.flood: code={code}",
        "| phase | /healthz p50 ms | p99 ms | max ms | Confirm p50 ms | max ms "
        "| flood requests | server CPU s / wall s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for p in phases:
        lines.append(
            f"| {p.name} | {_ms(p.healthz, 50)} | {_ms(p.healthz, 99)} "
            f"| {1000 * max(p.healthz):.1f} | {_ms(p.confirms, 50)} "
            f"| {1000 * max(p.confirms):.1f} | {p.flood_requests} "
            f"| {p.server_cpu:.1f} / {p.seconds:.1f} |"
        )
    return "\n".join(lines)


@contextlib.asynccontextmanager
async def flood_bot(code: str | None, confirms: int) -> AsyncIterator[tuple[Server, Clicker]]:
    with bench_emulators(2 * confirms + 1) as running:
        async with (
            serving(ChannelKeyServer()) as keys,
            running_connector() as (connector, service_url),
            aiohttp.ClientSession() as session,
        ):
            env = bot_environment(running) | {
                "REFERRAL_BOT_DANGEROUSLY_ALLOW_UNAUTHENTICATED": "false",
                "REFERRAL_BOT_BOT__APP_ID": DEMO_BOT_APP_ID,
                "REFERRAL_BOT_BOT__APP_PASSWORD": "bench-password",
                "REFERRAL_BOT_BOT__OPENID_METADATA_URL": keys.metadata_url,
                "REFERRAL_BOT_STATE__BACKEND": "memory",
            }
            args = ["--code", code] if code else []
            async with server_process("bench.flood_server", env, args=args) as server:
                token = TokenMinter(keys.published[0], DEMO_BOT_APP_ID).token(service_url)
                payloads = Payloads(SELLER, service_url)
                headers = {"Authorization": f"Bearer {token}"}
                clicker = Clicker(session, server, connector, payloads, headers, service_url)
                yield server, clicker


async def measure(code: str | None, flooders: int, healthz: int, confirms: int) -> str:
    warm_up, *ids = marked_ids(2 * confirms + 1)
    async with flood_bot(code, confirms) as (server, clicker):
        await clicker.confirm(warm_up)  # keys fetched, the first turn's imports done
        quiet = await run_phase(
            Phase("quiet"), server, clicker, ids[:confirms], flooders=0, healthz=healthz
        )
        flooded = await run_phase(
            Phase(f"{flooders} flooders x 1 MiB, no token"),
            server,
            clicker,
            ids[confirms:],
            flooders=flooders,
            healthz=healthz,
        )
    return report([quiet, flooded], code or "this checkout")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.flood", description=__doc__)
    parser.add_argument("--code", help="run the bot from this checkout (default: this one)")
    parser.add_argument("--flooders", type=int, default=4)
    parser.add_argument("--healthz", type=int, default=40, help="timed /healthz per phase")
    parser.add_argument("--confirms", type=int, default=5, help="timed Confirms per phase")
    parser.add_argument("--quick", action="store_true", help="--healthz 20 --confirms 3")
    args = parser.parse_args(argv)
    healthz, confirms = (20, 3) if args.quick else (args.healthz, args.confirms)
    print(asyncio.run(measure(args.code, args.flooders, healthz, confirms)), flush=True)


if __name__ == "__main__":
    main()
