"""Issue 17 §4: the digest commands, and company names with the same words never misread."""

from __future__ import annotations

import pytest

from dialogs.grammar import messages
from dialogs.grammar.commands import (
    Command,
    ParseFailure,
    SetDigest,
    ShowReferral,
    StopDigest,
    UpdateReferral,
)
from tests.dialogs.grammar.support import by_name, parse

WEEKDAYS = frozenset(range(5))
EVERY_DAY = frozenset(range(7))


def _every(days: frozenset[int] | set[int], hour: int, minute: int = 0) -> SetDigest:
    return SetDigest(frozenset(days), hour, minute)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("send me a digest every weekday at 9", _every(WEEKDAYS, 9)),
        ("Send me a digest every weekday at 9.", _every(WEEKDAYS, 9)),
        ("send me a digest every weekday at 9 please", _every(WEEKDAYS, 9)),
        ("please send me a digest on weekdays at 9am", _every(WEEKDAYS, 9)),
        ("daily digest at 8:30", _every(EVERY_DAY, 8, 30)),
        ("daily digest at 8.30", _every(EVERY_DAY, 8, 30)),
        ("daily digest", _every(EVERY_DAY, 9)),
        ("send me a daily digest", _every(EVERY_DAY, 9)),
        ("digest on Mondays at 9am", _every({0}, 9)),
        ("digest every Monday at 9 a.m.", _every({0}, 9)),
        ("send me a weekly digest on Friday at 4pm", _every({4}, 16)),
        ("weekly digest", _every({0}, 9)),
        ("digest every monday and thursday at 7:45", _every({0, 3}, 7, 45)),
        ("digest on Monday, Wednesday and Friday at 08:00", _every({0, 2, 4}, 8)),
        ("digest monday to friday at 08:30", _every(WEEKDAYS, 8, 30)),
        ("I want a digest mon-fri at 8", _every(WEEKDAYS, 8)),
        ("digest at 9 every weekday", _every(WEEKDAYS, 9)),
        ("digest at 17:00", _every(WEEKDAYS, 17)),
        ("digest at 5", _every(WEEKDAYS, 5)),  # 24-hour; the answer says 05:00
        ("digest every day at 5 in the afternoon", _every(EVERY_DAY, 17)),
        ("digest every day at 12am", _every(EVERY_DAY, 0)),
        ("send me the digest on weekdays at noon", _every(WEEKDAYS, 12)),
        ("can you send me a digest every morning at 8?", _every(EVERY_DAY, 8)),
        ("email me a digest every business day at 7", _every(WEEKDAYS, 7)),
        ("turn on the digest", _every(WEEKDAYS, 9)),
        ("enable the daily digest at 6:15", _every(EVERY_DAY, 6, 15)),
        ("digest every friday to monday at 9", _every({4, 5, 6, 0}, 9)),
        ("stop the digest", StopDigest()),
        ("Stop the digest.", StopDigest()),
        ("stop my daily digest", StopDigest()),
        ("stop the digest please", StopDigest()),
        ("turn off the digest", StopDigest()),
        ("turn the digest off", StopDigest()),
        ("digest off", StopDigest()),
        ("no more digests", StopDigest()),
        ("please stop sending me digests thanks", StopDigest()),
        ("unsubscribe from the digest", StopDigest()),
        ("I don't want the digest anymore", StopDigest()),
    ],
)
def test_digest_phrasings(text: str, expected: Command) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text",
    ["send me a digest", "send me the digest", "give me a digest please"],
)
def test_a_digest_without_a_schedule_is_asked_about(text: str) -> None:
    command = parse(text)
    assert isinstance(command, ParseFailure)
    assert command.message == messages.DIGEST_WHEN
    assert parse(command.suggestion or "") == _every(WEEKDAYS, 9)


@pytest.mark.parametrize(
    "text", ["digest at 25", "daily digest at 9:75", "digest every day at 13pm"]
)
def test_an_impossible_time_is_refused_with_the_reason(text: str) -> None:
    assert parse(text) == ParseFailure(messages.DIGEST_TIME)


# Real company names made of the digest's words: always read as the referral's name.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("show Daily Digest Ltd", ShowReferral(by_name("Daily Digest Ltd"))),
        ("show Reader's Digest", ShowReferral(by_name("Reader's Digest"))),
        ("Reader's Digest status", ShowReferral(by_name("Reader's Digest"))),
        ("show Weekday Digest Media", ShowReferral(by_name("Weekday Digest Media"))),
        ("show Monday Brewing Co", ShowReferral(by_name("Monday Brewing Co"))),
        ("show the Morning Digest deal", ShowReferral(by_name("Morning Digest"))),
        ("details of Digest Partners at Nine", ShowReferral(by_name("Digest Partners at Nine"))),
    ],
)
def test_names_with_digest_words_are_shown(text: str, expected: Command) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("mark Daily Digest Ltd won", "Daily Digest Ltd"),
        ("set the value of Reader's Digest to 10k", "Reader's Digest"),
        ("push the close date of Weekly Digest Group to next Friday", "Weekly Digest Group"),
        ("mark Stop Digest Inc lost", "Stop Digest Inc"),
    ],
)
def test_changes_to_referrals_named_like_a_digest_stay_changes(text: str, name: str) -> None:
    command = parse(text)
    assert isinstance(command, UpdateReferral), command
    assert command.ref == by_name(name)


@pytest.mark.parametrize("text", ["Daily Digest Ltd", "digest 12", "digest Contoso"])
def test_a_digest_word_without_a_schedule_is_no_digest_command(text: str) -> None:
    assert not isinstance(parse(text), SetDigest | StopDigest)


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("send me a digset every weekday at 9", "send me a digest every weekday at 9"),
        ("stop the digets", "stop the digest"),
        ("dialy digest at 8", "daily digest at 8"),
    ],
)
def test_a_mistyped_digest_command_is_offered_its_correction(text: str, suggestion: str) -> None:
    command = parse(text)
    assert isinstance(command, ParseFailure)
    assert command.suggestion == suggestion
