"""The lead-alert commands in the dialogs (dialogs/lead_alerts.py): each reaches the port only
where it applies (a channel's lead posts in a channel, the seller's own alerts in personal
chat), answers in one turn, and said elsewhere changes nothing and says where it works."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from botbuilder.core import TurnContext

from dialogs import replies
from tests.dialogs.harness import MEGAN_USER, DialogHarness
from tests.support.activities import TeamsConversation, channel_thread

GROUP_CHAT = TeamsConversation("19:group@thread.v2", "groupChat")


@dataclass
class FakeAlertSettings:
    """Records what the dialogs asked; `alerts_on`/`subscribed` are the stored state."""

    alerts_on: bool = True
    subscribed: set[str] = field(default_factory=set)
    calls: list[str] = field(default_factory=list)

    async def set_lead_alerts(self, context: TurnContext, *, on: bool) -> bool:
        self.calls.append(f"alerts {'on' if on else 'off'}")
        changed, self.alerts_on = self.alerts_on != on, on
        return changed

    async def subscribe_channel(self, context: TurnContext) -> None:
        self.calls.append("subscribe")
        self.subscribed.add(context.activity.conversation.id)

    async def unsubscribe_channel(self, context: TurnContext) -> bool:
        self.calls.append("unsubscribe")
        found = context.activity.conversation.id in self.subscribed
        self.subscribed.discard(context.activity.conversation.id)
        return found


def harness() -> tuple[DialogHarness, FakeAlertSettings]:
    alerts = FakeAlertSettings()
    return DialogHarness(alerts=alerts), alerts


async def test_a_channel_subscribes_and_is_told_how_to_stop() -> None:
    bot, alerts = harness()

    said = await bot.say("post new leads here", conversation=channel_thread())

    assert said.texts == [replies.POSTING_LEADS_HERE]
    assert alerts.calls == ["subscribe"]


async def test_a_channel_unsubscribes_and_a_second_time_is_told_nothing_changed() -> None:
    bot, _ = harness()
    await bot.say("post new leads here", conversation=channel_thread())

    first = await bot.say("stop posting leads here", conversation=channel_thread())
    second = await bot.say("stop posting leads here", conversation=channel_thread())

    assert first.texts == [replies.STOPPED_POSTING_HERE]
    assert second.texts == [replies.NOT_POSTING_HERE]


@pytest.mark.parametrize("text", ["post new leads here", "stop posting leads here"])
@pytest.mark.parametrize("where", [None, GROUP_CHAT], ids=["personal", "group chat"])
async def test_channel_commands_elsewhere_say_they_are_for_channels(
    text: str, where: TeamsConversation | None
) -> None:
    bot, alerts = harness()

    said = await bot.say(text, conversation=where)

    assert said.texts == [replies.CHANNELS_ONLY]
    assert alerts.calls == []


@pytest.mark.parametrize(
    ("text", "stored", "answer"),
    [
        ("stop lead alerts", True, replies.ALERTS_NOW_OFF),
        ("stop lead alerts", False, replies.ALERTS_ALREADY_OFF),
        ("turn on lead alerts", False, replies.ALERTS_NOW_ON),
        ("lead alerts on", True, replies.ALERTS_ALREADY_ON),
    ],
)
async def test_a_seller_sets_their_own_alerts_in_personal_chat(
    text: str, stored: bool, answer: str
) -> None:
    bot, alerts = harness()
    alerts.alerts_on = stored

    said = await bot.say(text, user=MEGAN_USER)

    assert said.texts == [answer]
    assert len(alerts.calls) == 1


@pytest.mark.parametrize("text", ["stop lead alerts", "turn on lead alerts"])
async def test_personal_alerts_asked_in_a_channel_point_to_the_personal_chat(text: str) -> None:
    bot, alerts = harness()

    said = await bot.say(text, conversation=channel_thread())

    assert said.texts == [replies.ALERTS_ARE_PERSONAL]
    assert alerts.calls == []


@pytest.mark.parametrize(
    ("text", "conversation"),
    [("stop lead alerts", None), ("post new leads here", channel_thread())],
)
async def test_without_the_port_the_bot_says_alerts_are_not_set_up(
    text: str, conversation: TeamsConversation | None
) -> None:
    bot = DialogHarness()

    said = await bot.say(text, conversation=conversation)

    assert said.texts == [replies.ALERTS_UNAVAILABLE]


async def test_an_alert_command_while_a_question_waits_is_still_understood() -> None:
    bot, alerts = harness()
    await bot.say("add Sara Davis to 123")  # the bot asks for Sara's e-mail

    said = await bot.say("stop lead alerts")

    assert alerts.calls == ["alerts off"], said.texts
    assert replies.ALERTS_NOW_OFF in said.texts
