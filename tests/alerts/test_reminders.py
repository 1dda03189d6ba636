"""Reminders for leads still New: 3 days and 1 day before expiry, once each per person, only
the latest due one after downtime, none for an expired or answered lead, with silent access."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.alerts.reminders import Reminders, due_offset, reminder_key
from tests.support.alert_fakes import FakeSender
from tests.support.alerts import (
    FakeIndexes,
    FakeNotifications,
    FakeRecipients,
    SharedTime,
    cards_to,
    lead,
    recipient,
    scheduled_delivery,
)

OFFSETS = (timedelta(days=3), timedelta(days=1))
EXPIRES = datetime(2026, 12, 10, 17, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


class World:
    """The stores (shared by instances and restarts) and one sender at the connector."""

    def __init__(self) -> None:
        self.recipients = FakeRecipients()
        self.notifications = FakeNotifications()
        self.indexes = FakeIndexes()
        self.sender = FakeSender()
        self.time = SharedTime(EXPIRES - timedelta(days=14))

    def job(self, owner: str = "instance-a") -> Reminders:
        outbox = scheduled_delivery(self.notifications, self.sender, self.recipients, owner)
        return Reminders(self.recipients, self.indexes, outbox, offsets=OFFSETS)

    async def run_until(self, until: datetime, job: Reminders | None = None) -> None:
        job = job or self.job()
        while self.time.now() <= until:
            await job.run(self.time.now())
            self.time.advance(HOUR)

    def headings(self, user_id: str) -> list[str]:
        return [card["body"][0]["text"] for card in cards_to(self.sender, user_id)]


@pytest.fixture
async def world() -> World:
    world = World()
    await world.recipients.put(recipient("megan"))
    world.indexes.fill("megan", [lead("L-1", team=["megan@contoso.example"], expires=EXPIRES)])
    return world


async def test_a_lead_gets_the_3_day_and_the_1_day_reminder_once_each(world: World) -> None:
    await world.run_until(EXPIRES + timedelta(days=1))

    assert world.headings("megan") == [
        "Reminder: this lead expires in 3 days",
        "Reminder: this lead expires tomorrow",
    ]
    assert world.notifications.sent_keys() == {
        "reminder:L-1:72h:user:megan",
        "reminder:L-1:24h:user:megan",
    }
    sent = world.notifications.entries["reminder:L-1:72h:user:megan"].sent_at
    assert sent is not None
    assert EXPIRES - timedelta(days=3) <= sent < EXPIRES - timedelta(days=3) + HOUR
    assert all(entry.group == "lead:L-1" for entry in world.notifications.entries.values())


async def test_a_restart_or_a_second_instance_never_repeats_a_reminder(world: World) -> None:
    await world.run_until(EXPIRES - timedelta(days=2), world.job("instance-a"))
    assert len(world.sender.sent) == 1

    for owner in ("instance-a-restarted", "instance-b"):
        await world.job(owner).run(world.time.now())
    assert len(world.sender.sent) == 1

    await world.run_until(EXPIRES, world.job("instance-b"))
    assert len(world.sender.sent) == 2


async def test_after_downtime_only_the_latest_due_reminder_is_sent(world: World) -> None:
    await world.run_until(EXPIRES - timedelta(days=4))
    world.time.current = EXPIRES - timedelta(hours=12)  # down across both reminder moments

    await world.run_until(EXPIRES + timedelta(days=1))

    assert world.headings("megan") == ["Reminder: this lead expires today at 17:00"]
    assert world.notifications.sent_keys() == {"reminder:L-1:24h:user:megan"}


async def test_a_lead_that_expired_during_downtime_gets_no_reminder(world: World) -> None:
    await world.run_until(EXPIRES - timedelta(days=4))
    world.time.current = EXPIRES + timedelta(minutes=1)

    await world.run_until(EXPIRES + timedelta(days=2))

    assert world.sender.sent == []


async def test_a_lead_answered_meanwhile_gets_no_more_reminders(world: World) -> None:
    await world.run_until(EXPIRES - timedelta(days=2))
    accepted = lead("L-1", team=["megan@contoso.example"], expires=EXPIRES, status="Active")
    world.indexes.fill("megan", [accepted])

    await world.run_until(EXPIRES + timedelta(days=1))

    assert world.headings("megan") == ["Reminder: this lead expires in 3 days"]


async def test_a_lead_that_arrived_inside_an_offset_skips_that_reminder(world: World) -> None:
    late = lead(
        "L-2", team=["megan@contoso.example"], expires=EXPIRES, created=EXPIRES - timedelta(days=2)
    )
    world.indexes.fill("megan", [late])

    await world.run_until(EXPIRES)

    assert world.notifications.sent_keys() == {"reminder:L-2:24h:user:megan"}


async def test_each_team_member_with_the_bot_is_reminded_and_nobody_else(world: World) -> None:
    team = ["megan@contoso.example", "Alex@Contoso.Example"]
    shared = lead("L-3", team=team, expires=EXPIRES)
    await world.recipients.put(recipient("alex", email="alex@contoso.example"))
    await world.recipients.put(recipient("admin"))  # sees every lead, works on none
    await world.recipients.put(recipient("quiet", alerts_on=False))
    for user in ("megan", "alex", "admin", "quiet"):
        world.indexes.fill(user, [shared])

    await world.run_until(EXPIRES)

    assert world.notifications.sent_keys() == {
        reminder_key("L-3", offset, user) for offset in OFFSETS for user in ("megan", "alex")
    }
    assert cards_to(world.sender, "admin") == []
    assert cards_to(world.sender, "quiet") == []


async def test_sellers_without_a_cached_token_are_skipped_and_counted_once_per_run(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    for user in ("nora", "omar", "pia"):
        await world.recipients.put(recipient(user))
        world.indexes.no_token.add(user)
    world.time.current = EXPIRES - timedelta(days=2)

    with caplog.at_level(logging.INFO, logger="bot.alerts"):
        await world.job().run(world.time.now())

    assert world.headings("megan") == ["Reminder: this lead expires in 2 days"]  # sent late
    lines = [
        record.getMessage()
        for record in caplog.records
        if record.getMessage().startswith("alerts.reminders")
    ]
    assert lines == ["alerts.reminders.run sent=1 skipped_no_token=3"]
    assert all(user.token == "" for user in world.indexes.reads)


async def test_a_partial_index_is_not_trusted_and_tried_again_next_run(world: World) -> None:
    world.time.current = EXPIRES - timedelta(days=2)
    world.indexes.loading.add("megan")
    await world.job().run(world.time.now())
    world.indexes.loading.clear()
    world.indexes.stale.add("megan")
    await world.job().run(world.time.now())
    assert world.sender.sent == []

    world.indexes.stale.clear()
    await world.job().run(world.time.now())
    assert len(world.sender.sent) == 1


async def test_a_seller_who_removed_the_app_is_forgotten_not_retried(world: World) -> None:
    second = lead("L-4", team=["megan@contoso.example"], expires=EXPIRES)
    first = lead("L-1", team=["megan@contoso.example"], expires=EXPIRES)
    world.indexes.fill("megan", [first, second])
    world.sender.gone.add("a:personal-megan")
    world.time.current = EXPIRES - timedelta(days=2)

    await world.job().run(world.time.now())
    await world.run_until(EXPIRES)

    assert world.recipients.forgotten == ["megan"]
    assert await world.recipients.get("megan") is None
    states = {key: entry.state for key, entry in world.notifications.entries.items()}
    assert states == {"reminder:L-1:72h:user:megan": "gone"}  # the second lead was not tried


async def test_a_passing_send_failure_is_released_and_sent_on_a_later_run(world: World) -> None:
    world.sender.failing["a:personal-megan"] = 99  # fails until cleared
    world.time.current = EXPIRES - timedelta(days=2)
    await world.job().run(world.time.now())
    assert world.notifications.entries == {}

    world.sender.failing.clear()
    await world.job().run(world.time.now())
    assert world.notifications.sent_keys() == {"reminder:L-1:72h:user:megan"}


async def test_one_sellers_fault_does_not_stop_the_others(world: World) -> None:
    class Broken(FakeIndexes):
        async def fresh(self, user):  # type: ignore[no-untyped-def]
            if user.user_id == "aaron":
                raise OSError("store unreadable")
            return await super().fresh(user)

    world.indexes = Broken(indexes=world.indexes.indexes)
    everyone = [recipient("aaron"), *world.recipients.people.values()]
    world.recipients = FakeRecipients()
    for person in everyone:
        await world.recipients.put(person)
    world.time.current = EXPIRES - timedelta(days=2)

    await world.job().run(world.time.now())

    assert len(cards_to(world.sender, "megan")) == 1


async def test_the_countdown_is_in_the_sellers_calendar() -> None:
    world = World()
    # 10:00 UTC is 23:00 in Auckland (NZDT, UTC+13) and 02:00 in Los Angeles (PST, UTC-8)
    expires = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    world.time.current = expires - timedelta(days=14)
    for user, zone in (("kiri", "Pacific/Auckland"), ("lou", "America/Los_Angeles")):
        await world.recipients.put(recipient(user, time_zone=zone))
        world.indexes.fill(user, [lead("L-5", team=[f"{user}@contoso.example"], expires=expires)])

    await world.run_until(expires)

    def facts(user: str) -> list[str]:
        return [card["body"][2]["facts"][2]["value"] for card in cards_to(world.sender, user)]

    assert world.headings("kiri") == [
        "Reminder: this lead expires in 3 days",
        "Reminder: this lead expires tomorrow",
    ]
    assert facts("kiri") == ["Sat 5 Dec 2026, 23:00"] * 2
    assert world.headings("lou") == [
        "Reminder: this lead expires in 3 days",
        "Reminder: this lead expires tomorrow",
    ]
    assert facts("lou") == ["Sat 5 Dec 2026, 02:00"] * 2


@pytest.mark.parametrize(
    ("before_expiry", "created_before", "expected"),
    [
        (timedelta(days=5), timedelta(days=14), None),
        (timedelta(days=3), timedelta(days=14), timedelta(days=3)),
        (timedelta(days=2), timedelta(days=14), timedelta(days=3)),
        (timedelta(days=1), timedelta(days=14), timedelta(days=1)),
        (timedelta(minutes=1), timedelta(days=14), timedelta(days=1)),
        (timedelta(0), timedelta(days=14), None),
        (-timedelta(days=1), timedelta(days=14), None),
        (timedelta(days=2), timedelta(days=2, hours=12), None),
        (timedelta(hours=20), timedelta(days=2), timedelta(days=1)),
    ],
)
def test_due_offset(
    before_expiry: timedelta, created_before: timedelta, expected: timedelta | None
) -> None:
    now = EXPIRES - before_expiry
    assert due_offset(EXPIRES, OFFSETS, now, EXPIRES - created_before) == expected


async def test_sellers_are_read_several_at_a_time() -> None:
    """Two sellers whose index reads each wait for the other: done only if both run at once."""
    world = World()
    both_reading = asyncio.Barrier(2)

    class Meeting(FakeIndexes):
        async def fresh(self, user):  # type: ignore[no-untyped-def]
            await asyncio.wait_for(both_reading.wait(), timeout=5)
            return await super().fresh(user)

    world.indexes = Meeting()
    for user in ("megan", "alex"):
        await world.recipients.put(recipient(user))
        world.indexes.fill(
            user, [lead(f"L-{user}", team=[f"{user}@contoso.example"], expires=EXPIRES)]
        )
    world.time.current = EXPIRES - timedelta(days=2)

    await world.job().run(world.time.now())

    assert len(world.sender.sent) == 2
