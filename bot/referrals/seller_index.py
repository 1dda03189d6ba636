"""One seller's referral index: find, "did you mean" and the lists, answered locally.

The index replaces server-side `contains(...)`, `ne` and date-range `$filter`s, which Partner
Center does not document (docs/referrals-api.md, "Not documented"), with the same meaning here:
- find: the CRM id exactly (ignoring case), or deal or customer names containing the text
  (casefolded, as the service's `contains` did); when nothing contains it, the text without
  filler words ("the Northwind lead" -> "Northwind"); ranked by `ranking` with its cutoff.
- lists: open (status not Closed) newest updated first; new leads (New, Incoming) oldest first;
  closing this month/quarter (open, close date in the seller's period) soonest first; ties by
  id ascending and nulls first ascending, last descending, as the service orders them.

Pure and synchronous; a sync engine fills it (`apply_full`, `apply_delta`) and one task at a time
owns it. Per-entry search keys (casefolded and rapidfuzz-processed names, instants as integer
microseconds) are computed once on insert; the sorted list views are rebuilt lazily after a change.
"""

from __future__ import annotations

import builtins
import logging
import sys
import zlib
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any, TypeVar

import orjson
from rapidfuzz import process, utils

from bot.domain.list_kinds import ListKind
from bot.domain.list_query import (
    DateField,
    ListQuery,
    ListStatus,
    ListTally,
    Order,
    Period,
    as_query,
    bounds,
    overdue_before,
)
from bot.domain.referral import Direction, Status, Substatus
from bot.referrals import queries, ranking
from bot.referrals.index_entry import IndexEntry, IndexMember

logger = logging.getLogger(__name__)
_T = TypeVar("_T")

SCHEMA_VERSION = 1
DEFAULT_MAX_ENTRIES = 20_000
SUGGESTION_POOL = 2_000  # the most recently updated referrals "did you mean" compares against
_MAX_RAW_BYTES = 256 * 1024 * 1024  # a stored blob never inflates beyond this
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


class _Unreadable(ValueError):
    """A stored blob this version cannot read (corrupt, truncated or another schema)."""


@dataclass(slots=True)
class _Keys:
    """What queries compare, precomputed once per entry."""

    name: str  # casefolded, "" when absent
    customer: str
    crm: str
    name_words: str | None  # rapidfuzz-processed, None when the name is absent or empty
    customer_words: str | None
    updated: int | None  # microseconds since the epoch
    created: int | None
    closing: int | None
    open: bool
    new_lead: bool
    state: int  # a bit per ListStatus the entry is in (_STATUS_BITS)
    value: float | None
    currency: str | None
    expiring: int | None
    country: str | None  # upper case
    stage: str | None  # casefolded
    team: tuple[IndexMember, ...]
    people: frozenset[str] | None = None  # `_people_of`: computed on the first member query


@dataclass(slots=True)
class _Views:
    """Sorted views over the entries, rebuilt after a change on the next query that needs one."""

    by_updated: builtins.list[IndexEntry]  # updated desc (nulls last), id asc
    open_by_updated: builtins.list[IndexEntry]
    new_leads: builtins.list[IndexEntry]  # created asc (nulls first), id asc
    closing: builtins.list[IndexEntry]  # open, with a close date: close asc, id asc
    closing_at: builtins.list[int]  # the close instants of `closing`, for bisection
    suggestions: tuple[int, builtins.list[str], builtins.list[str]] | None = None
    dated: tuple[builtins.list[int], builtins.list[str]] | None = None  # any status, by close


