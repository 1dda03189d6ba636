"""`python -m bench.flood` runs end to end against this checkout and prints both rows (no timings).

Exit status 0 also means every timed /healthz was 200 and every timed Confirm was 200 while
the flood ran (the benchmark asserts both).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # runs the benchmark end to end in subprocesses


def test_the_flood_benchmark_prints_a_quiet_and_a_flooded_row() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.flood",
            "--flooders",
            "2",
            "--healthz",
            "3",
            "--confirms",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "| quiet |" in done.stdout
    assert "| 2 flooders x 1 MiB, no token |" in done.stdout
