"""No user or conversation id in a storage log line (issue 13, D6): store keys keep their kind and
lose their ids, in plain and blob-URL spelling; storage loggers also lose Teams ids."""

from __future__ import annotations

import logging

import pytest

from bot.logging import LIBRARY_LOGGERS, REDACTED, RedactingFilter, configure_logging

OID = "91e7edeb-6975-5cc3-bf30-7f15665330ce"
TENANT = "7a1d0c2e-0000-4000-8000-000000000001"
HEX = OID.replace("-", "")
CHANNEL = "19:sales@thread.tacv2;messageid=1700000000000"
BLOB_URL = "http://127.0.0.1:1/devstoreaccount1/state-1/"


def _logged(name: str, message: str, *, show_storage_ids: bool = False) -> str:
    record = logging.LogRecord(name, logging.INFO, __file__, 1, "%s", (message,), None)
    RedactingFilter(show_storage_ids=show_storage_ids).filter(record)
    return record.getMessage()


@pytest.mark.parametrize(
    ("name", "line", "kept"),
    [
        (
            "azure.core.pipeline.policies.http_logging_policy",
            f"Request URL: '{BLOB_URL}token-cache%252Fmsal-obo%252F{TENANT}%252F{OID}'",
            "token-cache%252Fmsal-obo%252F",
        ),
        (
            "azure.core.pipeline.policies.http_logging_policy",
            f"Request URL: '{BLOB_URL}msteams%252Fconversations%252Fa%253A1{HEX}"
            f"%252Fusers%252F29%253A1{HEX}%252F'",
            "msteams%252Fconversations%252F",
        ),
        (
            "bot.inbound.turn_errors",  # a store's conflict, in another logger's traceback
            f"Etag conflict: 'msteams/conversations/{CHANNEL}/users/29:1{HEX}/' was changed",
            "msteams/conversations/",
        ),
        (
            "bot.state.blob_storage",
            f"storage key 'token-cache/msal-obo/{TENANT}/{OID}",
            "msal-obo/",
        ),
        ("bot.state.saves", f"seller 29:1{HEX} in a:1{HEX} and {CHANNEL}", "seller 29:"),
        ("azure.storage", f"msteams/a:1{HEX}/exchange-1 (Teams SSO dedupe)", "msteams/"),
    ],
)
def test_storage_lines_keep_the_kind_of_key_and_lose_the_ids(
    name: str, line: str, kept: str
) -> None:
    cleaned = _logged(name, line)

    assert HEX not in cleaned
    assert OID not in cleaned
    assert "sales@thread" not in cleaned
    assert kept in cleaned
    assert REDACTED in cleaned


def test_what_helps_support_stays() -> None:
    line = (
        "Response status: 412 x-ms-request-id: '2a2d87f3-f0bc-40e6-b89e-60cddb27d24b' seen%252Fab"
    )

    assert _logged("azure.core", line) == line


def test_teams_ids_outside_storage_lines_are_left_to_their_loggers() -> None:
    line = f"turn.failed conversation=a:1{HEX}"

    assert _logged("bot.inbound.turn_errors", line) == line


def test_the_debug_switch_keeps_everything() -> None:
    line = f"Request URL: '{BLOB_URL}token-cache%252Fmsal-obo%252F{TENANT}%252F{OID}'"

    assert _logged("azure.core", line, show_storage_ids=True) == line


def test_libraries_stay_at_warning_when_the_root_logs_debug() -> None:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    previous = {name: logging.getLogger(name).level for name in LIBRARY_LOGGERS}
    try:
        configure_logging("DEBUG")
        assert root.level == logging.DEBUG
        assert not logging.getLogger("azure.core.pipeline.policies").isEnabledFor(logging.INFO)
        assert not logging.getLogger("aiohttp.access").isEnabledFor(logging.INFO)
        assert logging.getLogger("azure").isEnabledFor(logging.WARNING)
        assert logging.getLogger("bot.app").isEnabledFor(logging.DEBUG)
        configure_logging("INFO", library_level="DEBUG")
        assert logging.getLogger("msal").isEnabledFor(logging.DEBUG)
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        for name, old in previous.items():
            logging.getLogger(name).setLevel(old)
