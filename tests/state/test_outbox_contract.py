"""The Notifications (outbox) contract: every backend passes it, two instances included."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.domain.proactive import ClaimResult, NotificationState
from tests.state.proactive_stores import LEASE, NOW, Twin, notification

KEY = "lead:1:user:u-1"


async def test_the_first_claim_wins(twin: Twin) -> None:
    assert await twin.a.notifications.claim(notification(), owner="o-1", now=NOW, lease=LEASE) is (
        ClaimResult.WON
    )


async def test_twenty_concurrent_claims_let_exactly_one_win(twin: Twin) -> None:
    store = twin.a.notifications
    results = await asyncio.gather(
        *(store.claim(notification(), owner=f"o-{n}", now=NOW, lease=LEASE) for n in range(20))
    )
    assert results.count(ClaimResult.WON) == 1
    assert results.count(ClaimResult.BUSY) == 19


async def test_two_instances_racing_let_exactly_one_win(twin: Twin) -> None:
    stores = [twin.a.notifications, twin.b.notifications]
    results = await asyncio.gather(
        *(
            stores[n % 2].claim(notification(), owner=f"o-{n}", now=NOW, lease=LEASE)
            for n in range(20)
        )
    )
    assert results.count(ClaimResult.WON) == 1
    assert results.count(ClaimResult.BUSY) == 19


async def test_a_live_claim_is_busy_for_everyone(twin: Twin) -> None:
    await twin.a.notifications.claim(notification(), owner="o-1", now=NOW, lease=LEASE)
    just_before = NOW + LEASE - timedelta(seconds=1)
    for store in (twin.a.notifications, twin.b.notifications):
        for owner in ("o-1", "o-2"):
            result = await store.claim(notification(), owner=owner, now=just_before, lease=LEASE)
            assert result is ClaimResult.BUSY


async def test_after_sent_every_claim_is_done(twin: Twin) -> None:
    await twin.a.notifications.claim(notification(), owner="o-1", now=NOW, lease=LEASE)
    await twin.a.notifications.sent(KEY, owner="o-1", activity_id="act-1", now=NOW)
    for store in (twin.a.notifications, twin.b.notifications):
        for later in (NOW, NOW + LEASE, NOW + timedelta(days=2)):
            result = await store.claim(notification(), owner="o-2", now=later, lease=LEASE)
            assert result is ClaimResult.DONE


async def test_a_claim_past_its_lease_is_taken_over_exactly_once(twin: Twin) -> None:
    await twin.a.notifications.claim(notification(), owner="o-1", now=NOW, lease=LEASE)
    later = NOW + LEASE
    stores = [twin.a.notifications, twin.b.notifications]
    results = await asyncio.gather(
        *(
            stores[n % 2].claim(notification(), owner=f"o-{n + 2}", now=later, lease=LEASE)
            for n in range(20)
        )
    )
    assert results.count(ClaimResult.TAKEN_OVER) == 1
    assert results.count(ClaimResult.BUSY) == 19
    winner = f"o-{results.index(ClaimResult.TAKEN_OVER) + 2}"
    await twin.b.notifications.sent(KEY, owner=winner, activity_id="act-2", now=later)
    copies = await twin.a.notifications.copies("lead:1")
    assert [entry.activity_id for entry in copies] == ["act-2"]


async def test_the_taken_over_holder_changes_nothing(twin: Twin) -> None:
    store = twin.a.notifications
    await store.claim(notification(), owner="o-1", now=NOW, lease=LEASE)
    assert await store.claim(notification(), owner="o-2", now=NOW + LEASE, lease=LEASE) is (
        ClaimResult.TAKEN_OVER
    )
    await store.sent(KEY, owner="o-1", activity_id="late", now=NOW + LEASE)
    await store.gone(KEY, owner="o-1")
    await store.release(KEY, owner="o-1")
    assert await store.copies("lead:1") == []
    assert await store.claim(notification(), owner="o-3", now=NOW + LEASE, lease=LEASE) is (
        ClaimResult.BUSY
    )


async def test_sent_gone_and_release_by_a_non_owner_change_nothing(twin: Twin) -> None:
    await twin.a.notifications.claim(notification(), owner="o-1", now=NOW, lease=LEASE)
    other = twin.b.notifications
    await other.sent(KEY, owner="o-2", activity_id="act-x", now=NOW)
    await other.gone(KEY, owner="o-2")
    await other.release(KEY, owner="o-2")
    assert await other.copies("lead:1") == []
    assert await other.claim(notification(), owner="o-2", now=NOW, lease=LEASE) is (
        ClaimResult.BUSY
    )


async def test_ending_a_claim_that_does_not_exist_is_harmless(twin: Twin) -> None:
    store = twin.a.notifications
    await store.sent("nope", owner="o-1", activity_id="act", now=NOW)
    await store.gone("nope", owner="o-1")
    await store.release("nope", owner="o-1")
    assert await store.claim(notification("nope"), owner="o-1", now=NOW, lease=LEASE) is (
        ClaimResult.WON
    )


async def test_after_release_the_next_claim_wins(twin: Twin) -> None:
    await twin.a.notifications.claim(notification(), owner="o-1", now=NOW, lease=LEASE)
    await twin.a.notifications.release(KEY, owner="o-1")
    assert await twin.b.notifications.claim(notification(), owner="o-2", now=NOW, lease=LEASE) is (
        ClaimResult.WON
    )


async def test_a_gone_recipient_is_done_and_never_a_copy(twin: Twin) -> None:
    await twin.a.notifications.claim(notification(), owner="o-1", now=NOW, lease=LEASE)
    await twin.a.notifications.gone(KEY, owner="o-1")
    later = NOW + timedelta(days=1)
    assert await twin.b.notifications.claim(
        notification(), owner="o-2", now=later, lease=LEASE
    ) is (ClaimResult.DONE)
    assert await twin.b.notifications.copies("lead:1") == []


async def test_copies_are_the_sent_entries_of_one_group(twin: Twin) -> None:
    store = twin.a.notifications
    sent_at = NOW + timedelta(seconds=3)
    for n in range(4):
        entry = notification(f"lead:1:user:u-{n}", user_id=f"u-{n}")
        await store.claim(entry, owner="o-1", now=NOW, lease=LEASE)
    channel = notification("lead:1:channel:19:c", user_id=None)
    await store.claim(channel, owner="o-1", now=NOW, lease=LEASE)
    await store.claim(notification("lead:2:user:u-0", "lead:2"), owner="o-1", now=NOW, lease=LEASE)
    for key in ("lead:1:user:u-0", "lead:1:user:u-2", "lead:1:channel:19:c", "lead:2:user:u-0"):
        await store.sent(key, owner="o-1", activity_id=f"act-{key}", now=sent_at)
    await store.gone("lead:1:user:u-1", owner="o-1")  # u-3 stays claimed
    copies = await twin.b.notifications.copies("lead:1")
    assert sorted(entry.key for entry in copies) == [
        "lead:1:channel:19:c",
        "lead:1:user:u-0",
        "lead:1:user:u-2",
    ]
    for entry in copies:
        assert entry.state is NotificationState.SENT
        assert entry.activity_id == f"act-{entry.key}"
        assert entry.reference == notification().reference
        assert entry.group == "lead:1"
        assert entry.sent_at == sent_at
    assert {entry.user_id for entry in copies} == {"u-0", "u-2", None}
    assert await store.copies("lead:3") == []


async def test_a_copy_keeps_a_sent_entry_without_an_activity_id(twin: Twin) -> None:
    store = twin.a.notifications
    await store.claim(notification(), owner="o-1", now=NOW, lease=LEASE)
    await store.sent(KEY, owner="o-1", activity_id=None, now=NOW)
    assert [entry.activity_id for entry in await store.copies("lead:1")] == [None]


async def test_a_claim_is_stranded_once_its_lease_ran_out_and_until_it_is_ended(
    twin: Twin,
) -> None:
    store, other = twin.a.notifications, twin.b.notifications
    await store.claim(notification(), owner="o-1", now=NOW, lease=LEASE)
    assert await other.stranded(now=NOW + LEASE - timedelta(seconds=1), limit=10) == []

    [found] = await other.stranded(now=NOW + LEASE, limit=10)

    assert (found.key, found.group, found.user_id) == (KEY, "lead:1", "u-1")
    assert (found.state, found.owner, found.lease_until) == (
        NotificationState.CLAIMED,
        "o-1",
        NOW + LEASE,
    )
    assert found.reference == notification().reference
    later = NOW + 2 * LEASE
    assert await other.claim(notification(), owner="o-2", now=later, lease=LEASE) is (
        ClaimResult.TAKEN_OVER
    )
    assert await store.stranded(now=later, limit=10) == []  # a live claim again
    await other.sent(KEY, owner="o-2", activity_id="act-2", now=later)
    assert await store.stranded(now=later + timedelta(days=1), limit=10) == []


async def test_stranded_leaves_out_sent_gone_and_released_entries(twin: Twin) -> None:
    store = twin.a.notifications
    for n, end in enumerate(("sent", "gone", "release", "stays")):
        key = f"lead:1:user:u-{n}"
        await store.claim(notification(key, user_id=f"u-{n}"), owner="o-1", now=NOW, lease=LEASE)
        if end == "sent":
            await store.sent(key, owner="o-1", activity_id="act", now=NOW)
        elif end == "gone":
            await store.gone(key, owner="o-1")
        elif end == "release":
            await store.release(key, owner="o-1")

    found = await twin.b.notifications.stranded(now=NOW + timedelta(days=1), limit=10)

    assert [entry.key for entry in found] == ["lead:1:user:u-3"]


async def test_stranded_gives_the_longest_stranded_first_up_to_the_limit(twin: Twin) -> None:
    store = twin.a.notifications
    for n in range(5):  # claimed a minute apart, in an order unlike their keys'
        key = f"lead:{7 - n}:user:u-1"
        at = NOW + timedelta(minutes=n)
        await store.claim(notification(key, f"lead:{7 - n}"), owner="o-1", now=at, lease=LEASE)
    later = NOW + timedelta(hours=1)

    first = await twin.b.notifications.stranded(now=later, limit=3)
    every = await twin.b.notifications.stranded(now=later, limit=10)

    assert [entry.key for entry in every] == [f"lead:{7 - n}:user:u-1" for n in range(5)]
    assert len(first) == 3
    assert {entry.key for entry in first} <= {entry.key for entry in every}
