"""A seller's zone from the name Teams sent: known, or UTC; never an error."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.time_zones import known_zone, zone_or_utc

NOT_ZONES = ["", None, "Not/AZone", "../etc/passwd", "America", "America/", "a" * 300, "UTC "]


@pytest.mark.parametrize("name", NOT_ZONES)
def test_a_name_that_is_no_zone_is_unknown_and_reads_as_utc(name: str | None) -> None:
    assert known_zone(name) is None
    assert zone_or_utc(name) is UTC


@pytest.mark.parametrize("name", ["Europe/Berlin", "America/Los_Angeles", "UTC"])
def test_a_zone_name_is_that_zone(name: str) -> None:
    assert known_zone(name) == ZoneInfo(name)
    assert zone_or_utc(name) == ZoneInfo(name)


def test_the_zone_keeps_its_daylight_saving() -> None:
    berlin = zone_or_utc("Europe/Berlin")
    assert datetime(2026, 1, 15, 12, tzinfo=berlin).utcoffset().total_seconds() == 3600  # type: ignore[union-attr]
    assert datetime(2026, 7, 15, 12, tzinfo=berlin).utcoffset().total_seconds() == 7200  # type: ignore[union-attr]
