"""Property: any activity-shaped JSON (or any bytes) posted to /api/messages gets 2xx/4xx.

The bot runs in demo mode on its own loop thread (tests/system/fuzz/live.py); hypothesis mutates
Teams-shaped messages and invokes field by field with arbitrary JSON values.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulators.server import RunningEmulators
from tests.support.activities import TeamsConversation, card_invoke_payload, message_payload
from tests.support.bot import demo_settings
from tests.system.fuzz.hostile import rss_bytes
from tests.system.fuzz.live import LiveBot, bot_in_thread

pytestmark = pytest.mark.slow  # fuzzing: Hypothesis and hostile tables against the served bot

FIELDS = (
    "type", "id", "from", "conversation", "recipient", "entities", "value", "name", "text",
    "channelData", "attachments", "replyToId", "timestamp", "locale", "channelId", "serviceUrl",
)  # fmt: skip
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
BASES = st.sampled_from(("message", "invoke"))
VERBS = st.sampled_from(("confirm", "cancel", "x", ""))


@st.composite
def activities(draw: st.DrawFn) -> dict[str, Any]:
    """A real-looking message or card invoke with a few fields replaced or removed."""
    if draw(BASES) == "message":
        base = message_payload(draw(st.text(max_size=60) | st.just("mark 123 won")))
    else:
        data = draw(st.dictionaries(st.sampled_from(("pendingId", "x")), JSON_VALUES, max_size=2))
        base = card_invoke_payload(draw(VERBS), data)
    changed = draw(st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, max_size=3))
    removed = draw(st.sets(st.sampled_from(FIELDS), max_size=2))
    return {k: v for k, v in {**base, **changed}.items() if k not in removed}


BODIES = activities().map(lambda a: json.dumps(a).encode()) | st.binary(max_size=256)


@pytest.fixture(scope="module")
def live(running: RunningEmulators) -> Iterator[LiveBot]:
    with bot_in_thread(demo_settings(running)) as bot:
        yield bot


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=BODIES)
def test_any_activity_gets_a_2xx_or_4xx(live: LiveBot, body: bytes) -> None:
    status = live.post(body)

    assert 200 <= status < 500, (status, body[:300])


def test_after_the_fuzzing_the_bot_is_alive_and_memory_bounded(live: LiveBot) -> None:
    body = json.dumps(message_payload("show 123")).encode()
    live.post(body)
    before = rss_bytes()
    # one chat each: 300 replies into one chat would (rightly) be paced to Teams' 60 per 30 s
    chats = [
        TeamsConversation(id=f"fuzz-after-{n}", conversation_type="personal") for n in range(300)
    ]
    statuses = [
        live.post(json.dumps(message_payload(f"help {n}", conversation=chat)).encode())
        for n, chat in enumerate(chats)
    ]
    growth = rss_bytes() - before

    print(f"\n300 turns after fuzzing: RSS growth {growth / 1024 / 1024:.1f} MiB")
    assert max(statuses) < 500
    assert growth < 32 * 1024 * 1024
    assert live.healthy()
