"""The integration fixtures (emulators once per package, reset per test) reused here."""

from __future__ import annotations

from tests.system.integration.conftest import (  # noqa: F401  # pytest fixtures
    fresh,
    identity,
    partner_center,
    running,
)
