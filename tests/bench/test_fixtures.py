"""The bench names the bot's state backend explicitly, with the variables the bot really reads."""

from __future__ import annotations

import os
from pathlib import Path

from bench.fixtures import sqlite_file, state_environment
from bot.settings import Settings, StateBackend

CREDENTIALS = {
    "REFERRAL_BOT_BOT__APP_ID": "app",
    "REFERRAL_BOT_BOT__APP_PASSWORD": "secret",
    "REFERRAL_BOT_IDENTITY__CLIENT_ID": "client",
    "REFERRAL_BOT_IDENTITY__CLIENT_SECRET": "secret",
}


def _settings_with(env: dict[str, str]) -> Settings:
    os.environ.update({**CREDENTIALS, **env})  # the autouse clean_environ fixture restores it
    return Settings()


def test_sqlite_lives_in_the_given_folder(tmp_path: Path) -> None:
    state = _settings_with(state_environment(StateBackend.SQLITE, tmp_path)).state
    assert state.backend is StateBackend.SQLITE
    assert state.sqlite_path == sqlite_file(tmp_path)
    assert sqlite_file(tmp_path).parent == tmp_path


def test_memory_is_named_too(tmp_path: Path) -> None:
    state = _settings_with(state_environment(StateBackend.MEMORY, tmp_path)).state
    assert state.backend is StateBackend.MEMORY
