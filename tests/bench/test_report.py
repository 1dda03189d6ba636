"""The table's cells: medians over pairs, ratio cells the median of the per-pair ratios."""

from __future__ import annotations

import pytest

from bench.load import Measurement
from bench.plan import Plan
from bench.report import footnote, grammar_row, table
from bench.scenarios import CONFIRM, ECHO, MARK, SHOW, Results
from bot.settings import StateBackend

PLAN = Plan(
    pairs=3, turns=400, warmup=100, idle=10_000, state=StateBackend.SQLITE, grammar_repeats=7
)


def _run(cpu_seconds: float, seconds: float = 1.0) -> Measurement:
    return Measurement(100, 0, seconds, cpu_seconds, tuple(0.001 * n for n in range(1, 101)))


def _pair(floor_cpu: float, bot_cpu: float, *, idle: bool = False) -> Results:
    results = Results()
    for c in PLAN.levels:
        results.runs[(ECHO, c)] = _run(floor_cpu)
        for turn in (SHOW, MARK, CONFIRM):
            results.runs[(turn, c)] = _run(bot_cpu, seconds=2.0)
    for side, value in (("floor", floor_cpu), ("bot", bot_cpu)):
        for key in ("import", "startup", "rss start"):
            results.figures[f"{side} {key}"] = value
        if idle:
            results.figures[f"{side} rss idle"] = 10 * value
    results.upstream = {"GET": 1.0, "PATCH": 1.0, "other Partner Center": 0.0, "identity": 0.0}
    results.grammar = {"median_us": 50.0, "p95_us": 100.0}
    return results


# per-pair CPU ratios 1, 3, 1 → median 1; but the medians (floor 0.2 s, bot 0.4 s) give 2
PAIRS = [_pair(0.1, 0.1), _pair(0.2, 0.6), _pair(0.4, 0.4, idle=True)]


def _row(text: str, start: str) -> list[str]:
    line = next(line for line in text.splitlines() if line.startswith(start))
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_absolute_cells_are_medians_over_the_pairs() -> None:
    cells = _row(table(PAIRS, PLAN), "| mark 123 won, c=8 |")
    assert cells[1].startswith("100 turns/s · CPU 2.00 ms/turn · p50/p95/p99 50.5/95.1/99.0 ms")
    assert cells[2].startswith("50 turns/s · CPU 4.00 ms/turn")


def test_ratio_cells_are_the_median_of_the_per_pair_ratios() -> None:
    text = table(PAIRS, PLAN)
    assert _row(text, "| Confirm, c=64 |")[3] == "CPU 1.00× · turns/s 0.50×"
    assert _row(text, "| start-up")[3] == "1.00×"


def test_idle_rss_comes_from_the_pairs_that_measured_it() -> None:
    cells = _row(table(PAIRS, PLAN), "| RSS after 10000 idle conversations (last pair only) |")
    assert cells[1:4] == ["4.00 MiB", "4.00 MiB", "1.00×"]


def test_a_failed_turn_is_shown_summed_over_pairs() -> None:
    pairs = [_pair(0.1, 0.1), _pair(0.1, 0.1)]
    for results in pairs:
        results.runs[(SHOW, 1)] = Measurement(100, 2, 1.0, 0.1, (0.001,) * 98)
    assert "**4 failed**" in _row(table(pairs, PLAN), "| show 123, c=1 |")[2]


def test_the_grammar_row_puts_the_last_figure_against_a_floor_turn() -> None:
    row = grammar_row({"median_us": 40.0, "p95_us": 250.0}, floor_cpu_ms=5.0, repeats=3)
    assert "| median 40 µs · p95 250 µs | 5.0 % of a floor turn's CPU (c=8) |" in row
    assert row.startswith("| grammar: parse_command (")


def test_the_grammar_row_survives_a_floor_that_read_no_cpu() -> None:
    row = grammar_row({"median_us": 40.0, "p95_us": 250.0}, floor_cpu_ms=0.0, repeats=3)
    assert "| median 40 µs · p95 250 µs | – |" in row


def test_the_footnote_names_what_the_figures_rest_on() -> None:
    text = footnote(PAIRS, PLAN, 600.4)
    for fact in (
        "Pairs: 3",
        "400 at c>1, 100 at c=1",
        "Warm-up: 100 turns",
        "State backend (bot): sqlite",
        "CPUs",
        "pinned",
        "took 600 s.",
    ):
        assert fact in text, fact
    assert "failed" not in text


def test_the_footnote_reports_failed_warm_up_turns() -> None:
    pairs = [_pair(0.1, 0.1)]
    pairs[0].warmup_failures = 3
    assert "**3 warm-up turns failed.**" in footnote(pairs, PLAN, 1.0)


@pytest.mark.parametrize(("c", "turns"), [(1, 100), (8, 400), (64, 400)])
def test_c1_measures_a_quarter_of_the_turns(c: int, turns: int) -> None:
    assert PLAN.turns_at(c) == turns


def test_every_mark_warm_up_included_gets_its_own_referral() -> None:
    assert PLAN.changes_per_pair() == 3 * 100 + 100 + 400 + 400
