"""A seller's messages arriving together (Teams delivers them in parallel) are all answered, and
none gets "Sorry, something went wrong" after its reply was sent (issue 13, D7).

The state save of a turn checks the version it read: two turns of one seller and conversation
read the same version, so before turns were serialised the second save failed and the seller got
an apology after the reply. Across instances (a shared store) a lost race is merged or dropped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from botbuilder.core import Storage

from bot.settings import StateBackend, StateSettings
from bot.state.sqlite_state import open_sqlite_state
from emulators.azurite import Azurite
from emulators.server import RunningEmulators
from tests.support.activities import message_payload
from tests.support.azurite import blob_state, fresh_blob_storage
from tests.support.bot import BotUnderTest, demo_settings, running_bot

APOLOGY = "something went wrong"
AT_ONCE = ("mark 123 won", "show 123", "help", "mark 4711 lost", "show 4711", "mark 501 lost",
           "show 502", "mark 123 lost")  # fmt: skip


async def _at_once(bot: BotUnderTest, texts: tuple[str, ...]) -> set[str]:
    """Posts every message concurrently; returns their activity ids."""
    payloads = [message_payload(text) for text in texts]
    answers = await asyncio.gather(*(bot.post(payload) for payload in payloads))
    assert all(answer.status in (200, 201) for answer in answers)
    return {payload["id"] for payload in payloads}


def _apologies(bot: BotUnderTest) -> list[str]:
    return [sent.text for sent in bot.connector.sent if APOLOGY in sent.text.casefold()]


def _answered(bot: BotUnderTest) -> set[str | None]:
    return {sent.body.get("replyToId") for sent in bot.connector.sent}


async def _eight_at_once_then_one(bot: BotUnderTest, caplog: pytest.LogCaptureFixture) -> None:
    await bot.say("help")  # the seller's state exists: every later save checks its version
    with caplog.at_level(logging.INFO, logger="bot.state.saves"):
        for _ in range(2):
            ids = await _at_once(bot, AT_ONCE)
            assert _apologies(bot) == []
            assert ids <= _answered(bot)  # every message got its reply
    # one at a time in this process: no save even had to be merged
    assert [r.message for r in caplog.records if r.name == "bot.state.saves"] == []
    assert "sorry" not in " ".join(sent.text for sent in await bot.say("show 123")).casefold()


@pytest.mark.slow  # 17 replies to one chat, paced in real time (7 a second)
async def test_eight_messages_at_once_on_sqlite_are_all_answered_without_an_apology(
    fresh: RunningEmulators, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    state = StateSettings(backend=StateBackend.SQLITE, sqlite_path=tmp_path / "bot.sqlite3")
    async with running_bot(demo_settings(fresh, state=state)) as bot:
        await _eight_at_once_then_one(bot, caplog)


@pytest.mark.slow  # Azurite; 17 replies paced in real time (7 a second)
async def test_eight_messages_at_once_on_blob_are_all_answered_without_an_apology(
    fresh: RunningEmulators, azurite: Azurite, caplog: pytest.LogCaptureFixture
) -> None:
    async with fresh_blob_storage(azurite) as created:
        state = blob_state(azurite, created.container_name)
        async with running_bot(demo_settings(fresh, state=state)) as bot:
            await _eight_at_once_then_one(bot, caplog)


class RaceOnce(Storage):  # type: ignore[misc]  # botbuilder is untyped
    """Instance A's view of the shared store: just before A's first save of a seller's dialog
    state, `race` runs (instance B's turn for the same seller), so A's save finds a newer
    version than the one it read."""

    def __init__(self, inner: Storage) -> None:
        super().__init__()
        self.inner = inner
        self.race: Callable[[], Awaitable[object]] | None = None
        self.raced = 0

    async def read(self, keys: list[str]) -> dict[str, Any]:
        found: dict[str, Any] = await self.inner.read(keys)
        return found

    async def write(self, changes: Mapping[str, Any]) -> None:
        race = self.race
        if race is not None and any("/users/" in key for key in changes):
            self.race = None
            await race()
            self.raced += 1
        await self.inner.write(changes)

    async def delete(self, keys: list[str]) -> None:
        await self.inner.delete(keys)


@pytest.fixture
async def shared(tmp_path: Path) -> AsyncIterator[tuple[RaceOnce, Any]]:
    async with open_sqlite_state(tmp_path / "shared.sqlite3") as parts:
        yield RaceOnce(parts.storage), parts


def _state_key() -> str:
    payload = message_payload("")
    return f"msteams/conversations/{payload['conversation']['id']}/users/{payload['from']['id']}/"


@pytest.mark.parametrize(
    ("on_a", "on_b", "outcome", "remembered"),
    [
        # A asks "which referral?" (its dialog stack), B remembers 123: both kept.
        ("mark won", "show 123", "state.save_conflict merged", "123"),
        # Both remember a referral: no safe merge, B's state stays and A's turn is not undone.
        ("show 123", "mark 4711 lost", "state.save_conflict dropped", "4711"),
    ],
)
async def test_a_save_that_loses_a_race_with_another_instance_is_no_apology(
    fresh: RunningEmulators,
    shared: tuple[RaceOnce, Any],
    caplog: pytest.LogCaptureFixture,
    on_a: str,
    on_b: str,
    outcome: str,
    remembered: str,
) -> None:
    racing, parts = shared
    settings = demo_settings(fresh)
    with caplog.at_level(logging.INFO, logger="bot.state.saves"):
        async with (
            running_bot(settings, storage=racing, pending=parts.pending) as bot_a,
            running_bot(settings, storage=parts.storage, pending=parts.pending) as bot_b,
        ):
            await bot_a.say("show more")  # the seller's state: an empty stack, an empty memory
            b_said: list[Any] = []

            async def turn_on_b() -> None:
                b_said.extend(await bot_b.say(on_b))

            racing.race = turn_on_b
            a_said = await bot_a.say(on_a)
            stored = (await parts.storage.read([_state_key()]))[_state_key()]
            print("STORED", _state_key(), stored)
            after = await bot_a.say("show 123")

    assert racing.raced == 1  # B's save really came between A's read and A's save
    assert a_said
    assert b_said
    assert _apologies(bot_a) == []
    assert _apologies(bot_b) == []
    [said] = [r.message for r in caplog.records if r.name == "bot.state.saves"]
    assert said.startswith(outcome)
    assert stored["SellerMemory"] == {"lastReferralId": remembered}
    if outcome.endswith("merged"):
        assert stored["DialogState"].dialog_stack  # A's question is still open
    assert after
    assert "sorry" not in after[0].text.casefold()
