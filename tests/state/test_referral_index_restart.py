"""Sellers' referral indexes outlive a restart of the SQLite backend, and one unused for the
configured time is gone before the first turn after it (`open_state`, `open_sqlite_state`)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr, ValidationError

from bot.auth.sealed_store import EncryptedByteStore
from bot.settings import (
    BotSettings,
    IdentitySettings,
    IndexSettings,
    Settings,
    StateBackend,
    StateSettings,
)
from bot.state.backends import open_state
from bot.state.referral_indexes import IndexAges, MemoryReferralIndexes
from bot.state.sqlite_db import SqliteDatabase
from bot.state.sqlite_referral_indexes import SqliteReferralIndexes
from bot.state.sqlite_state import open_sqlite_state

DAY = 24 * 3600.0
KEY = SecretStr(Fernet.generate_key().decode())
ALICE, BOB = "tenant-1/oid-alice", "tenant-1/oid-bob"


async def test_a_sealed_index_survives_reopening_the_file(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    async with open_sqlite_state(path) as first:
        await EncryptedByteStore(first.referral_indexes, KEY).save(ALICE, b"alice's index")

    async with open_sqlite_state(path) as reopened:
        sealed = EncryptedByteStore(reopened.referral_indexes, KEY)
        assert await sealed.load(ALICE) == b"alice's index"
        assert await sealed.load(BOB) is None


async def test_opening_the_file_deletes_indexes_unused_for_the_configured_days(
    tmp_path: Path,
) -> None:
    path = tmp_path / "state.sqlite3"
    database = await SqliteDatabase.open(path)
    try:
        written = [time.time() - 8 * DAY]  # as if the bot last ran 8 days ago
        indexes = SqliteReferralIndexes(database, clock=lambda: written[0])
        await indexes.save(ALICE, b"unused for 8 days")
        written[0] = time.time() - 6 * DAY
        await indexes.save(BOB, b"unused for 6 days")
    finally:
        await database.aclose()
    state = StateSettings(backend=StateBackend.SQLITE, sqlite_path=path)

    async with open_state(state, IndexSettings(unused_days=7)):
        assert await stored_rows(path) == 1  # before any turn read or wrote one

    async with open_state(state, IndexSettings(unused_days=7)) as parts:
        assert await parts.referral_indexes.load(ALICE) is None
        assert await parts.referral_indexes.load(BOB) == b"unused for 6 days"


async def stored_rows(path: Path) -> int:
    database = await SqliteDatabase.open(path)
    try:
        sql = "SELECT COUNT(*) FROM referral_indexes"
        count: int = (await database.run(lambda c: c.execute(sql).fetchone()))[0]
        return count
    finally:
        await database.aclose()


async def test_the_unused_days_setting_reaches_every_backend(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFERRAL_BOT_INDEX__UNUSED_DAYS", "12")
    settings = Settings(
        identity=IdentitySettings(client_id="c", client_secret=SecretStr("s")),
        bot=BotSettings(app_id="a", app_password=SecretStr("p")),
    )
    ages = IndexAges.from_settings(settings.index)
    assert ages.unused_after == 12 * DAY

    async with open_state(StateSettings(backend=StateBackend.MEMORY), settings.index) as memory:
        assert isinstance(memory.referral_indexes, MemoryReferralIndexes)
        assert memory.referral_indexes.ages == ages
    sqlite = StateSettings(backend=StateBackend.SQLITE, sqlite_path=tmp_path / "s.sqlite3")
    async with open_state(sqlite, settings.index) as parts:
        assert isinstance(parts.referral_indexes, SqliteReferralIndexes)
        assert parts.referral_indexes.ages == ages


def test_the_unused_days_default_to_30_and_refuse_zero() -> None:
    assert IndexSettings().unused_days == 30
    with pytest.raises(ValidationError, match="unused_days"):
        IndexSettings(unused_days=0)
