"""OutboundRetry: 429 and transient 5xx are sent again (Retry-After first), nothing else is."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import cast

import pytest
import requests
from botbuilder.schema import Activity, ConversationAccount
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import MicrosoftAppCredentials
from msrest.exceptions import ClientRequestError, HttpOperationError
from msrest.serialization import Deserializer

from bot.outbound.pacing import (
    TEAMS_TENANT_LIMITS,
    ConversationPacer,
    OutboundRetry,
    OutboundSender,
    Window,
    retry_after_seconds,
    status_of,
)
from tests.outbound.fakes import FakeClock

NOW = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)


def failure(status: int, retry_after: str | None = None) -> HttpOperationError:
    """What the connector client raises for a non-2xx answer (msrest, requests underneath)."""
    response = requests.Response()
    response.status_code = status
    if retry_after is not None:
        response.headers["Retry-After"] = retry_after
    return HttpOperationError(cast(Deserializer, None), response)  # no body to deserialise


class Connector:
    """Answers from a script: an exception to raise or a value to return, one per call."""

    def __init__(self, *answers: BaseException | str) -> None:
        self.answers = list(answers)
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer


def policy(
    clock: FakeClock, *, max_retry_after: float = 30.0, deadline: float = 30.0
) -> OutboundRetry:
    return OutboundRetry(
        max_retry_after=max_retry_after, deadline=deadline, sleep=clock.sleep, clock=clock
    )


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("1", 1.0),
        (" 120 ", 120.0),
        ("Wed, 25 Nov 2026 12:00:03 GMT", 3.0),
        ("Wed, 25 Nov 2026 11:59:00 GMT", 0.0),  # already past: send now
        ("soon", None),
        ("-1", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_is_read_as_seconds_or_an_http_date(
    header: str | None, seconds: float | None
) -> None:
    assert retry_after_seconds(header, NOW) == seconds


def test_status_of_reads_the_response_and_is_none_without_one() -> None:
    assert status_of(failure(429)) == 429
    assert status_of(ClientRequestError("connection reset")) is None
    assert status_of(ValueError("x")) is None


async def test_a_429_with_retry_after_is_sent_again_after_that_many_seconds() -> None:
    clock = FakeClock()
    connector = Connector(failure(429, "1"), "sent")

    assert await policy(clock).run(connector) == "sent"

    assert connector.calls == 2
    assert clock.sleeps == [1.0]


async def test_a_429_without_retry_after_backs_off_exponentially_with_jitter() -> None:
    clock = FakeClock()
    connector = Connector(failure(429), failure(429), failure(429), "sent")

    assert await policy(clock).run(connector) == "sent"

    first, second, third = clock.sleeps
    assert 0.5 <= first <= 1.0
    assert 1.0 <= second <= 1.5
    assert 2.0 <= third <= 2.5


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_a_transient_5xx_is_sent_again_at_most_four_times_in_all(status: int) -> None:
    clock = FakeClock()
    connector = Connector(*(failure(status) for _ in range(5)))

    with pytest.raises(HttpOperationError) as raised:
        await policy(clock).run(connector)

    assert status_of(raised.value) == status
    assert connector.calls == 4


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 412, 413, 501, 505])
async def test_other_failures_are_not_sent_again(status: int) -> None:
    clock = FakeClock()
    connector = Connector(failure(status), "sent")

    with pytest.raises(HttpOperationError):
        await policy(clock).run(connector)

    assert connector.calls == 1
    assert clock.sleeps == []


async def test_a_transport_failure_is_not_sent_again_since_it_may_have_landed() -> None:
    clock = FakeClock()
    connector = Connector(ClientRequestError("read timed out"), "sent")

    with pytest.raises(ClientRequestError):
        await policy(clock).run(connector)

    assert connector.calls == 1


async def test_a_success_is_never_sent_again() -> None:
    clock = FakeClock()
    connector = Connector("sent", "duplicate")

    assert await policy(clock).run(connector) == "sent"

    assert connector.calls == 1


async def test_a_retry_after_beyond_the_cap_is_not_waited_out() -> None:
    clock = FakeClock()
    connector = Connector(failure(429, "120"), "sent")

    with pytest.raises(HttpOperationError):
        await policy(clock, max_retry_after=30.0).run(connector)

    assert connector.calls == 1
    assert clock.sleeps == []


async def test_all_attempts_end_within_the_deadline() -> None:
    clock = FakeClock()
    connector = Connector(failure(429, "8"), failure(429, "8"), failure(429, "8"), "sent")

    with pytest.raises(HttpOperationError):
        await policy(clock, deadline=20.0).run(connector)

    assert clock.sleeps == [8.0, 8.0]  # a third 8 s wait would end past 20 s
    assert connector.calls == 3


async def test_each_attempt_is_paced_so_a_resend_counts_against_the_window() -> None:
    clock = FakeClock()
    pacer = ConversationPacer(clock=clock, sleep=clock.sleep, margin=0.0)
    sender = OutboundSender(pacer=pacer, retry=policy(clock))
    for _ in range(6):
        await sender.send("a:1", Connector("sent"))
    connector = Connector(failure(503, "0"), "sent")

    await sender.send("a:1", connector)  # the 7th send and its resend: the 8th operation

    assert connector.calls == 2
    assert clock.sleeps == [0.0, pytest.approx(1.0)]  # Retry-After 0, then the 7-per-1-s window


def test_attach_leaves_msrest_retrying_refused_connections_only_and_is_idempotent() -> None:
    client = ConnectorClient(MicrosoftAppCredentials("", ""), base_url="http://127.0.0.1:9/")
    stock = client.config.retry_policy()
    assert 503 in stock.status_forcelist  # msrest would PUT a 503 again in its worker thread
    sender = OutboundSender()

    sender.attach(client)
    wrapped = client.conversations
    sender.attach(client)

    assert client.conversations is wrapped
    policy = client.config.retry_policy()
    assert (policy.read, policy.connect) == (0, 3)  # a refused connection never reached Teams
    assert not policy.is_retry("PUT", 503, has_retry_after=True)
    assert not policy.is_retry("PUT", 429, has_retry_after=True)
    assert client.conversations.get_conversations is not None  # other operations pass through


async def test_sends_to_many_conversations_of_one_tenant_keep_within_its_limit() -> None:
    clock = FakeClock()
    pacer = ConversationPacer(clock=clock, sleep=clock.sleep, margin=0.0)
    tenants = ConversationPacer(TEAMS_TENANT_LIMITS, clock=clock, sleep=clock.sleep, margin=0.0)
    sender = OutboundSender(pacer=pacer, retry=policy(clock), tenants=tenants)
    start = clock.now
    times = []
    for number in range(51):  # one card each to 51 sellers of one tenant
        await sender.send(f"a:{number}", Connector("sent"), tenant_id="t-1")
        times.append(clock.now)

    other = await sender.send("a:elsewhere", Connector("sent"), tenant_id="t-2")

    assert times[:50] == [start] * 50
    assert times[50] == pytest.approx(start + 1.0)  # Teams' 50 per second per app and tenant
    assert other == "sent"
    assert clock.now == pytest.approx(start + 1.0)  # another tenant waited for nothing


async def test_a_reply_is_paced_by_the_tenant_its_activity_names() -> None:
    clock = FakeClock()
    tenants = ConversationPacer([Window(1, 60.0)], clock=clock, sleep=clock.sleep, margin=0.0)
    sender = OutboundSender(retry=policy(clock), tenants=tenants)
    inner = RecordingConversations()
    policy_of = SimpleNamespace(policy=SimpleNamespace())  # msrest's, as attach adjusts it
    client = SimpleNamespace(conversations=inner, config=SimpleNamespace(retry_policy=policy_of))
    sender.attach(client)

    for conversation, tenant in (("a:1", "t-1"), ("a:2", "t-2"), ("a:3", "t-1")):
        activity = Activity(conversation=ConversationAccount(id=conversation, tenant_id=tenant))
        await client.conversations.send_to_conversation(conversation, activity)

    assert inner.sent == ["a:1", "a:2", "a:3"]
    assert clock.sleeps == [pytest.approx(60.0)]  # only the second send to tenant t-1 waited


class RecordingConversations:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send_to_conversation(self, conversation_id: str, activity: Activity) -> str:
        self.sent.append(conversation_id)
        return "sent"
