"""The sync engine (`bot.referrals.index_sync.ReferralIndexes`) against the strict emulator over
loopback: what each refresh costs in requests, what it shows after other writers, visibility,
caps and the coverage the dialogs turn into a note. Time is an injected clock, never a sleep.

The tenant: 250 referrals, one a minute from 1 January 2026 (so `updatedDateTime` orders them),
the seller on the team of 150 of them (2 pages), the other seller on the rest; an admin sees all
250 (3 pages of 100).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr

from bot.auth.errors import SignInReason
from bot.auth.errors import SignInRequiredError as AuthSignInRequiredError
from bot.auth.sealed_store import EncryptedByteStore, MemoryByteStore
from bot.background import BackgroundTasks
from bot.domain.assertion import UserAssertion
from bot.domain.errors import ReferralNotFoundError, ServiceUnavailableError
from bot.domain.list_kinds import ListKind
from bot.partner_center.client import ReferralsClient
from bot.partner_center.retry import RetryPolicy
from bot.referrals.index_sync import ReferralIndexes, seller_key
from bot.referrals.service import PartnerCenterReferrals
from bot.settings import IndexSettings, StateBackend, StateSettings
from bot.state.backends import open_state
from dialogs.replies import coverage_note
from emulators.server import RunningEmulators
from tests.support.emulator_controls import REFERRALS_PATH
from tests.support.emulators import ADMIN, OTHER_SELLER, SELLER
from tests.support.fixtures import emulators_fixture
from tests.support.partner_center import (
    EmulatorControl,
    FakeTokenProvider,
    assertion_for,
    make_settings,
)
from tests.support.referral_documents import member, seed_referral
from tests.support.world import make_client

TOTAL = 250
START = datetime(2026, 1, 1, tzinfo=UTC)
ADA = assertion_for(ADMIN)
SAM = assertion_for(SELLER)
NOW = datetime(2026, 3, 14, 10, 0, tzinfo=UTC)


def on_sams_team(number: int) -> bool:
    return number % 5 in (0, 1, 2)


def rid(number: int) -> str:
    return f"r{number:03d}"


def deal(number: int) -> str:
    return f"Project {number:03d}"


def tenant() -> list[dict[str, Any]]:
    return [
        seed_referral(
            rid(number),
            name=deal(number),
            customer=f"Client {number:03d}",
            team=[member(SELLER if on_sams_team(number) else OTHER_SELLER)],
            details={"dealValue": 1000 + number, "currency": "USD"},
            createdDateTime=(START + timedelta(minutes=number)).isoformat().replace("+00:00", "Z"),
        )
        for number in range(TOTAL)
    ]


SAMS = {rid(number) for number in range(TOTAL) if on_sams_team(number)}
running = emulators_fixture(tenant, scope="module", throttle_per_minute=100_000)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(session: aiohttp.ClientSession, running: RunningEmulators) -> ReferralsClient:
    return make_client(session, running)


@pytest.fixture
def control(session: aiohttp.ClientSession, running: RunningEmulators) -> EmulatorControl:
    return EmulatorControl(session, running)


def indexes_of(
    client: ReferralsClient,
    clock: Clock,
    *,
    store: MemoryByteStore | None = None,
    **limits: Any,
) -> ReferralIndexes:
    settings = IndexSettings(**({"refresh_seconds": 60.0} | limits))
    return ReferralIndexes(
        client, store or MemoryByteStore(), BackgroundTasks(), settings, clock=clock
    )


async def list_reads(control: EmulatorControl) -> list[dict[str, Any]]:
    """The collection GETs the emulator answered since the last clear (paging included)."""
    return [r for r in await control.requests("GET") if r["path"] == REFERRALS_PATH]


async def other_writer(
    client: ReferralsClient, control: EmulatorControl, number: int, ops: Sequence[dict[str, Any]]
) -> None:
    """An admin changes the referral outside the bot; their requests are not counted."""
    current = await client.get(rid(number), user=ADA)
    await client.patch(rid(number), ops, if_match=current.etag, user=ADA)
    await control.clear_requests()


def rename(name: str) -> list[dict[str, Any]]:
    return [{"op": "replace", "path": "/name", "value": name}]


async def found(indexes: ReferralIndexes, user: UserAssertion, text: str) -> list[str]:
    index, _ = await indexes.fresh(user)
    return [entry.id for entry in index.find(text, limit=5)]


# --- cost of a sync, freshness, other writers ----------------------------------------------------


async def test_a_cold_sync_reads_every_page_then_answers_without_requests_until_the_interval(
    client: ReferralsClient, control: EmulatorControl, clock: Clock
) -> None:
    indexes = indexes_of(client, clock)

    index, coverage = await indexes.fresh(ADA)

    reads = await list_reads(control)
    assert len(reads) == 3
    assert reads[0]["query"]["$orderby"] == "updatedDateTime desc"
    assert len(index) == TOTAL
    assert (coverage.searched, coverage.partial) == (TOTAL, False)
    await control.clear_requests()
    clock.now += 59
    assert await found(indexes, ADA, deal(7)) == [rid(7)]
    index, _ = await indexes.fresh(ADA)
    assert len(index.list(ListKind.MY_OPEN, NOW, limit=50)) == 50
    assert await list_reads(control) == []


async def test_a_warm_refresh_without_changes_costs_one_request(
    client: ReferralsClient, control: EmulatorControl, clock: Clock
) -> None:
    indexes = indexes_of(client, clock)
    await indexes.fresh(ADA)
    await control.clear_requests()
    clock.now += 61

    index, coverage = await indexes.fresh(ADA)

    assert len(await list_reads(control)) == 1
    assert (len(index), coverage.partial) == (TOTAL, False)
    await control.clear_requests()
    await indexes.fresh(ADA)  # refreshed just now: fresh again for the interval
    assert await list_reads(control) == []


async def test_a_rename_by_another_writer_is_found_by_its_new_name_after_one_refresh(
    client: ReferralsClient, control: EmulatorControl, clock: Clock
) -> None:
    indexes = indexes_of(client, clock)
    await indexes.fresh(ADA)
    await other_writer(client, control, 42, rename("Nebula upgrade"))

    assert await found(indexes, ADA, "Nebula") == []  # within the interval: the index as read
    clock.now += 61
    assert await found(indexes, ADA, "Nebula") == [rid(42)]
    assert await found(indexes, ADA, deal(42)) == []
    assert len(await list_reads(control)) == 1


async def test_the_bots_own_write_shows_at_once_and_hides_no_earlier_change_by_another(
    client: ReferralsClient, control: EmulatorControl, clock: Clock
) -> None:
    # No overlap: were the high-water mark moved by the bot's write, the earlier change by the
    # other writer would be older than it and never read.
    indexes = indexes_of(client, clock, overlap_seconds=0)
    service = PartnerCenterReferrals(indexes)
    await indexes.fresh(ADA)
    await other_writer(client, control, 10, rename("Orion by another writer"))
    current = await service.get(rid(20), user=ADA)

    await service.apply(rid(20), rename("Vega by the bot"), if_match=current.etag, user=ADA)

    assert await found(indexes, ADA, "Vega") == [rid(20)]  # at once, with no refresh
    assert await found(indexes, ADA, "Orion") == []
    assert await list_reads(control) == []
    clock.now += 61
    assert await found(indexes, ADA, "Orion") == [rid(10)]
    assert await found(indexes, ADA, "Vega") == [rid(20)]
    assert len(await list_reads(control)) == 1


# --- visibility ------------------------------------------------------------------------------


async def test_a_referral_user_indexes_exactly_the_referrals_whose_team_lists_them(
    client: ReferralsClient, control: EmulatorControl, clock: Clock
) -> None:
    indexes = indexes_of(client, clock)

    index, coverage = await indexes.fresh(SAM)

    assert {entry.id for entry in index.entries()} == SAMS
    assert (coverage.searched, coverage.partial) == (len(SAMS), False)
    assert len(await list_reads(control)) == 2
    hidden = next(number for number in range(TOTAL) if not on_sams_team(number))
    assert await found(indexes, SAM, deal(hidden)) == []


async def test_a_seller_taken_off_a_team_no_longer_finds_or_lists_it_after_one_refresh(
    client: ReferralsClient, control: EmulatorControl, clock: Clock
) -> None:
    indexes = indexes_of(client, clock)
    service = PartnerCenterReferrals(indexes)
    await indexes.fresh(SAM)
    newest_of_sams = max(number for number in range(TOTAL) if on_sams_team(number))
    gone = rid(newest_of_sams)
    listed = [r.id for r in await service.list(ListKind.MY_OPEN, user=SAM, now=NOW)]
    assert gone in listed
    other_team = [{"op": "replace", "path": "/team", "value": [member(OTHER_SELLER)]}]
    await other_writer(client, control, newest_of_sams, other_team)
    clock.now += 61

    assert await found(indexes, SAM, deal(newest_of_sams)) == []
    listed = [r.id for r in await service.list(ListKind.MY_OPEN, user=SAM, now=NOW)]
    assert gone not in listed
    index, coverage = await indexes.fresh(SAM)
    assert {entry.id for entry in index.entries()} == SAMS - {gone}
    assert coverage.searched == len(SAMS) - 1
    # the refresh (1) saw the count drop, so a full sync (2 pages) replaced the index
    assert len(await list_reads(control)) == 3


async def test_a_get_that_404s_removes_the_entry_at_once(
    client: ReferralsClient, control: EmulatorControl, clock: Clock
) -> None:
    indexes = indexes_of(client, clock)
    service = PartnerCenterReferrals(indexes)
    await indexes.fresh(SAM)
    other_team = [{"op": "replace", "path": "/team", "value": [member(OTHER_SELLER)]}]
    await other_writer(client, control, 0, other_team)
    assert await found(indexes, SAM, deal(0)) == [rid(0)]  # not refreshed yet

    with pytest.raises(ReferralNotFoundError):
        await service.get(rid(0), user=SAM)

    assert await found(indexes, SAM, deal(0)) == []
    assert await list_reads(control) == []


# --- caps ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limits", "kept", "pages"),
    [({"max_pages": 1}, 100, 1), ({"max_entries": 150}, 150, 2)],
    ids=["pages", "entries"],
)
async def test_a_capped_index_keeps_the_newest_and_says_how_many_it_searched(
    client: ReferralsClient,
    control: EmulatorControl,
    clock: Clock,
    limits: dict[str, Any],
    kept: int,
    pages: int,
) -> None:
    service = PartnerCenterReferrals(indexes_of(client, clock, **limits))

    newest = await service.find(deal(TOTAL - 1), user=ADA)
    oldest = await service.find(deal(0), user=ADA)

    assert [r.id for r in newest] == [rid(TOTAL - 1)]
    assert oldest == []
    coverage = service.coverage(user=ADA)
    assert coverage is not None
    assert (coverage.searched, coverage.complete) == (kept, False)
    assert coverage_note(coverage) == (
        f"I searched the {kept} most recently updated referrals you can see."
    )
    assert len(await list_reads(control)) == pages


async def test_a_complete_index_gets_no_note(
    client: ReferralsClient, control: EmulatorControl, clock: Clock
) -> None:
    service = PartnerCenterReferrals(indexes_of(client, clock))
    assert service.coverage(user=ADA) is None  # nothing searched yet

    await service.find(deal(1), user=ADA)

    assert coverage_note(service.coverage(user=ADA)) is None


# --- one sync at a time ----------------------------------------------------------------------


async def test_concurrent_turns_of_one_seller_share_one_sync(
    client: ReferralsClient, control: EmulatorControl, clock: Clock
) -> None:
    indexes = indexes_of(client, clock)

    answers = await asyncio.gather(*(indexes.fresh(ADA) for _ in range(5)))

    assert {len(index) for index, _ in answers} == {TOTAL}
    assert len(await list_reads(control)) == 3
    await control.clear_requests()
    clock.now += 61
    await asyncio.gather(*(indexes.fresh(ADA) for _ in range(5)))
    assert len(await list_reads(control)) == 1


class SilentWithoutCache:
    """A turn's assertion (an SSO token) gets a token; a silent one (the scheduler's, an
    alert's) finds none cached, once `release` is set."""

    def __init__(self, running: RunningEmulators) -> None:
        self._minted = FakeTokenProvider(running)
        self.waiting, self.release = asyncio.Event(), asyncio.Event()

    async def get_token(self, user: UserAssertion) -> str:
        if user.token:
            return await self._minted.get_token(user)
        self.waiting.set()
        await self.release.wait()
        raise AuthSignInRequiredError(SignInReason.INTERACTION, error="no_cached_token")


