"""Saving a turn's state when another instance saved the same state first.

By the time a turn saves, its reply or confirm card has been sent: a version conflict then
is no failure to show the seller ("nothing was changed" would be false). In one process,
turns of a seller's conversation are serialised (bot.keyed_locks), so a conflict means
another
instance ran a turn of the same seller and conversation at the same time. The save is then
a three-way merge per state property (the dialog stack, the seller's memory): a property
only one side changed takes that side's value, and the merge is written under the fresh
version, a few times at most. When both sides changed the same property there is no safe
merge (two dialog stacks cannot be combined): the other instance's state is kept, a warning
logged, and the seller's next turn reads it. Nothing a seller proposed is lost either way:
a proposal's pending change lives in its own store, not in this state.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable
from typing import Any

from botbuilder.core import BotState, TurnContext

from bot.state.errors import StorageConflictError

logger = logging.getLogger(__name__)
ETAG = "e_tag"
MERGE_ATTEMPTS = 3
_MISSING = object()
Same = Callable[[object, object], bool]


def is_version_conflict(error: BaseException) -> bool:
    """Every backend raises StorageConflictError (memory: bot.state.memory_storage)."""
    return isinstance(error, StorageConflictError)


async def save_turn_state(state: BotState, turn_context: TurnContext) -> None:
    """`state.save_changes`, but a version conflict is merged or, failing that, dropped."""
    try:
        await state.save_changes(turn_context)
    except Exception as error:
        if not is_version_conflict(error):
            raise
        await _merge_and_save(state, turn_context)


async def _merge_and_save(state: BotState, turn_context: TurnContext) -> None:
    cached = state.get_cached_state(turn_context)
    base = _as_loaded(cached.hash)
    if base is None:
        logger.warning("state.save_conflict dropped reason=no_base")
        return
    storage, key = state._storage, state.get_storage_key(turn_context)
    for _ in range(MERGE_ATTEMPTS):
        theirs = (await storage.read([key])).get(key)
        merged = three_way_merge(base, cached.state, theirs, same=_same(cached))
        if merged is None:
            logger.warning("state.save_conflict dropped reason=both_changed")
            return
        try:
            await storage.write({key: merged})
        except Exception as error:
            if not is_version_conflict(error):
                raise
            continue  # a third write came in between: merge again onto it
        cached.state, cached.hash = merged, cached.compute_hash(merged)
        logger.info("state.save_conflict merged")
        return
    logger.warning("state.save_conflict dropped reason=still_conflicting")


def _as_loaded(stamp: object) -> dict[str, Any] | None:
    """The state as read (or last saved) this turn: bot.inbound.sdk_speedups makes a state's hash
    its
    pickle, so the version the turn started from costs nothing to keep. None: unknown."""
    if not isinstance(stamp, bytes):
        return None
    loaded = pickle.loads(stamp)  # noqa: S301  # our own process' bytes, never input
    if loaded is None:
        return {}  # the state did not exist yet
    return loaded if isinstance(loaded, dict) else None


def _same(cached: Any) -> Same:
    def same(first: object, second: object) -> bool:
        if first is _MISSING or second is _MISSING:
            return first is second
        return bool(cached.compute_hash(first) == cached.compute_hash(second))

    return same


def three_way_merge(
    base: dict[str, Any], ours: dict[str, Any], theirs: object, *, same: Same
) -> dict[str, Any] | None:
    """Per property: whoever changed it wins; both changed it differently → None."""
    stored = theirs if isinstance(theirs, dict) else {}
    merged: dict[str, Any] = {}
    for name in (base.keys() | ours.keys() | stored.keys()) - {ETAG}:
        was, mine, other = (side.get(name, _MISSING) for side in (base, ours, stored))
        if same(mine, was):
            value = other
        elif same(other, was) or same(other, mine):
            value = mine
        else:
            return None
        if value is not _MISSING:
            merged[name] = value
    if ETAG in stored:
        merged[ETAG] = stored[ETAG]
    return merged
