"""The emulators once for the package, reset per test."""

from __future__ import annotations

from tests.support.fixtures import emulators_fixture
from tests.support.seeds import contoso_referrals

running = emulators_fixture(contoso_referrals)
