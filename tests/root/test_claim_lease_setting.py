"""How long a Confirm's claim is held: long enough for a PATCH and a re-read, or as configured."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from bot.app import claim_lease
from bot.domain.pending import DEFAULT_CLAIM_LEASE
from bot.settings import Settings
from tests.root.test_settings import AZURE_BOT, IDENTITY, environ


def test_by_default_the_lease_outlasts_two_partner_center_deadlines() -> None:
    environ(**IDENTITY, **AZURE_BOT, REFERRAL_BOT_PARTNER_CENTER__DEADLINE_SECONDS="10")
    assert claim_lease(Settings()) == timedelta(seconds=2 * 10 + 30)


def test_the_default_settings_give_the_ports_default_lease() -> None:
    environ(**IDENTITY, **AZURE_BOT)
    assert claim_lease(Settings()) == DEFAULT_CLAIM_LEASE


def test_the_lease_can_be_set() -> None:
    environ(**IDENTITY, **AZURE_BOT, REFERRAL_BOT_PENDING_CLAIM_LEASE_SECONDS="2.5")
    assert claim_lease(Settings()) == timedelta(seconds=2.5)


@pytest.mark.parametrize("seconds", ["0", "-1", "nan"])
def test_a_lease_that_is_not_a_positive_duration_is_refused(seconds: str) -> None:
    environ(**IDENTITY, **AZURE_BOT, REFERRAL_BOT_PENDING_CLAIM_LEASE_SECONDS=seconds)
    with pytest.raises(ValidationError, match="pending_claim_lease_seconds"):
        Settings()
