"""What a seller's digest says, from their referral index (pure).

Three lists, each of the seller's own referrals (their e-mail on the team), each referral once:
- leads about to expire: New incoming leads whose expiry is within the look-ahead, soonest first;
- deals past their close date: open deals (not Closed, not a lead still waiting for an answer)
  whose close date is before the seller's today, longest overdue first;
- deals missing a value or a close date: the other open deals without one, most recently
  updated first.
A digest with all three empty is not sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.alerts.local_time import aware
from bot.cards.digest import DigestLine, DigestSection
from bot.cards.lead_reminder import expires_in
from bot.domain.formatting import format_date
from bot.domain.referral import Direction, Status
from bot.referrals.index_entry import IndexEntry

EXPIRING = "Leads about to expire"
OVERDUE = "Open deals past their close date"
INCOMPLETE = "Open deals without a value or close date"


@dataclass(frozen=True)
class DigestContent:
    expiring: tuple[IndexEntry, ...]
    overdue: tuple[IndexEntry, ...]
    incomplete: tuple[IndexEntry, ...]

    @property
    def empty(self) -> bool:
        return not (self.expiring or self.overdue or self.incomplete)


def digest_content(
    entries: Iterable[IndexEntry], *, now: datetime, look_ahead: timedelta
) -> DigestContent:
    """`now` in the seller's time zone (their today decides what is overdue)."""
    today = now.date()
    expiring: list[tuple[datetime, IndexEntry]] = []
    overdue: list[tuple[date, IndexEntry]] = []
    incomplete: list[IndexEntry] = []
    for entry in entries:
        if entry.status == Status.CLOSED:
            continue
        if entry.status == Status.NEW and entry.direction == Direction.INCOMING:
            expires = aware(entry.expiration_date_time)
            if expires is not None and now <= expires < now + look_ahead:
                expiring.append((expires, entry))
            continue
        closes = entry.closing_date_time  # a calendar date: compared as one, never shifted
        if closes is not None and closes.date() < today:
            overdue.append((closes.date(), entry))
        elif closes is None or entry.deal_value is None:
            incomplete.append(entry)
    incomplete.sort(key=_recent_first)
    return DigestContent(
        expiring=tuple(entry for _, entry in sorted(expiring, key=_by_moment)),
        overdue=tuple(
            entry for _, entry in sorted(overdue, key=lambda pair: (pair[0], pair[1].id))
        ),
        incomplete=tuple(incomplete),
    )


def digest_sections(content: DigestContent, *, now: datetime) -> tuple[DigestSection, ...]:
    """The card's sections, each line saying why it is there (`now` in the seller's zone)."""
    return (
        DigestSection(
            EXPIRING,
            tuple(
                DigestLine(entry.to_referral(), f"expires {_expiry(entry, now)}")
                for entry in content.expiring
            ),
            hint="new leads",
        ),
        DigestSection(
            OVERDUE,
            tuple(
                DigestLine(entry.to_referral(), f"was to close {_closing(entry)}")
                for entry in content.overdue
            ),
            hint="overdue deals",
        ),
        DigestSection(
            INCOMPLETE,
            tuple(DigestLine(entry.to_referral(), _missing(entry)) for entry in content.incomplete),
        ),
    )


def _expiry(entry: IndexEntry, now: datetime) -> str:
    expires = aware(entry.expiration_date_time)
    assert expires is not None  # only leads with an expiry are listed
    return expires_in(expires.astimezone(now.tzinfo), now)


def _closing(entry: IndexEntry) -> str:
    """The close date as the seller set it (a calendar date: never shifted into a zone)."""
    return format_date(entry.closing_date_time)


def _missing(entry: IndexEntry) -> str:
    if entry.deal_value is None and entry.closing_date_time is None:
        return "no deal value or close date"
    return "no deal value" if entry.deal_value is None else "no close date"


def _by_moment(pair: tuple[datetime, IndexEntry]) -> tuple[datetime, str]:
    return pair[0], pair[1].id


def _recent_first(entry: IndexEntry) -> tuple[bool, float, str]:
    updated = aware(entry.updated_date_time)
    return updated is None, -(updated.timestamp() if updated else 0.0), entry.id
