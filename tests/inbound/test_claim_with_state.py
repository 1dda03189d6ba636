"""A message's state is read alongside its dedupe claim: one trip to SQLite instead of two."""

from __future__ import annotations

from pathlib import Path

import pytest
from botbuilder.core import PrivateConversationState, TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount

from bot.inbound.dedupe import ActivityDedupe
from bot.inbound.sdk_speedups import apply_sdk_speedups
from bot.state.sqlite_db import SqliteDatabase
from bot.state.sqlite_seen import SqliteSeenActivities
from bot.state.sqlite_storage import SqliteStorage


def _message(activity_id: str) -> Activity:
    return Activity(
        type="message",
        id=activity_id,
        text="show 123",
        channel_id="msteams",
        service_url="https://smba.example/",
        from_property=ChannelAccount(id="29:seller", aad_object_id="oid-seller"),
        recipient=ChannelAccount(id="28:bot"),
        conversation=ConversationAccount(id="a:chat", tenant_id="tenant"),
    )


async def test_the_state_read_and_the_claim_share_one_trip(tmp_path: Path) -> None:
    apply_sdk_speedups()  # as every adapter does: an empty state is read once per turn
    database = await SqliteDatabase.open(tmp_path / "state.sqlite3")
    try:
        state = PrivateConversationState(SqliteStorage(database))
        dedupe = ActivityDedupe(seen=SqliteSeenActivities(database))
        turns: list[tuple[int, object]] = []

        async def turn(context: TurnContext) -> None:
            hops = database.hops
            memory = await state.create_property("Memory").get(context, dict)
            turns.append((database.hops - hops, memory))

        async def run(activity: Activity) -> int:
            hops = database.hops
            context = TurnContext(TestAdapter(), activity)
            await dedupe.run(context, turn, alongside=state.load)
            return database.hops - hops

        assert await run(_message("m-1")) == 1  # claim + state read in one trip
        assert turns == [(0, {})]  # the turn found its state already read
        assert await run(_message("m-1")) == 1  # a redelivery: claimed again, no turn
        assert len(turns) == 1
    finally:
        await database.aclose()


async def test_without_a_state_read_alongside_the_claim_goes_alone(tmp_path: Path) -> None:
    database = await SqliteDatabase.open(tmp_path / "state.sqlite3")
    try:
        state = PrivateConversationState(SqliteStorage(database))
        dedupe = ActivityDedupe(seen=SqliteSeenActivities(database))

        async def turn(context: TurnContext) -> None:
            await state.load(context)

        hops = database.hops
        await dedupe.run(TurnContext(TestAdapter(), _message("m-2")), turn)
        assert database.hops - hops == 2
    finally:
        await database.aclose()


async def test_a_failed_read_alongside_still_releases_the_claim_for_redelivery(
    tmp_path: Path,
) -> None:
    database = await SqliteDatabase.open(tmp_path / "state.sqlite3")
    try:
        dedupe = ActivityDedupe(seen=SqliteSeenActivities(database))
        failures = [OSError("storage down"), OSError("storage down")]  # alongside, then turn
        turns: list[str] = []

        async def flaky_read(_: TurnContext) -> None:
            if failures:
                raise failures.pop()

        async def turn(context: TurnContext) -> None:
            await flaky_read(context)  # the turn's own read: fails while storage is down
            turns.append(context.activity.id)

        first = TurnContext(TestAdapter(), _message("m-3"))
        with pytest.raises(OSError, match="storage down"):
            await dedupe.run(first, turn, alongside=flaky_read)
        assert failures == []
        await dedupe.run(TurnContext(TestAdapter(), _message("m-3")), turn, alongside=flaky_read)
        assert turns == ["m-3"]  # Teams' redelivery ran the turn once storage was back
    finally:
        await database.aclose()
