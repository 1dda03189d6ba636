"""Memory store bounds and fixed-size keys; the contract of every store: test_seen_contract."""

from __future__ import annotations

from botbuilder.schema import Activity, ConversationAccount

from bot.inbound.dedupe import activity_key
from bot.state.seen import MemorySeenActivities


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


def test_keys_are_fixed_size_and_need_an_id_and_a_conversation() -> None:
    huge = Activity(id="x" * 1_000_000, conversation=ConversationAccount(id="c"), channel_id="t")
    other = Activity(id="y", conversation=ConversationAccount(id="c"), channel_id="t")

    assert len(activity_key(huge) or "") == 64
    assert activity_key(huge) != activity_key(other)
    assert activity_key(Activity(id="y")) is None
    assert activity_key(Activity(conversation=ConversationAccount(id="c"))) is None
