"""The inbound matrix (case -> status, turns run) tests/inbound/test_matrix.py collects and the
conftest's `pytest_terminal_summary` prints."""

from __future__ import annotations

import pytest

MATRIX = pytest.StashKey[list[tuple[str, int, int]]]()


def matrix_rows(config: pytest.Config) -> list[tuple[str, int, int]]:
    return config.stash.setdefault(MATRIX, [])