async def test_a_turn_that_joins_a_silent_refresh_without_a_cached_token_syncs_with_its_own(
    session: aiohttp.ClientSession, running: RunningEmulators, clock: Clock
) -> None:
    tokens = SilentWithoutCache(running)
    indexes = indexes_of(make_client(session, running, tokens), clock)
    scheduler = asyncio.create_task(indexes.fresh(UserAssertion.silent(SAM.tenant_id, SAM.user_id)))
    await tokens.waiting.wait()  # the silent refresh is under way …
    turn = asyncio.create_task(indexes.fresh(SAM))  # … when the seller's first turn comes
    for _ in range(5):
        await asyncio.sleep(0)
    tokens.release.set()

    with pytest.raises(AuthSignInRequiredError):
        await scheduler  # the silent caller is told: no cached token
    index, _ = await turn
    assert {entry.id for entry in index.entries()} == SAMS


async def test_two_sellers_have_indexes_of_their_own(
    client: ReferralsClient, control: EmulatorControl, clock: Clock
) -> None:
    indexes = indexes_of(client, clock)

    (admins, _), (sams, _) = await asyncio.gather(indexes.fresh(ADA), indexes.fresh(SAM))

    assert (len(admins), len(sams)) == (TOTAL, len(SAMS))
    assert seller_key(ADA) != seller_key(SAM)
    assert len(await list_reads(control)) == 3 + 2


