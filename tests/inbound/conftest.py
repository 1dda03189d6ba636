"""Emulators once for the package (reset per test through `fresh`).

`pytest_terminal_summary` prints the inbound matrix (case -> status, turn ran) collected by
tests/inbound/test_matrix.py, so the lead can copy it into the note.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.inbound.matrix import MATRIX
from tests.support.fixtures import emulators_fixture
from tests.support.seeds import contoso_referrals

running = emulators_fixture(contoso_referrals)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    rows = config.stash.get(MATRIX, [])
    if not rows:
        return
    terminalreporter.section("inbound auth matrix (case -> HTTP status, turns run)")
    for case, status, turns in rows:
        terminalreporter.write_line(f"{case:<40} {status:>4}  turns={turns}")
