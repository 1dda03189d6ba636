"""The seller index: find, "did you mean", the lists, syncing and storage, one method at a time."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import orjson
import pytest

from bot.domain.list_kinds import ListKind
from bot.referrals.index_entry import IndexEntry, IndexMember
from bot.referrals.seller_index import SCHEMA_VERSION, SellerIndex

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=BERLIN)
DAY = timedelta(days=1)


def at(days: float) -> datetime:
    """An instant `days` after 1 March 2026, UTC."""
    return datetime(2026, 3, 1, tzinfo=UTC) + days * DAY


def entry(
    referral_id: str,
    name: str | None = None,
    customer: str | None = None,
    *,
    state: str = "Active/Accepted",
    direction: str = "Outgoing",
    updated: float | None = 0,
    created: float | None = 0,
    closes: datetime | None = None,
    crm: str | None = None,
) -> IndexEntry:
    status, substatus = state.split("/")
    return IndexEntry(
        id=referral_id,
        name=name,
        customer_name=customer,
        status=status,
        substatus=substatus,
        direction=direction,
        updated_date_time=None if updated is None else at(updated),
        created_date_time=None if created is None else at(created),
        closing_date_time=closes,
        external_reference_id=crm,
    )


REALISTIC = [
    entry("1", "Ember Cobalt data estate", "Ember Cobalt Ltd", updated=9, crm="CRM-0001"),
    entry("2", "Contoso Pharma data platform", "Contoso Pharmaceuticals", updated=8),
    entry("3", "Fabrikam Residences SAP on Azure", "Fabrikam Residences", updated=7),
    entry("4", "Northwind Traders analytics", "Northwind Traders", updated=6),
    entry("5", "Müller & Söhne ERP", "Müller & Söhne", updated=5),
    entry("6", "O'Brien Logistics fleet IoT", "O'Brien Logistics", updated=4),
    entry("7", "Leadership Academy LMS", "Leadership Academy", updated=3),
    entry("8", "Contoso Retail security review", "Contoso Retail", updated=2, state="Closed/Won"),
    entry("9", "Contoso Azure migration", "Contoso Ltd", updated=1, crm="CRM-0009"),
]


def index_of(entries: list[IndexEntry], **options: int) -> SellerIndex:
    index = SellerIndex(**options)
    index.apply_full(entries, visible_count=len(entries), complete=True, now=1000.0)
    return index


def ids(entries: list[IndexEntry]) -> list[str]:
    return [found.id for found in entries]


@pytest.fixture
def index() -> SellerIndex:
    return index_of(REALISTIC)


# --- find -----------------------------------------------------------------------------------


def test_a_partial_name_finds_every_deal_containing_it(index: SellerIndex) -> None:
    assert set(ids(index.find("contoso"))) == {"2", "8", "9"}


def test_open_referrals_rank_before_closed_ones_on_a_tie(index: SellerIndex) -> None:
    assert ids(index.find("contoso"))[-1] == "8"


def test_the_best_matching_name_comes_first(index: SellerIndex) -> None:
    assert ids(index.find("Contoso Pharmaceuticals")) == ["2"]
    assert ids(index.find("contoso azure"))[0] == "9"


def test_a_customer_name_finds_its_deal(index: SellerIndex) -> None:
    assert ids(index.find("Northwind Traders")) == ["4"]


def test_a_crm_id_is_found_ignoring_case(index: SellerIndex) -> None:
    assert ids(index.find("crm-0009")) == ["9"]
    assert ids(index.find("  CRM-0001 ")) == ["1"]


def test_apostrophes_and_diacritics_are_just_text(index: SellerIndex) -> None:
    assert ids(index.find("O'Brien")) == ["6"]
    assert ids(index.find("MÜLLER")) == ["5"]
    assert ids(index.find("Söhne")) == ["5"]


def test_filler_words_fall_back_to_the_name(index: SellerIndex) -> None:
    assert ids(index.find("the Northwind lead")) == ["4"]
    assert ids(index.find("our Ember Cobalt deal")) == ["1"]


def test_a_contained_word_that_names_nothing_is_noise(index: SellerIndex) -> None:
    assert index.find("lead") == []  # in "Leadership", below the match cutoff
    assert index.find("ship") == []


def test_find_returns_nothing_for_nonsense_blank_text_or_no_room(index: SellerIndex) -> None:
    assert index.find("zzqx") == []
    assert index.find("   ") == []
    assert index.find("contoso", limit=0) == []


def test_limit_keeps_the_best(index: SellerIndex) -> None:
    assert ids(index.find("contoso", limit=1)) == ids(index.find("contoso"))[:1]


def test_equal_scores_fall_back_to_the_id() -> None:
    twins = index_of([entry("b", "Tailspin Toys"), entry("a", "Tailspin Toys")])
    assert ids(twins.find("tailspin")) == ["a", "b"]


def test_by_id(index: SellerIndex) -> None:
    assert index.by_id("4") == REALISTIC[3]
    assert index.by_id("404") is None
    assert "4" in index
    assert "404" not in index


# --- suggest --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("Contosso Pharma", "Contoso Pharmaceuticals"),
        ("Fabrikm Residences", "Fabrikam Residences"),
        ("Northwnd Traders", "Northwind Traders"),
        ("Ember Cobalt", "Ember Cobalt Ltd"),
        ("OBrien Logistics", "O'Brien Logistics"),
        ("Müler & Söhne", "Müller & Söhne"),
    ],
)
def test_a_typo_suggests_the_name_meant(index: SellerIndex, typo: str, meant: str) -> None:
    assert meant in index.suggest(typo)


def test_suggestions_are_distinct_and_capped(index: SellerIndex) -> None:
    found = index.suggest("Contoso", limit=2)
    assert len(found) == 2
    assert len({name.casefold() for name in index.suggest("Contoso", limit=10)}) == len(
        index.suggest("Contoso", limit=10)
    )


def test_suggest_compares_against_the_most_recently_updated(index: SellerIndex) -> None:
    assert "Contoso Ltd" in index.suggest("Contoso Lt")
    assert "Contoso Ltd" not in index.suggest("Contoso Lt", pool=8)  # "9" is the oldest


def test_suggest_returns_nothing_for_blank_text_or_no_room(index: SellerIndex) -> None:
    assert index.suggest(" ") == []
    assert index.suggest("Contoso", limit=0) == []
    assert index.suggest("zzqx") == []


# --- lists ----------------------------------------------------------------------------------


def test_my_open_is_every_open_one_newest_first() -> None:
    index = index_of(
        [
            entry("a", updated=1),
            entry("b", updated=3),
            entry("c", updated=3),
            entry("d", updated=5, state="Closed/Lost"),
            entry("e", updated=None),
        ]
    )
    assert ids(index.list(ListKind.MY_OPEN, NOW)) == ["b", "c", "a", "e"]
    assert index.count(ListKind.MY_OPEN, NOW) == 4


def test_new_leads_are_new_incoming_ones_oldest_first() -> None:
    index = index_of(
        [
            entry("a", state="New/Pending", direction="Incoming", created=4),
            entry("b", state="New/Received", direction="Incoming", created=2),
            entry("c", state="New/Pending", direction="Outgoing", created=1),
            entry("d", state="Active/Accepted", direction="Incoming", created=1),
            entry("e", state="New/Pending", direction="Incoming", created=None),
        ]
    )
    assert ids(index.list(ListKind.NEW_LEADS, NOW)) == ["e", "b", "a"]
    assert index.count(ListKind.NEW_LEADS, NOW) == 3


def test_closing_lists_use_the_sellers_calendar_soonest_first() -> None:
    midnight_berlin = datetime(2026, 4, 1, tzinfo=BERLIN)
    index = index_of(
        [
            entry("feb", closes=datetime(2026, 2, 28, 22, 59, tzinfo=UTC)),  # 23:59 in Berlin
            entry("mar1", closes=datetime(2026, 2, 28, 23, 0, tzinfo=UTC)),  # 1 March in Berlin
            entry("mar20", closes=datetime(2026, 3, 20, tzinfo=UTC)),
            entry("mar5", closes=datetime(2026, 3, 5, tzinfo=UTC)),
            entry("won", closes=datetime(2026, 3, 6, tzinfo=UTC), state="Closed/Won"),
            entry("apr", closes=midnight_berlin),
            entry("jun", closes=datetime(2026, 6, 30, 21, 59, tzinfo=UTC)),
            entry("jul", closes=datetime(2026, 6, 30, 22, 0, tzinfo=UTC)),  # July in Berlin
            entry("none"),
        ]
    )
    month = ListKind.CLOSING_THIS_MONTH
    assert ids(index.list(month, NOW)) == ["mar1", "mar5", "mar20"]
    assert ids(index.list(month, NOW, limit=2)) == ["mar1", "mar5"]
    assert index.count(month, NOW) == 3
    april = datetime(2026, 4, 2, tzinfo=BERLIN)
    quarter = ListKind.CLOSING_THIS_QUARTER
    assert ids(index.list(quarter, april)) == ["apr", "jun"]
    assert index.count(quarter, april) == 2
    # A naive now is UTC, whose March starts and ends an hour later than Berlin's.
    naive = NOW.astimezone(UTC).replace(tzinfo=None)
    assert ids(index.list(month, naive)) == ["mar5", "mar20", "apr"]


def test_list_limit() -> None:
    index = index_of([entry(str(n), updated=n) for n in range(5)])
    assert ids(index.list(ListKind.MY_OPEN, NOW, limit=2)) == ["4", "3"]
    assert index.list(ListKind.MY_OPEN, NOW, limit=0) == []


def test_lists_follow_changes(index: SellerIndex) -> None:
    assert ids(index.list(ListKind.MY_OPEN, NOW))[0] == "1"
    index.upsert(entry("10", "Fresh deal", updated=20))
    assert ids(index.list(ListKind.MY_OPEN, NOW))[0] == "10"
    index.upsert(entry("10", "Fresh deal", updated=20, state="Closed/Lost"))
    assert "10" not in ids(index.list(ListKind.MY_OPEN, NOW))
    index.remove("1")
    assert ids(index.list(ListKind.MY_OPEN, NOW))[0] == "2"


# --- syncing --------------------------------------------------------------------------------


def test_a_new_index_needs_a_full_sync() -> None:
    index = SellerIndex()
    assert index.needs_full_sync(0)
    assert (index.synced_at, index.visible_count, index.high_water) == (None, None, None)


def test_apply_full_replaces_everything(index: SellerIndex) -> None:
    index.mark_stale()
    index.apply_full([entry("x", "Only one", updated=2)], visible_count=1, complete=True, now=5.0)
    assert ids(index.entries()) == ["x"]
    assert (index.high_water, index.synced_at, index.visible_count) == (at(2), 5.0, 1)
    assert index.complete
    assert not index.stale
    assert index.find("contoso") == []


def test_apply_delta_upserts_and_moves_the_high_water(index: SellerIndex) -> None:
    index.mark_stale()
    changed = entry("4", "Northwind Traders analytics", "Northwind Traders", updated=30)
    index.apply_delta([changed, entry("new", "Coho Winery IoT", updated=25)], now=2000.0)
    assert index.by_id("4") == changed
    assert index.high_water == at(30)
    assert (index.synced_at, index.stale) == (2000.0, False)
    assert len(index) == len(REALISTIC) + 1
    assert not index.needs_full_sync(len(REALISTIC) + 1)


def test_an_older_delta_never_moves_the_high_water_back(index: SellerIndex) -> None:
    index.apply_delta([entry("4", "Northwind", updated=0.5)], now=2000.0)
    assert index.high_water == at(9)


def test_upsert_leaves_the_high_water_alone(index: SellerIndex) -> None:
    index.upsert(entry("2", "Contoso Pharma data platform", updated=40))
    assert index.by_id("2") is not None
    assert index.high_water == at(9)


def test_a_referral_that_became_invisible_asks_for_a_full_sync(index: SellerIndex) -> None:
    assert not index.needs_full_sync(len(REALISTIC))
    assert index.needs_full_sync(len(REALISTIC) - 1)  # the seller left one team
    index.apply_delta([entry("new", "New one", updated=30)], now=2.0)
    assert index.needs_full_sync(len(REALISTIC))  # one appeared, one vanished
    assert not index.needs_full_sync(len(REALISTIC) + 1)


def test_remove_forgets_a_referral(index: SellerIndex) -> None:
    assert index.remove("4")
    assert not index.remove("4")
    assert index.by_id("4") is None
    assert ids(index.find("Northwind")) == []
    assert index.expected_count == len(REALISTIC) - 1


def test_the_cap_keeps_the_most_recently_updated() -> None:
    index = index_of([entry(str(n), f"Deal {n}", updated=n) for n in range(6)], max_entries=4)
    assert ids(index.entries()) == ["2", "3", "4", "5"]
    assert not index.complete
    assert index.high_water == at(5)
    assert not index.needs_full_sync(6)  # the cut ones are still visible
    index.upsert(entry("9", "Deal 9", updated=9))
    assert ids(index.entries()) == ["3", "4", "5", "9"]


def test_a_full_sync_within_the_cap_is_complete() -> None:
    index = index_of([entry(str(n), updated=n) for n in range(4)], max_entries=4)
    assert index.complete
    assert len(index) == 4


def test_max_entries_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_entries"):
        SellerIndex(max_entries=0)


# --- storage --------------------------------------------------------------------------------


def rich_index() -> SellerIndex:
    rich = IndexEntry(
        id="r",
        name="Müller & Söhne ERP",
        customer_name="Müller & Söhne",
        customer_country="DE",
        status="Active",
        substatus="Accepted",
        direction="Outgoing",
        type="Shared",
        deal_value=Decimal("1250.50"),
        currency="EUR",
        closing_date_time=datetime(2026, 6, 30, tzinfo=UTC),
        created_date_time=datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC),
        updated_date_time=datetime(2026, 2, 1, 10, 0, tzinfo=BERLIN),
        expiration_date_time=None,
        sales_stage="Propose",
        external_reference_id="CRM-7",
        team=(IndexMember("Sam", "Seller", "sam@example.com"), IndexMember(email="x@y")),
    )
    index = index_of([*REALISTIC, rich])
    index.mark_stale()
    return index


def test_to_bytes_round_trips_entries_and_sync_state() -> None:
    index = rich_index()
    restored = SellerIndex.from_bytes(index.to_bytes())
    assert restored.entries() == index.entries()
    assert restored.by_id("r") == index.by_id("r")
    for field in ("high_water", "synced_at", "visible_count", "complete", "stale"):
        assert getattr(restored, field) == getattr(index, field)
    assert restored.expected_count == index.expected_count
    assert ids(restored.find("contoso")) == ids(index.find("contoso"))


def test_the_stored_form_is_compressed_json_with_a_version() -> None:
    document = orjson.loads(zlib.decompress(rich_index().to_bytes()))
    assert document["v"] == SCHEMA_VERSION


def test_a_restored_index_honours_a_smaller_cap() -> None:
    restored = SellerIndex.from_bytes(rich_index().to_bytes(), max_entries=2)
    assert len(restored) == 2
    assert not restored.complete


def corrupt_blobs() -> list[bytes]:
    good = rich_index().to_bytes()
    document = orjson.loads(zlib.decompress(good))
    other_version = zlib.compress(orjson.dumps({**document, "v": SCHEMA_VERSION + 1}))
    bad_row = zlib.compress(orjson.dumps({**document, "entries": [[1, 2, 3]]}))
    bad_date = {**document, "high_water": "yesterday"}
    bad_value = {**document, "entries": [[*document["entries"][0][:8], "lots", *[None] * 8]]}
    return [
        b"",
        b"junk",
        good[: len(good) // 2],
        zlib.compress(b"not json"),
        zlib.compress(b"[]"),
        other_version,
        bad_row,
        zlib.compress(orjson.dumps(bad_date)),
        zlib.compress(orjson.dumps(bad_value)),
        zlib.compress(orjson.dumps({k: v for k, v in document.items() if k != "stale"})),
    ]


@pytest.mark.parametrize("blob", corrupt_blobs())
def test_an_unreadable_blob_gives_an_empty_index_that_needs_a_sync(blob: bytes) -> None:
    restored = SellerIndex.from_bytes(blob)
    assert len(restored) == 0
    assert restored.needs_full_sync(0)
