"""DevSsoAssertions: the seller's SSO token from the identity emulator, cached until near expiry."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from types import SimpleNamespace
from typing import Any

import aiohttp
import jwt
import pytest
from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter

from bot.domain.errors import ServiceUnavailableError
from bot.sign_in.dev_sso import DevSsoAssertions
from emulators.config import DEMO_BOT_APP_ID
from emulators.server import RunningEmulators
from tests.support.activities import TeamsUser, make_message
from tests.support.emulators import SELLER, running_emulators


class Counted:
    """An aiohttp session that counts the requests it sends."""

    def __init__(self) -> None:
        self.requests = 0
        trace = aiohttp.TraceConfig()
        trace.on_request_start.append(self._count)
        self.session = aiohttp.ClientSession(trace_configs=[trace])

    async def _count(self, *_: Any) -> None:
        self.requests += 1


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def running() -> Iterator[RunningEmulators]:
    with running_emulators() as emulators:
        yield emulators


@pytest.fixture
async def counted() -> AsyncIterator[Counted]:
    counter = Counted()
    async with counter.session:
        yield counter


def make_assertions(
    running: RunningEmulators, counted: Counted, clock: FakeMonotonic
) -> DevSsoAssertions:
    return DevSsoAssertions(
        counted.session,
        identity_url=running.identity_base_url,
        client_id=DEMO_BOT_APP_ID,
        ca_file=running.ca_file,
        monotonic=clock,
    )


def turn(user: Any = SELLER, **changes: Any) -> TurnContext:
    activity = make_message("hi", user=user)
    for name, value in changes.items():
        setattr(activity, name, value)
    return TurnContext(TestAdapter(), activity)


async def test_assertion_is_the_activity_users_sso_token_for_the_bot_app(
    running: RunningEmulators, counted: Counted
) -> None:
    assertions = make_assertions(running, counted, FakeMonotonic())

    user = await assertions.assertion(turn())

    assert user is not None
    assert (user.tenant_id, user.user_id) == (SELLER.tenant_id, SELLER.oid)
    claims = jwt.decode(user.token, options={"verify_signature": False})
    assert claims["oid"] == SELLER.oid
    assert claims["aud"] == DEMO_BOT_APP_ID
    assert user.token not in repr(user)


async def test_token_is_cached_until_shortly_before_it_expires(
    running: RunningEmulators, counted: Counted
) -> None:
    clock = FakeMonotonic()
    assertions = make_assertions(running, counted, clock)

    first = await assertions.assertion(turn())
    clock.now += 3600 - 301  # still more than the 5-minute margin left
    second = await assertions.assertion(turn())
    clock.now += 2
    third = await assertions.assertion(turn())

    assert third is not None
    assert first is not None
    assert second is not None
    assert second.token == first.token
    assert counted.requests == 2


async def test_concurrent_turns_of_one_seller_share_one_request(
    running: RunningEmulators, counted: Counted
) -> None:
    assertions = make_assertions(running, counted, FakeMonotonic())

    results = await asyncio.gather(*(assertions.assertion(turn()) for _ in range(5)))

    assert all(result is not None for result in results)
    assert counted.requests == 1


async def test_activity_without_aad_object_id_has_no_assertion(
    running: RunningEmulators, counted: Counted
) -> None:
    assertions = make_assertions(running, counted, FakeMonotonic())
    anonymous = SimpleNamespace(id="29:anonymous", name="Someone", aad_object_id=None)

    assert await assertions.assertion(turn(from_property=anonymous)) is None
    assert counted.requests == 0


async def test_user_the_directory_does_not_know_has_no_assertion(
    running: RunningEmulators, counted: Counted
) -> None:
    assertions = make_assertions(running, counted, FakeMonotonic())
    stranger = TeamsUser(aad_object_id="00000000-0000-0000-0000-00000000dead", name="Stranger")

    assert await assertions.assertion(turn(user=stranger)) is None


async def test_unreachable_identity_service_is_a_service_error(counted: Counted) -> None:
    assertions = DevSsoAssertions(
        counted.session, identity_url="https://127.0.0.1:9", client_id="x", ca_file=None
    )

    with pytest.raises(ServiceUnavailableError) as error:
        await assertions.assertion(turn())

    assert "try again" in error.value.user_message
