"""The scale table (issue 15): per seller, cold sync, warm turns' upstream requests and CPU, the
index query's p50/p95, and memory; and its footnote of what was measured and how."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bench.scale_runs import AFTER, KINDS, WITHIN, ScalePlan, ScaleResults, SellerFigures

HEADER = "| Row | {} | Target |\n|---|{}---|"
PAGES_TARGET = {WITHIN: "0 pages", AFTER: "≤ 1 page (the freshness check)"}


@dataclass(frozen=True)
class QueryFigures:
    """In-process timings of one index (bench.index_query) and the memory it holds."""

    entries: int
    p50_p95_ms: Mapping[str, tuple[float, float]]  # query label -> (p50, p95)
    tracemalloc_bytes: int


def _row(label: str, cells: Sequence[str], target: str = "–") -> str:
    return f"| {label} | {' | '.join(cells)} | {target} |"


def _size(size: int, unit: float, name: str, entries: int) -> str:
    return f"{size / unit:,.2f} {name} ({size / max(entries, 1):,.0f} B/entry)"


def _cold_rows(sellers: Sequence[SellerFigures]) -> list[str]:
    colds = [s.cold for s in sellers]
    if any(cold is None for cold in colds):
        return []
    ok = [cold for cold in colds if cold is not None]
    return [
        _row("cold sync: list requests (pages of ≤ 100)", [f"{c.pages}" for c in ok]),
        _row(
            "cold sync: identity requests (OBO: discovery, token, keys)",
            [str(c.identity) for c in ok],
        ),
        _row(
            "cold sync: wall time, first turn sent → index stored",
            [f"{c.seconds:.2f} s" for c in ok],
        ),
        _row("cold sync: bot CPU (first turn included)", [f"{c.cpu_seconds:.2f} s" for c in ok]),
        _row(
            "index stored (sealed blob in the SQLite state file)",
            [_size(c.stored_bytes, 1024, "KiB", c.visible) for c in ok],
        ),
        _row("bot RSS growth over the cold sync", [f"{c.rss_delta_mib:.1f} MiB" for c in ok]),
    ]


def _turn_cell(seller: SellerFigures, kind: str, phase: str) -> str:
    figures = seller.turns.get((kind, phase))
    if figures is None:
        return "–"
    calls = figures.calls
    cell = (
        f"pages {calls.pages:.2f} · GET by id {calls.by_id:.2f} · other {calls.other:.2f} · "
        f"identity {calls.identity:.2f} · CPU {figures.cpu_ms:.1f} ms · p50 {figures.p50_ms:.0f} ms"
    )
    if kind == KINDS[1]:
        cell += f" · confirm card {figures.confirm_cards}/{figures.turns}"
    if figures.failures:
        cell += f" · **{figures.failures} failed**"
    return cell


def _query_rows(queries: Sequence[QueryFigures]) -> list[str]:
    rows = []
    for label in queries[0].p50_p95_ms:
        cells = [
            "p50 {:.2f} · p95 {:.2f} ms".format(*figures.p50_p95_ms[label]) for figures in queries
        ]
        target = "p50 ≤ 15 ms at 10,000 entries" if label.startswith(("find", "list")) else "–"
        rows.append(_row(f"index query, in process: {label}", cells, target))
    rows.append(
        _row(
            "index in memory (tracemalloc, bench.index_query.memory_per_seller)",
            [_size(q.tracemalloc_bytes, 1e6, "MB", q.entries) for q in queries],
        )
    )
    return rows


def scale_table(
    results: ScaleResults, roles: Sequence[str], queries: Sequence[QueryFigures]
) -> str:
    sellers = [results.sellers[role] for role in roles]
    visible = [s.cold.visible if s.cold else 0 for s in sellers]
    columns = [f"{role} ({count:,} referrals)" for role, count in zip(roles, visible, strict=True)]
    rows = [HEADER.format(" | ".join(columns), "---|" * len(columns))]
    rows += _cold_rows(sellers)
    rows.append(
        _row(
            "restart: first turn on the stored index (load + decode)",
            [f"{results.restart_load_seconds.get(role, float('nan')):.2f} s" for role in roles],
        )
    )
    for kind in KINDS:
        for phase in (WITHIN, AFTER):
            label = f"warm '{kind}', {phase}: per turn"
            cells = [_turn_cell(seller, kind, phase) for seller in sellers]
            rows.append(_row(label, cells, PAGES_TARGET[phase]))
    rows += _query_rows(queries)
    idle = f"{results.idle_kib_per_conversation:.1f} KiB"
    rows.append(_row("bot RSS per idle conversation (one 'help' each)", [idle, "(same process)"]))
    return "\n".join(rows)


def scale_footnote(
    plan: ScalePlan, results: ScaleResults, throttle: int, pinned: bool, seconds: float
) -> str:
    """What the scale table rests on, and how each figure was taken."""
    return "\n".join(
        [
            f"Tenant: {plan.referrals:,} referrals (bench.scale_tenant: bench.index_query's "
            f"names), all seen by the Referral Admin, {plan.users_share:,} with the Referral "
            "User on the team. Emulators strict (the documented query subset), latency 0, "
            f"throttle raised to {throttle:,} requests/min per caller (Partner Center publishes "
            "no limits; the emulator's default, 60/min, would pace a cold sync of 100 pages).",
            "Bot: `python -m bot`, demo settings (bench.fixtures), SQLite state, pinned to one "
            f"core, the bench and emulators on the other: {'yes' if pinned else 'NO'}. Default "
            f"refresh interval ({results.refresh_seconds:.0f} s) for the cold sync and the "
            "'within' turns; a second bot process on the same state file with "
            "REFERRAL_BOT_INDEX__REFRESH_SECONDS=0 for the 'past' turns (every turn is past it).",
            f"Warm turns: {plan.turns} per kind, seller and phase at c=1, each in a new chat, "
            "after one warm-up turn of the kind. pages: GET on the referrals collection (the "
            "index's sync); GET by id: the live read a found referral and every proposal make "
            "(the confirm card shows the live version). CPU: the bot's user+system time from "
            "/proc/<pid>/stat per turn; p50: the turn's latency (POST → 200).",
            "Cold sync: the seller's first turn ('deals closing this quarter') until the bot "
            "stored the index (polled in the state file); its wall time includes the emulator's "
            "own work per page (sorting the whole tenant, in the bench process). RSS growth: "
            "VmRSS of the bot after minus before (allocator arenas make it coarse).",
            "Index query: bench.index_query's functions in this process (`realistic_entries` of "
            f"the same sizes, {plan.repeats} runs each), not timed inside a turn.",
            f"{os.cpu_count()} CPUs; load average at the end: "
            + "/".join(f"{load:.1f}" for load in os.getloadavg())
            + f" (the machine may be shared). took {seconds:.0f} s.",
        ]
    )
