"""The app runs the scheduler with its jobs while it runs, unless scheduled work is disabled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiohttp.test_utils import TestServer

from bot.alerts.scheduler import LEASE_NAME
from bot.app import SCHEDULER, STATE_PARTS, create_app
from bot.settings import Settings
from tests.root.test_settings import AZURE_BOT, IDENTITY, environ
from tests.support.alert_fakes import FakeSender

TTL = timedelta(minutes=3)


class Noted:
    """A job another module registers with the running scheduler."""

    name = "card_expiry"

    def __init__(self) -> None:
        self.runs: list[datetime] = []

    async def run(self, now: datetime) -> None:
        self.runs.append(now)


def _settings(**variables: str) -> Settings:
    environ(**IDENTITY, **AZURE_BOT, REFERRAL_BOT_STATE__BACKEND="memory", **variables)
    return Settings(port=0)


async def test_the_scheduler_runs_with_the_app_and_takes_registered_jobs() -> None:
    app = create_app(_settings(), proactive_sender=FakeSender())
    server = TestServer(app, host="127.0.0.1", port=0)
    await server.start_server()
    try:
        scheduler = app[SCHEDULER]
        job = Noted()
        scheduler.register(job)
        assert [j.name for j in scheduler.jobs] == [
            "reminders",
            "digests",
            "confirm-expiry",
            "stranded_cards",
            "card_expiry",
        ]

        assert await scheduler.tick()
        assert len(job.runs) == 1
        assert job.runs[0].utcoffset() == timedelta(0)  # jobs get aware UTC instants
        leases = app[STATE_PARTS].leases
        probe = datetime.now(UTC)
        assert not await leases.acquire(LEASE_NAME, owner="other", now=probe, ttl=TTL)
    finally:
        await server.close()
    # stopped: the lease was released for the next instance (the state outlives the app here)
    assert await leases.acquire(LEASE_NAME, owner="other", now=probe, ttl=TTL)


async def test_no_scheduler_when_disabled() -> None:
    app = create_app(
        _settings(REFERRAL_BOT_SCHEDULE__ENABLED="false"), proactive_sender=FakeSender()
    )
    server = TestServer(app, host="127.0.0.1", port=0)
    await server.start_server()
    try:
        assert SCHEDULER not in app
    finally:
        await server.close()


async def test_without_a_sender_given_scheduled_cards_go_through_the_apps_own() -> None:
    app = create_app(_settings())
    server = TestServer(app, host="127.0.0.1", port=0)
    await server.start_server()
    try:
        assert SCHEDULER in app
        assert await app[SCHEDULER].tick()
    finally:
        await server.close()
