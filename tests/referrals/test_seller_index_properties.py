"""The seller index answers exactly what a brute-force scan with the old semantics answers.

The old semantics are `PartnerCenterReferrals.find`'s (a server-side `contains` on the deal and
customer names or the CRM id, then `ranking.rank`, with the filler-word retry) and
`queries.list_query`'s filters and orders, with the service's ties (id ascending) and nulls
(first ascending, last descending); written here the slow, obvious way over `Referral`s.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.list_kinds import ListKind
from bot.domain.referral import Referral
from bot.referrals import queries, ranking
from bot.referrals.index_entry import IndexEntry, IndexMember
from bot.referrals.seller_index import SellerIndex

WORDS = (
    "Contoso",
    "Pharma",
    "Pharmaceuticals",
    "Fabrikam",
    "Residences",
    "Northwind",
    "Traders",
    "Ember",
    "Cobalt",
    "Ltd",
    "Müller",
    "&",
    "Söhne",
    "O'Brien",
    "Logistics",
    "Leadership",
    "lead",
    "the",
    "deal",
    "Straße",
    "İstanbul",
    "CRM-01",
    "data",
    "AI",
)
ZONES = (
    UTC,
    ZoneInfo("Europe/Berlin"),
    ZoneInfo("America/Los_Angeles"),
    timezone(timedelta(hours=5, minutes=30)),
)

words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)
names = st.one_of(st.none(), words, st.text(max_size=16))
# The service's instants carry fixed offsets (its JSON has no zone names); the seller's `now` has
# a zone, whose months may start in a daylight-saving change.
OFFSETS = (UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-8)))
nows = st.datetimes(
    min_value=datetime(2025, 10, 1),
    max_value=datetime(2026, 9, 30),
    timezones=st.sampled_from(ZONES),
)
instants = st.datetimes(
    min_value=datetime(2025, 10, 1),
    max_value=datetime(2026, 9, 30),
    timezones=st.sampled_from(OFFSETS),
)
# Month starts in a seller's zone, as the service would send them: the lists' boundaries.
month_starts = st.builds(
    lambda month, zone: datetime(2025 + month // 12, month % 12 + 1, 1, tzinfo=zone).astimezone(
        UTC
    ),
    st.integers(9, 20),
    st.sampled_from(ZONES),
)
maybe_instants = st.one_of(st.none(), instants, month_starts)
members = st.builds(
    IndexMember, st.one_of(st.none(), st.sampled_from(["Sam", "Alex"])), st.none(), st.just("a@b")
)


@st.composite
def index_entries(draw: st.DrawFn, referral_id: str, palette: list[str | None]) -> IndexEntry:
    """Names come from a small palette, so that equal names (and scores) are common."""
    return IndexEntry(
        id=referral_id,
        name=draw(st.sampled_from(palette)),
        customer_name=draw(st.sampled_from(palette)),
        customer_country=draw(st.sampled_from([None, "DE", "US"])),
        status=draw(st.sampled_from([None, "New", "Active", "Closed", "Paused"])),
        substatus=draw(st.sampled_from([None, "Pending", "Accepted", "Won"])),
        direction=draw(st.sampled_from([None, "Incoming", "Outgoing"])),
        type=draw(st.sampled_from([None, "Independent"])),
        deal_value=draw(st.one_of(st.none(), st.decimals(0, 10**9, places=2).map(Decimal))),
        currency=draw(st.sampled_from([None, "EUR"])),
        closing_date_time=draw(maybe_instants),
        created_date_time=draw(maybe_instants),
        updated_date_time=draw(maybe_instants),
        expiration_date_time=draw(maybe_instants),
        sales_stage=draw(st.sampled_from([None, "Qualify"])),
        external_reference_id=draw(st.sampled_from([None, "CRM-01", "crm-02", "CRM-0001"])),
        team=tuple(draw(st.lists(members, max_size=2))),
    )


@st.composite
def entry_sets(draw: st.DrawFn, max_size: int = 25) -> list[IndexEntry]:
    chosen = draw(st.sets(st.integers(0, 40), max_size=max_size))
    palette = draw(st.lists(names, min_size=1, max_size=8))
    entries = [draw(index_entries(f"r{number:02d}", palette)) for number in chosen]
    return draw(st.permutations(entries))  # an order that is not the ids' one


@st.composite
def queries_for(draw: st.DrawFn, entries: list[IndexEntry]) -> str:
    """Parts of names present, words, filler around them, typos and any text at all."""
    present = [name for e in entries for name in (e.name, e.customer_name) if name]
    options = [words, st.text(max_size=12), st.sampled_from(["crm-01", "CRM-0001", " lead "])]
    if present:
        name = st.sampled_from(present)
        options += [
            name,
            st.tuples(name, st.integers(0, 20), st.integers(1, 20)).map(
                lambda t: t[0][t[1] : t[1] + t[2]]
            ),
            name.map(lambda text: f"the {text} lead"),
            name.map(lambda text: text[:-1] if len(text) > 3 else text),
            name.map(str.upper),
        ]
    return draw(st.one_of(options))


def built(entries: Iterable[IndexEntry], **options: int) -> SellerIndex:
    entries = list(entries)
    index = SellerIndex(**options)
    index.apply_full(entries, visible_count=len(entries), complete=True, now=0.0)
    return index


def ids(found: Iterable[IndexEntry | Referral]) -> list[str]:
    return [item.id for item in found]


# --- the old semantics, brute force ---------------------------------------------------------


def brute_find(text: str, entries: list[IndexEntry], limit: int) -> list[str]:
    text = text.strip()
    if not text or limit < 1:
        return []
    referrals = [entry.to_referral() for entry in sorted(entries, key=lambda e: e.id)]

    def containing(part: str) -> list[Referral]:
        needle = part.casefold()
        found = []
        for referral in referrals:
            customer = referral.customer_profile.name if referral.customer_profile else None
            crm = referral.external_reference_id
            if any(
                name is not None and needle in name.casefold() for name in (referral.name, customer)
            ) or (crm is not None and crm.casefold() == needle):
                found.append(referral)
        return found

    found = containing(text)
    core = queries.core_name(text)
    if not found and core is not None:
        text, found = core, containing(core)
    return ids(ranking.rank(text, found, limit=limit))


def newest_first(entries: list[IndexEntry]) -> list[IndexEntry]:
    rows = sorted(entries, key=lambda e: e.id)
    rows.sort(
        key=lambda e: (e.updated_date_time is not None, e.updated_date_time or _NEVER), reverse=True
    )
    return rows


_NEVER = datetime(1, 1, 1, tzinfo=UTC)


def brute_list(kind: ListKind, now: datetime, entries: list[IndexEntry]) -> list[str]:
    open_ = [e for e in sorted(entries, key=lambda e: e.id) if e.status != "Closed"]
    if kind is ListKind.MY_OPEN:
        return ids(newest_first(open_))
    if kind is ListKind.NEW_LEADS:
        leads = [
            e
            for e in sorted(entries, key=lambda e: e.id)
            if e.status == "New" and e.direction == "Incoming"
        ]
        leads.sort(key=lambda e: (e.created_date_time is not None, e.created_date_time or _NEVER))
        return ids(leads)
    start, end = queries.period(kind, now)
    closing = [
        e for e in open_ if e.closing_date_time is not None and start <= e.closing_date_time < end
    ]
    closing.sort(key=lambda e: e.closing_date_time or _NEVER)
    return ids(closing)


# --- the properties -------------------------------------------------------------------------

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(entries=entry_sets(), data=st.data(), limit=st.integers(0, 12))
def test_find_equals_the_brute_force_scan(
    entries: list[IndexEntry], data: st.DataObject, limit: int
) -> None:
    text = data.draw(queries_for(entries))
    assert ids(built(entries).find(text, limit=limit)) == brute_find(text, entries, limit)


@SETTINGS
@given(entries=entry_sets(), data=st.data(), limit=st.integers(0, 5), pool=st.integers(1, 30))
def test_suggest_equals_close_names_over_the_newest(
    entries: list[IndexEntry], data: st.DataObject, limit: int, pool: int
) -> None:
    text = data.draw(queries_for(entries))
    newest = [entry.to_referral() for entry in newest_first(entries)[:pool]]
    expected = ranking.close_names(text.strip(), newest, limit=limit) if text.strip() else []
    assert built(entries).suggest(text, limit=limit, pool=pool) == expected


@SETTINGS
@given(
    entries=entry_sets(),
    kind=st.sampled_from(ListKind),
    now=nows,
    limit=st.integers(0, 30),
    data=st.data(),
)
def test_list_equals_a_brute_force_filter_and_sort(
    entries: list[IndexEntry], kind: ListKind, now: datetime, limit: int, data: st.DataObject
) -> None:
    start, end = queries.period(kind, now)
    micro = timedelta(microseconds=1)
    for number, closes in enumerate((start - micro, start, end - micro, end)):
        extra = data.draw(index_entries(f"b{number}", [None]))
        entries.append(replace(extra, closing_date_time=closes.astimezone(UTC)))
    index = built(entries)
    expected = brute_list(kind, now, entries)
    assert ids(index.list(kind, now, limit=limit)) == expected[:limit]
    assert index.count(kind, now) == len(expected)


@SETTINGS
@given(full=entry_sets(), delta=entry_sets(max_size=10))
def test_a_delta_after_a_full_sync_equals_a_full_sync_of_the_merged_set(
    full: list[IndexEntry], delta: list[IndexEntry]
) -> None:
    merged = {entry.id: entry for entry in [*full, *delta]}
    stepwise = built(full)
    stepwise.apply_delta(delta, now=1.0)
    at_once = built(merged.values())
    assert stepwise.entries() == at_once.entries()
    # The newest instant either read saw: unlike a full read of the merged set, it remembers one
    # a delta then overwrote with an older one (the mark never moves back).
    seen = [e.updated_date_time for e in [*full, *delta] if e.updated_date_time is not None]
    assert stepwise.high_water == max(seen, default=None)
    assert stepwise.expected_count == at_once.expected_count == len(merged)
    assert not stepwise.needs_full_sync(len(merged))


@SETTINGS
@given(entries=entry_sets(), stale=st.booleans(), cap=st.integers(1, 30))
def test_to_bytes_and_from_bytes_round_trip(
    entries: list[IndexEntry], stale: bool, cap: int
) -> None:
    index = built(entries, max_entries=cap)
    if stale:
        index.mark_stale()
    restored = SellerIndex.from_bytes(index.to_bytes(), max_entries=cap)
    assert restored.entries() == index.entries()
    assert [e.updated_date_time for e in restored.entries()] == [
        e.updated_date_time for e in index.entries()
    ]
    state = ("high_water", "synced_at", "visible_count", "complete", "stale", "expected_count")
    assert [getattr(restored, name) for name in state] == [getattr(index, name) for name in state]


@SETTINGS
@given(blob=st.binary(max_size=200))
def test_any_bytes_give_an_index_never_an_exception(blob: bytes) -> None:
    assert len(SellerIndex.from_bytes(blob)) == 0
