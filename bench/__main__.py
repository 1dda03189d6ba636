"""`python -m bench`: measure the floor and Referral Bot in alternating pairs, print one table.

Defaults follow the method in docs/performance.md within about 10 minutes on 2 cores; `--quick`
is the smoke test's tiny run (one pair), whose figures mean nothing. The scale table of
`python -m bench.scale` follows (quick with `--quick`), unless `--no-scale`, then the lead
alerts' fan-out of `python -m bench.lead_fanout` (quick with `--quick`), unless `--no-fanout`.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bench.lead_fanout import FULL as FANOUT_FULL
from bench.lead_fanout import QUICK as FANOUT_QUICK
from bench.lead_fanout import FanoutPlan
from bench.lead_fanout import run as run_fanout
from bench.pairs import measure_pairs
from bench.plan import Plan
from bench.profile import profile_mark_turns
from bench.report import footnote, table
from bench.scale import FULL, QUICK
from bench.scale import run as run_scale
from bench.scale_runs import ScalePlan
from bench.server import unpinned_afterwards
from bot.settings import StateBackend

GRAMMAR_REPEATS = 100


def _count(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = int(text)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}")
        return value

    return parse


@dataclass(frozen=True)
class Parsed:
    plan: Plan
    profile: int | None
    scale: ScalePlan | None
    fanout: FanoutPlan | None


def _parse(argv: Sequence[str]) -> Parsed:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--pairs", type=_count(1), default=3, help="floor/bot pairs (default 3)")
    parser.add_argument(
        "--turns", type=_count(1), default=1200, help="measured turns per run (c=1: a quarter)"
    )
    parser.add_argument(
        "--warmup", type=_count(0), default=200, help="warm-up turns before each measured run"
    )
    parser.add_argument("--idle", type=_count(0), default=10_000, help="idle chats for RSS")
    parser.add_argument(
        "--state",
        choices=[StateBackend.MEMORY.value, StateBackend.SQLITE.value],
        default=StateBackend.SQLITE.value,
        help="the bot's state backend (default: sqlite, the product's default)",
    )
    parser.add_argument("--quick", action="store_true", help="one pair, tiny counts (smoke test)")
    parser.add_argument(
        "--profile", type=int, metavar="N", help="only: cProfile top-10 of N 'mark … won' turns"
    )
    parser.add_argument(
        "--no-scale", action="store_true", help="without the scale table (python -m bench.scale)"
    )
    parser.add_argument(
        "--no-fanout",
        action="store_true",
        help="without the lead alerts' fan-out (python -m bench.lead_fanout)",
    )
    args = parser.parse_args(argv)
    plan = Plan(
        pairs=args.pairs,
        turns=args.turns,
        warmup=args.warmup,
        idle=args.idle,
        state=StateBackend(args.state),
        grammar_repeats=GRAMMAR_REPEATS,
    )
    if args.quick:
        plan = Plan(1, 8, 4, 20, plan.state, 2)
    scale = None if args.no_scale else (QUICK if args.quick else FULL)
    fanout = None if args.no_fanout else (FANOUT_QUICK if args.quick else FANOUT_FULL)
    return Parsed(plan, args.profile, scale, fanout)


def main(argv: Sequence[str] | None = None) -> None:
    parsed = _parse(sys.argv[1:] if argv is None else argv)
    plan, scale = parsed.plan, parsed.scale
    if parsed.profile:
        print(asyncio.run(profile_mark_turns(parsed.profile)))
        return
    started = time.perf_counter()
    with unpinned_afterwards() as cores:  # the scale bench pins the bot again
        pairs = asyncio.run(measure_pairs(plan, sorted(cores)))
    print(table(pairs, plan))
    print()
    print(footnote(pairs, plan, time.perf_counter() - started), flush=True)
    if scale is not None:
        print("\nScale: the referral index (python -m bench.scale)\n")
        print(run_scale(scale), flush=True)
    if parsed.fanout is not None:
        print("\nLead alerts fan-out (python -m bench.lead_fanout)\n")
        print(run_fanout(parsed.fanout), flush=True)


if __name__ == "__main__":
    main()
