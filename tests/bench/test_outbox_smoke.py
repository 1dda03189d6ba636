"""`python -m bench.outbox --quick` runs end to end (SQLite, Azurite): the benchmark behind the
outbox figures in docs/performance.md still runs, and a card on Blob is three writes and no
read (create the claim, its key pointer, mark it sent)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # runs the benchmark end to end in a subprocess (Azurite)


def test_the_outbox_benchmark_prints_both_backends() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.outbox", "--quick"],
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    for backend in ("sqlite", "blob"):
        assert re.search(rf"^{backend}\s+claim\+sent\s+median\s+[\d.]+ ms", done.stdout, re.M)
        assert re.search(rf"^{backend}\s+copies\(\)\s+median\s+[\d.]+ ms", done.stdout, re.M)
    assert re.findall(r"HTTP per card: (.*)$", done.stdout, re.M) == ["PUT=3"]
    assert re.findall(r"HTTP per read: (.*)$", done.stdout, re.M) == ["GET=4"]  # list + 3
