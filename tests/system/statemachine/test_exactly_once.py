"""Issue 6 §2 as a state machine: a pending change is applied at most once, only by its proposer's
Confirm on the referral's current eTag, and never at the cost of another writer's field.

Drives the real `CardActions.dispatch` -> `ConfirmFlow` -> `PartnerCenterReferrals` ->
`ReferralsClient` against the real Referrals emulator over loopback, with the pending store on
each backend (the machine is `tests.system.statemachine.machine.ExactlyOnce`). Deterministic:
`derandomize` and no example database, so CI runs the same examples every time.
"""

from __future__ import annotations

import secrets
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from emulators.server import RunningEmulators
from tests.support.world import running_world
from tests.system.statemachine.machine import ExactlyOnce
from tests.system.statemachine.model import Said
from tests.system.statemachine.world import BACKENDS

pytestmark = pytest.mark.slow  # Hypothesis state machine over every backend, Azurite included


RUN = settings(
    max_examples=40,
    stateful_step_count=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.fixture(scope="module")
def running() -> Iterator[RunningEmulators]:
    with running_world() as emulators:
        yield emulators


# Each outcome must happen at least once, or the machine proved less than it claims.
# Blob Storage (Azurite) costs ~50 ms a step, so it runs a shorter series of the same examples.
EXAMPLES = {"memory": 40, "sqlite": 40, "blob": 12}
MUST_HIT = (
    *(f"expected:{kind}" for kind in Said if kind not in (Said.ALREADY_DONE, Said.IN_PROGRESS)),
    "confirm:saved",
    "duplicate:2:already_saved",
    "concurrent:saved",
    "dropped:saved",
    "another_writer",
    "sign_out",
    "token_expired",
    "clock+31",
    "landed",
    "saved_after_sign_in",
)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_pending_change_is_applied_exactly_once(
    backend: str, running: RunningEmulators, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    stats: Counter[str] = Counter()
    azurite = request.getfixturevalue("azurite") if backend == "blob" else None

    def machine() -> ExactlyOnce:
        db = tmp_path / f"{secrets.token_hex(6)}.db"
        return ExactlyOnce(running, backend, db, stats, azurite)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.0002)  # the emulator's thread holds the GIL 5 ms per switch otherwise
    try:
        run = settings(RUN, max_examples=EXAMPLES[backend])
        # Documented to take "anything which returns an instance" when called; the stub says type.
        run_state_machine_as_test(machine, settings=run)  # type: ignore[arg-type]
    finally:
        sys.setswitchinterval(interval)
    print(f"\n{backend}: " + ", ".join(f"{name}={n}" for name, n in sorted(stats.items())))
    missing = [name for name in MUST_HIT if stats[name] == 0]
    assert not missing, f"never exercised: {missing}"
