"""KeyedLocks: one turn at a time per key, other keys untouched, nothing kept once idle."""

from __future__ import annotations

import asyncio

from bot.keyed_locks import KeyedLocks


async def test_turns_of_one_key_run_one_at_a_time_and_other_keys_do_not_wait() -> None:
    locks: KeyedLocks[str] = KeyedLocks()
    running: dict[str, int] = {"a": 0, "b": 0}
    most: dict[str, int] = {"a": 0, "b": 0}
    order: list[str] = []
    gate = asyncio.Event()

    async def turn(key: str, name: str) -> None:
        async with locks.hold(key):
            running[key] += 1
            most[key] = max(most[key], running[key])
            order.append(name)
            if key == "a":
                await gate.wait()  # "a" turns block until "b" is done: "b" must not queue
            await asyncio.sleep(0)
            running[key] -= 1

    tasks = [asyncio.create_task(turn("a", f"a{i}")) for i in range(4)]
    await asyncio.sleep(0)  # a0 takes the lock, a1-a3 queue behind it
    await turn("b", "b0")
    assert order == ["a0", "b0"]  # b ran while a0 held its own key
    gate.set()
    await asyncio.gather(*tasks)

    assert most == {"a": 1, "b": 1}
    assert order == ["a0", "b0", "a1", "a2", "a3"]  # first come, first served
    assert len(locks) == 0  # no entry outlives its last turn


async def test_a_cancelled_waiter_or_a_failed_turn_leaves_nothing_behind() -> None:
    locks: KeyedLocks[str] = KeyedLocks()
    held = asyncio.Event()
    release = asyncio.Event()

    async def holder() -> None:
        async with locks.hold("k"):
            held.set()
            await release.wait()
            raise RuntimeError("the turn failed")

    first = asyncio.create_task(holder())
    await held.wait()

    async def waiter() -> None:
        async with locks.hold("k"):
            raise AssertionError("a cancelled waiter must never run")

    waiting = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    assert len(locks) == 1
    waiting.cancel()
    release.set()
    results = await asyncio.gather(first, waiting, return_exceptions=True)

    assert isinstance(results[0], RuntimeError)
    assert isinstance(results[1], asyncio.CancelledError)
    assert len(locks) == 0
