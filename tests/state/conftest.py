"""The emulators once for the package (tests/state and tests/state/blob), reset per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager

import pytest

from tests.state.proactive_stores import OPENERS, Twin, blob_twin
from tests.support.fixtures import emulators_fixture
from tests.support.seeds import contoso_referrals

running = emulators_fixture(contoso_referrals)


@pytest.fixture(params=[*sorted(OPENERS), pytest.param("blob", marks=pytest.mark.slow)])
async def twin(request: pytest.FixtureRequest) -> AsyncIterator[Twin]:
    """The proactive stores of each backend, as two instances see them (proactive_stores.py)."""
    opening: AbstractAsyncContextManager[Twin]
    if request.param == "blob":  # needs the session's Azurite (tests/support/azurite.py)
        opening = blob_twin(request.getfixturevalue("azurite"))
    else:
        opening = OPENERS[request.param]()
    async with opening as opened:
        yield opened
