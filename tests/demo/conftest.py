"""The demo's emulators, fresh for each test: a test registers its own bot (one per tenant)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from emulators.server import RunningEmulators, emulators_in_thread
from tests.demo.demo_bot import demo_emulator_config


@pytest.fixture
def demo_emulators() -> Iterator[RunningEmulators]:
    """A refused delivery is retried from 0.1 ms apart: its ten attempts end `offline` at once."""
    with emulators_in_thread(demo_emulator_config(webhook_backoff_seconds=0.0001)) as running:
        yield running
