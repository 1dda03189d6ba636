"""Emulators once for the package (reset per case), the bot per case with small client timeouts,
and the session's figure book: written to artifacts/reliability/faults.md and shown in the
terminal summary once every case ran (`-m "not slow"` leaves out the hangs: no table then)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from bot.settings import PartnerCenterSettings
from emulators.server import RunningEmulators
from tests.support.bot import BotUnderTest, demo_settings, running_bot
from tests.support.fixtures import emulators_fixture
from tests.support.seeds import contoso_referrals
from tests.support.skipped_time import SkippedTime
from tests.system.reliability.cases import CASES
from tests.system.reliability.figures import FigureBook

FIGURES = pytest.StashKey[FigureBook]()
ARTIFACT = "artifacts/reliability/faults.md"

running = emulators_fixture(contoso_referrals)


def client_settings(referrals_base_url: str) -> PartnerCenterSettings:
    """Small enough that the module stays fast; a hang is longer than one attempt."""
    return PartnerCenterSettings(
        base_url=f"{referrals_base_url}/v1.0/engagements",
        attempt_timeout_seconds=0.5,
        deadline_seconds=4.0,
        max_attempts=3,
        max_retry_after_seconds=2.0,
    )


def describe(settings: PartnerCenterSettings) -> str:
    return (
        f"attempt timeout {settings.attempt_timeout_seconds:g} s, deadline "
        f"{settings.deadline_seconds:g} s, {settings.max_attempts} attempts, Retry-After "
        f"honoured up to {settings.max_retry_after_seconds:g} s"
    )


@pytest.fixture
def skipped() -> SkippedTime:
    """The bot's Retry-After and backoff waits are skipped; the seconds in the table count them."""
    return SkippedTime()


@pytest.fixture
async def bot(fresh: RunningEmulators, skipped: SkippedTime) -> AsyncIterator[BotUnderTest]:
    settings = demo_settings(fresh, partner_center=client_settings(fresh.referrals_base_url))
    # The figures are about Partner Center faults: no "Saving…" answer in between (a click here
    # may take up to 2 × the 4 s deadline; tests/card_actions/deadline covers answering in time).
    async with running_bot(
        settings, answer_within=30.0, sleep=skipped.sleep, monotonic=skipped.monotonic
    ) as running_app:
        yield running_app


def complete(book: FigureBook) -> bool:
    """A row for every case: a part of the table is never written over the whole one."""
    return len(book.rows) == len(CASES)


@pytest.fixture(scope="session")
def figure_book(request: pytest.FixtureRequest) -> Iterator[FigureBook]:
    """Collects every case's row; the table is written once the session's cases are done."""
    book = FigureBook(describe(client_settings("http://127.0.0.1")))
    request.config.stash[FIGURES] = book
    yield book
    if complete(book):
        book.write(request.config.rootpath / ARTIFACT)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """`make test` shows the table docs/reliability.md quotes."""
    book = terminalreporter.config.stash.get(FIGURES, None)
    if book is None or not complete(book):
        return
    terminalreporter.write_sep("=", f"Partner Center faults, end to end ({ARTIFACT})")
    for line in book.markdown().splitlines():
        terminalreporter.write_line(line)
