"""The in-memory store: first claim wins, ids expire, and both maps stay bounded."""

from __future__ import annotations

from botbuilder.schema import Activity, ConversationAccount

from bot.dedupe import MemorySeenActivities, activity_key


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_the_first_claim_wins_until_the_id_expires() -> None:
    clock = FakeClock()
    seen = MemorySeenActivities(id_ttl=10.0, clock=clock)

    assert await seen.claim("a") is True
    assert await seen.claim("a") is False
    clock.now = 11.0
    assert await seen.claim("a") is True


async def test_ids_and_answers_are_bounded() -> None:
    seen = MemorySeenActivities(max_ids=3, max_answers=2)
    for key in "abcde":
        await seen.claim(key)
        await seen.remember(key, (200, {"key": key}))

    assert await seen.claim("a") is True  # evicted, so new again
    assert await seen.answer("a") is None
    assert await seen.answer("e") == (200, {"key": "e"})
    assert len(seen._ids) == 3
    assert len(seen._answers) == 2


async def test_answers_expire_sooner_and_forget_releases_a_claim() -> None:
    clock = FakeClock()
    seen = MemorySeenActivities(answer_ttl=5.0, clock=clock)
    await seen.claim("a")
    await seen.remember("a", (200, None))
    clock.now = 6.0

    assert await seen.answer("a") is None
    await seen.forget("a")
    assert await seen.claim("a") is True


def test_keys_are_fixed_size_and_need_an_id_and_a_conversation() -> None:
    huge = Activity(id="x" * 1_000_000, conversation=ConversationAccount(id="c"), channel_id="t")
    other = Activity(id="y", conversation=ConversationAccount(id="c"), channel_id="t")

    assert len(activity_key(huge) or "") == 64
    assert activity_key(huge) != activity_key(other)
    assert activity_key(Activity(id="y")) is None
    assert activity_key(Activity(conversation=ConversationAccount(id="c"))) is None
