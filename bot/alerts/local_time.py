"""The seller's calendar for scheduled work: which digest day is due, in their zone.

A digest is due on each of its weekdays at its local time in the seller's zone (zoneinfo, so a
DST change moves the instant, not the wall time). A wall time a DST change skips (02:30 on a
spring-forward night) falls in the hour after the gap; one that happens twice is the first.
Only the latest due day counts: after downtime one digest is sent, late, never one per missed day.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot.domain.proactive import DigestSchedule

WEEK = 7


def aware(moment: datetime | None) -> datetime | None:
    """An instant the index kept; one without a zone is UTC (as the index reads it)."""
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def moment(schedule: DigestSchedule, day: date, zone: tzinfo) -> datetime:
    """The instant of `day`'s digest (aware, in `zone`)."""
    return datetime.combine(day, time(schedule.hour, schedule.minute), tzinfo=zone)


def latest_due(schedule: DigestSchedule, now: datetime, zone: tzinfo) -> date | None:
    """The latest local day (a week back at most) whose digest moment is at or before `now`."""
    today = now.astimezone(zone).date()
    for back in range(WEEK + 1):
        day = today - timedelta(days=back)
        if day.weekday() in schedule.weekdays and moment(schedule, day, zone) <= now:
            return day
    return None


def next_due(schedule: DigestSchedule, now: datetime, zone: tzinfo) -> datetime | None:
    """The first digest moment after `now` (in `zone`); None for a schedule without days."""
    today = now.astimezone(zone).date()
    for ahead in range(WEEK + 1):
        day = today + timedelta(days=ahead)
        if day.weekday() in schedule.weekdays:
            at = moment(schedule, day, zone)
            if at > now:
                return at
    return None


def starting(schedule: DigestSchedule, now: datetime, zone: tzinfo) -> DigestSchedule:
    """A schedule set at `now`: its first digest is the next moment after `now` (a seller who
    opts in at 10:00 for "every day at 9" hears first tomorrow, not at once)."""
    return replace(schedule, last_sent_on=latest_due(schedule, now, zone))


def is_due(schedule: DigestSchedule, now: datetime, zone: tzinfo) -> date | None:
    """The day whose digest is owed at `now`: due and not yet sent (or skipped)."""
    day = latest_due(schedule, now, zone)
    if day is None or (schedule.last_sent_on is not None and schedule.last_sent_on >= day):
        return None
    return day
