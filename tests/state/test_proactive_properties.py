"""Properties of the outbox and the leases in every backend: any sequence of claims, sends,
gives-up and releases, by any owners at any times, answers exactly as a small model of the
rules does, and leaves the copies the model expects (Hypothesis; unique keys per example)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.proactive import ClaimResult
from tests.state.proactive_stores import LEASE, NOW, Twin, notification

OWNERS = ("o-1", "o-2", "o-3")
TIMES = tuple(NOW + timedelta(seconds=s) for s in (0, 30, 59, 60, 61, 119, 120, 500))
operations = st.lists(
    st.tuples(
        st.sampled_from(("claim", "sent", "gone", "release")),
        st.integers(0, 2),  # which key (keys 0 and 1 share a group)
        st.sampled_from(OWNERS),
        st.sampled_from(TIMES),
        st.booleans(),  # which instance
    ),
    max_size=14,
)
PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@dataclass
class Entry:
    state: str
    owner: str
    until: datetime
    activity_id: str | None = None


@dataclass
class Model:
    """The outbox's rules, written out once more, plainly."""

    entries: dict[int, Entry] = field(default_factory=dict)

    def claim(self, key: int, owner: str, now: datetime) -> ClaimResult:
        entry = self.entries.get(key)
        if entry is not None and entry.state != "claimed":
            return ClaimResult.DONE
        if entry is not None and now < entry.until:
            return ClaimResult.BUSY
        self.entries[key] = Entry("claimed", owner, now + LEASE)
        return ClaimResult.WON if entry is None else ClaimResult.TAKEN_OVER

    def end(self, operation: str, key: int, owner: str, activity_id: str) -> None:
        entry = self.entries.get(key)
        if entry is None or entry.state != "claimed" or entry.owner != owner:
            return
        if operation == "release":
            del self.entries[key]
        else:
            entry.state = operation
            entry.activity_id = activity_id if operation == "sent" else None

    def copies(self, keys: list[int]) -> list[tuple[int, str | None]]:
        return sorted(
            (key, entry.activity_id)
            for key, entry in self.entries.items()
            if key in keys and entry.state == "sent"
        )


@PROPERTY
@given(steps=operations)
async def test_the_outbox_answers_as_the_model(
    twin: Twin, steps: list[tuple[str, int, str, datetime, bool]]
) -> None:
    run = uuid.uuid4().hex[:8]  # the stores are kept between examples
    groups = {0: f"{run}:g-a", 1: f"{run}:g-a", 2: f"{run}:g-b"}
    model = Model()
    for number, (operation, key, owner, now, second) in enumerate(steps):
        store = (twin.b if second else twin.a).notifications
        name = f"{run}:k-{key}"
        activity_id = f"act-{number}"
        if operation == "claim":
            wanted = notification(name, groups[key])
            got = await store.claim(wanted, owner=owner, now=now, lease=LEASE)
            assert got is model.claim(key, owner, now)
            continue
        if operation == "sent":
            await store.sent(name, owner=owner, activity_id=activity_id, now=now)
        elif operation == "gone":
            await store.gone(name, owner=owner)
        else:
            await store.release(name, owner=owner)
        model.end(operation, key, owner, activity_id)
    for keys, group in (([0, 1], f"{run}:g-a"), ([2], f"{run}:g-b")):
        copies = await twin.a.notifications.copies(group)
        found = [(int(entry.key.rsplit("-", 1)[1]), entry.activity_id) for entry in copies]
        assert found == model.copies(keys)


@PROPERTY
@given(
    steps=st.lists(
        st.tuples(
            st.booleans(),  # acquire or release
            st.sampled_from(OWNERS),
            st.sampled_from(TIMES),
            st.booleans(),  # which instance
        ),
        max_size=14,
    )
)
async def test_a_lease_has_one_owner_at_a_time(
    twin: Twin, steps: list[tuple[bool, str, datetime, bool]]
) -> None:
    name = f"job-{uuid.uuid4().hex[:8]}"
    holder: tuple[str, datetime] | None = None  # the model: owner and until
    for acquire, owner, now, second in steps:
        leases = (twin.b if second else twin.a).leases
        if not acquire:
            await leases.release(name, owner=owner)
            if holder is not None and holder[0] == owner:
                holder = None
            continue
        expected = holder is None or holder[0] == owner or now >= holder[1]
        assert await leases.acquire(name, owner=owner, now=now, ttl=LEASE) is expected
        if expected:
            holder = (owner, now + LEASE)
