"""Logging for the bot process, with a filter that keeps credentials out of every log line.

Redacted wherever they appear in a formatted message: Authorization header values, bearer
tokens, anything shaped like a JWT, OAuth form fields (`assertion`, `client_secret`,
`refresh_token`, `access_token`, `id_token`, `password`) in form or JSON spelling, and
personal data (e-mail addresses, `+`-prefixed phone numbers). The filter
runs on handlers, so third-party loggers (botbuilder, msal, aiohttp) are covered too.
"""

from __future__ import annotations

import logging
import re
import sys

REDACTED = "[redacted]"
_SECRET_FIELDS = (
    r"assertion|client_secret|client_assertion|refresh_token|access_token|id_token"
    r"|app_?password|password|secret"
)
_PATTERNS = (
    # Authorization: Bearer x / "Authorization": "Basic x" / authorization=x
    re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)(?:bearer\s+|basic\s+)?[^\s\"',;]+"),
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9\-._~+/]+=*"),
    re.compile(rf"(?i)((?:{_SECRET_FIELDS})[\"']?\s*[:=]\s*[\"']?)[^\s\"'&,;}}]+"),
    re.compile(r"()eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"),
    # Personal data a library may echo from a referral or a token: e-mails, phone numbers.
    # (the lookbehind starts a match only at a run's start: linear time on long words)
    re.compile(r"()(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"),
    re.compile(r"()\+\d[\d ()./-]{6,}\d"),
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def redact(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(rf"\g<1>{REDACTED}", text)
    return text


def safe_field(value: object, limit: int = 200) -> str:
    """An activity field fit for a log line: no control characters (no forged lines), bounded."""
    text = _CONTROL.sub("?", str(value))
    return text if len(text) <= limit else text[:limit] + "…"


class RedactingFilter(logging.Filter):
    """Formats the message once, redacts it, and keeps the result (arguments are dropped)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = redact(record.getMessage())
        record.msg, record.args = message, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def configure_logging(level: str = "INFO") -> None:
    """One stderr handler on the root logger, with the redaction filter; called by __main__."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
