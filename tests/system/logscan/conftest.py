"""The emulators once for the package, with team members that carry phone numbers (to scan logs
for)."""

from __future__ import annotations

from tests.support.fixtures import emulators_fixture
from tests.support.seeds import contoso_referrals_with_phones

running = emulators_fixture(contoso_referrals_with_phones)
