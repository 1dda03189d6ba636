"""bot.state.saves: which errors are version conflicts, and the per-property three-way merge."""

from __future__ import annotations

from typing import Any

import pytest

from bot.state.errors import StorageConflictError
from bot.state.saves import is_version_conflict, three_way_merge


def _same(first: object, second: object) -> bool:
    return first == second


BASE: dict[str, Any] = {"DialogState": [], "SellerMemory": {}, "e_tag": "v1"}


@pytest.mark.parametrize(
    ("ours", "theirs", "merged"),
    [
        # only we changed the stack, only they the memory: both changes kept, their version
        (
            {**BASE, "DialogState": ["Main"]},
            {**BASE, "SellerMemory": {"last": "123"}, "e_tag": "v2"},
            {"DialogState": ["Main"], "SellerMemory": {"last": "123"}, "e_tag": "v2"},
        ),
        # we changed nothing they changed: theirs
        (
            BASE,
            {**BASE, "DialogState": ["X"], "e_tag": "v2"},
            {**BASE, "DialogState": ["X"], "e_tag": "v2"},
        ),
        # both made the same change: kept once
        (
            {**BASE, "SellerMemory": {"last": "1"}},
            {**BASE, "SellerMemory": {"last": "1"}, "e_tag": "v2"},
            {**BASE, "SellerMemory": {"last": "1"}, "e_tag": "v2"},
        ),
        # a property we added, while theirs was deleted meanwhile (no version: created anew)
        ({**BASE, "New": 1}, None, {"New": 1}),
        # a property they removed and we did not touch stays removed
        (BASE, {"DialogState": [], "e_tag": "v2"}, {"DialogState": [], "e_tag": "v2"}),
    ],
)
def test_a_property_only_one_side_changed_takes_that_side(
    ours: dict[str, Any], theirs: Any, merged: dict[str, Any]
) -> None:
    assert three_way_merge(BASE, ours, theirs, same=_same) == merged


def test_both_sides_changing_one_property_differently_cannot_merge() -> None:
    ours = {**BASE, "DialogState": ["Mine"]}
    theirs = {**BASE, "DialogState": ["Theirs"], "e_tag": "v2"}

    assert three_way_merge(BASE, ours, theirs, same=_same) is None


@pytest.mark.parametrize(
    ("error", "conflict"),
    [
        (StorageConflictError("k"), True),  # every backend's (memory: VersionedMemoryStorage)
        (KeyError("Etag conflict.\nOriginal: 1\r\nCurrent: 2"), False),  # decided by type
        (KeyError("k"), False),
        (RuntimeError("Etag conflict"), False),
        (OSError("disk full"), False),
    ],
)
def test_only_version_conflicts_count(error: BaseException, conflict: bool) -> None:
    assert is_version_conflict(error) is conflict
