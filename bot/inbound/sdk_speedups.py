"""Per-turn CPU the Bot Framework SDK spends outside our code, removed at the SDK's own seams.

Measured with `python -m bench --profile` (docs/performance.md); each patch keeps the SDK's
answer and only changes how it is computed, and each is idempotent (applied when an adapter is
built):

1. msrest 0.7.1 `ClientRetryPolicy.safe_codes` is a 501-item list tested for 999 codes whenever a
   connector client is configured (≈ 3.6 ms); a frozenset gives the same answers.
2. msrest `Serializer.serialize_basic` calls `eval("int")(data)` for every int/float/bool field of
   every outbound activity (≈ 0.3 ms a reply); a dict of the same builtins replaces the `eval`.
3. msrest `Serializer.serialize_object` walks a card's JSON in Python, node by node (≈ 1–3 ms for a
   referral card). Data that `json.dumps` already accepts as plain JSON is passed through as is:
   the body is JSON-encoded later anyway, and for plain JSON msrest's walk returns an equal copy.
   (Serializers capture their methods when built, so this must run before connector clients are.)
4. botbuilder `TurnContext.send_activities` deep-copies every outbound activity, card included,
   only so that setting the conversation reference does not change the caller's object. Those are
   top-level attributes, so a shallow copy of the Activity protects the caller just as well.
5. botbuilder-dialogs snapshots every memory scope after each dialog turn and sends it as a
   trace activity, which `CloudAdapterBase.send_activities` then drops unless the channel is the
   Bot Framework Emulator; the snapshot is now only taken for that channel.
6. botbuilder `BotState` tells whether a turn changed the state by comparing jsonpickle
   flattenings of it, three per state per turn (load, before and after the save): the costliest
   Python in a turn. `pickle.dumps` (C) answers the same question: equal states pickle equally,
   and a state that pickles differently is at worst written once more. What pickle refuses still
   goes to jsonpickle.
7. botbuilder-dialogs' `WaterfallDialog` names each run with `uuid.uuid1()`, which asks libuuid,
   which tries the uuidd socket first (socket, connect, close: three syscalls and ≈ 13 µs,
   three times a message turn). The id only labels the run in telemetry and state; a random
   `uuid4` (≈ 3 µs, no syscall) is as unique.
8. botbuilder `BotState.load` reads storage again whenever the state it already read is empty
   (`not cached.state`; the C# SDK it ports checks for null): a new conversation's state is
   read once per accessor, and a state cleared in a turn is read back from storage. A state
   is now read once per turn (or when forced), as in C#; one trip to the store fewer.
"""

from __future__ import annotations

import copy
import json
import pickle
import uuid
from types import SimpleNamespace
from typing import Any

from botbuilder.core import BotAssert, BotState, TurnContext, bot_state, turn_context
from botbuilder.dialogs import DialogContext, DialogExtensions, waterfall_dialog
from botbuilder.schema import Activity
from botframework.connector import Channels
from msrest.serialization import Serializer
from msrest.universal_http.requests import ClientRetryPolicy

_BASIC_TYPES: dict[str, Any] = {"int": int, "float": float, "bool": bool, "str": str}
_PATCHED = "_referral_bot_patched"


def _serialize_basic(cls: type[Serializer], /, data: Any, data_type: str, **kwargs: Any) -> Any:
    custom = cls._get_custom_serializers(data_type, **kwargs)  # type: ignore[no-untyped-call]
    if custom:
        return custom(data)
    if data_type == "str":
        return cls.serialize_unicode(data)  # type: ignore[no-untyped-call]
    return _BASIC_TYPES[data_type](data)


def _plain_json(value: Any) -> bool:
    """True when the standard encoder takes `value` without help (no models, dates, sets…)."""
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return False
    return True


def _fast_serialize_object(original: Any) -> Any:
    def serialize_object(self: Serializer, attr: Any, **kwargs: Any) -> Any:
        plain_kwargs = not kwargs.get("is_xml") and "basic_types_serializers" not in kwargs
        if plain_kwargs and type(attr) in (dict, list) and _plain_json(attr):
            return attr
        return original(self, attr, **kwargs)

    setattr(serialize_object, _PATCHED, True)
    serialize_object.__wrapped__ = original  # type: ignore[attr-defined]
    return serialize_object


def _copy_for_sending(value: Any, memo: dict[int, Any] | None = None) -> Any:
    if type(value) is Activity:
        return copy.copy(value)
    return copy.deepcopy(value, memo)


def _snapshot_only_for_the_emulator(original: Any) -> Any:
    async def send_state_snapshot_trace(dialog_context: DialogContext) -> None:
        if dialog_context.context.activity.channel_id == Channels.emulator:
            await original(dialog_context)

    setattr(send_state_snapshot_trace, _PATCHED, True)
    return staticmethod(send_state_snapshot_trace)


def _pickled_hash(original: Any) -> Any:
    def compute_hash(self: bot_state.CachedBotState, obj: object) -> object:
        try:
            return pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # whatever pickle refuses: the SDK's own way
            return original(self, obj)

    setattr(compute_hash, _PATCHED, True)
    compute_hash.__wrapped__ = original  # type: ignore[attr-defined]
    return compute_hash


async def _load_once(self: BotState, turn_context: TurnContext, force: bool = False) -> None:
    BotAssert.context_not_none(turn_context)
    cached = self.get_cached_state(turn_context)
    storage_key = self.get_storage_key(turn_context)  # raises for an activity without ids
    if force or cached is None or cached.state is None:
        items = await self._storage.read([storage_key])
        cached_state = bot_state.CachedBotState(items.get(storage_key))
        turn_context.turn_state[self._context_service_key] = cached_state


setattr(_load_once, _PATCHED, True)


def apply_sdk_speedups() -> None:
    """Idempotent; see the module docstring for what each patch saves."""
    if not isinstance(ClientRetryPolicy.safe_codes, frozenset):
        ClientRetryPolicy.safe_codes = frozenset(ClientRetryPolicy.safe_codes)  # type: ignore[assignment]
    if not getattr(Serializer.serialize_basic, _PATCHED, False):
        patched_basic = classmethod(_serialize_basic)
        setattr(patched_basic.__func__, _PATCHED, True)
        Serializer.serialize_basic = patched_basic  # type: ignore[assignment,method-assign]
    if not getattr(Serializer.serialize_object, _PATCHED, False):
        Serializer.serialize_object = _fast_serialize_object(Serializer.serialize_object)  # type: ignore[method-assign]
    turn_context.deepcopy = _copy_for_sending
    if not getattr(bot_state.CachedBotState.compute_hash, _PATCHED, False):
        bot_state.CachedBotState.compute_hash = _pickled_hash(bot_state.CachedBotState.compute_hash)
    if not getattr(BotState.load, _PATCHED, False):
        BotState.load = _load_once
    if waterfall_dialog.uuid is uuid:
        waterfall_dialog.uuid = SimpleNamespace(uuid1=uuid.uuid4)
    if not getattr(DialogExtensions._send_state_snapshot_trace, _PATCHED, False):
        DialogExtensions._send_state_snapshot_trace = _snapshot_only_for_the_emulator(
            DialogExtensions._send_state_snapshot_trace
        )
