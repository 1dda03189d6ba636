"""The bot's @mention is removed before understanding; other text and mentions stay."""

from __future__ import annotations

from botbuilder.schema import Activity

from bot.inbound.activity_handler import text_without_bot_mention
from tests.support.activities import (
    BOT_ID,
    BOT_NAME,
    channel_thread,
    make_message,
    message_payload,
)


def test_channel_mention_of_the_bot_is_removed() -> None:
    activity = make_message("mark 123 won", conversation=channel_thread(), mention=True)

    assert text_without_bot_mention(activity) == "mark 123 won"


def test_mention_in_the_middle_is_removed_and_spacing_normalised() -> None:
    activity = make_message(f"please  <at>{BOT_NAME}</at>   mark 123 won")

    assert text_without_bot_mention(activity) == "please mark 123 won"


def test_someone_elses_mention_is_kept() -> None:
    activity = make_message("add <at>Jane Doe</at> to 4711", mention=True)

    assert text_without_bot_mention(activity) == "add <at>Jane Doe</at> to 4711"


def test_mention_entity_text_is_used_even_when_the_display_name_differs() -> None:
    payload = message_payload("mark 123 won", mention=True)
    payload["text"] = "<at>Referrals</at> mark 123 won"
    payload["entities"][0]["text"] = "<at>Referrals</at>"
    assert payload["entities"][0]["mentioned"]["id"] == BOT_ID

    assert text_without_bot_mention(Activity().deserialize(payload)) == "mark 123 won"


def test_message_without_text_is_empty() -> None:
    activity = make_message("")
    activity.text = None

    assert text_without_bot_mention(activity) == ""
