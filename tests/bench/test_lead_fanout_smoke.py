"""The lead fan-out bench at its quick size against the real bot process: it counts exactly one
card per seller and no 429 at the bot's pacing, and its counts do fail when cards go missing
(the Referral Admin not named as a reader: only the newest installs are tried). Its table is
what `python -m bench --quick` prints (test_bench_smoke)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bench.lead_fanout import QUICK, measure_fanout
from bench.lead_fanout_report import fanout_table

pytestmark = pytest.mark.slow  # the bot in a subprocess, the emulators, a few hundred posts


async def test_every_seller_gets_one_card_within_teams_limits(tmp_path: Path) -> None:
    results, setup, _ = await measure_fanout(QUICK, tmp_path)

    assert (results.cards, results.missing, results.duplicated) == (QUICK.sellers, 0, 0)
    assert sum(results.throttled.values()) == 0
    assert results.setup_throttled == 0
    assert results.deliveries == QUICK.sellers
    assert results.failed_attempts == 0
    assert len(results.latencies) == QUICK.sellers
    assert results.gets == 2 * QUICK.sellers  # the named admin's read, then the seller's own
    assert results.identity_calls == 0  # every token came from the cache
    assert setup.signed_in == setup.people == QUICK.sellers + 1  # and the admin
    table = fanout_table(results, setup)
    assert f"| {QUICK.sellers} (missing 0, twice 0) |" in table, table


async def test_cards_missing_are_counted(tmp_path: Path) -> None:
    plan = dataclasses.replace(QUICK, sellers=8, named_reader=False, stall_seconds=3.0)

    results, setup, _ = await measure_fanout(plan, tmp_path)

    # nobody remembered, the admin not named: the 5 newest installs are tried, one of them on
    # each lead's team only for their own lead
    assert (results.cards, results.missing, results.duplicated) == (5, 3, 0)
    assert "| 5 (missing 3, twice 0) |" in fanout_table(results, setup)
