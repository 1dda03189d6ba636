"""The identity emulator once per module, for the tests that need Entra (register-webhooks)."""

from __future__ import annotations

from tests.support.fixtures import emulators_fixture

running = emulators_fixture(scope="module")
