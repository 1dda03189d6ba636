"""DevSsoAssertions keeps a seller's lock only while a fetch for them runs or waits."""

from __future__ import annotations

import asyncio
import uuid

from emulators.server import RunningEmulators
from tests.sign_in.test_dev_sso_assertions import (
    Counted,
    FakeMonotonic,
    counted,
    make_assertions,
    running,
    turn,
)
from tests.support.activities import TeamsUser
from tests.support.emulators import OTHER_SELLER, SELLER

__all__ = ["counted", "running"]  # fixtures used here


async def test_locks_are_dropped_once_no_one_holds_or_waits(
    running: RunningEmulators, counted: Counted
) -> None:
    assertions = make_assertions(running, counted, FakeMonotonic())
    strangers = [TeamsUser(str(uuid.uuid4()), f"Stranger {n}") for n in range(40)]
    sellers = [TeamsUser.of(SELLER)] * 3 + [TeamsUser.of(OTHER_SELLER)] * 3 + strangers

    results = await asyncio.gather(*(assertions.assertion(turn(user)) for user in sellers))

    assert len(assertions._locks) == 0  # was one lock per seller ever seen
    known = [result for result in results[:6] if result is not None]
    assert len(known) == 6
    assert counted.requests == 2 + len(strangers)  # still one fetch per seller at a time
