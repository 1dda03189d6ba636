"""The integration fixtures, with team members that carry phone numbers (to scan logs for)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from emulators.server import RunningEmulators
from tests.system.integration.conftest import (  # noqa: F401  # pytest fixtures
    fresh,
    identity,
    partner_center,
    seed,
)
from tests.support.emulators import running_emulators

PHONE_NUMBERS = ("+1 425 555 0100", "+49 30 5550 1234")


def seed_with_phones() -> list[dict[str, Any]]:
    referrals = seed()
    for referral in referrals:
        for member, phone in zip(referral.get("team", []), PHONE_NUMBERS, strict=False):
            member["phoneNumber"] = phone
    return referrals


@pytest.fixture(scope="package")
def running() -> Iterator[RunningEmulators]:
    with running_emulators(referrals=seed_with_phones()) as emulators:
        yield emulators
