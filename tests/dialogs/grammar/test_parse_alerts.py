"""Issue 17's phrasings: a channel's lead posts and the seller's own lead alerts. Each row is a
way sellers say it; names of referrals and customers made of the same words stay names."""

from __future__ import annotations

import pytest

from dialogs.grammar.commands import (
    LeadAlerts,
    ListReferrals,
    ParseFailure,
    PostLeadsHere,
    ShowReferral,
    UpdateReferral,
)
from tests.dialogs.grammar.support import by_name, parse

POST_HERE = [
    "post new leads here",
    "@Referral Bot post new leads here",
    "<at>Referral Bot</at> post new leads here",
    "post leads in this channel",
    "send new leads here",
    "send all new leads to this channel",
    "share incoming leads here",
    "alert this channel about new leads",
    "notify this channel when there are new leads",
    "please post new leads here",
    "post new leads here please",
    "Post New Leads Here!",
    "subscribe this channel to new leads",
    "subscribe to lead alerts here",
    "turn on lead alerts here",
    "enable lead alerts in this channel",
]
STOP_POSTING = [
    "stop posting leads here",
    "stop posting new leads in this channel",
    "stop sending new leads to this channel",
    "don't post leads here anymore",
    "do not send new leads here",
    "no more leads here",
    "stop alerting this channel about new leads",
    "unsubscribe this channel from new leads",
    "unsubscribe from lead alerts here",
    "turn off lead alerts here",
    "stop posting leads here, thanks",
]
ALERTS_ON = [
    "turn on lead alerts",
    "lead alerts on",
    "turn on my lead alerts",
    "enable lead notifications",
    "resume lead alerts",
    "lead alerts back on",
    "notify me about new leads",
    "tell me when there are new leads",
    "subscribe to new leads",
    "please turn on lead alerts",
]
ALERTS_OFF = [
    "stop lead alerts",
    "turn off lead alerts",
    "lead alerts off",
    "turn off my lead alerts",
    "disable lead notifications",
    "mute lead alerts",
    "no more lead alerts",
    "stop notifying me about new leads",
    "don't alert me about new leads anymore",
    "unsubscribe from lead alerts",
    "stop lead alerts please",
]


@pytest.mark.parametrize("text", POST_HERE)
def test_a_channel_asks_for_new_leads(text: str) -> None:
    assert parse(text) == PostLeadsHere(on=True)


@pytest.mark.parametrize("text", STOP_POSTING)
def test_a_channel_stops_new_leads(text: str) -> None:
    assert parse(text) == PostLeadsHere(on=False)


@pytest.mark.parametrize("text", ALERTS_ON)
def test_a_seller_turns_lead_alerts_on(text: str) -> None:
    assert parse(text) == LeadAlerts(on=True)


@pytest.mark.parametrize("text", ALERTS_OFF)
def test_a_seller_turns_lead_alerts_off(text: str) -> None:
    assert parse(text) == LeadAlerts(on=False)


# Real company names made of the commands' words: always the referral, never a setting.
NAMES = [
    "Lead Alerts Ltd",
    "Post Office Ltd",
    "Channel Partners Inc",
    "Alert Logic",
    "New Leads Here Inc",
    "Stop & Shop",
    "Posting Solutions GmbH",
    "Alerts Global Ltd",
    "Send Word Now",
    "Turn On Solar",
]


@pytest.mark.parametrize("name", NAMES)
def test_show_keeps_the_name(name: str) -> None:
    assert parse(f"show {name}") == ShowReferral(by_name(name))


@pytest.mark.parametrize("name", NAMES)
def test_marking_keeps_the_name(name: str) -> None:
    command = parse(f"mark {name} won")
    assert isinstance(command, UpdateReferral), command
    assert command.ref == by_name(name)


@pytest.mark.parametrize("name", NAMES)
def test_a_field_change_keeps_the_name(name: str) -> None:
    command = parse(f"set the value of {name} to 10k")
    assert isinstance(command, UpdateReferral), command
    assert command.ref == by_name(name)
    assert command.intent.deal_value is not None


@pytest.mark.parametrize(
    "text",
    [
        "new leads",  # a list, as before
        "any new leads",
        "show new leads",
    ],
)
def test_lists_of_leads_stay_lists(text: str) -> None:
    assert isinstance(parse(text), ListReferrals)


@pytest.mark.parametrize(
    "text",
    [
        "any new leads here?",  # a question, not a subscription
        "stop lead alerts ltd",
        "post",
        "lead alerts",
    ],
)
def test_near_misses_are_not_settings(text: str) -> None:
    assert not isinstance(parse(text), PostLeadsHere | LeadAlerts)


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("stop lead alrets", "stop lead alerts"),
        ("post new laeds here", "post new leads here"),
        ("stop postign leads here", "stop posting leads here"),
    ],
)
def test_a_typo_is_offered_its_correction_not_applied(text: str, suggestion: str) -> None:
    command = parse(text)
    assert isinstance(command, ParseFailure), command
    assert command.suggestion == suggestion
