"""The one markdown table (floor and Referral Bot side by side, ratios, targets) and its footnote.

Every cell is a median over the pairs; a ratio cell is the median of the per-pair ratios.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from bench.grammar import COMMANDS
from bench.medians import RunMedians, median, median_ratio, run_medians
from bench.plan import Plan
from bench.scenarios import CONFIRM, ECHO, MARK, SHOW, STOCK_ECHO, STOCK_LEVEL, Results
from bot.settings import StateBackend

HEADER = "| Row | Floor (echo bot) | Referral Bot | Bot ÷ floor | Target |\n|---|---|---|---|---|"


def _run(m: RunMedians) -> str:
    failed = f" · **{m.failures} failed**" if m.failures else ""
    return (
        f"{m.turns_per_second:.0f} turns/s · CPU {m.cpu_ms_per_turn:.2f} ms/turn · "
        f"p50/p95/p99 {m.p50_ms:.1f}/{m.p95_ms:.1f}/{m.p99_ms:.1f} ms{failed}"
    )


def _turn_row(pairs: Sequence[Results], turn: str, c: int) -> str:
    sides = [(r.runs[(ECHO, c)], r.runs[(turn, c)]) for r in pairs]
    cpu = median_ratio((f.cpu_ms_per_turn, b.cpu_ms_per_turn) for f, b in sides)
    speed = median_ratio((f.turns_per_second, b.turns_per_second) for f, b in sides)
    floor, bot = (_run(run_medians([side[n] for side in sides])) for n in (0, 1))
    ratio = f"CPU {cpu:.2f}× · turns/s {speed:.2f}×"
    target = "CPU ≤ 1.5×" + (" · turns/s ≥ 0.7×" if c == 64 else "")
    return f"| {turn}, c={c} | {floor} | {bot} | {ratio} | {target} |"


def _figure_row(pairs: Sequence[Results], label: str, key: str, unit: str) -> str:
    floor_key, bot_key = f"floor {key}", f"bot {key}"
    floor = median(r.figures.get(floor_key, float("nan")) for r in pairs)
    bot = median(r.figures.get(bot_key, float("nan")) for r in pairs)
    measured = [r for r in pairs if floor_key in r.figures and bot_key in r.figures]
    ratio = median_ratio((r.figures[floor_key], r.figures[bot_key]) for r in measured)
    return f"| {label} | {floor:.2f} {unit} | {bot:.2f} {unit} | {ratio:.2f}× | – |"


def _upstream_row(pairs: Sequence[Results]) -> str:
    def per_change(kind: str) -> float:
        return median(r.upstream.get(kind, float("nan")) for r in pairs)

    calls = (
        f"GET {per_change('GET'):.2f} · PATCH {per_change('PATCH'):.2f} · "
        f"other PC {per_change('other Partner Center'):.2f} · identity {per_change('identity'):.2f}"
    )
    return (
        f"| upstream calls per confirmed change (mark + Confirm, c=1) | – | {calls} | – | "
        "1 GET + 1 PATCH, 0 identity |"
    )


def stock_row(pairs: Sequence[Results]) -> str:
    """The SDK fixes' before/after: the same echo bot on stock botbuilder, then on our adapter."""
    key = (STOCK_ECHO, STOCK_LEVEL)
    sides = [(r.runs[key], r.runs[(ECHO, STOCK_LEVEL)]) for r in pairs if key in r.runs]
    if not sides:
        return f"| {STOCK_ECHO}, c={STOCK_LEVEL} | – | – | – | – |"
    stock, fixed = (_run(run_medians([side[n] for side in sides])) for n in (0, 1))
    cpu = median_ratio((s.cpu_ms_per_turn, f.cpu_ms_per_turn) for s, f in sides)
    speed = median_ratio((s.turns_per_second, f.turns_per_second) for s, f in sides)
    return (
        f"| SDK fixes, echo bot c={STOCK_LEVEL}: stock CloudAdapter → our adapter (the floor) "
        f"| {stock} | {fixed} | CPU {cpu:.2f}× · turns/s {speed:.2f}× | – |"
    )


def grammar_row(figures: Mapping[str, float], floor_cpu_ms: float, repeats: int) -> str:
    """The "grammar: parse_command" row from `bench.grammar.parse_figures`' dict (µs per parse).

    Each `<name>_us` key is shown as "<name> X µs"; the ratio column puts the slowest shown
    figure (the last key, p95) against the floor's whole CPU per turn at c=8.
    """
    shown = " · ".join(
        f"{key.removesuffix('_us')} {value:.0f} µs" for key, value in figures.items()
    )
    worst = list(figures.values())[-1] if figures else float("nan")
    share = "–"  # a run too short for the 10 ms CPU tick (--quick) may read 0 ms for the floor
    if floor_cpu_ms > 0:
        share = f"{100 * worst / 1000 / floor_cpu_ms:.1f} % of a floor turn's CPU (c=8)"
    label = f"grammar: parse_command ({len(COMMANDS)} commands × {repeats}, per parse)"
    return f"| {label} | – | {shown or '–'} | {share} | – |"


def table(pairs: Sequence[Results], plan: Plan) -> str:
    rows = [HEADER]
    rows += [_turn_row(pairs, turn, c) for turn in (SHOW, MARK, CONFIRM) for c in plan.levels]
    rows.append(_figure_row(pairs, "import time (python -c 'import …')", "import", "s"))
    rows.append(_figure_row(pairs, "start-up (process start → /healthz 200)", "startup", "s"))
    rows.append(_figure_row(pairs, "RSS at start", "rss start", "MiB"))
    idle_label = f"RSS after {plan.idle} idle conversations (last pair only)"
    rows.append(_figure_row(pairs, idle_label, "rss idle", "MiB"))
    rows.append(_upstream_row(pairs))
    floor_cpu = median(r.runs[(ECHO, 8)].cpu_ms_per_turn for r in pairs if (ECHO, 8) in r.runs)
    grammar = {key: median(r.grammar[key] for r in pairs) for key in pairs[0].grammar}
    rows.append(grammar_row(grammar, floor_cpu, plan.grammar_repeats))
    rows.append(stock_row(pairs))
    return "\n".join(rows)


def footnote(pairs: Sequence[Results], plan: Plan, seconds: float) -> str:
    """What the table's figures rest on: pairs, counts, warm-up, state, cores, pinning, time."""
    pinned = all(r.pinned for r in pairs)
    warm_failed = sum(r.warmup_failures for r in pairs)
    fresh_file = plan.state is StateBackend.SQLITE
    lines = [
        f"Pairs: {plan.pairs} (floor, then bot, fresh processes each; alternating). Cells: median "
        "over pairs; ratio cells: median of the per-pair ratios.",
        f"Turns per measured run: {plan.turns_at(8)} at c>1, {plan.turns_at(1)} at c=1 "
        "(a quarter: c=1 is latency-bound). Warm-up: "
        f"{plan.warmup} turns of the same kind at the same concurrency before each measured run, "
        "on both servers (mark and Confirm warm-ups use their own referrals).",
        f"State backend (bot): {plan.state.value}"
        + (", a fresh file in a temporary directory per bot process." if fresh_file else "."),
        f"{os.cpu_count()} CPUs; each server pinned to one core, load generator and emulators "
        f"(latency 0) on the other: {'yes' if pinned else 'NO'}. Load average at the end: "
        + "/".join(f"{load:.1f}" for load in os.getloadavg())
        + " (the machine may be shared).",
    ]
    if warm_failed:
        lines.append(f"**{warm_failed} warm-up turns failed.**")
    lines.append(f"took {seconds:.0f} s.")
    return "\n".join(lines)
