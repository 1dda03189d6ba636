"""The bot's replies over loopback: paced per conversation, sent again after 429/5xx, once.

The bot's waits are skipped, not spent (tests/support/skipped_time.py): times are read on the
clock the bot paces and retries on, and the waits it asked for are asserted.
"""

from __future__ import annotations

from tests.outbound.faulty_connector import Fault, FaultyConnector
from tests.support.bot import BotUnderTest
from tests.support.skipped_time import SkippedTime

SLACK = 0.02  # scheduling noise on a shared machine, never in the limits' favour


def most_within(times: list[float], seconds: float) -> int:
    """The most requests that arrived inside any window [t, t + seconds)."""
    return max(sum(1 for t in times if start <= t < start + seconds) for start in times)


async def test_a_429_with_retry_after_is_sent_again_after_it_and_delivered_once(
    bot: BotUnderTest, connector: FaultyConnector, skipped: SkippedTime
) -> None:
    connector.faults.append(Fault(429, retry_after="1"))

    sent = await bot.say("hello")

    assert [activity.text for activity in sent] == ["echo: hello"]
    first, second = connector.posts()
    assert (first.status, second.status) == (429, 200)
    assert first.text == second.text == "echo: hello"
    assert second.at - first.at >= 1.0
    assert skipped.sleeps == [1.0]  # exactly Retry-After, once


async def test_a_429_without_retry_after_backs_off_and_is_delivered_once(
    bot: BotUnderTest, connector: FaultyConnector, skipped: SkippedTime
) -> None:
    connector.faults.append(Fault(429))

    sent = await bot.say("hello")

    assert [activity.text for activity in sent] == ["echo: hello"]
    first, second = connector.posts()
    assert 0.5 - SLACK <= second.at - first.at <= 1.5  # 0.5 s, plus up to 0.5 s of jitter
    [backoff] = skipped.sleeps
    assert 0.5 <= backoff <= 1.0


async def test_a_burst_of_ten_replies_keeps_within_seven_per_second_and_eight_per_two(
    bot: BotUnderTest, connector: FaultyConnector
) -> None:
    sent = await bot.say("burst 10")

    assert [activity.text for activity in sent] == [f"reply {n}" for n in range(1, 11)]
    times = [request.at for request in connector.posts()]
    assert most_within(times, 1.0) == 7
    assert most_within(times, 2.0) == 8
    assert times[7] - times[0] >= 1.0  # the 8th waited for the 1 s window
    assert times[8] - times[0] >= 2.0  # the 9th for the 2 s window


async def test_a_403_is_not_sent_again(bot: BotUnderTest, connector: FaultyConnector) -> None:
    connector.faults.append(Fault(403))

    sent = await bot.say("hello")

    refused = [request for request in connector.posts() if request.text == "echo: hello"]
    assert [request.status for request in refused] == [403]
    assert [activity.text for activity in sent if "echo" in activity.text] == []
    assert any("Sorry" in activity.text for activity in sent)  # the turn failed visibly


async def test_an_update_refused_with_429_is_put_again_and_applied_once(
    bot: BotUnderTest, connector: FaultyConnector
) -> None:
    connector.faults.append(Fault(429, method="PUT"))  # msrest alone never retries this one

    sent = await bot.say("update")

    puts = [request for request in connector.seen if request.method == "PUT"]
    assert [(request.status, request.text) for request in puts] == [
        (429, "version 2"),
        (200, "version 2"),
    ]
    assert [activity.text for activity in sent] == ["version 1", "version 2"]


async def test_an_invoke_is_answered_at_once_while_the_conversation_is_being_paced(
    bot: BotUnderTest, connector: FaultyConnector, skipped: SkippedTime
) -> None:
    await bot.say("burst 8")  # 7 at once, the 8th 1 s later: the 8-per-2-s window is full

    started = skipped.monotonic()
    answer = await bot.click("test.verb", {"n": 1})
    invoke_seconds = skipped.monotonic() - started
    started = skipped.monotonic()
    await bot.say("after")
    reply_seconds = skipped.monotonic() - started

    assert answer.status == 200
    assert answer.body["statusCode"] == 200
    assert invoke_seconds < 0.3
    assert reply_seconds >= 0.5  # a reply in that conversation would have waited
