"""Scheduled work (reminders, digests, card expiry) on one instance at a time, by a lease.

Every `tick` each instance tries to take (or renew) the "scheduler" lease in the state backend;
only the holder runs the registered jobs, so several instances run each job on one of them. A
holder that dies stops renewing, its lease runs out after `ttl`, and the next instance to tick
takes over. Jobs keep all their progress in the state backend (the outbox, the recipients), so a
restart or a takeover loses nothing and repeats nothing: a job runs "what is due now", never "what
is due since my last run". The lease is renewed before each job, and a holder that lost it
(a job outlasted the ttl) stops before the next job; the outbox's claims keep even that overlap
from sending anything twice.

Another module adds work with `scheduler.register(job)`: any object with a `name` and an
`async run(now)`. `Every(job, interval)` runs a costly job less often than every tick.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from bot.domain.proactive import Leases

logger = logging.getLogger(__name__)

LEASE_NAME = "scheduler"
Clock = Callable[[], datetime]  # an aware UTC datetime
Sleep = Callable[[float], Awaitable[None]]


class Job(Protocol):
    """Work the scheduler runs each tick on the lease holder. `run` does what is due at `now`
    (aware, UTC) and keeps its progress in the state backend; raising only logs."""

    @property
    def name(self) -> str:
        """Unique among the jobs; names the job in logs (a class attribute is enough)."""
        ...

    async def run(self, now: datetime) -> None: ...


@dataclass
class Every:
    """Runs `job` at most once per `interval` on this instance (a takeover runs it at once:
    a job is idempotent, so that costs work, never a repeat)."""

    job: Job
    interval: timedelta
    _last: datetime | None = field(default=None, init=False)

    @property
    def name(self) -> str:
        return self.job.name

    async def run(self, now: datetime) -> None:
        if self._last is not None and now - self._last < self.interval:
            return
        self._last = now  # before the run: a failing job waits its interval too
        await self.job.run(now)


class Scheduler:
    """One per app (bot.alerts.wiring builds it); `running()` starts and stops its loop."""

    def __init__(
        self,
        leases: Leases,
        *,
        owner: str,
        tick: timedelta,
        ttl: timedelta,
        clock: Clock,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if ttl <= tick:
            raise ValueError("the lease must outlive a tick, or it lapses between renewals")
        self._leases = leases
        self._owner = owner
        self._tick = tick
        self._ttl = ttl
        self._clock = clock
        self._sleep = sleep
        self._jobs: dict[str, Job] = {}

    @property
    def owner(self) -> str:
        return self._owner

    @property
    def jobs(self) -> tuple[Job, ...]:
        return tuple(self._jobs.values())

    def register(self, job: Job) -> None:
        """Run `job` from the next tick on; names are unique (they name the job in logs)."""
        if job.name in self._jobs:
            raise ValueError(f"a job named {job.name!r} is registered already")
        self._jobs[job.name] = job

    async def tick(self) -> bool:
        """One round: take or renew the lease, then run each job while it is held. False when
        another instance holds the lease (nothing ran)."""
        if not await self._hold():
            return False
        for job in self.jobs:
            if not await self._hold():
                logger.warning("alerts.scheduler.lease_lost before_job=%s", job.name)
                return True
            try:
                await job.run(self._clock())
            except Exception as error:  # one job's fault never stops the others
                logger.error(
                    "alerts.scheduler.job_failed job=%s error=%s",
                    job.name,
                    type(error).__name__,
                    exc_info=(type(error), error, error.__traceback__),
                )
        return True

    async def run_forever(self) -> None:
        """Sleep `tick`, tick, repeat (the first round a tick after start: an app that starts
        and stops at once, as tests do, never runs a job); a failing lease store is logged and
        tried next tick."""
        holding = False
        while True:
            await self._sleep(self._tick.total_seconds())
            try:
                ran = await self.tick()
            except Exception as error:
                logger.warning("alerts.scheduler.tick_failed error=%s", type(error).__name__)
                ran = False
            if ran != holding:
                holding = ran
                logger.info("alerts.scheduler.%s", "holding" if ran else "standing_by")

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """The loop runs inside; on exit it stops and the lease is released, so another
        instance takes over on its next tick instead of after the ttl."""
        task = asyncio.create_task(self.run_forever(), name="alerts.scheduler")
        try:
            yield
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            try:
                await self._leases.release(LEASE_NAME, owner=self._owner)
            except Exception as error:  # it expires by itself
                logger.warning("alerts.scheduler.release_failed error=%s", type(error).__name__)

    async def _hold(self) -> bool:
        return await self._leases.acquire(
            LEASE_NAME, owner=self._owner, now=self._clock(), ttl=self._ttl
        )
