"""`turn.failed` names the conversation by a short hash, never by its Teams id (customer data)."""

from __future__ import annotations

import logging

import pytest
from botbuilder.core import ConversationState, MemoryStorage, TurnContext
from botbuilder.core.adapters import TestAdapter

from bot.inbound.turn_errors import make_on_turn_error
from bot.logging import RedactingFilter, id_ref
from tests.support.activities import channel_thread, make_message, personal_chat
from tests.support.emulators import OTHER_SELLER, SELLER


async def _failed_line(conversation_id: str, caplog: pytest.LogCaptureFixture) -> str:
    state = ConversationState(MemoryStorage())
    on_turn_error = make_on_turn_error(state, state.create_property("DialogState"))
    activity = make_message("boom")
    activity.conversation.id = conversation_id
    with caplog.at_level(logging.ERROR, logger="bot.inbound.turn_errors"):
        await on_turn_error(TurnContext(TestAdapter(), activity), RuntimeError("boom"))
    [record] = [r for r in caplog.records if r.getMessage().startswith("turn.failed")]
    RedactingFilter().filter(record)  # as the root handler formats it
    return record.getMessage()


@pytest.mark.parametrize(
    "conversation_id", [personal_chat(SELLER).id, channel_thread().id + ";messageid=1"]
)
async def test_the_conversation_is_logged_as_a_ref_not_its_id(
    conversation_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    line = await _failed_line(conversation_id, caplog)

    assert conversation_id.split(";")[0] not in line
    assert f"conversation_ref={id_ref(conversation_id)}" in line


def test_one_conversation_one_ref_and_others_differ() -> None:
    mine, theirs = personal_chat(SELLER).id, personal_chat(OTHER_SELLER).id

    assert id_ref(mine) == id_ref(mine)
    assert id_ref(mine) != id_ref(theirs)
    assert len(id_ref(mine)) == 12
    assert id_ref(None) == id_ref("") == "-"
