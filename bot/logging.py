"""Logging for the bot process, with a filter that keeps credentials out of every log line.

Redacted wherever they appear in a formatted message: Authorization header values, bearer
tokens, anything shaped like a JWT, OAuth form fields (`assertion`, `client_secret`,
`refresh_token`, `access_token`, `id_token`, `password`) in form or JSON spelling, and
personal data (e-mail addresses, `+`-prefixed phone numbers). The filter
runs on handlers, so third-party loggers (botbuilder, msal, aiohttp) are covered too.

Storage lines carry no user or conversation ids: a store key (`msteams/conversations/<id>/
users/<id>/`, `token-cache/msal-obo/<tenant>/<user>`) keeps its kind and loses its ids, in
plain or percent-encoded (blob URL) spelling, wherever it appears; lines of the storage
loggers (`azure.*`, `bot.state.*`) also lose Teams ids (`29:…`, `a:…`, `19:…@thread…`).
`REFERRAL_BOT_LOG__SHOW_STORAGE_IDS=true` keeps them (a debugging switch, never production).
Third-party libraries log at WARNING (`REFERRAL_BOT_LOG__LIBRARY_LEVEL`): at INFO the Azure
SDK writes every storage call over a dozen lines.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sys
import uuid

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
_SLASH = r"(?:/|%2F|%252F)"  # a key's `/`, plain or percent-encoded once or twice (blob URLs)
_SEGMENT = r"[^/%\s'\"]+(?:%(?!2F|252F)[0-9A-Fa-f]{2}[^/%\s'\"]*)*"  # up to the next `/`
_STORE_KEYS = (  # (the key's literal word, the pattern): most lines hold no word, and skip all
    # <channel>/conversations/<conversation id>/users/<user id>/ (bot state)
    ("conversations", re.compile(rf"(?i)(conversations{_SLASH}){_SEGMENT}")),
    ("users", re.compile(rf"(?i)(users{_SLASH}){_SEGMENT}")),
    # token-cache/msal-obo/<tenant>/<user object id>
    ("msal-obo", re.compile(rf"(?i)(msal-obo{_SLASH}){_SEGMENT}(?:{_SLASH}{_SEGMENT})?")),
    # Teams SSO dedupe: <channel>/<conversation id>/<exchange id>
    (
        "msteams",
        re.compile(
            rf"(?i)(msteams{_SLASH})(?!conversations{_SLASH}){_SEGMENT}(?:{_SLASH}{_SEGMENT})?"
        ),
    ),
)
# Teams ids: users 29:…, personal chats a:…, channels and group chats 19:…@thread…, 8:orgid:…
_TEAMS_IDS = re.compile(r"(?i)((?<![\w%.])(?:29|a|19|8)(?::|%3A|%253A))[^\s'\"/;,)]+")
STORAGE_LOGGERS = ("azure", "bot.state")
LIBRARY_LOGGERS = ("azure", "msal", "urllib3", "aiohttp", "botbuilder", "botframework", "msrest")


def redact(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(rf"\g<1>{REDACTED}", text)
    return text


def redact_storage_ids(text: str, *, teams_ids: bool = True) -> str:
    """Store keys keep their kind (`token-cache/msal-obo/[redacted]`) and lose their ids.

    A pattern runs only on a line holding its key's word (casefolded, as the patterns'
    IGNORECASE matches): this filter sees every log line, and almost none holds a key."""
    folded = text.casefold()
    for word, pattern in _STORE_KEYS:
        if word in folded:
            text = pattern.sub(rf"\g<1>{REDACTED}", text)
    return _TEAMS_IDS.sub(rf"\g<1>{REDACTED}", text) if teams_ids else text


def safe_field(value: object, limit: int = 200) -> str:
    """An activity field fit for a log line: no control characters (no forged lines), bounded."""
    text = _CONTROL.sub("?", str(value))
    return text if len(text) <= limit else text[:limit] + "…"


class RedactingFilter(logging.Filter):
    """Formats the message once, redacts it, and keeps the result (arguments are dropped).
    `show_storage_ids=True` (the debugging switch) leaves store keys and Teams ids as they are."""

    def __init__(self, *, show_storage_ids: bool = False) -> None:
        super().__init__()
        self._show_storage_ids = show_storage_ids

    def filter(self, record: logging.LogRecord) -> bool:
        message = self._clean(record, record.getMessage())
        record.msg, record.args = message, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._clean(record, record.exc_text)
        return True

    def _clean(self, record: logging.LogRecord, text: str) -> str:
        text = redact(text)
        if self._show_storage_ids:
            return text
        return redact_storage_ids(text, teams_ids=record.name.startswith(STORAGE_LOGGERS))


def quiet_libraries(level: str = "WARNING") -> dict[str, int]:
    """Sets the third-party loggers to `level`; returns their previous levels (to restore)."""
    previous = {name: logging.getLogger(name).level for name in LIBRARY_LOGGERS}
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(level.upper())
    return previous


def configure_logging(
    level: str = "INFO",
    *,
    library_level: str = "WARNING",
    show_storage_ids: bool = False,
    handler: logging.Handler | None = None,
) -> None:
    """One handler (stderr unless given) on the root logger, with the redaction filter; called
    by __main__. Libraries log at `library_level` whatever the root level (REFERRAL_BOT_LOG__*)."""
    handler = handler or logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(RedactingFilter(show_storage_ids=show_storage_ids))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    quiet_libraries(library_level)


def id_ref(value: object) -> str:
    """A short, stable stand-in for an id no log may hold (a Teams conversation id is customer
    data: docs/reliability.md, Logs): one id always gives the same ref, so support can still
    group a conversation's lines, and `-` when there is no id."""
    text = str(value or "")
    if not text:
        return "-"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def new_correlation_id() -> str:
    """A short id a seller can quote and support can find in the log (never the activity id)."""
    return uuid.uuid4().hex[:12]
