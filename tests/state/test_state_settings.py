"""State settings: SQLite is the default, blob refuses to start without its connection string."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from bot.settings import Settings, StateBackend, StateSettings

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {
    "REFERRAL_BOT_IDENTITY__CLIENT_ID": "bot-app",
    "REFERRAL_BOT_IDENTITY__CLIENT_SECRET": "s3cret",
    "MicrosoftAppId": "azure-app",
    "MicrosoftAppPassword": "azure-pw",
}
CONNECTION = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0LWtleQ=="


def test_the_default_backend_is_sqlite_in_build_state() -> None:
    os.environ.update(REQUIRED)

    state = Settings().state

    assert state.backend is StateBackend.SQLITE
    assert state.sqlite_path == Path("build/state/referral-bot.sqlite3")


def test_blob_without_a_connection_string_names_the_variable() -> None:
    os.environ.update(REQUIRED, REFERRAL_BOT_STATE__BACKEND="blob")

    with pytest.raises(ValidationError) as error:
        Settings()

    assert "REFERRAL_BOT_STATE__BLOB_CONNECTION_STRING" in str(error.value)


def test_blob_with_a_connection_string_starts_and_hides_it() -> None:
    os.environ.update(
        REQUIRED,
        REFERRAL_BOT_STATE__BACKEND="blob",
        REFERRAL_BOT_STATE__BLOB_CONNECTION_STRING=CONNECTION,
    )

    settings = Settings()

    assert settings.state.backend is StateBackend.BLOB
    assert settings.state.blob_container == "referral-bot-state"
    assert settings.state.blob_connection_string.get_secret_value() == CONNECTION
    assert "c2VjcmV0LWtleQ" not in repr(settings)


@pytest.mark.slow  # starts python -m bot in a subprocess
def test_python_m_bot_refuses_blob_without_a_connection_string() -> None:
    env = {**os.environ, **REQUIRED, "REFERRAL_BOT_STATE__BACKEND": "blob"}

    done = subprocess.run(
        [sys.executable, "-m", "bot"], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip

    assert done.returncode == 2
    assert "REFERRAL_BOT_STATE__BLOB_CONNECTION_STRING" in done.stderr


def test_each_backend_describes_where_state_lives_without_its_secret() -> None:
    sqlite = StateSettings(sqlite_path=Path("/data/bot.sqlite3"))
    blob = StateSettings(
        backend=StateBackend.BLOB,
        blob_connection_string=SecretStr("AccountKey=s3cr3t"),
        blob_container="referrals",
    )

    assert sqlite.describe() == "SQLite /data/bot.sqlite3 (a restart keeps unconfirmed changes)"
    assert blob.describe() == "Azure Blob Storage, container referrals"
    assert "s3cr3t" not in blob.describe()
    assert "lost" in StateSettings(backend=StateBackend.MEMORY).describe()
