"""Capture every log record of a flow at DEBUG and scan it for credentials and personal data."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

from bot.logging import LIBRARY_LOGGERS, RedactingFilter, configure_logging
from emulators.config import DEMO_BOT_APP_SECRET
from tests.support.emulators import USERS
from tests.support.seeds import PHONE_NUMBERS

EMULATOR_LOGGERS = ("emulators",)  # Microsoft's side in production: not the bot's logs


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
    return patterns | id_patterns()


def id_patterns() -> dict[str, re.Pattern[str]]:
    """A user's object id, as is (token cache keys) or as the hex in Teams ids (29:1<hex>,
    a:1<hex>), in any URL encoding; and a channel's thread id."""
    found: dict[str, re.Pattern[str]] = {}
    for user in USERS:
        found[f"object id of {user.upn}"] = re.compile(re.escape(user.oid), re.I)
        found[f"Teams id of {user.upn}"] = re.compile(user.oid.replace("-", ""), re.I)
    found["channel thread id"] = re.compile(r"19(?::|%3A|%253A)[\w-]+(?:@|%40|%2540)thread", re.I)
    return found


class CapturedLog(logging.Handler):
    """A root handler with the production redaction filter: keeps what would be written."""

    def __init__(self, *, redacting: bool = True, show_storage_ids: bool = False) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[tuple[str, str]] = []
        if redacting:
            self.addFilter(RedactingFilter(show_storage_ids=show_storage_ids))

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

    def of(self, prefix: str) -> list[str]:
        """The texts of loggers named `prefix` or below it."""
        return [text for name, text in self.texts if (name + ".").startswith(prefix + ".")]


@contextmanager
def debug_logging(
    *, redacting: bool = True, show_storage_ids: bool = False
) -> Iterator[CapturedLog]:
    """ROOT and every library at DEBUG with the capturing handler; levels and handlers
    restored after."""
    root = logging.getLogger()
    captured = CapturedLog(redacting=redacting, show_storage_ids=show_storage_ids)
    level = root.level
    libraries = _library_levels()
    root.addHandler(captured)
    root.setLevel(logging.DEBUG)
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield captured
    finally:
        root.removeHandler(captured)
        root.setLevel(level)
        _restore(libraries)


@contextmanager
def production_logging(level: str = "INFO") -> Iterator[CapturedLog]:
    """`configure_logging(level)` as `python -m bot` calls it, writing to the capturing
    handler instead of stderr; handlers and levels restored after."""
    root = logging.getLogger()
    handlers, root_level, libraries = root.handlers[:], root.level, _library_levels()
    captured = CapturedLog(redacting=False)  # configure_logging adds the production filter
    configure_logging(level, handler=captured)
    try:
        yield captured
    finally:
        root.handlers[:] = handlers
        root.setLevel(root_level)
        _restore(libraries)


def _library_levels() -> dict[str, int]:
    return {name: logging.getLogger(name).level for name in LIBRARY_LOGGERS}


def _restore(levels: dict[str, int]) -> None:
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