class SellerIndex:
    """The referrals one seller can see, as of the last sync; see the module docstring."""

    def __init__(self, *, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.max_entries = max_entries
        self._entries: dict[str, IndexEntry] = {}
        self._keys: dict[str, _Keys] = {}
        self._views: _Views | None = None
        self._expected = 0
        self.high_water: datetime | None = None
        self.synced_at: float | None = None
        self.visible_count: int | None = None
        self.complete = True
        self.stale = False

    # --- reading -------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, referral_id: object) -> bool:
        return referral_id in self._entries

    def entries(self) -> builtins.list[IndexEntry]:
        """Every entry, by id."""
        return [self._entries[key] for key in sorted(self._entries)]

    def by_id(self, referral_id: str) -> IndexEntry | None:
        return self._entries.get(referral_id)

    @property
    def expected_count(self) -> int:
        """How many referrals the service should report visible if nothing vanished."""
        return self._expected

    def needs_full_sync(self, visible_count: int) -> bool:
        """True when a refresh's `@odata.count` (read after `apply_delta`) disagrees with what
        the index accounts for: a referral became invisible (the seller left its team, or it was
        deleted), which a delta by `updatedDateTime` cannot show. Also true before any sync."""
        return self.synced_at is None or visible_count != self._expected

    def find(self, text: str, *, limit: int = 10) -> builtins.list[IndexEntry]:
        """`PartnerCenterReferrals.find` without the id lookup: best first, at most `limit`."""
        text = text.strip()
        if not text or limit < 1:
            return []
        hits = self._containing(text)
        core = queries.core_name(text)
        if not hits and core is not None:
            text, hits = core, self._containing(core)
        return self._rank(text, hits, limit)

    def suggest(
        self, text: str, *, limit: int = 3, pool: int = SUGGESTION_POOL
    ) -> builtins.list[str]:
        """Deal or customer names close to `text` among the `pool` most recently updated."""
        text = text.strip()
        if not text or limit < 1 or pool < 1:
            return []
        choices, names = self._suggestion_choices(pool)
        found = process.extract(
            utils.default_process(text),
            choices,
            scorer=ranking.SUGGEST_SCORER,
            processor=None,
            limit=None,
            score_cutoff=ranking.SUGGEST_CUTOFF,
        )
        found.sort(key=lambda hit: hit[2])  # the pool's order decides which spelling is kept
        return ranking.pick_names(((score, names[at]) for _, score, at in found), limit=limit)

    def list(
        self, wanted: ListKind | ListQuery, now: datetime, *, limit: int = 50
    ) -> builtins.list[IndexEntry]:
        """`now` in the seller's time zone (naive: UTC): weeks, months and quarters are theirs."""
        query = as_query(wanted)
        limit = query.limited(limit)
        if limit < 1:
            return []
        now = now if now.tzinfo else now.replace(tzinfo=UTC)
        views = self._views_now()
        if query.preset is ListKind.MY_OPEN and not query.top:
            return views.open_by_updated[:limit]
        if query.preset is ListKind.NEW_LEADS and not query.top:
            return views.new_leads[:limit]
        if query.preset is not None and not query.top:
            low, high = self._closing_range(query.preset, now, views)
            return views.closing[low : min(high, low + limit)]
        dated = query.overdue or (
            query.period is not None and query.period.field is DateField.CLOSE
        )
        if query.effective_order is Order.RECENTLY_UPDATED and not dated:
            return self._newest_matching(query, now, views, limit)
        keys = self._selected(query, now, views)
        ordered = _ordered(keys, self._keys, query.effective_order)
        return [self._entries[key] for key in ordered[:limit]]

    def _newest_matching(
        self, query: ListQuery, now: datetime, views: _Views, limit: int
    ) -> builtins.list[IndexEntry]:
        """The most recently updated order is a view already: read it until `limit` match."""
        accept = _matcher(query, *self._expiring_range(query, now))
        keys = self._keys
        found: builtins.list[IndexEntry] = []
        for entry in views.by_updated:
            if accept(keys[entry.id]):
                found.append(entry)
                if len(found) >= limit:
                    break
        return found

    def count(self, wanted: ListKind | ListQuery, now: datetime) -> int:
        query = as_query(wanted)
        now = now if now.tzinfo else now.replace(tzinfo=UTC)
        views = self._views_now()
        if query.preset is ListKind.MY_OPEN:
            return len(views.open_by_updated)
        if query.preset is ListKind.NEW_LEADS:
            return len(views.new_leads)
        if query.preset is not None:
            low, high = self._closing_range(query.preset, now, views)
            return high - low
        return len(self._selected(query, now, views))

    def tally(self, wanted: ListKind | ListQuery, now: datetime) -> ListTally:
        """How many match, and their deal values summed per currency ("top 5" counts 5 at most)."""
        query = as_query(wanted)
        now = now if now.tzinfo else now.replace(tzinfo=UTC)
        keys = self._selected(query, now, self._views_now())
        if query.top is not None:
            keys = _ordered(keys, self._keys, query.effective_order)[: max(query.top, 0)]
        totals: dict[str, Decimal] = {}
        unvalued = 0
        for key in keys:
            entry = self._entries[key]
            if entry.deal_value is None or not entry.currency:
                unvalued += 1
                continue
            totals[entry.currency] = totals.get(entry.currency, Decimal(0)) + entry.deal_value
        return ListTally(len(keys), tuple(sorted(totals.items())), unvalued)

    # --- changing ------------------------------------------------------------------------------

    def upsert(self, entry: IndexEntry) -> None:
        """One referral as just read (e.g. after a PATCH). Leaves `high_water` alone: other
        changes older than this one may not have been read yet."""
        if entry.id not in self._entries:
            self._expected += 1
        self._put(entry)
        self._cap()

    def remove(self, referral_id: str) -> bool:
        """Forget a referral the seller can no longer see; False when it was not indexed."""
        if self._entries.pop(referral_id, None) is None:
            return False
        del self._keys[referral_id]
        self._expected = max(0, self._expected - 1)
        self._views = None
        return True

    def apply_full(
        self, entries: Iterable[IndexEntry], *, visible_count: int, complete: bool, now: float
    ) -> None:
        """Replace everything with a full read; `complete` False when the reader stopped early."""
        self._entries.clear()
        self._keys.clear()
        self._views = None
        self.high_water = None
        for entry in entries:
            self._put(entry)
            self._see(entry.updated_date_time)
        self.visible_count = visible_count
        self._expected = visible_count
        self.complete = complete
        self._cap()
        self._synced(now)

    def apply_delta(
        self, entries: Iterable[IndexEntry], *, now: float, read_up_to: datetime | None = None
    ) -> None:
        """Upsert a refresh's entries (changed since `high_water`) and move `high_water`, also
        to `read_up_to`: the newest update the refresh read, changed or not (the bot's own
        writes are already here, and must not be read again on every refresh)."""
        for entry in entries:
            if entry.id not in self._entries:
                self._expected += 1
            self._put(entry)
            self._see(entry.updated_date_time)
        self._see(read_up_to)
        self._cap()
        self._synced(now)

    def mark_stale(self) -> None:
        """The last refresh failed midway: answers may be out of date until the next one."""
        self.stale = True

    # --- storing -------------------------------------------------------------------------------

    def snapshot(self) -> SellerIndex:
        """A copy of what `to_bytes` reads, cheap to take on the event loop, so the slow
        encoding can run in a thread while turns go on updating this index."""
        copy = SellerIndex(max_entries=self.max_entries)
        copy._entries = dict(self._entries)
        copy._expected = self._expected
        copy.high_water, copy.synced_at = self.high_water, self.synced_at
        copy.visible_count, copy.complete, copy.stale = (
            self.visible_count,
            self.complete,
            self.stale,
        )
        return copy

    def to_bytes(self) -> bytes:
        document = {
            "v": SCHEMA_VERSION,
            "high_water": _iso(self.high_water),
            "synced_at": self.synced_at,
            "visible_count": self.visible_count,
            "expected": self._expected,
            "complete": self.complete,
            "stale": self.stale,
            "entries": [_row(self._entries[key]) for key in sorted(self._entries)],
        }
        return zlib.compress(orjson.dumps(document), 6)

    @classmethod
    def from_bytes(cls, blob: bytes, *, max_entries: int = DEFAULT_MAX_ENTRIES) -> SellerIndex:
        """Never raises on the blob: one it cannot read (corrupt, truncated, another schema
        version) gives an empty index, which `needs_full_sync` reports so the next sync fills."""
        index = cls(max_entries=max_entries)
        try:
            index._load(_inflate(blob))
        except (_Unreadable, ValueError, TypeError, KeyError, InvalidOperation, zlib.error) as exc:
            logger.warning("seller index unreadable (%s): starting empty", type(exc).__name__)
            return cls(max_entries=max_entries)
        return index

    # --- internals -----------------------------------------------------------------------------

    def _put(self, entry: IndexEntry) -> None:
        self._entries[entry.id] = entry
        self._keys[entry.id] = _keys(entry)
        self._views = None

    def _see(self, updated: datetime | None) -> None:
        if updated is not None and (self.high_water is None or updated > self.high_water):
            self.high_water = updated

    def _synced(self, now: float) -> None:
        self.synced_at = now
        self.stale = False

    def _cap(self) -> None:
        """Keep the `max_entries` most recently updated; the rest makes the index incomplete."""
        if len(self._entries) <= self.max_entries:
            return
        for entry in self._views_now().by_updated[self.max_entries :]:
            del self._entries[entry.id], self._keys[entry.id]
        self._views = None
        self.complete = False

    def _containing(self, text: str) -> builtins.list[str]:
        needle = text.casefold()
        return [
            key
            for key, keys in self._keys.items()
            if needle in keys.name or needle in keys.customer or keys.crm == needle
        ]

    def _rank(self, text: str, hits: builtins.list[str], limit: int) -> builtins.list[IndexEntry]:
        crm = text.casefold()
        scores: dict[str, float] = {}
        choices: builtins.list[str] = []
        owners: builtins.list[str] = []
        for key in hits:
            keys = self._keys[key]
            if keys.crm and keys.crm == crm:
                scores[key] = 100.0
                continue
            for words in (keys.name_words, keys.customer_words):
                if words is not None:
                    choices.append(words)
                    owners.append(key)
        found = process.extract(
            utils.default_process(text),
            choices,
            scorer=ranking.MATCH_SCORER,
            processor=None,
            limit=None,
            score_cutoff=ranking.MATCH_CUTOFF,
        )
        for _, score, at in found:
            owner = owners[at]
            scores[owner] = max(score, scores.get(owner, 0.0))
        kept = [(score, self._entries[key]) for key, score in scores.items()]
        kept.sort(
            key=lambda pair: (
                -pair[0],
                pair[1].status == Status.CLOSED,
                pair[1].name or "",
                pair[1].id,
            )
        )
        return [entry for _, entry in kept[:limit]]

    def _suggestion_choices(self, pool: int) -> tuple[builtins.list[str], builtins.list[str]]:
        views = self._views_now()
        if views.suggestions is None or views.suggestions[0] != pool:
            choices: builtins.list[str] = []
            names: builtins.list[str] = []
            for entry in views.by_updated[:pool]:
                for name in (entry.name, entry.customer_name):
                    if name:
                        choices.append(utils.default_process(name))
                        names.append(name)
            views.suggestions = (pool, choices, names)
        return views.suggestions[1], views.suggestions[2]

    def _closing_range(self, kind: ListKind, now: datetime, views: _Views) -> tuple[int, int]:
        start, end = queries.period(kind, now)  # `now` is aware: list and count saw to it
        return (
            bisect_left(views.closing_at, _micros(start)),
            bisect_left(views.closing_at, _micros(end)),
        )

    def _selected(self, query: ListQuery, now: datetime, views: _Views) -> builtins.list[str]:
        """The keys `query` keeps, unordered; a close-date period or "overdue" bisects the
        entries by close date instead of reading them all."""
        low = high = None
        if query.period is not None and query.period.field is DateField.CLOSE:
            low, high = _range(query.period, now)
        if query.overdue:
            late = _micros(overdue_before(now))
            high = late if high is None else min(high, late)
        accept = _matcher(query, *self._expiring_range(query, now))
        if query.overdue or (query.period is not None and query.period.field is DateField.CLOSE):
            at, ids = self._dated(views)
            start_at = 0 if low is None else bisect_left(at, low)
            end_at = len(at) if high is None else bisect_left(at, high)
            keys = self._keys
            return [key for key in ids[start_at:end_at] if accept(keys[key])]
        return [key for key, row in self._keys.items() if accept(row)]

    @staticmethod
    def _expiring_range(query: ListQuery, now: datetime) -> tuple[int | None, int | None]:
        if query.period is None or query.period.field is not DateField.EXPIRATION:
            return None, None
        return _range(query.period, now)

    def _dated(self, views: _Views) -> tuple[builtins.list[int], builtins.list[str]]:
        if views.dated is None:
            pairs = sorted(
                (row.closing, key) for key, row in self._keys.items() if row.closing is not None
            )
            views.dated = ([at for at, _ in pairs], [key for _, key in pairs])
        return views.dated

    def _views_now(self) -> _Views:
        if self._views is None:
            self._views = self._build_views()
        return self._views

    def _build_views(self) -> _Views:
        keys = self._keys
        newest = sorted(
            keys, key=lambda key: (keys[key].updated is None, -(keys[key].updated or 0), key)
        )
        by_updated = [self._entries[key] for key in newest]
        leads = sorted(
            (key for key, row in keys.items() if row.new_lead),
            key=lambda key: (keys[key].created is not None, keys[key].created or 0, key),
        )
        closing = sorted(
            (
                (row.closing, key)
                for key, row in keys.items()
                if row.open and row.closing is not None
            ),
        )
        return _Views(
            by_updated=by_updated,
            open_by_updated=[entry for entry in by_updated if keys[entry.id].open],
            new_leads=[self._entries[key] for key in leads],
            closing=[self._entries[key] for _, key in closing],
            closing_at=[at for at, _ in closing],
        )

    def _load(self, document: Any) -> None:
        if not isinstance(document, dict) or document.get("v") != SCHEMA_VERSION:
            raise _Unreadable("another schema version")
        for row in _of_type(document["entries"], builtins.list):
            self._put(_entry(row))
        self.high_water = _instant(document["high_water"])
        self.synced_at = _number(document["synced_at"])
        self.visible_count = _count(document["visible_count"])
        self._expected = _of_type(document["expected"], int)
        self.complete = _of_type(document["complete"], bool)
        self.stale = _of_type(document["stale"], bool)
        self._cap()


def _micros(moment: datetime) -> int:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return (aware - _EPOCH) // _MICROSECOND


def _range(period: Period, now: datetime) -> tuple[int | None, int | None]:
    start, end = bounds(period, now)
    return (None if start is None else _micros(start)), (None if end is None else _micros(end))


def _optional_micros(moment: datetime | None) -> int | None:
    return None if moment is None else _micros(moment)


_STATUS_BITS = {status: 1 << number for number, status in enumerate(ListStatus)}
_SUBSTATUS_STATES: dict[str, ListStatus] = {
    Substatus.WON.value: ListStatus.WON,
    Substatus.LOST.value: ListStatus.LOST,
    Substatus.DECLINED.value: ListStatus.DECLINED,
    Substatus.EXPIRED.value: ListStatus.EXPIRED,
    Substatus.ACCEPTED.value: ListStatus.ACCEPTED,
}


def _state_bits(status: str | None, substatus: str | None, direction: str | None) -> int:
    bits = 0
    if status != Status.CLOSED:
        bits |= _STATUS_BITS[ListStatus.OPEN]
    if status == Status.NEW and direction == Direction.INCOMING:
        bits |= _STATUS_BITS[ListStatus.NEW_LEAD]
    outcome = _SUBSTATUS_STATES.get(substatus or "")
    if outcome is not None:
        bits |= _STATUS_BITS[outcome]
    return bits


# Every documented combination, looked up once per entry (a sync computes 10,000 of them).
_STATES = MappingProxyType(
    {
        (status, substatus, direction): _state_bits(status, substatus, direction)
        for status in (*(item.value for item in Status), None)
        for substatus in (*(item.value for item in Substatus), None)
        for direction in (*(item.value for item in Direction), None)
    }
)


def _state(entry: IndexEntry) -> int:
    key = (entry.status, entry.substatus, entry.direction)
    found = _STATES.get(key)
    return _state_bits(*key) if found is None else found


def _people_of(row: _Keys) -> frozenset[str]:
    """Team members' first, last and full names and e-mails (casefolded), kept once computed:
    most sellers never ask for someone's deals, so a sync does not pay for them."""
    if row.people is None:
        row.people = _people(row.team)
    return row.people


def _people(team: tuple[IndexMember, ...]) -> frozenset[str]:
    names: set[str] = set()
    for member in team:
        first = (member.first_name or "").strip().casefold()
        last = (member.last_name or "").strip().casefold()
        email = (member.email or "").strip().casefold()
        names.update((first, last, f"{first} {last}".strip(), email, email.partition("@")[0]))
    names.discard("")
    return frozenset(names)


def _matcher(query: ListQuery, low: int | None, high: int | None) -> Callable[[_Keys], bool]:
    """One closure testing every filter of `query` (a call per entry: the scan's cost)."""
    mask = 0
    for status in query.statuses:
        mask |= _STATUS_BITS[status]
    if query.overdue:
        mask = mask or _STATUS_BITS[ListStatus.OPEN]
    expiring = query.period is not None and query.period.field is DateField.EXPIRATION
    value = query.value
    value_low = None if value is None or value.low is None else float(value.low)
    value_high = None if value is None or value.high is None else float(value.high)
    inclusive = value is not None and value.inclusive
    currency = None if value is None else value.currency
    valued = value is not None
    overdue = query.overdue
    customer = None if query.customer is None else query.customer.strip().casefold()
    member = None if query.member is None else query.member.strip().casefold()
    party = None if query.party is None else query.party.strip().casefold()
    stage = None if query.stage is None else query.stage.casefold()
    country = None if query.country is None else query.country.upper()

    def accept(row: _Keys) -> bool:
        if mask and not row.state & mask:
            return False
        if overdue and not row.open:
            return False
        if expiring:
            at = row.expiring
            if at is None or (low is not None and at < low) or (high is not None and at >= high):
                return False
        if valued:
            amount = row.value
            if amount is None or (currency is not None and row.currency != currency):
                return False
            if value_low is not None and (
                amount < value_low or (amount == value_low and not inclusive)
            ):
                return False
            if value_high is not None and (
                amount > value_high or (amount == value_high and not inclusive)
            ):
                return False
        if country is not None and row.country != country:
            return False
        if stage is not None and row.stage != stage:
            return False
        if customer is not None and customer not in row.customer:
            return False
        if member is not None and member not in _people_of(row):
            return False
        return party is None or party in row.customer or party in _people_of(row)

    return accept


def _ordered(keys: builtins.list[str], rows: dict[str, _Keys], order: Order) -> builtins.list[str]:
    """Ties by id ascending; missing values last (but a new lead's missing creation: first)."""
    if order is Order.RECENTLY_UPDATED:
        return sorted(keys, key=lambda k: (rows[k].updated is None, -(rows[k].updated or 0), k))
    if order is Order.OLDEST_CREATED:
        return sorted(keys, key=lambda k: (rows[k].created is not None, rows[k].created or 0, k))
    if order is Order.CLOSING_SOONEST:
        return sorted(keys, key=lambda k: (rows[k].closing is None, rows[k].closing or 0, k))
    if order is Order.EXPIRING_SOONEST:
        return sorted(keys, key=lambda k: (rows[k].expiring is None, rows[k].expiring or 0, k))
    sign = -1.0 if order is Order.BIGGEST else 1.0
    return sorted(keys, key=lambda k: (rows[k].value is None, sign * (rows[k].value or 0.0), k))


def _keys(entry: IndexEntry) -> _Keys:
    return _Keys(
        name=(entry.name or "").casefold(),
        customer=(entry.customer_name or "").casefold(),
        crm=(entry.external_reference_id or "").casefold(),
        name_words=utils.default_process(entry.name) if entry.name else None,
        customer_words=utils.default_process(entry.customer_name) if entry.customer_name else None,
        updated=_optional_micros(entry.updated_date_time),
        created=_optional_micros(entry.created_date_time),
        closing=_optional_micros(entry.closing_date_time),
        open=entry.status != Status.CLOSED,
        new_lead=entry.status == Status.NEW and entry.direction == Direction.INCOMING,
        state=_state(entry),
        value=None if entry.deal_value is None else float(entry.deal_value),
        currency=entry.currency,
        expiring=_optional_micros(entry.expiration_date_time),
        country=None if entry.customer_country is None else entry.customer_country.upper(),
        stage=None if entry.sales_stage is None else entry.sales_stage.casefold(),
        team=entry.team,
    )


# --- the stored form: one array per entry, fields in IndexEntry's order -----------------------


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _row(entry: IndexEntry) -> builtins.list[Any]:
    return [
        entry.id,
        entry.name,
        entry.customer_name,
        entry.customer_country,
        entry.status,
        entry.substatus,
        entry.direction,
        entry.type,
        None if entry.deal_value is None else str(entry.deal_value),
        entry.currency,
        _iso(entry.closing_date_time),
        _iso(entry.created_date_time),
        _iso(entry.updated_date_time),
        _iso(entry.expiration_date_time),
        entry.sales_stage,
        entry.external_reference_id,
        [[member.first_name, member.last_name, member.email] for member in entry.team],
    ]


def _inflate(blob: bytes) -> Any:
    inflater = zlib.decompressobj()
    raw = inflater.decompress(blob, _MAX_RAW_BYTES)
    if inflater.unconsumed_tail or not inflater.eof:
        raise _Unreadable("truncated or too large")
    return orjson.loads(raw)


def _entry(row: Any) -> IndexEntry:
    (id_, name, customer, country, status, substatus, direction, type_, value, currency) = row[:10]
    (closing, created, updated, expiration, stage, crm, team) = row[10:]
    return IndexEntry(
        id=_of_type(id_, str),
        name=_text(name),
        customer_name=_text(customer),
        customer_country=_word(country),
        status=_word(status),
        substatus=_word(substatus),
        direction=_word(direction),
        type=_word(type_),
        deal_value=None if value is None else Decimal(_of_type(value, str)),
        currency=_word(currency),
        closing_date_time=_instant(closing),
        created_date_time=_instant(created),
        updated_date_time=_instant(updated),
        expiration_date_time=_instant(expiration),
        sales_stage=_word(stage),
        external_reference_id=_text(crm),
        team=tuple(_member(member) for member in _of_type(team, builtins.list)),
    )


def _member(row: Any) -> IndexMember:
    first, last, email = _of_type(row, builtins.list)
    return IndexMember(_text(first), _text(last), _text(email))


def _of_type(value: Any, kind: type[_T]) -> _T:
    if not isinstance(value, kind):
        raise _Unreadable(f"expected {kind.__name__}")
    return value


def _text(value: Any) -> str | None:
    return None if value is None else _of_type(value, str)


def _word(value: Any) -> str | None:
    """A status, currency or country: interned, as `IndexEntry.of` does."""
    return None if value is None else sys.intern(_of_type(value, str))


def _instant(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(_of_type(value, str))


def _number(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Unreadable("expected a number")
    return float(value)


def _count(value: Any) -> int | None:
    return None if value is None else _of_type(value, int)
