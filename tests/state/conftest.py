"""The emulators once for the package (tests/state and tests/state/blob), reset per test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.state.proactive_stores import OPENERS, Twin
from tests.support.fixtures import emulators_fixture
from tests.support.seeds import contoso_referrals

running = emulators_fixture(contoso_referrals)


@pytest.fixture(params=sorted(OPENERS))
async def twin(request: pytest.FixtureRequest) -> AsyncIterator[Twin]:
    """The proactive stores of each backend, as two instances see them (proactive_stores.py)."""
    async with OPENERS[request.param]() as opened:
        yield opened
