"""ConversationPacer: Teams' per-conversation windows, kept apart per conversation, bounded."""

from __future__ import annotations

import asyncio

import pytest

from bot.outbound.pacing import TEAMS_THREAD_LIMITS, ConversationPacer, Window
from tests.outbound.fakes import FakeClock


def pacer(clock: FakeClock, *, max_conversations: int = 1024) -> ConversationPacer:
    return ConversationPacer(
        clock=clock, sleep=clock.sleep, margin=0.0, max_conversations=max_conversations
    )


async def send_times(pacer: ConversationPacer, clock: FakeClock, count: int) -> list[float]:
    times = []
    for _ in range(count):
        await pacer.acquire("a:1")
        times.append(clock.now)
    return times


async def test_seven_sends_in_a_second_go_at_once_and_the_eighth_waits_a_second() -> None:
    clock = FakeClock()
    start = clock.now

    times = await send_times(pacer(clock), clock, 8)

    assert times[:7] == [start] * 7
    assert times[7] == pytest.approx(start + 1.0)


def most_in_any(times: list[float], seconds: float) -> int:
    """The most sends inside any window [t, t + seconds) of the timeline."""
    return max(sum(1 for t in times if start <= t < start + seconds) for start in times)


async def test_a_long_burst_keeps_within_every_teams_window() -> None:
    clock = FakeClock()

    times = await send_times(pacer(clock), clock, 130)

    for window in TEAMS_THREAD_LIMITS[:3]:
        assert most_in_any(times, window.seconds) == window.limit
    assert times[60] - times[0] == pytest.approx(30.0)  # the 61st waits for the 30 s window


async def test_the_hourly_window_holds_the_1801st_send_for_an_hour() -> None:
    clock = FakeClock()
    small = ConversationPacer([Window(1800, 3600.0)], clock=clock, sleep=clock.sleep, margin=0.0)

    times = await send_times(small, clock, 1801)

    assert times[1800] - times[0] == pytest.approx(3600.0)


async def test_margin_widens_every_window() -> None:
    clock = FakeClock()
    padded = ConversationPacer(clock=clock, sleep=clock.sleep, margin=0.05)

    times = await send_times(padded, clock, 8)

    assert times[7] - times[0] == pytest.approx(1.05)


async def test_two_conversations_do_not_delay_each_other() -> None:
    clock = FakeClock()
    paced = pacer(clock)
    for _ in range(7):
        await paced.acquire("a:1")

    waits = [await paced.acquire("a:2") for _ in range(7)]

    assert waits == [0.0] * 7
    assert clock.sleeps == []


async def test_a_send_waiting_in_one_conversation_does_not_hold_up_another() -> None:
    released = asyncio.Event()
    clock = FakeClock()

    async def held_sleep(seconds: float) -> None:
        await released.wait()
        clock.now += seconds

    paced = ConversationPacer(clock=clock, sleep=held_sleep, margin=0.0)
    for _ in range(7):
        await paced.acquire("a:1")
    eighth = asyncio.create_task(paced.acquire("a:1"))
    await asyncio.sleep(0)

    other = await asyncio.wait_for(paced.acquire("a:2"), timeout=1)

    assert other == 0.0
    assert not eighth.done()
    released.set()
    assert await eighth == pytest.approx(1.0)


async def test_sends_to_one_conversation_keep_their_order() -> None:
    clock = FakeClock()
    paced = pacer(clock)
    order: list[int] = []

    async def send(number: int) -> None:
        await paced.acquire("a:1")
        order.append(number)

    await asyncio.gather(*(send(n) for n in range(12)))

    assert order == list(range(12))


async def test_memory_is_bounded_and_the_least_recently_used_conversation_goes_first() -> None:
    clock = FakeClock()
    one_per_minute = ConversationPacer(
        [Window(1, 60.0)], clock=clock, sleep=clock.sleep, margin=0.0, max_conversations=2
    )
    await one_per_minute.acquire("a:old")
    await one_per_minute.acquire("a:kept")
    clock.now += 1
    await one_per_minute.acquire("a:new")  # third conversation: "a:old" is forgotten

    assert len(one_per_minute) == 2
    assert await one_per_minute.acquire("a:kept") == pytest.approx(59.0)  # still limited
    assert await one_per_minute.acquire("a:old") == 0.0  # forgotten, so not held back


async def test_many_conversations_stay_within_the_bound() -> None:
    clock = FakeClock()
    paced = pacer(clock, max_conversations=100)

    for number in range(5000):
        await paced.acquire(f"a:{number}")

    assert len(paced) == 100


async def test_a_conversation_with_a_waiting_send_is_not_evicted() -> None:
    released = asyncio.Event()
    clock = FakeClock()

    async def held_sleep(seconds: float) -> None:
        await released.wait()
        clock.now += seconds

    paced = ConversationPacer(clock=clock, sleep=held_sleep, margin=0.0, max_conversations=2)
    for _ in range(7):
        await paced.acquire("a:busy")
    waiting = asyncio.create_task(paced.acquire("a:busy"))
    await asyncio.sleep(0)

    for number in range(5):
        await paced.acquire(f"a:{number}")

    assert len(paced) == 2
    released.set()
    assert await waiting == pytest.approx(1.0)
    # its log was kept: the ninth send still waits for the 8-per-2-s window
    assert await asyncio.wait_for(paced.acquire("a:busy"), timeout=1) == pytest.approx(1.0)


async def test_a_window_counts_from_when_a_slow_send_completed_not_when_it_left() -> None:
    clock = FakeClock()
    paced, start = pacer(clock), clock.now
    slow = paced.sending("a:1")
    await slow.__aenter__()  # the first send leaves …
    for _ in range(6):
        await paced.acquire("a:1")
    eighth = asyncio.create_task(paced.acquire("a:1"))
    for _ in range(50):  # … and takes 1 s of (fake) time to be answered
        await asyncio.sleep(0)
        if clock.now - start >= 1.0:
            break
    assert not eighth.done()  # Teams may not have counted the first one yet
    answered = clock.now
    await slow.__aexit__(None, None, None)

    await eighth

    assert clock.now == pytest.approx(answered + 1.0, abs=0.03)
