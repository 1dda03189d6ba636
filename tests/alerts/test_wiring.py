"""build_scheduler: the settings' jobs over shared stores; two instances send each card once."""

from __future__ import annotations

from datetime import timedelta

from bot.alerts.local_time import starting
from bot.alerts.scheduler import Every
from bot.alerts.wiring import build_scheduler, instance_owner
from bot.domain.proactive import DigestSchedule
from bot.domain.time_zones import zone_or_utc
from bot.settings import ScheduleSettings
from bot.state.recipients import MemoryChannelSubscriptions
from tests.support.alert_fakes import FakeSender
from tests.support.alerts import (
    FakeIndexes,
    FakeLeases,
    FakeNotifications,
    FakeRecipients,
    SharedTime,
    deal,
    lead,
    recipient,
)


async def test_two_instances_over_one_state_send_every_reminder_and_digest_once() -> None:
    time = SharedTime()
    leases, notifications, recipients = FakeLeases(), FakeNotifications(), FakeRecipients()
    indexes, sender = FakeIndexes(), FakeSender()
    email = "megan@contoso.example"
    schedule = starting(DigestSchedule(frozenset(range(7)), 9), time.now(), zone_or_utc("UTC"))
    await recipients.put(recipient("megan", digest=schedule))
    indexes.fill(
        "megan",
        [
            lead("L-1", team=[email], expires=time.now() + timedelta(days=4)),
            deal("D-1", team=[email], closes=time.now() - timedelta(days=3)),
        ],
    )
    settings = ScheduleSettings()
    instances = [
        build_scheduler(
            settings,
            leases=leases,
            recipients=recipients,
            channels=MemoryChannelSubscriptions(),
            notifications=notifications,
            sender=sender,
            indexes=indexes,
            clock=time.now,
            owner=name,
        )
        for name in ("instance-a", "instance-b")
    ]

    for _ in range(4 * 24 * 60):  # four days, a tick a minute, both instances ticking
        for instance in instances:
            await instance.tick()
        time.advance(timedelta(minutes=1))

    keys = sorted(notifications.sent_keys())
    assert keys == [
        "digest:megan:2026-12-01",
        "digest:megan:2026-12-02",
        "digest:megan:2026-12-03",
        "digest:megan:2026-12-04",
        "reminder:L-1:24h:user:megan",
        "reminder:L-1:72h:user:megan",
    ]
    assert len(sender.sent) == len(keys)


def test_the_jobs_come_from_the_settings() -> None:
    settings = ScheduleSettings(reminder_every_seconds=300, reminder_offsets_hours=(48,))
    time = SharedTime()
    scheduler = build_scheduler(
        settings,
        leases=FakeLeases(),
        recipients=FakeRecipients(),
        channels=MemoryChannelSubscriptions(),
        notifications=FakeNotifications(),
        sender=FakeSender(),
        indexes=FakeIndexes(),
        clock=time.now,
    )
    assert [job.name for job in scheduler.jobs] == ["reminders", "digests"]
    reminders = scheduler.jobs[0]
    assert isinstance(reminders, Every)
    assert reminders.interval == timedelta(minutes=5)


def test_each_start_is_a_different_owner() -> None:
    assert instance_owner() != instance_owner()
