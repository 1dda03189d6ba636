"""REFERRAL_BOT_SCHEDULE__*: the scheduler's tick, lease, reminder offsets and digest window."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.settings import Settings
from tests.root.test_settings import AZURE_BOT, IDENTITY, environ, error_text


def test_the_defaults_remind_3_days_and_1_day_before_and_tick_every_minute() -> None:
    environ(**IDENTITY, **AZURE_BOT)
    schedule = Settings().schedule
    assert schedule.enabled
    assert schedule.reminder_offsets_hours == (72, 24)
    assert (schedule.tick_seconds, schedule.lease_ttl_seconds) == (60, 180)
    assert schedule.digest_look_ahead_hours == 72


def test_the_offsets_and_times_can_be_set() -> None:
    environ(
        **IDENTITY,
        **AZURE_BOT,
        REFERRAL_BOT_SCHEDULE__REMINDER_OFFSETS_HOURS="[48, 12]",
        REFERRAL_BOT_SCHEDULE__TICK_SECONDS="30",
        REFERRAL_BOT_SCHEDULE__LEASE_TTL_SECONDS="90",
        REFERRAL_BOT_SCHEDULE__ENABLED="false",
    )
    schedule = Settings().schedule
    assert schedule.reminder_offsets_hours == (48, 12)
    assert (schedule.tick_seconds, schedule.lease_ttl_seconds) == (30, 90)
    assert not schedule.enabled


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"REFERRAL_BOT_SCHEDULE__LEASE_TTL_SECONDS": "60"}, "LEASE_TTL_SECONDS"),
        ({"REFERRAL_BOT_SCHEDULE__REMINDER_OFFSETS_HOURS": "[0]"}, "REMINDER_OFFSETS_HOURS"),
        ({"REFERRAL_BOT_SCHEDULE__REMINDER_OFFSETS_HOURS": "[]"}, "at least 1"),
        ({"REFERRAL_BOT_SCHEDULE__ENABLED": "yes"}, "true or false"),
    ],
)
def test_an_inconsistent_schedule_is_refused_naming_the_variable(
    variables: dict[str, str], named: str
) -> None:
    environ(**IDENTITY, **AZURE_BOT, **variables)
    with pytest.raises(ValidationError) as refused:
        Settings()
    assert named in error_text(refused)
