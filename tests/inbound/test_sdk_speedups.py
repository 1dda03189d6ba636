"""The SDK speed-ups change how the SDK computes, never what it sends (bot.inbound.sdk_speedups)."""

from __future__ import annotations

import functools
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from botbuilder.core import ConversationState, MemoryStorage, TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.core.bot_state import CachedBotState
from botbuilder.dialogs import (
    DialogExtensions,
    DialogInstance,
    DialogSet,
    DialogState,
    DialogTurnResult,
    DialogTurnStatus,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.schema import Activity, Attachment, ChannelAccount, ConversationAccount
from botframework.connector import Channels, models
from msrest.serialization import Serializer
from msrest.universal_http.requests import ClientRetryPolicy

from bot.cards.referral import render_referral_card
from bot.domain.referral import Referral
from bot.inbound.sdk_speedups import apply_sdk_speedups
from tests.support.referral_documents import make_referral_document

MODELS = {name: kind for name, kind in models.__dict__.items() if isinstance(kind, type)}


def _card_reply() -> Activity:
    referral = Referral.from_document(make_referral_document(name="Deal [x](https://evil)"))
    card = render_referral_card(referral, portal_url="https://partner.example/referrals")
    return Activity(
        type="message",
        text="ok",
        attachments=[
            Attachment(content_type="application/vnd.microsoft.card.adaptive", content=card)
        ],
        from_property=ChannelAccount(id="bot"),
        recipient=ChannelAccount(id="user", aad_object_id="oid"),
        conversation=ConversationAccount(id="conv", tenant_id="t"),
        channel_data={"tenant": {"id": "t"}, "count": 3, "ratio": 0.5, "flag": True},
        value={"asked": datetime(2026, 11, 25, tzinfo=UTC), "n": 1},
    )


def _with_msrest_walk(serializer: Serializer) -> Serializer:
    original = Serializer.serialize_object.__wrapped__  # type: ignore[attr-defined]
    serializer.serialize_type["object"] = functools.partial(original, serializer)  # type: ignore[assignment]
    return serializer


def test_patched_serialiser_sends_the_same_body_as_msrest() -> None:
    apply_sdk_speedups()
    activity = _card_reply()

    fast = Serializer(MODELS).body(activity, "Activity")  # type: ignore[no-untyped-call]
    walked = _with_msrest_walk(Serializer(MODELS)).body(activity, "Activity")  # type: ignore[no-untyped-call]

    assert fast == walked
    assert fast["attachments"][0]["content"]["type"] == "AdaptiveCard"
    assert fast["channelData"] == {"tenant": {"id": "t"}, "count": 3, "ratio": 0.5, "flag": True}
    assert fast["value"] == {"asked": "2026-11-25T00:00:00.000Z", "n": 1}  # msrest's walk ran


def test_basic_types_serialise_as_msrest_did() -> None:
    apply_sdk_speedups()
    cases = [(7, "int"), (2.5, "float"), (True, "bool"), ("x", "str"), ("3", "int")]
    for value, kind in cases:
        expected = (
            value if kind == "str" else {"int": int, "float": float, "bool": bool}[kind](value)
        )
        assert Serializer.serialize_basic(value, kind) == expected  # type: ignore[no-untyped-call]
    assert Serializer.serialize_basic(5, "int", basic_types_serializers={"int": str}) == "5"  # type: ignore[no-untyped-call]


def test_retry_codes_stay_the_same() -> None:
    before = list(ClientRetryPolicy().policy.status_forcelist)  # type: ignore[no-untyped-call]

    apply_sdk_speedups()
    apply_sdk_speedups()
    after = list(ClientRetryPolicy().policy.status_forcelist)  # type: ignore[no-untyped-call]

    assert after == before
    assert 408 in after
    assert 503 in after
    assert 501 not in after
    assert 200 not in after


async def test_sending_does_not_change_the_callers_activity() -> None:
    apply_sdk_speedups()
    adapter = TestAdapter()
    reply = _card_reply()
    reply.conversation = None
    content_before = reply.attachments[0].content

    async def turn(context: TurnContext) -> None:
        await context.send_activity(reply)

    await adapter.send("hi")
    await adapter.process_activity(Activity(type="message", text="hi", channel_id="test"), turn)

    assert reply.conversation is None  # the reference was applied to the copy only
    assert reply.id is None
    assert reply.input_hint is None
    assert reply.attachments[0].content is content_before


async def _traces_after_a_dialog_turn(channel_id: str) -> list[Activity]:
    apply_sdk_speedups()
    storage = MemoryStorage()
    state = ConversationState(storage)
    dialogs = DialogSet(state.create_property("dialogs"))

    async def ask(step: WaterfallStepContext) -> DialogTurnResult:
        await step.context.send_activity("hello")
        return DialogTurnResult(DialogTurnStatus.Waiting)

    dialogs.add(WaterfallDialog("root", [ask]))
    sent: list[Activity] = []
    adapter = TestAdapter()

    async def turn(context: TurnContext) -> None:
        async def capture(_: TurnContext, activities: list[Activity], then: Any) -> Any:
            sent.extend(activities)
            return await then()

        context.on_send_activities(capture)
        await DialogExtensions.run_dialog(
            dialogs.find_dialog("root"), context, dialogs._dialog_state
        )

    activity = Activity(type="message", text="hi", channel_id=channel_id)
    await adapter.process_activity(activity, turn)
    return [a for a in sent if a.type == "trace"]


async def test_the_dialog_state_snapshot_is_only_made_for_the_emulator() -> None:
    assert await _traces_after_a_dialog_turn("msteams") == []
    [trace] = await _traces_after_a_dialog_turn(Channels.emulator)
    assert trace.label == "Bot State"


def test_state_changes_are_still_seen_and_unchanged_state_is_not_written_again() -> None:
    apply_sdk_speedups()
    instance = DialogInstance(id="update", state={"values": {"amount": Decimal("10")}})
    cached = CachedBotState({"DialogState": DialogState([instance])})
    assert not cached.is_changed

    instance.state["values"]["amount"] = Decimal("11")  # a change deep inside, in place
    assert cached.is_changed
    cached.hash = cached.compute_hash(cached.state)  # what save_changes does after writing
    assert not cached.is_changed

    cleared = CachedBotState()
    cleared.hash = ""  # BotState.clear_state forces the next save this way
    assert cleared.is_changed


def test_what_pickle_refuses_is_compared_the_sdks_way() -> None:
    apply_sdk_speedups()
    cached = CachedBotState({"callback": lambda: None, "n": 1})  # not picklable
    assert not cached.is_changed
    cached.state["n"] = 2
    assert cached.is_changed


async def test_waterfall_runs_get_distinct_random_ids_without_libuuid(monkeypatch: Any) -> None:
    apply_sdk_speedups()

    def no_uuid1(*_: object) -> None:
        raise AssertionError("uuid1 asks libuuid (and the uuidd socket) on every waterfall")

    monkeypatch.setattr(uuid, "uuid1", no_uuid1)
    dialogs = DialogSet(ConversationState(MemoryStorage()).create_property("dialogs"))
    ids: list[str] = []

    async def remember(step: WaterfallStepContext) -> DialogTurnResult:
        ids.append(step.active_dialog.state[WaterfallDialog.PersistedInstanceId])
        return await step.end_dialog()

    dialogs.add(WaterfallDialog("root", [remember]))

    async def turn(context: TurnContext) -> None:
        await (await dialogs.create_context(context)).begin_dialog("root")

    for text in ("one", "two"):
        await TestAdapter().process_activity(Activity(type="message", text=text), turn)
    assert len(set(ids)) == 2
    assert all(uuid.UUID(run_id).version == 4 for run_id in ids)


async def test_an_empty_state_is_read_once_per_turn_and_a_cleared_one_stays_cleared() -> None:
    apply_sdk_speedups()
    storage = MemoryStorage()
    reads: list[list[str]] = []
    original_read = storage.read

    async def counted(keys: list[str]) -> dict[str, Any]:
        reads.append(keys)
        return dict(await original_read(keys))

    storage.read = counted
    state = ConversationState(storage)
    first, second = state.create_property("first"), state.create_property("second")

    async def turn(context: TurnContext) -> None:
        await state.load(context)
        assert await first.get(context) is None  # still empty: not read again
        await second.set(context, "kept")
        await state.save_changes(context)
        await state.clear_state(context)
        await state.load(context)
        assert await second.get(context) is None  # cleared stays cleared, as in the C# SDK

    await TestAdapter().process_activity(Activity(type="message", text="hi"), turn)
    assert len(reads) == 1
