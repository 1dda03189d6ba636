"""The botbuilder Storage contract of AzureBlobStorage, against a real Azurite."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from botbuilder.dialogs import DialogInstance, DialogState

from bot.state.blob_storage import AzureBlobStorage, blob_name, opened_blob_storage
from bot.state.errors import StorageConflictError, StorageUnavailableError
from emulators.azurite import Azurite
from tests.support.azurite import FAST

pytestmark = pytest.mark.slow  # Azurite (a Node process) for every test


async def test_reading_missing_keys_gives_an_empty_dict(blob_storage: AzureBlobStorage) -> None:
    assert await blob_storage.read(["nope", "also/nope"]) == {}


async def test_a_written_item_reads_back_with_the_blob_etag(blob_storage: AzureBlobStorage) -> None:
    item: dict[str, object] = {"count": 1, "name": "Alice"}
    await blob_storage.write({"conv/a:1/users/u-1": item})
    found = await blob_storage.read(["conv/a:1/users/u-1", "missing"])
    assert list(found) == ["conv/a:1/users/u-1"]
    stored = found["conv/a:1/users/u-1"]
    assert isinstance(stored, dict)
    assert stored["count"] == 1
    assert stored["name"] == "Alice"
    assert stored["e_tag"]
    assert stored["e_tag"] == item["e_tag"]


async def test_dialog_state_objects_round_trip(blob_storage: AzureBlobStorage) -> None:
    stack = DialogState([DialogInstance(id="update", state={"referral": "123"})])
    await blob_storage.write({"k": {"DialogState": stack}})
    stored = (await blob_storage.read(["k"]))["k"]
    assert isinstance(stored, dict)
    restored = stored["DialogState"]
    assert isinstance(restored, DialogState)
    assert restored.dialog_stack[0].id == "update"
    assert restored.dialog_stack[0].state == {"referral": "123"}


async def test_a_stale_etag_is_a_conflict(blob_storage: AzureBlobStorage) -> None:
    await blob_storage.write({"k": {"v": 1}})
    first = (await blob_storage.read(["k"]))["k"]
    second = (await blob_storage.read(["k"]))["k"]
    assert isinstance(first, dict)
    assert isinstance(second, dict)
    await blob_storage.write({"k": first | {"v": 2}})
    with pytest.raises(StorageConflictError):
        await blob_storage.write({"k": second | {"v": 3}})
    assert (await blob_storage.read(["k"]))["k"]["v"] == 2  # type: ignore[index]


async def test_the_same_dict_can_be_saved_twice_in_a_turn(blob_storage: AzureBlobStorage) -> None:
    item: dict[str, object] = {"v": 1}
    await blob_storage.write({"k": item})
    item["v"] = 2
    await blob_storage.write({"k": item})  # its e_tag was refreshed by the first write
    assert (await blob_storage.read(["k"]))["k"]["v"] == 2  # type: ignore[index]


async def test_of_two_first_writes_exactly_one_wins(blob_storage: AzureBlobStorage) -> None:
    results = await asyncio.gather(
        *(blob_storage.write({"k": {"writer": n}}) for n in range(5)), return_exceptions=True
    )
    conflicts = [r for r in results if isinstance(r, StorageConflictError)]
    assert len(conflicts) == 4, results
    assert results.count(None) == 1, results


async def test_star_overwrites_whatever_is_there(blob_storage: AzureBlobStorage) -> None:
    await blob_storage.write({"k": {"v": 1}})
    await blob_storage.write({"k": {"v": 2, "e_tag": "*"}})
    assert (await blob_storage.read(["k"]))["k"]["v"] == 2  # type: ignore[index]


async def test_delete_removes_and_ignores_missing(blob_storage: AzureBlobStorage) -> None:
    await blob_storage.write({"a": {"v": 1}, "b": {"v": 2}})
    await blob_storage.delete(["a", "never-written"])
    assert list(await blob_storage.read(["a", "b"])) == ["b"]


async def test_a_missing_container_is_a_clear_error_not_empty(azurite: Azurite) -> None:
    name = f"absent-{uuid.uuid4().hex[:8]}"
    async with opened_blob_storage(azurite.connection_string, name, timeouts=FAST) as store:
        for call in (store.read(["k"]), store.write({"k": {"v": 1}}), store.delete(["k"])):
            with pytest.raises(StorageUnavailableError, match="does not exist"):
                await call


async def test_a_wrong_key_is_refused_not_read_as_empty(azurite: Azurite) -> None:
    wrong = azurite.connection_string.replace("AccountKey=Eby8", "AccountKey=AAAA")
    async with opened_blob_storage(wrong, "state", timeouts=FAST) as store:
        with pytest.raises(StorageUnavailableError, match="403"):
            await store.read(["k"])


def test_blob_names_are_flat_and_safe() -> None:
    assert blob_name("a/../b") == "a%2F%2E%2E%2Fb"
    assert blob_name("msteams/conversations/19:x@thread.v2") == (
        "msteams%2Fconversations%2F19%3Ax%40thread%2Ev2"
    )
