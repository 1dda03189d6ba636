"""The scheduler runs each job on one instance at a time, hands over when the holder dies or
stops, and survives a failing job or lease store."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest

from bot.alerts.scheduler import LEASE_NAME, Every, Scheduler
from tests.support.alerts import FakeLeases, SharedTime

TICK = timedelta(seconds=60)
TTL = timedelta(seconds=180)


@dataclass
class Recorder:
    """A job that records which instance ran it, and when."""

    name: str
    runs: list[tuple[str, datetime]] = field(default_factory=list)
    owner: str = ""
    fails: bool = False

    async def run(self, now: datetime) -> None:
        self.runs.append((self.owner, now))
        if self.fails:
            raise RuntimeError("job broke")


def _instance(
    owner: str, leases: FakeLeases, time: SharedTime, *jobs: Recorder
) -> tuple[Scheduler, list[Recorder]]:
    scheduler = Scheduler(leases, owner=owner, tick=TICK, ttl=TTL, clock=time.now, sleep=time.sleep)
    copies = []
    for job in jobs:
        copy = Recorder(job.name, job.runs, owner, job.fails)  # one shared log per job name
        scheduler.register(copy)
        copies.append(copy)
    return scheduler, copies


async def test_two_instances_run_each_job_once_per_tick_on_one_of_them() -> None:
    leases, time = FakeLeases(), SharedTime()
    reminders, digests = Recorder("reminders"), Recorder("digests")
    first, _ = _instance("instance-a", leases, time, reminders, digests)
    second, _ = _instance("instance-b", leases, time, reminders, digests)

    for _ in range(10):
        ran = [await first.tick(), await second.tick()]
        assert ran.count(True) == 1
        time.advance(TICK)

    for job in (reminders, digests):
        assert len(job.runs) == 10
        assert len({moment for _, moment in job.runs}) == 10  # once per tick
        assert {owner for owner, _ in job.runs} == {"instance-a"}


async def test_a_dead_holder_is_taken_over_after_the_lease_runs_out() -> None:
    leases, time = FakeLeases(), SharedTime()
    job = Recorder("reminders")
    first, _ = _instance("instance-a", leases, time, job)
    second, _ = _instance("instance-b", leases, time, job)
    assert await first.tick()
    died_at = time.now()

    # instance-a stops ticking (killed): instance-b stands by until the ttl has passed
    waited = timedelta(0)
    while not await second.tick():
        time.advance(TICK)
        waited += TICK
    assert TTL <= waited < TTL + TICK
    assert job.runs[-1] == ("instance-b", died_at + waited)
    assert [owner for owner, _ in job.runs] == ["instance-a", "instance-b"]

    # back from the dead, instance-a finds the lease taken
    assert not await first.tick()


async def test_a_stopped_holder_releases_so_the_other_takes_over_on_its_next_tick() -> None:
    leases, time = FakeLeases(), SharedTime()
    job = Recorder("digests")
    first, _ = _instance("instance-a", leases, time, job)
    second, _ = _instance("instance-b", leases, time, job)

    async with first.running():
        await time.slept(2)  # the first round ran after the first sleep
        assert leases.holder(LEASE_NAME) == "instance-a"
        assert not await second.tick()
    assert leases.holder(LEASE_NAME) is None

    assert await second.tick()
    assert job.runs[-1][0] == "instance-b"


async def test_the_loop_sleeps_a_tick_between_rounds_and_renews_its_lease() -> None:
    leases, time = FakeLeases(), SharedTime()
    job = Recorder("reminders")
    scheduler, _ = _instance("instance-a", leases, time, job)
    started = time.now()

    async with scheduler.running():
        await time.slept(30)  # half an hour of skipped time

    assert set(time.sleeps) == {60.0}
    assert len(job.runs) >= 29
    assert [moment - started for _, moment in job.runs] == [
        TICK * n for n in range(1, len(job.runs) + 1)
    ]


async def test_a_failing_job_is_logged_and_the_others_still_run(
    caplog: pytest.LogCaptureFixture,
) -> None:
    leases, time = FakeLeases(), SharedTime()
    broken, healthy = Recorder("broken", fails=True), Recorder("healthy")
    scheduler, _ = _instance("instance-a", leases, time, broken, healthy)

    with caplog.at_level(logging.ERROR, logger="bot.alerts.scheduler"):
        assert await scheduler.tick()
        time.advance(TICK)
        assert await scheduler.tick()

    assert len(broken.runs) == 2
    assert len(healthy.runs) == 2
    failures = [r.getMessage() for r in caplog.records]
    assert failures == ["alerts.scheduler.job_failed job=broken error=RuntimeError"] * 2


async def test_a_holder_that_lost_its_lease_mid_round_stops_before_the_next_job() -> None:
    leases, time = FakeLeases(), SharedTime()
    second_job = Recorder("second")

    @dataclass
    class Slow:
        """Outlives the lease: another instance takes it meanwhile."""

        name: str = "slow"

        async def run(self, now: datetime) -> None:
            time.advance(TTL + TICK)
            assert await leases.acquire("scheduler", owner="instance-b", now=time.now(), ttl=TTL)

    scheduler = Scheduler(leases, owner="instance-a", tick=TICK, ttl=TTL, clock=time.now)
    scheduler.register(Slow())
    scheduler.register(second_job)

    assert await scheduler.tick()
    assert second_job.runs == []


async def test_a_failing_lease_store_skips_the_round_and_the_loop_goes_on() -> None:
    leases, time = FakeLeases(fail=True), SharedTime()
    job = Recorder("reminders")
    scheduler, _ = _instance("instance-a", leases, time, job)

    async with scheduler.running():
        await time.slept(3)
        assert job.runs == []
        leases.fail = False
        await time.slept(len(time.sleeps) + 2)  # a whole round after the store is back
    assert job.runs[0][0] == "instance-a"


def test_job_names_are_unique_and_the_lease_outlives_a_tick() -> None:
    leases, time = FakeLeases(), SharedTime()
    scheduler = Scheduler(leases, owner="a", tick=TICK, ttl=TTL, clock=time.now)
    scheduler.register(Recorder("reminders"))
    with pytest.raises(ValueError, match="reminders"):
        scheduler.register(Recorder("reminders"))
    with pytest.raises(ValueError, match="outlive"):
        Scheduler(leases, owner="a", tick=TICK, ttl=TICK, clock=time.now)


async def test_every_runs_a_job_once_per_interval_on_this_instance() -> None:
    job = Recorder("reminders")
    every = Every(job, timedelta(minutes=10))
    start = SharedTime().now()
    for minute in range(31):
        await every.run(start + timedelta(minutes=minute))
    assert every.name == "reminders"
    expected = [timedelta(minutes=minutes) for minutes in (0, 10, 20, 30)]
    assert [moment - start for _, moment in job.runs] == expected
