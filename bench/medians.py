"""Medians over pairs: of each absolute figure, and of the per-pair bot ÷ floor ratios.

A ratio is taken within a pair first (floor and bot measured a minute apart, on the same machine
state) and only then the median over pairs: that cancels most of the drift a shared machine adds,
which a ratio of two medians would not.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bench.load import Measurement


@dataclass(frozen=True)
class RunMedians:
    """One row side: each figure the median over pairs; failures summed."""

    turns_per_second: float
    cpu_ms_per_turn: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    failures: int


def median(values: Iterable[float]) -> float:
    """The median of the finite values; NaN when there are none."""
    kept = [value for value in values if math.isfinite(value)]
    return statistics.median(kept) if kept else math.nan


def run_medians(runs: Sequence[Measurement]) -> RunMedians:
    return RunMedians(
        turns_per_second=median(m.turns_per_second for m in runs),
        cpu_ms_per_turn=median(m.cpu_ms_per_turn for m in runs),
        p50_ms=median(m.percentile_ms(50) for m in runs),
        p95_ms=median(m.percentile_ms(95) for m in runs),
        p99_ms=median(m.percentile_ms(99) for m in runs),
        failures=sum(m.failures for m in runs),
    )


def median_ratio(pairs: Iterable[tuple[float, float]]) -> float:
    """Median over pairs of bot ÷ floor, given (floor, bot) per pair; a zero floor is skipped."""
    return median(bot / floor for floor, bot in pairs if floor)
