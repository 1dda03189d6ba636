"""The seller's 'now', tenant and conversation kind, read tolerantly from Teams activities."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from botbuilder.schema import Activity

from dialogs.turn_facts import (
    seller_now,
    seller_of,
    seller_time_zone,
    tenant_of,
    time_zone_name,
)
from tests.dialogs.harness import MEGAN_USER, DialogHarness
from tests.support.activities import channel_thread, make_message
from tests.support.fakes import FakeClock

LATE_EVENING_UTC = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("timezone", "expected_day"),
    [
        ("Europe/Berlin", "2026-11-26"),  # already Thursday
        ("America/Los_Angeles", "2026-11-25"),
        ("UTC", "2026-11-25"),
        ("Mars/Olympus_Mons", "2026-11-25"),  # unknown: UTC
        ("America", "2026-11-25"),  # a folder of zones, not a zone: UTC, never a failed turn
        ("x" * 300, "2026-11-25"),
        ("", "2026-11-25"),
    ],
)
def test_now_is_in_the_time_zone_teams_sends(timezone: str, expected_day: str) -> None:
    activity = make_message("hi", timezone=timezone)

    now = seller_now(activity, FakeClock(LATE_EVENING_UTC))

    assert now.date().isoformat() == expected_day
    assert now == LATE_EVENING_UTC


@pytest.mark.parametrize(
    ("local", "client_info", "expected"),
    [
        ("Europe/Berlin", "Europe/Berlin", "Europe/Berlin"),
        ("America/New_York", "Europe/Berlin", "America/New_York"),  # localTimezone first
        (None, "Asia/Tokyo", "Asia/Tokyo"),
        ("Mars/Olympus_Mons", "Asia/Tokyo", "Asia/Tokyo"),
        ("America", None, None),
        (None, None, None),
    ],
)
def test_the_stored_time_zone_name_is_a_known_iana_zone_or_none(
    local: str | None, client_info: str | None, expected: str | None
) -> None:
    activity = make_message("hi", timezone=client_info or "")
    activity.local_timezone = local
    if client_info is None:
        activity.entities = []

    assert time_zone_name(activity) == expected


def test_without_a_known_zone_the_time_zone_is_utc() -> None:
    activity = make_message("hi", timezone="Mars/Olympus_Mons")
    activity.entities = []

    assert seller_time_zone(activity) is UTC


@pytest.mark.parametrize(
    ("local", "client_info"),
    [("America/New_York", "Europe/Berlin"), ("America/New_York", None), (None, "America/New_York")],
)
def test_the_turns_zone_is_the_one_stored_for_the_seller(
    local: str | None, client_info: str | None
) -> None:
    """Relative dates, the lead card's refresh and the digest read the zone the install stores."""
    activity = make_message("hi", timezone=client_info or "")
    activity.local_timezone = local
    if client_info is None:
        activity.entities = []

    assert seller_time_zone(activity) == ZoneInfo("America/New_York")
    assert time_zone_name(activity) == "America/New_York"


@pytest.mark.parametrize(
    ("timezone", "stamp"), [("Europe/Berlin", "[2026-11-26]"), ("UTC", "[2026-11-25]")]
)
async def test_a_note_is_stamped_with_the_sellers_own_date(timezone: str, stamp: str) -> None:
    bot = DialogHarness(clock=FakeClock(LATE_EVENING_UTC))

    card = (await bot.say("note on 123: demo booked", timezone=timezone)).card

    notes = (await bot.stored(card)).operations[0]["value"]
    assert notes.endswith(f"{stamp} demo booked")


def test_the_tenant_comes_from_the_conversation_or_the_channel_data() -> None:
    activity = make_message("hi", user=MEGAN_USER)
    assert tenant_of(activity) == MEGAN_USER.tenant_id

    bare = Activity().deserialize(
        {"type": "message", "conversation": {"id": "c"}, "channelData": {"tenant": {"id": "t-1"}}}
    )
    assert tenant_of(bare) == "t-1"
    assert tenant_of(Activity(type="message")) == ""


def test_a_channel_is_a_group_conversation_and_a_personal_chat_is_not() -> None:
    assert seller_of(make_message("hi", conversation=channel_thread())).in_group
    assert not seller_of(make_message("hi")).in_group


def test_the_seller_is_the_aad_object_id_with_the_display_name() -> None:
    seller = seller_of(make_message("hi", user=MEGAN_USER))

    assert (seller.user_id, seller.name) == (MEGAN_USER.aad_object_id, "Megan Bowen")
