"""`python -m bench.pending_put --quick` runs end to end (Azurite, SQLite, a sweep round).

Its figures mean nothing at this size; what it shows is that the benchmark behind the D3 row of
docs/reliability.md still runs, and that a proposal on Blob is one PUT however many changes
are stored.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # runs the benchmark end to end in subprocesses


def test_the_pending_put_benchmark_prints_every_backend_and_size() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.pending_put", "--quick"],
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    for backend in ("blob", "sqlite"):
        for size in ("0", "50"):
            assert re.search(rf"^{backend}\s+{size} stored\s+first put", done.stdout, re.M)
    blob_calls = re.findall(r"HTTP requests for 2 puts: (.*)$", done.stdout, re.M)
    assert blob_calls == ["PUT=2", "PUT=2"]  # nothing listed or deleted on a seller's turn
    assert "background sweep round (50 stored)" in done.stdout
