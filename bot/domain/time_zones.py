"""A seller's time zone from its IANA name: the one reading the turns, the cards and the jobs share.

Teams sends the name (`localTimezone`, clientInfo's `timezone`); it is stored with the seller for
lead alerts and digests. A name that is not a zone ("Mars/Olympus_Mons", a folder such as
"America", a path, 300 characters) is unknown, never an error: zoneinfo raises KeyError,
ValueError or OSError for those, and a turn or a job must not fail on what a client sent.
"""

from __future__ import annotations

from datetime import UTC, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def known_zone(name: str | None) -> ZoneInfo | None:
    """The zone `name` names; None when it names none."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "America", too long
        return None


def zone_or_utc(name: str | None) -> tzinfo:
    """The zone `name` names; UTC when it names none (nothing better is known)."""
    return known_zone(name) or UTC