# --- faults ----------------------------------------------------------------------------------

OTHER_TEAM = [{"op": "replace", "path": "/team", "value": [member(OTHER_SELLER)]}]


async def fail_list_reads_after(control: EmulatorControl, answered: int) -> None:
    """The collection GETs after the first `answered` fail with 500 (every retry too)."""
    if answered:
        await control.add_fault("latency", path=REFERRALS_PATH, seconds=0, times=answered)
    await control.add_fault("error", path=REFERRALS_PATH, status=500, times=-1)


async def clear_faults(session: aiohttp.ClientSession, running: RunningEmulators) -> None:
    async with session.delete(f"{running.referrals_base_url}/_emulator/faults") as answer:
        assert answer.status == 204


async def test_a_page_failing_mid_sync_leaves_the_previous_index_answering_marked_stale(
    session: aiohttp.ClientSession,
    running: RunningEmulators,
    client: ReferralsClient,
    control: EmulatorControl,
    clock: Clock,
) -> None:
    indexes = indexes_of(client, clock)
    service = PartnerCenterReferrals(indexes)
    await indexes.fresh(SAM)
    await other_writer(client, control, 0, OTHER_TEAM)  # the count drops: a full sync follows
    clock.now += 61
    # the refresh's page and the full sync's first page answer; its second page fails
    await fail_list_reads_after(control, answered=2)

    matches = await service.find(deal(5), user=SAM)

    assert [r.id for r in matches] == [rid(5)]  # on the second page of the previous index
    index, _ = await indexes.fresh(SAM)
    assert {entry.id for entry in index.entries()} == SAMS  # not the half-read full sync
    coverage = service.coverage(user=SAM)
    assert coverage is not None
    assert coverage.stale
    assert coverage_note(coverage) == (
        "Partner Center didn't answer just now, so this may be a little out of date."
    )
    await clear_faults(session, running)

    index, coverage = await indexes.fresh(SAM)  # a failed refresh is tried again at once

    assert {entry.id for entry in index.entries()} == SAMS - {rid(0)}
    assert not coverage.partial


