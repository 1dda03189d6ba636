"""A group's posted confirm card: recorded once, ended once for everyone, whoever tries."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.alerts.confirm_cards import ConfirmCards, bucket_of, final_key, posted_key
from bot.domain.proactive import Notification, NotificationState
from tests.support.card_harness import FakeClock
from tests.support.outbox import CountingOutbox, RecordingUpdater

REFERENCE = {"conversation": {"id": "19:sales@thread.tacv2;messageid=1"}, "serviceUrl": "x"}
SAVED = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "Saved"}]}
EXPIRES = datetime(2026, 3, 14, 10, 29, 59, tzinfo=UTC)


def test_changes_expiring_in_one_quarter_hour_share_a_bucket() -> None:
    quarter = datetime(2026, 3, 14, 10, 15, tzinfo=UTC)
    assert bucket_of(EXPIRES) == quarter
    assert bucket_of(quarter) == quarter
    assert bucket_of(EXPIRES + timedelta(seconds=1)) == quarter + timedelta(minutes=15)
    berlin = EXPIRES.astimezone(FakeClock().now().tzinfo)
    assert bucket_of(berlin) == quarter  # by the instant, whatever the zone


async def test_posting_is_one_outbox_entry_sent_with_the_message_id() -> None:
    outbox = CountingOutbox()
    cards = ConfirmCards(outbox, FakeClock())

    await cards.posted("p-1", EXPIRES, REFERENCE, "activity-7")

    assert outbox.calls == {"claim": 1, "sent": 1}  # the outbox's claim, then sent
    [entry] = await outbox.copies("confirm:2026-03-14T10:15")  # the SENT entries of a group
    assert (entry.key, entry.activity_id) == (posted_key("p-1"), "activity-7")
    assert entry.reference == REFERENCE
    assert await cards.copies("p-1", EXPIRES) == [entry]


async def test_ending_updates_the_posted_message_once_however_often_it_is_asked() -> None:
    outbox, updater = CountingOutbox(), RecordingUpdater()
    first, second = ConfirmCards(outbox, FakeClock()), ConfirmCards(outbox, FakeClock())
    await first.posted("p-1", EXPIRES, REFERENCE, "activity-7")

    ended = await asyncio.gather(
        first.settle("p-1", EXPIRES, SAVED, updater=updater),
        second.settle("p-1", EXPIRES, SAVED, updater=updater),
    )
    again = await first.settle("p-1", EXPIRES, SAVED, updater=updater)

    assert sorted(ended) == [False, True]
    assert again is False
    assert updater.updates == [("19:sales@thread.tacv2;messageid=1", "activity-7", SAVED)]
    [marker] = await outbox.copies("confirm-final:2026-03-14T10:15")
    assert marker.key == final_key("p-1")
    posted, ended_ids = await first.posted_in(bucket_of(EXPIRES))
    assert [entry.key for entry in posted] == [posted_key("p-1")]
    assert ended_ids == {"p-1"}


async def test_a_card_never_posted_is_not_ended_and_writes_nothing() -> None:
    outbox, updater = CountingOutbox(), RecordingUpdater()
    cards = ConfirmCards(outbox, FakeClock())
    await cards.posted("p-other", EXPIRES, REFERENCE, "activity-1")  # same bucket, another card
    outbox.calls.clear()

    assert await cards.settle("p-1", EXPIRES, SAVED, updater=updater) is False

    assert updater.updates == []
    assert outbox.writes() == 0


async def test_a_new_proposal_takes_over_the_posted_message() -> None:
    outbox, updater = CountingOutbox(), RecordingUpdater()
    cards = ConfirmCards(outbox, FakeClock())
    await cards.posted("p-1", EXPIRES, REFERENCE, "activity-7")
    later = EXPIRES + timedelta(minutes=20)

    await cards.settle("p-1", EXPIRES, SAVED, updater=updater, fresh=("p-2", later))

    [fresh] = await cards.copies("p-2", later)
    assert (fresh.activity_id, fresh.reference) == ("activity-7", REFERENCE)
    assert await cards.settle("p-2", later, SAVED, updater=updater) is True  # ends on its own
    assert [update[1] for update in updater.updates] == ["activity-7", "activity-7"]


async def test_a_deleted_message_still_counts_as_ended() -> None:
    outbox, updater = CountingOutbox(), RecordingUpdater(gone={"activity-7"})
    cards = ConfirmCards(outbox, FakeClock())
    await cards.posted("p-1", EXPIRES, REFERENCE, "activity-7")

    assert await cards.settle("p-1", EXPIRES, SAVED, updater=updater) is True

    assert await cards.settle("p-1", EXPIRES, SAVED, updater=RecordingUpdater()) is False


async def test_a_failed_update_is_released_so_the_next_try_updates_it() -> None:
    outbox = CountingOutbox()
    cards = ConfirmCards(outbox, FakeClock())
    await cards.posted("p-1", EXPIRES, REFERENCE, "activity-7")

    with pytest.raises(ConnectionResetError):
        await cards.settle("p-1", EXPIRES, SAVED, updater=RecordingUpdater(failing={"activity-7"}))
    updater = RecordingUpdater()
    assert await cards.settle("p-1", EXPIRES, SAVED, updater=updater) is True

    assert len(updater.updates) == 1


async def test_a_holder_that_died_mid_update_is_taken_over_after_its_lease() -> None:
    outbox, clock, updater = CountingOutbox(), FakeClock(), RecordingUpdater()
    cards = ConfirmCards(outbox, clock, lease=timedelta(minutes=2))
    await cards.posted("p-1", EXPIRES, REFERENCE, "activity-7")
    marker = Notification(
        key=final_key("p-1"),
        group="confirm-final:2026-03-14T10:15",
        reference=REFERENCE,
        state=NotificationState.CLAIMED,
    )
    await outbox.claim(marker, owner="dead-instance", now=clock.now(), lease=timedelta(minutes=2))

    assert await cards.settle("p-1", EXPIRES, SAVED, updater=updater) is False  # lease is live
    clock.current += timedelta(minutes=3)
    assert await cards.settle("p-1", EXPIRES, SAVED, updater=updater) is True
    assert len(updater.updates) == 1
