"""The emulators (with the token-service emulation) once for the package, reset per test."""

from __future__ import annotations

import pytest

from emulators.server import RunningEmulators
from tests.support.fixtures import emulators_fixture
from tests.support.seeds import contoso_referrals
from tests.support.token_service import TokenServiceControls

running = emulators_fixture(contoso_referrals)


@pytest.fixture
def fresh(fresh: RunningEmulators, token_service: TokenServiceControls) -> RunningEmulators:
    """Here `fresh` also resets the token-service emulation."""
    return fresh