async def test_with_no_previous_index_a_failed_sync_reaches_the_turn_as_a_service_error(
    client: ReferralsClient, control: EmulatorControl, clock: Clock
) -> None:
    service = PartnerCenterReferrals(indexes_of(client, clock))
    await fail_list_reads_after(control, answered=0)

    with pytest.raises(ServiceUnavailableError):
        await service.find("Project", user=SAM)
    with pytest.raises(ServiceUnavailableError):
        await service.list(ListKind.MY_OPEN, user=SAM, now=NOW)


class GatedSleep:
    """The retry policy's sleep: short backoffs pass, a Retry-After waits for the test."""

    def __init__(self) -> None:
        self.asked: list[float] = []
        self.gate = asyncio.Event()
        self.waiting = asyncio.Event()  # a Retry-After is being waited out

    async def __call__(self, seconds: float) -> None:
        self.asked.append(seconds)
        if seconds >= 1:
            self.waiting.set()
            await self.gate.wait()
        else:
            await asyncio.sleep(seconds)


async def test_a_429_during_the_first_sync_answers_from_the_pages_so_far_within_the_budget(
    session: aiohttp.ClientSession,
    running: RunningEmulators,
    control: EmulatorControl,
    clock: Clock,
) -> None:
    settings = make_settings(running, deadline_seconds=25.0)
    sleep = GatedSleep()
    policy = RetryPolicy.from_settings(settings, sleep=sleep, backoff_initial=0.01)
    client = ReferralsClient(session, settings, FakeTokenProvider(running), retry_policy=policy)
    background = BackgroundTasks()
    indexes = ReferralIndexes(
        client, MemoryByteStore(), background, IndexSettings(wait_seconds=0.2), clock=clock
    )
    await control.add_fault("latency", path=REFERRALS_PATH, seconds=0, times=1)
    await control.add_fault("throttle", path=REFERRALS_PATH, retry_after=7, times=1)

    started = asyncio.get_running_loop().time()
    index, coverage = await indexes.fresh(ADA)

    assert asyncio.get_running_loop().time() - started < 1.0  # not held for the Retry-After
    assert sleep.asked == [7.0]
    assert (len(index), coverage.loading) == (100, True)
    assert coverage_note(coverage) == (
        "I'm still loading your referrals from Partner Center: this covers the 100 loaded so "
        "far. Ask again in a moment for the rest."
    )
    assert [entry.id for entry in index.find(deal(TOTAL - 1))] == [rid(TOTAL - 1)]
    sleep.gate.set()
    await background.drain(grace_seconds=5)

    index, coverage = await indexes.fresh(ADA)
    assert (len(index), coverage.partial) == (TOTAL, False)
    statuses = [r["status"] for r in await list_reads(control)]
    assert statuses == [200, 429, 200, 200]


