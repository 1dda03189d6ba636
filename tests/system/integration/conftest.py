"""The emulators once for the package, seeded with the Contoso referrals; `fresh` (tests/support/
fixtures.py) resets them before a test."""

from __future__ import annotations

from emulators.partner_center.odata_grammar import QueryMode
from tests.support.fixtures import emulators_fixture
from tests.support.seeds import contoso_referrals

# lenient until the referral index lands (issue 15)
running = emulators_fixture(contoso_referrals, query_mode=QueryMode.LENIENT)
