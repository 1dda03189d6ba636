"""bot.state.memory_storage: a stale e_tag is our typed StorageConflictError, as in every store."""

from __future__ import annotations

from typing import Any

import pytest
from botbuilder.core import Storage, TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.core.teams import TeamsSSOTokenExchangeMiddleware
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount

from bot.state.errors import StorageConflictError
from bot.state.memory_storage import VersionedMemoryStorage


async def _stored_twice() -> tuple[VersionedMemoryStorage, str]:
    storage = VersionedMemoryStorage()
    await storage.write({"k": {"n": 1, "e_tag": "*"}})
    await storage.write({"k": {"n": 2, "e_tag": "*"}})
    etag = (await storage.read(["k"]))["k"]["e_tag"]
    return storage, etag


async def test_a_write_with_a_stale_e_tag_is_a_typed_conflict_and_changes_nothing() -> None:
    storage, etag = await _stored_twice()
    await storage.write({"k": {"n": 3, "e_tag": etag}})  # the current version: accepted

    with pytest.raises(StorageConflictError) as caught:
        await storage.write({"k": {"n": 4, "e_tag": etag}})  # that version is gone now

    assert caught.value.key == "k"
    assert (await storage.read(["k"]))["k"]["n"] == 3


@pytest.mark.parametrize("etag", [None, "*"])
async def test_no_e_tag_or_a_star_overwrites(etag: str | None) -> None:
    storage, _ = await _stored_twice()
    item = {"n": 5} if etag is None else {"n": 5, "e_tag": etag}

    await storage.write({"k": item})

    assert (await storage.read(["k"]))["k"]["n"] == 5


class _Conflicting(Storage):  # type: ignore[misc]  # botbuilder is untyped
    """A store where another instance always wrote first, as any of ours reports it."""

    async def read(self, keys: list[str]) -> dict[str, Any]:
        return {}

    async def write(self, changes: dict[str, Any]) -> None:
        raise StorageConflictError(next(iter(changes)))

    async def delete(self, keys: list[str]) -> None:
        return None


async def test_botbuilders_teams_sso_dedupe_still_takes_our_conflict_for_a_duplicate() -> None:
    """TeamsSSOTokenExchangeMiddleware reads only the message text ("Etag conflict")."""
    middleware = TeamsSSOTokenExchangeMiddleware(_Conflicting(), "connection")
    exchange = Activity(
        type=ActivityTypes.invoke,
        name="signin/tokenExchange",
        channel_id="msteams",
        conversation=ConversationAccount(id="a:1"),
        from_property=ChannelAccount(id="29:1"),
        recipient=ChannelAccount(id="28:bot"),
        value={"id": "exchange-1"},
    )
    context = TurnContext(TestAdapter(), exchange)

    assert await middleware._deduplicated_token_exchange_id(context) is False
