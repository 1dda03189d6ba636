"""REFERRAL_BOT_LOG__*: libraries quiet by default, a named debug switch for storage ids,
and `python -m bot` passes both to configure_logging."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import pytest
from pydantic import ValidationError

from bot import __main__ as entry
from bot.logging import LIBRARY_LOGGERS, RedactingFilter
from bot.settings import Settings

REQUIRED = {
    "REFERRAL_BOT_IDENTITY__CLIENT_ID": "bot-app",
    "REFERRAL_BOT_IDENTITY__CLIENT_SECRET": "s3cret",
    "MicrosoftAppId": "azure-app",
    "MicrosoftAppPassword": "azure-pw",
}


@pytest.fixture
def root_restored() -> Iterator[logging.Logger]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    libraries = {name: logging.getLogger(name).level for name in LIBRARY_LOGGERS}
    try:
        yield root
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        for name, old in libraries.items():
            logging.getLogger(name).setLevel(old)


def test_by_default_libraries_log_warnings_and_storage_ids_are_hidden() -> None:
    os.environ.update(REQUIRED)

    settings = Settings()

    assert settings.log.library_level == "WARNING"
    assert settings.log.show_storage_ids is False


def test_the_switches_are_read_from_the_environment() -> None:
    os.environ.update(
        REQUIRED, REFERRAL_BOT_LOG__LIBRARY_LEVEL="debug", REFERRAL_BOT_LOG__SHOW_STORAGE_IDS="true"
    )

    settings = Settings()

    assert settings.log.library_level == "DEBUG"
    assert settings.log.show_storage_ids is True


@pytest.mark.parametrize("raw", ["LOUD", "yes"])
def test_a_misspelt_value_is_refused(raw: str) -> None:
    os.environ.update(
        REQUIRED, REFERRAL_BOT_LOG__LIBRARY_LEVEL=raw if raw == "LOUD" else "INFO",
        REFERRAL_BOT_LOG__SHOW_STORAGE_IDS=raw if raw == "yes" else "false",
    )  # fmt: skip

    with pytest.raises(ValidationError):
        Settings()


def test_main_configures_root_level_library_level_and_the_switch(
    root_restored: logging.Logger, monkeypatch: pytest.MonkeyPatch
) -> None:
    os.environ.update(
        REQUIRED, REFERRAL_BOT_LOG_LEVEL="DEBUG", REFERRAL_BOT_LOG__SHOW_STORAGE_IDS="true"
    )
    monkeypatch.setattr("bot.__main__.asyncio.run", lambda coroutine: coroutine.close())

    entry.main()

    assert root_restored.level == logging.DEBUG
    assert {logging.getLogger(name).level for name in LIBRARY_LOGGERS} == {logging.WARNING}
    [handler] = root_restored.handlers
    [redacting] = [f for f in handler.filters if isinstance(f, RedactingFilter)]
    record = logging.LogRecord("azure.x", logging.INFO, __file__, 1, "GET %s", ("29:1abc",), None)
    redacting.filter(record)
    assert record.getMessage() == "GET 29:1abc"  # the switch is on: ids kept
