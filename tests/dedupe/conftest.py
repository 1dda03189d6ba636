"""The integration fixtures (emulators once per package, reset per test) and Azurite."""

from __future__ import annotations

from tests.integration.conftest import (  # noqa: F401  # pytest fixtures
    fresh,
    identity,
    partner_center,
    running,
)
from tests.support.azurite import azurite  # noqa: F401  # pytest fixture (shared stores)
