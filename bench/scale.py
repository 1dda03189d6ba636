"""`python -m bench.scale`: the referral index at scale (issue 15), one printed table.

A tenant of 10,000 referrals seen by a Referral Admin, 150 of them by a Referral User; the real
bot process against the strict emulators: cold sync, warm turns within and past the refresh
interval, the index query, memory. `--quick` is the smoke test's tiny run (figures mean nothing).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.connector import running_connector
from bench.index_query import NOW, built, memory_per_seller, realistic_entries, timed
from bench.scale_report import QueryFigures, scale_footnote, scale_table
from bench.scale_runs import ScalePlan, ScaleResults, measure_scale, today
from bench.scale_tenant import ADMIN, USER, scale_tenant
from bench.server import unpinned_afterwards, usable_cores
from bot.domain.list_kinds import ListKind
from emulators.config import EmulatorConfig
from emulators.server import emulators_in_thread

THROTTLE_PER_MINUTE = 1_000_000
FULL = ScalePlan(referrals=10_000, users_share=150, turns=30, idle=1000, repeats=100)
QUICK = ScalePlan(referrals=300, users_share=30, turns=2, idle=10, repeats=5)


def _parse(argv: Sequence[str]) -> ScalePlan:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a tiny tenant (smoke test)")
    parser.add_argument("--turns", type=int, help=f"warm turns per kind (default {FULL.turns})")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    if args.turns:
        plan = ScalePlan(plan.referrals, plan.users_share, args.turns, plan.idle, plan.repeats)
    return plan


def query_figures(entries: int, repeats: int) -> QueryFigures:
    """p50/p95 of a unique customer, a common name and the quarter's list on one index."""
    made = realistic_entries(entries)
    index = built(made)
    unique = made[(len(made) // 2) // 3 * 3].customer_name or ""  # every third is numbered
    queries = {
        "find a unique customer ('Contoso Pharma 0123'-like)": lambda: index.find(unique),
        "find a common name ('Contoso Pharma')": lambda: index.find("Contoso Pharma"),
        "list closing this quarter": lambda: index.list(ListKind.CLOSING_THIS_QUARTER, NOW),
    }
    timings = {label: timed(query, repeats)[:2] for label, query in queries.items()}
    return QueryFigures(entries, timings, memory_per_seller(entries))


async def _measure(plan: ScalePlan, folder: Path) -> tuple[ScaleResults, bool]:
    tenant = scale_tenant(plan.referrals, plan.users_share, now=today())
    config = EmulatorConfig(
        fixtures=tenant.fixtures, test_controls=True, throttle_per_minute=THROTTLE_PER_MINUTE
    )
    cores = usable_cores()
    with emulators_in_thread(config) as running:
        async with running_connector() as (connector, service_url):
            rig = (running, connector, service_url)
            results = await measure_scale(plan, tenant, rig, (ADMIN, USER), folder, cores)
    return results, len(cores) >= 2


def run(plan: ScalePlan) -> str:
    """The table and its footnote, as printed."""
    started = time.perf_counter()
    with unpinned_afterwards(), tempfile.TemporaryDirectory(prefix="bench-scale-") as folder:
        results, pinned = asyncio.run(_measure(plan, Path(folder)))
    queries = [query_figures(n, plan.repeats) for n in (plan.referrals, plan.users_share)]
    roles = [ADMIN.roles[0], USER.roles[0]]
    table = scale_table(results, roles, queries)
    note = scale_footnote(plan, results, THROTTLE_PER_MINUTE, pinned, time.perf_counter() - started)
    return f"{table}\n\n{note}"


def main(argv: Sequence[str] | None = None) -> None:
    print(run(_parse(sys.argv[1:] if argv is None else argv)))


if __name__ == "__main__":
    main()
