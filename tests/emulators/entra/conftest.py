"""The identity (Entra) emulator once per module, no referrals; `identity` resets it per test."""

from __future__ import annotations

from tests.support.fixtures import emulators_fixture

running = emulators_fixture(scope="module")