# --- persistence -----------------------------------------------------------------------------


async def test_a_second_instance_answers_from_the_stored_index_only_within_the_interval(
    client: ReferralsClient, control: EmulatorControl, clock: Clock
) -> None:
    store = MemoryByteStore()
    await indexes_of(client, clock, store=store).fresh(ADA)
    await control.clear_requests()
    clock.now += 30

    second = indexes_of(client, clock, store=store)  # a restart, or another instance
    assert await found(second, ADA, deal(3)) == [rid(3)]
    assert await list_reads(control) == []

    clock.now += 31  # the stored index is now older than the interval
    third = indexes_of(client, clock, store=store)
    assert await found(third, ADA, deal(3)) == [rid(3)]
    assert len(await list_reads(control)) == 1


async def test_forget_drops_the_index_from_memory_and_the_store(
    client: ReferralsClient, control: EmulatorControl, clock: Clock
) -> None:
    store = MemoryByteStore()
    indexes = indexes_of(client, clock, store=store)
    await indexes.fresh(ADA)
    await indexes.fresh(SAM)
    assert await store.load(seller_key(ADA)) is not None

    await indexes.forget(ADA.tenant_id, ADA.user_id)

    assert await store.load(seller_key(ADA)) is None
    assert indexes.coverage(ADA) is None
    assert await store.load(seller_key(SAM)) is not None  # only that seller's
    await control.clear_requests()
    await indexes.fresh(ADA)
    assert len(await list_reads(control)) == 3  # rebuilt from nothing


async def test_a_restart_of_the_sqlite_backend_keeps_the_sealed_index(
    tmp_path: Path, client: ReferralsClient, control: EmulatorControl, clock: Clock
) -> None:
    state = StateSettings(backend=StateBackend.SQLITE, sqlite_path=tmp_path / "state.sqlite3")
    key = SecretStr(Fernet.generate_key().decode())
    async with open_state(state, IndexSettings()) as parts:
        sealed = EncryptedByteStore(parts.referral_indexes, key, kind="referral_index")
        await ReferralIndexes(client, sealed, BackgroundTasks(), clock=clock).fresh(SAM)
        at_rest = await parts.referral_indexes.load(seller_key(SAM))
        assert at_rest is not None
        assert deal(0).encode() not in at_rest
    await control.clear_requests()

    async with open_state(state, IndexSettings()) as parts:
        sealed = EncryptedByteStore(parts.referral_indexes, key, kind="referral_index")
        restarted = ReferralIndexes(client, sealed, BackgroundTasks(), clock=clock)
        index, coverage = await restarted.fresh(SAM)

    assert {entry.id for entry in index.entries()} == SAMS
    assert not coverage.partial
    assert await list_reads(control) == []


