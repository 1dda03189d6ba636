"""`python -m bench.scale --quick` runs end to end against the real bot and prints the scale
table: every row, a column per seller, and the upstream requests the index allows (no timings)."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # runs the bot and the emulators end to end in subprocesses

KINDS = ("show <customer>", "mark <customer> won", "deals closing this quarter")
ROWS = [
    "| cold sync: list requests",
    "| cold sync: identity requests",
    "| cold sync: wall time",
    "| cold sync: bot CPU",
    "| index stored (sealed blob in the SQLite state file)",
    "| bot RSS growth over the cold sync",
    "| restart: first turn on the stored index",
    *(f"| warm '{kind}', {phase} the interval" for kind in KINDS for phase in ("within", "past")),
    "| index query, in process: find a unique customer",
    "| index query, in process: find a common name",
    "| index query, in process: list closing this quarter",
    "| index in memory (tracemalloc",
    "| bot RSS per idle conversation",
]
FOOTNOTE = ["Tenant: 300 referrals", "throttle raised to", "REFRESH_SECONDS=0", "/proc/", "took "]


@pytest.fixture(scope="module")
def output() -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bench.scale", "--quick"],
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _row(output: str, start: str) -> list[str]:
    [line] = [line for line in output.splitlines() if line.startswith(start)]
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_the_header_names_both_sellers(output: str) -> None:
    header = _row(output, "| Row |")
    assert header == [
        "Row",
        "Referral Admin (300 referrals)",
        "Referral User (30 referrals)",
        "Target",
    ], output


@pytest.mark.parametrize("row", ROWS)
def test_the_table_has_the_row_with_a_cell_per_seller(output: str, row: str) -> None:
    assert len(_row(output, row)) == 4, output


@pytest.mark.parametrize("fact", FOOTNOTE)
def test_the_footnote_states(output: str, fact: str) -> None:
    assert fact in output, output


def test_no_turn_failed(output: str) -> None:
    assert "failed" not in output, output


def test_a_cold_sync_reads_every_page_the_seller_sees(output: str) -> None:
    assert _row(output, "| cold sync: list requests")[1:3] == ["3", "1"], output


@pytest.mark.parametrize("kind", KINDS)
def test_warm_turns_read_no_page_within_the_interval_and_one_past_it(
    output: str, kind: str
) -> None:
    within = _row(output, f"| warm '{kind}', within")[1:3]
    past = _row(output, f"| warm '{kind}', past")[1:3]
    assert all(cell.startswith("pages 0.00 ·") for cell in within), within
    assert all(cell.startswith("pages 1.00 ·") for cell in past), past


def test_every_mark_reached_the_confirm_card_after_one_live_read(output: str) -> None:
    cells = [*_row(output, f"| warm '{KINDS[1]}', within")[1:3]]
    cells += _row(output, f"| warm '{KINDS[1]}', past")[1:3]
    assert all("GET by id 1.00" in cell and "confirm card 2/2" in cell for cell in cells), cells
