"""SqliteStorage: botbuilder's Storage with ETag compare-and-set, and a codec that runs no code."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from botbuilder.dialogs import DialogInstance, DialogState

from bot.domain.intent import ChangeIntent, Money, Outcome
from bot.state import sqlite_codec
from bot.state.errors import StorageConflictError, UnsafeStateError
from bot.state.sqlite_state import open_sqlite_state
from bot.state.sqlite_storage import SqliteStorage
from bot.state.token_caches import StorageTokenCacheStore


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[SqliteStorage]:
    async with open_sqlite_state(tmp_path / "state.sqlite3") as durable:
        yield durable.storage


async def test_a_written_item_reads_back_with_an_etag(storage: SqliteStorage) -> None:
    await storage.write({"k": {"count": 1, "nested": {"a": [1, 2]}}})
    item = (await storage.read(["k", "missing"]))["k"]
    assert item["count"] == 1
    assert item["nested"] == {"a": [1, 2]}
    assert isinstance(item["e_tag"], str)
    assert item["e_tag"]


async def test_a_stale_etag_is_a_conflict_and_changes_nothing(storage: SqliteStorage) -> None:
    await storage.write({"k": {"v": 1}})
    first = (await storage.read(["k"]))["k"]
    second = (await storage.read(["k"]))["k"]
    await storage.write({"k": {**first, "v": 2}})

    with pytest.raises(StorageConflictError, match="Etag conflict"):
        await storage.write({"other": {"v": 0}, "k": {**second, "v": 3}})

    assert (await storage.read(["k"]))["k"]["v"] == 2
    assert await storage.read(["other"]) == {}  # the whole write was rolled back


@pytest.mark.parametrize("etag", ["*", None])
async def test_star_or_no_etag_means_last_writer_wins(
    storage: SqliteStorage, etag: str | None
) -> None:
    await storage.write({"k": {"v": 1}})
    item: dict[str, object] = {"v": 2} if etag is None else {"v": 2, "e_tag": etag}
    await storage.write({"k": item})
    assert (await storage.read(["k"]))["k"]["v"] == 2


async def test_a_second_save_of_the_same_item_does_not_conflict(storage: SqliteStorage) -> None:
    await storage.write({"k": {"v": 1}})
    item = (await storage.read(["k"]))["k"]
    item["v"] = 2
    await storage.write({"k": item})
    item["v"] = 3
    await storage.write({"k": item})  # e_tag was refreshed in place by the first save
    assert (await storage.read(["k"]))["k"]["v"] == 3


async def test_an_etag_on_a_new_key_creates_it_once(storage: SqliteStorage) -> None:
    """How botbuilder's Teams SSO middleware dedupes token exchanges."""
    await storage.write({"exchange": {"e_tag": "exchange-id-1"}})
    with pytest.raises(StorageConflictError, match="Etag conflict"):
        await storage.write({"exchange": {"e_tag": "exchange-id-1"}})


async def test_delete_removes_items(storage: SqliteStorage) -> None:
    await storage.write({"a": {"v": 1}, "b": {"v": 2}})
    await storage.delete(["a", "never-there"])
    assert set(await storage.read(["a", "b"])) == {"b"}


async def test_dialog_state_with_datetimes_and_dataclasses_round_trips(
    storage: SqliteStorage,
) -> None:
    instance = DialogInstance()
    instance.id = "oauth-prompt"
    expires = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
    intent = ChangeIntent(outcome=Outcome.WON, deal_value=Money(Decimal("12.50"), "EUR"))
    instance.state = {"expires": expires, "intent": intent, "pair": (1, 2)}
    await storage.write({"conversation": {"DialogState": DialogState([instance])}})

    restored = (await storage.read(["conversation"]))["conversation"]["DialogState"]

    [top] = restored.dialog_stack
    assert top.id == "oauth-prompt"
    assert top.state == {"expires": expires, "intent": intent, "pair": (1, 2)}


async def test_a_datetime_in_the_sellers_time_zone_round_trips(storage: SqliteStorage) -> None:
    berlin = datetime(2026, 3, 14, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    await storage.write({"conversation": {"seen_at": berlin}})

    restored = (await storage.read(["conversation"]))["conversation"]["seen_at"]

    assert restored == berlin
    assert restored.tzinfo == ZoneInfo("Europe/Berlin")


async def test_token_caches_round_trip_through_sqlite(storage: SqliteStorage) -> None:
    caches = StorageTokenCacheStore(storage)
    await caches.save("tenant/user", b"\x00ciphertext\xff")
    await caches.save("tenant/user", b"newer")
    assert await caches.load("tenant/user") == b"newer"
    assert await caches.load("tenant/nobody") is None


@pytest.mark.parametrize(
    "document",
    [
        {"py/reduce": [{"py/function": "os.system"}, {"py/tuple": ["true"]}]},
        {"py/reduce": [{"py/function": "zoneinfo.ZoneInfo.from_file"}, {"py/tuple": ["x"]}]},
        {"py/reduce": [{"py/type": "subprocess.Popen"}, {"py/tuple": [["true"]]}]},
        {"py/object": "subprocess.Popen"},
        {"py/repr": "os/os.system('true')"},
        {"py/mod": "os"},
        {"x": [{"py/type": "builtins.eval"}]},
        {"json://1": 1},
    ],
)
def test_the_codec_refuses_classes_and_tags_outside_the_allowlist(
    document: dict[str, object],
) -> None:
    with pytest.raises(UnsafeStateError):
        sqlite_codec.decode(json.dumps(document))


async def test_a_tampered_row_fails_to_read_instead_of_running_code(
    storage: SqliteStorage, tmp_path: Path
) -> None:
    await storage.write({"k": {"v": 1}})
    evil = json.dumps({"py/reduce": [{"py/function": "os.system"}, {"py/tuple": ["true"]}]})
    await storage._database.run(  # the test plays an attacker with file access
        lambda connection: connection.execute("UPDATE storage SET body = ?", (evil,))
    )
    with pytest.raises(UnsafeStateError):
        await storage.read(["k"])