async def test_signing_out_during_a_sync_leaves_nothing_stored_and_no_turn_hanging(
    session: aiohttp.ClientSession,
    running: RunningEmulators,
    control: EmulatorControl,
    clock: Clock,
) -> None:
    settings = make_settings(running, deadline_seconds=25.0)
    sleep = GatedSleep()  # never opened: the sync waits out its Retry-After until cancelled
    policy = RetryPolicy.from_settings(settings, sleep=sleep, backoff_initial=0.01)
    client = ReferralsClient(session, settings, FakeTokenProvider(running), retry_policy=policy)
    store, background = MemoryByteStore(), BackgroundTasks()
    indexes = ReferralIndexes(client, store, background, IndexSettings(wait_seconds=5), clock=clock)
    await control.add_fault("latency", path=REFERRALS_PATH, seconds=0, times=1)
    await control.add_fault("throttle", path=REFERRALS_PATH, retry_after=7, times=1)

    turn = asyncio.create_task(indexes.fresh(ADA))
    await sleep.waiting.wait()  # the first sync holds a page and waits out the Retry-After
    await indexes.forget(ADA.tenant_id, ADA.user_id)

    _, coverage = await asyncio.wait_for(turn, 1.0)  # answered, not cancelled with it
    assert coverage.loading
    assert await store.load(seller_key(ADA)) is None
    assert indexes.coverage(ADA) is None
    await background.drain(grace_seconds=1)


class CountingStore(MemoryByteStore):
    def __init__(self) -> None:
        super().__init__()
        self.saves = 0

    async def save(self, key: str, blob: bytes) -> None:
        self.saves += 1
        await super().save(key, blob)


async def test_a_refresh_that_finds_nothing_new_stores_nothing(
    client: ReferralsClient, control: EmulatorControl, clock: Clock
) -> None:
    """The overlap re-reads the newest entries on every refresh: unchanged, they cost no save
    (about 1 MB encoded and sealed at 10,000 referrals)."""
    store = CountingStore()
    indexes = indexes_of(client, clock, store=store)
    await indexes.fresh(ADA)
    assert store.saves == 1

    clock.now += 61
    await indexes.fresh(ADA)
    assert store.saves == 1

    await other_writer(client, control, 7, rename("Lyra by another writer"))
    clock.now += 61
    assert await found(indexes, ADA, "Lyra") == [rid(7)]
    assert store.saves == 2


async def test_the_bots_own_writes_are_not_read_again_on_every_refresh(
    client: ReferralsClient, control: EmulatorControl, clock: Clock
) -> None:
    """A refresh reads what the bot itself wrote (already in the index) once, then moves past
    it: otherwise every later refresh would read all of it again."""
    indexes = indexes_of(client, clock, overlap_seconds=0)
    service = PartnerCenterReferrals(indexes)
    await indexes.fresh(ADA)
    for number in range(101):  # more than a page of the bot's own writes
        current = await service.get(rid(number), user=ADA)
        await service.apply(
            rid(number), rename(f"Nova {number:03d}"), if_match=current.etag, user=ADA
        )
    await control.clear_requests()

    clock.now += 61
    await indexes.fresh(ADA)  # 2 pages: the 101 writes, nothing new to the index
    clock.now += 61
    await indexes.fresh(ADA)  # 1 page: it stops at the newest of them

    assert len(await list_reads(control)) == 3
    assert await found(indexes, ADA, "Nova 100") == [rid(100)]


class YieldingStore(MemoryByteStore):
    """Loads like a real backend: the event loop runs other turns while it reads."""

    async def load(self, key: str) -> bytes | None:
        await asyncio.sleep(0)
        return await super().load(key)


async def test_concurrent_first_turns_with_a_real_store_share_one_index_and_one_sync(
    client: ReferralsClient, control: EmulatorControl, clock: Clock
) -> None:
    indexes = indexes_of(client, clock, store=YieldingStore())

    answers = await asyncio.gather(*(indexes.fresh(ADA) for _ in range(5)))

    assert {len(index) for index, _ in answers} == {TOTAL}
    assert len({id(index) for index, _ in answers}) == 1
    assert len(await list_reads(control)) == 3
