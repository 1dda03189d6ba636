"""The scanner finds planted leaks, and the production filter removes every one of them."""

from __future__ import annotations

import logging

from emulators.config import DEMO_BOT_APP_SECRET
from tests.system.logscan.scan import debug_logging

JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
PLANTED = [
    ("request headers %s", ({"Authorization": f"Bearer {JWT}"},)),
    ("token %s", (JWT,)),
    ("form client_secret=%s&x=1", (DEMO_BOT_APP_SECRET,)),
    ("member %s", ({"email": "seller@contoso.example", "phoneNumber": "+1 425 555 0100"},)),
    ("Authorization: Basic %s", ("dXNlcjpwYXNz",)),
]


def _plant() -> None:
    log = logging.getLogger("some.library")
    for message, args in PLANTED:
        log.debug(message, *args)
    try:
        raise ValueError(f"bad token {JWT} for seller@contoso.example")
    except ValueError:
        log.exception("failed")


def test_without_the_filter_the_scanner_finds_every_planted_leak() -> None:
    with debug_logging(redacting=False) as log:
        _plant()

    found = {name for name, _, _ in log.hits()}
    assert {"jwt", "bearer", "demo client secret", "e-mail seller@contoso.example"} <= found
    assert {"phone +1 425 555 0100", "authorization header"} <= found


def test_with_the_filter_nothing_planted_survives() -> None:
    with debug_logging() as log:
        _plant()

    assert len(log.texts) == len(PLANTED) + 1
    assert log.hits() == []
