"""Commands that never ask run without child dialogs, and say exactly what the dialogs say."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest
from botbuilder.dialogs import DialogContext

from dialogs import main_dialog
from dialogs.grammar.parser import parse_command
from dialogs.one_shot import is_one_shot
from tests.dialogs.harness import DialogHarness
from tests.dialogs.test_update_commands import COMMANDS

TODAY = date(2026, 11, 25)
SPOKEN = [text for text, *_ in COMMANDS] + [
    "show 123",
    "show 999999",  # unknown id: said, nothing changes
    "mark 999999 won",
    "show Contoso",
    "mark it won",
    "add Jane Doe to 4711",  # no e-mail yet: the dialog asks
]


@pytest.mark.parametrize(
    ("text", "one_shot"),
    [
        ("show 123", True),
        ("mark 123 won", True),
        ("set the deal value of 4711 to 150k", True),
        ("add Jane Doe jane.doe@contoso.com to 4711", True),
        ("add Jane Doe to 4711", False),  # asks for the e-mail
        ("show Contoso", False),  # a name: may be a pick list
        ("mark it won", False),  # "it": may ask which
        ("help", False),
    ],
)
def test_only_commands_by_id_with_nothing_to_ask_are_one_shot(text: str, one_shot: bool) -> None:
    assert is_one_shot(parse_command(text, today=TODAY)) is one_shot


def _normalised(replies: Any) -> list[str]:
    """Texts and cards of a turn, with the random pending id blanked."""
    out = [repr(replies.texts)]
    cards = (json.dumps(card, sort_keys=True) for card in replies.cards)
    out += [re.sub(r'"pendingId": "[^"]+"', '"pendingId": "…"', card) for card in cards]
    return out


async def _transcript(texts: list[str]) -> list[list[str]]:
    bot = DialogHarness()
    return [_normalised(await bot.say(text)) for text in texts]


@pytest.mark.parametrize("text", SPOKEN)
async def test_the_one_shot_path_says_what_the_child_dialogs_say(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = [text, "show it"]  # and "it" afterwards is the same referral
    fast = await _transcript(texts)
    monkeypatch.setattr(main_dialog, "is_one_shot", lambda _: False)
    through_dialogs = await _transcript(texts)
    assert fast == through_dialogs


@pytest.fixture
def begun(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the dialogs begun while the test runs."""
    ids: list[str] = []
    original = DialogContext.begin_dialog

    async def spy(self: DialogContext, dialog_id: str, options: object = None) -> Any:
        ids.append(dialog_id)
        return await original(self, dialog_id, options)

    monkeypatch.setattr(DialogContext, "begin_dialog", spy)
    return ids


async def test_show_and_mark_by_id_begin_no_child_dialog(begun: list[str]) -> None:
    bot = DialogHarness()
    assert (await bot.say("show 123")).card
    assert (await bot.say("mark 123 won")).card
    assert begun == []  # answered by MainDialog.run_quick, before any dialog


async def test_a_one_shot_inside_the_root_dialog_begins_no_child_dialog(
    begun: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:

    async def no_quick_path(*_: object) -> bool:
        return False

    bot = DialogHarness()
    monkeypatch.setattr(bot.dialog, "run_quick", no_quick_path)
    assert (await bot.say("show 123")).card
    assert (await bot.say("mark 123 won")).card
    assert begun == ["MainDialog", "MainDialog.flow"] * 2


@pytest.mark.parametrize(
    "texts",
    [
        ["add Jane Doe to 4711", "show 123", "mark 123 won", "show 123"],  # a question waits
        ["show Contoso", "mark 123 won", "1"],  # a pick list waits
        ["show 123", "mark it won", "mark 123 lost"],
    ],
)
async def test_a_waiting_question_keeps_one_shot_commands_in_the_dialogs(
    texts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    quick = await _transcript(texts)
    monkeypatch.setattr(main_dialog, "is_one_shot", lambda _: False)
    assert await _transcript(texts) == quick
