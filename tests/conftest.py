"""Every test starts from a clean environment; the network is loopback only (pytest-socket).

Fixtures shared between folders live in tests/support/fixtures.py (the one plugin, below); a
folder's conftest.py holds only what is local to that folder, and no test imports a conftest.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import aiohttp
import pytest

pytest_plugins = ["tests.support.fixtures"]

_KEEP = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT", "PYTHONHASHSEED")


@pytest.fixture(autouse=True)
def clean_environ() -> Iterator[None]:
    """No REFERRAL_BOT_*, proxy or CA-bundle variable from the machine leaks into a test."""
    saved = dict(os.environ)
    for name in list(os.environ):
        if name not in _KEEP and not name.startswith("PYTEST_"):
            del os.environ[name]
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """One client session per test for raw HTTP to the emulators and the bot."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session
