"""Capture every log record of a flow at DEBUG and scan it for credentials and personal data."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

from bot.emulator.config import DEMO_BOT_APP_SECRET
from bot.logging import RedactingFilter
from tests.logscan.conftest import PHONE_NUMBERS
from tests.support.emulators import USERS

EMULATOR_LOGGERS = ("bot.emulator",)  # Microsoft's side in production: not the bot's logs


def leak_patterns() -> dict[str, re.Pattern[str]]:
    literal = {
        "demo client secret": DEMO_BOT_APP_SECRET,
        "bot password": "bot-password",
        **{f"e-mail {user.upn}": user.upn for user in USERS},
        **{f"phone {phone}": phone for phone in PHONE_NUMBERS},
    }
    patterns = {name: re.compile(re.escape(text), re.I) for name, text in literal.items()}
    patterns["jwt"] = re.compile(r"eyJ[\w-]+\.[\w-]+\.")
    patterns["bearer"] = re.compile(r"Bearer (?!\[redacted\])", re.I)
    patterns["authorization header"] = re.compile(
        r"authorization['\"]?\s*[:=]\s*+['\"]?+(?!\[redacted)", re.I
    )
    return patterns


class CapturedLog(logging.Handler):
    """A root handler with the production redaction filter: keeps what would be written."""

    def __init__(self, *, redacting: bool = True) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[tuple[str, str]] = []
        if redacting:
            self.addFilter(RedactingFilter())

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(EMULATOR_LOGGERS):
            return
        text = f"{record.getMessage()} {record.args or ''} {record.exc_text or ''}"
        self.texts.append((record.name, text))

    def hits(self) -> list[tuple[str, str, str]]:
        patterns = leak_patterns()
        return [
            (name, logger, text[:300])
            for logger, text in self.texts
            for name, pattern in patterns.items()
            if pattern.search(text)
        ]

    def line_count(self) -> int:
        return sum(text.count("\n") + 1 for _, text in self.texts)


@contextmanager
def debug_logging(*, redacting: bool = True) -> Iterator[CapturedLog]:
    """ROOT at DEBUG with the capturing handler; levels and handlers restored after."""
    root = logging.getLogger()
    captured, level = CapturedLog(redacting=redacting), root.level
    root.addHandler(captured)
    root.setLevel(logging.DEBUG)
    try:
        yield captured
    finally:
        root.removeHandler(captured)
        root.setLevel(level)
