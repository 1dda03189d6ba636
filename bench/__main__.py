"""`python -m bench [--quick]`: measure the floor and Referral Bot, print one markdown table."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Sequence

from bench.connector import running_connector
from bench.fixtures import bench_emulators, bot_environment, marked_ids
from bench.profile import profile_mark_turns
from bench.report import table
from bench.scenarios import Emulators, Results, idle_rss, run_bot, run_floor, seller_payloads
from bench.server import server_process

LEVELS = (1, 8, 64)


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--turns", type=int, default=128, help="turns per run and concurrency")
    parser.add_argument("--idle", type=int, default=10_000, help="idle conversations for RSS")
    parser.add_argument("--quick", action="store_true", help="tiny counts (smoke test)")
    parser.add_argument(
        "--profile", type=int, metavar="N", help="only: cProfile top-10 of N 'mark … won' turns"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.turns, args.idle = 8, 20
    return args


async def _import_seconds(module: str) -> float:
    """Wall time of `import module` in a fresh interpreter (the interpreter's own start aside)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await process.communicate()
    return float(out.decode().strip())


async def _measure(args: argparse.Namespace) -> Results:
    results = Results()
    results.figures["floor import"] = await _import_seconds("bench.floor")
    results.figures["bot import"] = await _import_seconds("bot.app")
    ids = marked_ids(args.turns * len(LEVELS))
    with bench_emulators(len(ids)) as emulators:
        async with running_connector() as (connector, service_url):
            payloads = seller_payloads(service_url)
            async with server_process("bench.floor", {}) as floor:
                results.figures["floor startup"] = floor.startup_seconds
                results.figures["floor rss start"] = floor.rss_mib()
                await run_floor(floor, payloads, LEVELS, args.turns, results)
                _, results.figures["floor rss idle"] = await idle_rss(floor, payloads, args.idle)
            async with server_process("bot", bot_environment(emulators)) as bot:
                results.figures["bot startup"] = bot.startup_seconds
                results.figures["bot rss start"] = bot.rss_mib()
                plan = (LEVELS, args.turns, ids)
                await run_bot(bot, payloads, connector, Emulators(emulators), plan, results)
                _, results.figures["bot rss idle"] = await idle_rss(bot, payloads, args.idle)
    return results


def main(argv: Sequence[str] | None = None) -> None:
    args = _parse(sys.argv[1:] if argv is None else argv)
    affinity = os.sched_getaffinity(0)
    started = time.perf_counter()
    if args.profile:
        print(asyncio.run(profile_mark_turns(args.profile)))
        return
    results = asyncio.run(_measure(args))
    print(table(results, LEVELS, args.idle))
    print(
        f"\n{os.cpu_count()} CPUs; servers pinned to one core: {len(affinity) > 1}; "
        f"{args.turns} turns per run; took {time.perf_counter() - started:.0f} s."
    )


if __name__ == "__main__":
    main()
