"""The one markdown table: floor and Referral Bot side by side, with the ratios and targets."""

from __future__ import annotations

from collections.abc import Sequence

from bench.load import Measurement
from bench.scenarios import CONFIRM, ECHO, MARK, SHOW, Results

HEADER = "| Row | Floor (echo bot) | Referral Bot | Bot ÷ floor | Target |\n|---|---|---|---|---|"


def _run(m: Measurement) -> str:
    failed = f" · **{m.failures} failed**" if m.failures else ""
    return (
        f"{m.turns_per_second:.0f} turns/s · CPU {m.cpu_ms_per_turn:.2f} ms/turn · "
        f"p50/p95/p99 {m.percentile_ms(50):.1f}/{m.percentile_ms(95):.1f}/"
        f"{m.percentile_ms(99):.1f} ms{failed}"
    )


def _turn_row(results: Results, turn: str, c: int) -> str:
    floor, bot = results.runs[(ECHO, c)], results.runs[(turn, c)]
    cpu = bot.cpu_ms_per_turn / floor.cpu_ms_per_turn if floor.cpu_ms_per_turn else float("nan")
    speed = bot.turns_per_second / floor.turns_per_second
    ratio = f"CPU {cpu:.2f}× · turns/s {speed:.2f}×"
    target = "CPU ≤ 1.5×" + (" · turns/s ≥ 0.7×" if c == 64 else "")
    return f"| {turn}, c={c} | {_run(floor)} | {_run(bot)} | {ratio} | {target} |"


def _figure_row(results: Results, label: str, key: str, unit: str) -> str:
    floor, bot = results.figures[f"floor {key}"], results.figures[f"bot {key}"]
    ratio = bot / floor if floor else float("nan")
    return f"| {label} | {floor:.2f} {unit} | {bot:.2f} {unit} | {ratio:.2f}× | – |"


def _upstream_row(results: Results) -> str:
    up = results.upstream
    calls = (
        f"GET {up['GET']:.2f} · PATCH {up['PATCH']:.2f} · other PC {up['other Partner Center']:.2f}"
        f" · identity {up['identity']:.2f}"
    )
    return (
        f"| upstream calls per confirmed change (mark + Confirm, c=1) | – | {calls} | – | "
        "1 GET + 1 PATCH, 0 identity |"
    )


def table(results: Results, levels: Sequence[int], idle: int) -> str:
    rows = [HEADER]
    rows += [_turn_row(results, turn, c) for turn in (SHOW, MARK, CONFIRM) for c in levels]
    rows.append(_figure_row(results, "import time (python -c 'import …')", "import", "s"))
    rows.append(_figure_row(results, "start-up (process start → /healthz 200)", "startup", "s"))
    rows.append(_figure_row(results, "RSS at start", "rss start", "MiB"))
    rows.append(_figure_row(results, f"RSS after {idle} idle conversations", "rss idle", "MiB"))
    rows.append(_upstream_row(results))
    return "\n".join(rows)
