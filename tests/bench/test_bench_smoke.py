"""`python -m bench --quick` runs end to end and prints every row of its table (no timings).

Exit status 0 also means the bot kept its state in the SQLite file the bench gave it.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # runs the benchmark end to end in subprocesses

ROWS = [
    *(f"| {turn}, c={c} |" for turn in ("show 123", "mark 123 won", "Confirm") for c in (1, 8, 64)),
    "| import time",
    "| start-up",
    "| RSS at start",
    "| RSS after 20 idle conversations",
    "| upstream calls per confirmed change",
    "| grammar: parse_command",
    "| SDK fixes, echo bot c=8: stock CloudAdapter",
]
FOOTNOTE = ["Pairs: 1 ", "State backend (bot): sqlite", "CPUs;", "pinned", "took "]
SCALE = ["Scale: the referral index (python -m bench.scale)", "| warm 'deals closing this quarter'"]
FANOUT = [
    "Lead alerts fan-out (python -m bench.lead_fanout)",
    "| lead cards received at the connector | 20 (missing 0, twice 0) |",
    "| 429s answered by the connector | 0 (conversation 0, tenant 0) |",
]


@pytest.fixture(scope="module")
def output() -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick"],
        capture_output=True,
        text=True,
        timeout=220,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("row", ROWS)
def test_the_table_has_the_row(output: str, row: str) -> None:
    assert any(line.startswith(row) for line in output.splitlines()), output


@pytest.mark.parametrize("fact", FOOTNOTE)
def test_the_footnote_states(output: str, fact: str) -> None:
    assert fact in output, output


@pytest.mark.parametrize("line", SCALE)
def test_the_scale_table_follows(output: str, line: str) -> None:
    """Unless --no-scale; its rows are checked by test_scale_smoke."""
    assert line in output, output


@pytest.mark.parametrize("line", FANOUT)
def test_the_fanout_table_follows(output: str, line: str) -> None:
    """Unless --no-fanout; its counting is checked by test_lead_fanout_smoke."""
    assert line in output, output


def test_no_turn_failed(output: str) -> None:
    assert "failed" not in output, output


def test_each_confirmed_change_cost_one_get_and_one_patch(output: str) -> None:
    assert "GET 1.00 · PATCH 1.00 · other PC 0.00 · identity 0.00" in output, output


def test_the_stock_sdk_echo_bot_costs_more_cpu_than_the_floor(output: str) -> None:
    """The SDK fixes' before/after row: stock CPU per turn above the fixed floor's."""
    [row] = [line for line in output.splitlines() if line.startswith("| SDK fixes")]
    stock, fixed = (float(cell.split("CPU ")[1].split(" ms")[0]) for cell in row.split("|")[2:4])
    assert stock > fixed, row
