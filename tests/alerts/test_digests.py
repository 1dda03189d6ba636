"""The digest: at the seller's local time on their days, once per local day, one late digest
after downtime, nothing when there is nothing to say, DST-correct in every zone."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from bot.alerts.digests import Digests
from bot.alerts.local_time import starting
from bot.domain.proactive import DigestSchedule
from bot.domain.time_zones import zone_or_utc
from tests.support.alert_fakes import FakeSender
from tests.support.alerts import (
    FakeIndexes,
    FakeNotifications,
    FakeRecipients,
    SharedTime,
    cards_to,
    deal,
    lead,
    recipient,
    scheduled_delivery,
)

WEEKDAYS = frozenset(range(5))
EVERY_DAY = frozenset(range(7))
STEP = timedelta(minutes=5)
MONDAY = datetime(2026, 12, 7, tzinfo=UTC)  # Monday 7 December 2026, 00:00 UTC


class World:
    def __init__(self, start: datetime = MONDAY) -> None:
        self.recipients = FakeRecipients()
        self.notifications = FakeNotifications()
        self.indexes = FakeIndexes()
        self.sender = FakeSender()
        self.time = SharedTime(start)

    def job(self, owner: str = "instance-a") -> Digests:
        outbox = scheduled_delivery(self.notifications, self.sender, self.recipients, owner)
        return Digests(self.recipients, self.indexes, outbox, look_ahead=timedelta(days=3))

    async def run_until(self, until: datetime, job: Digests | None = None) -> None:
        job = job or self.job()
        while self.time.now() < until:
            await job.run(self.time.now())
            self.time.advance(STEP)

    async def seller(
        self,
        user_id: str,
        *,
        zone: str = "UTC",
        days: frozenset[int] = WEEKDAYS,
        hour: int = 9,
        minute: int = 0,
    ) -> None:
        schedule = starting(DigestSchedule(days, hour, minute), self.time.now(), zone_or_utc(zone))
        await self.recipients.put(recipient(user_id, time_zone=zone, digest=schedule))
        self.indexes.fill(user_id, something_to_say(user_id))

    def sent_at(self, user_id: str) -> list[datetime]:
        """When each digest to `user_id` was sent (the outbox's record), in order."""
        return sorted(
            entry.sent_at
            for entry in self.notifications.entries.values()
            if entry.user_id == user_id and entry.sent_at is not None
        )

    def keys(self, user_id: str) -> list[str]:
        entries = self.notifications.entries.values()
        return sorted(e.key for e in entries if e.user_id == user_id and e.sent_at is not None)


def something_to_say(user_id: str) -> list:  # type: ignore[type-arg]
    email = f"{user_id}@contoso.example"
    return [deal("D-1", team=[email], closes=datetime(2026, 11, 30, tzinfo=UTC))]


async def test_a_weekday_digest_arrives_at_9_local_once_each_weekday() -> None:
    world = World()
    await world.seller("megan", zone="Europe/Berlin")  # UTC+1 in December

    await world.run_until(MONDAY + timedelta(days=7))

    assert world.sent_at("megan") == [
        datetime(2026, 12, day, 8, 0, tzinfo=UTC) for day in (7, 8, 9, 10, 11)
    ]
    assert world.keys("megan") == [f"digest:megan:2026-12-{day:02d}" for day in (7, 8, 9, 10, 11)]
    assert len(cards_to(world.sender, "megan")) == 5
    stored = await world.recipients.get("megan")
    assert stored is not None
    assert stored.digest is not None
    assert stored.digest.last_sent_on == date(2026, 12, 11)


async def test_a_restart_mid_day_does_not_resend() -> None:
    world = World()
    await world.seller("megan", hour=9)
    await world.run_until(MONDAY + timedelta(hours=12), world.job("instance-a"))
    assert len(world.sender.sent) == 1

    await world.run_until(MONDAY + timedelta(hours=23), world.job("instance-a-restarted"))
    assert len(world.sender.sent) == 1


async def test_the_outbox_keeps_the_day_once_even_if_recording_it_was_lost() -> None:
    world = World()
    await world.seller("megan")
    await world.run_until(MONDAY + timedelta(hours=10))
    stored = await world.recipients.get("megan")
    assert stored is not None
    assert stored.digest is not None
    # the recipient record is written back without the day (another writer's older copy)
    await world.recipients.put(replace(stored, digest=replace(stored.digest, last_sent_on=None)))

    await world.run_until(MONDAY + timedelta(hours=20), world.job("instance-b"))

    assert len(world.sender.sent) == 1
    again = await world.recipients.get("megan")
    assert again is not None
    assert again.digest is not None
    assert again.digest.last_sent_on == date(2026, 12, 7)  # put back by the DONE answer


async def test_after_three_days_down_one_digest_arrives_late_then_the_schedule_goes_on() -> None:
    world = World()
    await world.seller("megan", days=EVERY_DAY)
    await world.run_until(MONDAY + timedelta(hours=10))
    assert world.keys("megan") == ["digest:megan:2026-12-07"]

    world.time.current = MONDAY + timedelta(days=3, hours=8)  # back on Thursday at 08:00
    await world.run_until(MONDAY + timedelta(days=3, hours=8, minutes=55))
    assert world.keys("megan") == ["digest:megan:2026-12-07", "digest:megan:2026-12-09"]
    assert world.sent_at("megan")[-1] == MONDAY + timedelta(days=3, hours=8)

    await world.run_until(MONDAY + timedelta(days=4))
    assert world.keys("megan")[2:] == ["digest:megan:2026-12-10"]
    assert len(world.sender.sent) == 3


async def test_nothing_to_say_sends_nothing_and_the_day_is_not_read_again() -> None:
    world = World()
    await world.seller("megan")
    later = deal("D-9", team=["megan@contoso.example"], closes=MONDAY + timedelta(days=30))
    world.indexes.fill("megan", [later])

    await world.run_until(MONDAY + timedelta(hours=23))

    assert world.sender.sent == []
    assert world.notifications.entries == {}
    assert len(world.indexes.reads) == 1
    stored = await world.recipients.get("megan")
    assert stored is not None
    assert stored.digest is not None
    assert stored.digest.last_sent_on == date(2026, 12, 7)


async def test_a_seller_without_a_cached_token_stays_due_and_gets_it_once_signed_in() -> None:
    world = World()
    await world.seller("megan")
    world.indexes.no_token.add("megan")
    await world.run_until(MONDAY + timedelta(hours=14))
    assert world.sender.sent == []

    world.indexes.no_token.clear()  # the seller used the bot: a token is cached again
    await world.run_until(MONDAY + timedelta(hours=23))
    assert world.sent_at("megan") == [MONDAY + timedelta(hours=14)]


async def test_no_digest_without_opting_in_and_none_after_stopping() -> None:
    world = World()
    await world.recipients.put(recipient("alex"))
    world.indexes.fill("alex", something_to_say("alex"))
    await world.seller("megan")
    await world.run_until(MONDAY + timedelta(hours=10))
    stored = await world.recipients.get("megan")
    assert stored is not None
    await world.recipients.put(replace(stored, digest=None))  # "stop the digest"

    await world.run_until(MONDAY + timedelta(days=3))

    assert len(cards_to(world.sender, "megan")) == 1
    assert cards_to(world.sender, "alex") == []


async def test_a_schedule_changed_while_sending_is_not_overwritten() -> None:
    world = World()
    await world.seller("megan")
    changed = DigestSchedule(frozenset({0}), 7, 30)

    class Changing(FakeSender):
        async def send(self, reference, card):  # type: ignore[no-untyped-def]
            stored = await world.recipients.get("megan")
            assert stored is not None
            await world.recipients.put(replace(stored, digest=changed))
            return await super().send(reference, card)

    world.sender = Changing()
    await world.run_until(MONDAY + timedelta(hours=10))

    stored = await world.recipients.get("megan")
    assert stored is not None
    assert stored.digest is not None
    assert (stored.digest.weekdays, stored.digest.hour, stored.digest.minute) == (
        frozenset({0}),
        7,
        30,
    )
    assert len(world.sender.sent) == 1  # the new 7:30 is past today: the day's key is sent


async def test_a_seller_who_removed_the_app_is_forgotten() -> None:
    world = World()
    await world.seller("megan")
    world.sender.gone.add("a:personal-megan")

    await world.run_until(MONDAY + timedelta(days=2))

    assert world.recipients.forgotten == ["megan"]
    assert [e.state for e in world.notifications.entries.values()] == ["gone"]


@pytest.mark.parametrize(
    ("zone", "sent_utc"),
    [
        # 9:00 in Auckland is 20:00 UTC the day before (NZDT, UTC+13)
        ("Pacific/Auckland", [datetime(2026, 12, d, 20, 0, tzinfo=UTC) for d in (6, 7, 8, 9)]),
        ("America/Los_Angeles", [datetime(2026, 12, d, 17, 0, tzinfo=UTC) for d in (7, 8, 9, 10)]),
        ("Asia/Kolkata", [datetime(2026, 12, d, 3, 30, tzinfo=UTC) for d in (7, 8, 9, 10)]),
        ("Not/AZone", [datetime(2026, 12, d, 9, 0, tzinfo=UTC) for d in (7, 8, 9, 10)]),
    ],
)
async def test_the_digest_follows_the_sellers_zone(zone: str, sent_utc: list[datetime]) -> None:
    world = World(MONDAY - timedelta(days=1))
    await world.seller("megan", zone=zone, days=EVERY_DAY)
    await world.run_until(sent_utc[-1] + STEP)
    assert world.sent_at("megan")[-4:] == sent_utc


async def test_los_angeles_keeps_9_am_across_the_spring_dst_change() -> None:
    """DST starts on Sunday 14 March 2027 at 02:00: 9:00 moves from 17:00 to 16:00 UTC."""
    world = World(datetime(2027, 3, 12, tzinfo=UTC))
    await world.seller("lou", zone="America/Los_Angeles", days=EVERY_DAY)
    await world.run_until(datetime(2027, 3, 17, tzinfo=UTC))
    assert world.sent_at("lou") == [
        datetime(2027, 3, 12, 17, 0, tzinfo=UTC),
        datetime(2027, 3, 13, 17, 0, tzinfo=UTC),
        datetime(2027, 3, 14, 16, 0, tzinfo=UTC),
        datetime(2027, 3, 15, 16, 0, tzinfo=UTC),
        datetime(2027, 3, 16, 16, 0, tzinfo=UTC),
    ]
    assert world.keys("lou") == [f"digest:lou:2027-03-{d}" for d in (12, 13, 14, 15, 16)]


async def test_a_digest_time_skipped_by_dst_comes_in_the_hour_after_the_gap_once() -> None:
    """02:30 does not exist in Los Angeles on 14 March 2027; that day's digest is at 03:30."""
    world = World(datetime(2027, 3, 13, tzinfo=UTC))
    await world.seller("lou", zone="America/Los_Angeles", days=EVERY_DAY, hour=2, minute=30)
    await world.run_until(datetime(2027, 3, 16, tzinfo=UTC))
    assert world.sent_at("lou") == [
        datetime(2027, 3, 13, 10, 30, tzinfo=UTC),  # 02:30 PST
        datetime(2027, 3, 14, 10, 30, tzinfo=UTC),  # 03:30 PDT
        datetime(2027, 3, 15, 9, 30, tzinfo=UTC),  # 02:30 PDT
    ]


async def test_auckland_keeps_9_am_when_its_dst_ends() -> None:
    """NZDT ends on Sunday 4 April 2027 at 03:00: 9:00 moves from 20:00 to 21:00 UTC."""
    world = World(datetime(2027, 4, 1, tzinfo=UTC))
    await world.seller("kiri", zone="Pacific/Auckland", days=EVERY_DAY)
    await world.run_until(datetime(2027, 4, 6, tzinfo=UTC))
    assert world.sent_at("kiri") == [
        datetime(2027, 4, 1, 20, 0, tzinfo=UTC),
        datetime(2027, 4, 2, 20, 0, tzinfo=UTC),
        datetime(2027, 4, 3, 21, 0, tzinfo=UTC),  # Sunday 4 April, 9:00 NZST
        datetime(2027, 4, 4, 21, 0, tzinfo=UTC),
        datetime(2027, 4, 5, 21, 0, tzinfo=UTC),
    ]


async def test_the_digest_card_lists_what_needs_the_seller_with_a_button_each() -> None:
    world = World()
    await world.seller("megan")
    email = "megan@contoso.example"
    world.indexes.fill(
        "megan",
        [
            lead("L-1", team=[email], expires=MONDAY + timedelta(days=2, hours=9)),
            lead("L-2", team=[email], expires=MONDAY + timedelta(days=9)),  # not yet
            deal("D-1", team=[email], closes=datetime(2026, 11, 30, tzinfo=UTC)),
            deal("D-2", team=[email], closes=None),
            deal("D-3", team=[email], closes=MONDAY + timedelta(days=20), value=None),
            deal("D-4", team=[email], closes=datetime(2026, 11, 1, tzinfo=UTC), status="Closed"),
            deal("D-5", team=["someone@contoso.example"], closes=None),  # not theirs
            deal("D-6", team=[email], closes=MONDAY + timedelta(days=20), value=Decimal(1)),
        ],
    )

    await world.run_until(MONDAY + timedelta(hours=10))

    (card,) = cards_to(world.sender, "megan")
    buttons = [
        action["data"]["msteams"]["value"]
        for element in card["body"]
        if element["type"] == "ActionSet"
        for action in element["actions"]
    ]
    assert buttons == ["show L-1", "show D-1", "show D-2", "show D-3"]
    assert card["body"][0]["text"] == "Your referral digest for Mon 7 Dec 2026"
