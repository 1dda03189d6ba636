"""`python -m bench.index_query`: one seller's index of 10,000 referrals, timed in-process.

Prints p50/p95 of find (hit, miss, typo), "did you mean" and each list, what a change costs (the
next list rebuilds the sorted views), the stored size and the memory one seller's index holds.
The target (issue 15) is p50 <= 15 ms for find and the lists at 10,000 entries on 2 cores.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
import tracemalloc
import zlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.domain.list_kinds import ListKind
from bot.domain.list_query import (
    DateField,
    ListQuery,
    ListStatus,
    Measure,
    Order,
    Period,
    PeriodUnit,
    ValueRange,
)
from bot.referrals.index_entry import IndexEntry, IndexMember
from bot.referrals.seller_index import SellerIndex

COMPANIES = (
    "Contoso",
    "Fabrikam",
    "Northwind",
    "Woodgrove",
    "Litware",
    "Tailspin",
    "Adventure Works",
    "Wide World Importers",
    "Alpine Ski House",
    "Coho Winery",
    "Proseware",
    "Trey Research",
    "Lamna",
    "Relecloud",
    "Humongous",
    "Blue Yonder",
    "Fourth Coffee",
    "VanArsdel",
    "Margie's Travel",
    "First Up",
    "Ember Cobalt",
    "Müller & Söhne",
    "O'Brien",
    "Nordlicht",
    "Société Générale des Eaux",
)
TRADES = (
    "Pharmaceuticals",
    "Pharma",
    "Bank",
    "Retail",
    "Residences",
    "Traders",
    "Logistics",
    "Healthcare",
    "Insurance",
    "Energy",
    "Airlines",
    "Consultants",
)
FORMS = ("Ltd", "Inc", "GmbH", "AG", "SA", "", "")
TOPICS = (
    "Azure migration",
    "data platform",
    "Teams rollout",
    "security review",
    "SAP on Azure",
    "Copilot pilot",
    "AVD pilot",
    "modern workplace",
    "fraud detection",
    "call center AI",
    "ERP",
    "backup modernisation",
    "FinOps",
    "identity cleanup",
)
STATES = (
    ("Active", "Accepted", "Outgoing"),
    ("Active", "Accepted", "Outgoing"),
    ("New", "Pending", "Incoming"),
    ("New", "Received", "Incoming"),
    ("Closed", "Won", "Outgoing"),
    ("Closed", "Lost", "Outgoing"),
)
SELLERS = (("Megan", "Bowen"), ("Alex", "Wilber"), ("Adele", "Vance"), ("Diego", "Siciliani"))
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=BERLIN)


def realistic_entries(count: int, seed: int = 15) -> list[IndexEntry]:
    """Customers like "Contoso Pharmaceuticals AG" (a numbered "Contoso Pharma 0123" for one in
    three), deals like "Contoso Pharma data platform", over two years of activity."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
    base = NOW.astimezone(UTC)
    entries = []
    for number in range(count):
        company, trade = rng.choice(COMPANIES), rng.choice(TRADES)
        customer = f"{company} {trade} {rng.choice(FORMS)}".strip()
        if number % 3 == 0:
            customer = f"{company} {trade} {number:04d}"
        status, substatus, direction = rng.choice(STATES)
        created = base - timedelta(days=rng.uniform(0, 730))
        first, last = rng.choice(SELLERS)
        entries.append(
            IndexEntry(
                id=f"{rng.getrandbits(128):032x}",
                name=f"{company} {trade} {rng.choice(TOPICS)}",
                customer_name=customer,
                customer_country=rng.choice(("US", "DE", "GB", "CH", "FR")),
                status=status,
                substatus=substatus,
                direction=direction,
                type="Independent",
                deal_value=Decimal(rng.randrange(5, 2000) * 1000),
                currency=rng.choice(("USD", "EUR", "GBP")),
                closing_date_time=base + timedelta(days=rng.randint(-200, 200)),
                created_date_time=created,
                updated_date_time=created + timedelta(days=rng.uniform(0, 60)),
                expiration_date_time=created + timedelta(days=14),
                sales_stage=rng.choice(("Qualify", "Develop", "Propose", "Close")),
                external_reference_id=f"CRM-{number:05d}" if rng.random() < 0.7 else None,
                team=(IndexMember(first, last, f"{first.lower()}@contoso.example"),),
            )
        )
    return entries


def timed(action: Callable[[], object], repeats: int) -> tuple[float, float, object]:
    """p50 and p95 in ms over `repeats` calls, and the last result."""
    result: object = None
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = action()
        timings.append(1000 * (time.perf_counter() - start))
    cuts = statistics.quantiles(timings, n=20, method="inclusive")
    return statistics.median(timings), cuts[18], result


def built(entries: Sequence[IndexEntry]) -> SellerIndex:
    index = SellerIndex()
    index.apply_full(entries, visible_count=len(entries), complete=True, now=time.time())
    return index


# Composed lists (issue 16, section 2), as the grammar reads them.
_OPEN = frozenset({ListStatus.OPEN})
COMPOSED: tuple[tuple[str, ListQuery], ...] = (
    (
        "open over 250k closing next quarter, biggest first",
        ListQuery(
            _OPEN,
            period=Period(DateField.CLOSE, PeriodUnit.QUARTER, 1),
            value=ValueRange(low=Decimal(250_000)),
            order=Order.BIGGEST,
        ),
    ),
    ("top 5 deals by value", ListQuery(top=5, order=Order.BIGGEST)),
    ("what's overdue", ListQuery(overdue=True)),
    (
        "leads expiring this week",
        ListQuery(
            frozenset({ListStatus.NEW_LEAD}),
            period=Period(DateField.EXPIRATION, PeriodUnit.WEEK),
        ),
    ),
    ("Megan's deals", ListQuery(party="Megan")),
    ("deals in Germany", ListQuery(country="DE")),
    ("how many open deals", ListQuery(_OPEN, measure=Measure.COUNT)),
    (
        "pipeline total this quarter",
        ListQuery(
            _OPEN,
            period=Period(DateField.CLOSE, PeriodUnit.QUARTER),
            measure=Measure.TOTAL,
        ),
    ),
)


def memory_per_seller(count: int) -> int:
    """Bytes held by one seller's entries, search keys and sorted views (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    index = built(realistic_entries(count))
    index.list(ListKind.MY_OPEN, NOW)
    index.suggest("Contoso")
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    del index
    return held


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.index_query", description=__doc__)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args(argv)
    entries = realistic_entries(args.entries)
    index = built(entries)
    crm = next(e.external_reference_id for e in reversed(entries) if e.external_reference_id)
    newest = max(entries, key=lambda e: e.updated_date_time or NOW)

    def after_a_change() -> object:
        index.upsert(newest)
        return index.list(ListKind.MY_OPEN, NOW)

    rows: list[tuple[str, Callable[[], object]]] = [
        ("find hit: 'Contoso Pharma'", lambda: index.find("Contoso Pharma")),
        ("find hit: 'the Northwind lead'", lambda: index.find("the Northwind lead")),
        ("find hit: 'Müller'", lambda: index.find("Müller")),
        (f"find CRM id: '{crm.lower()}'", lambda: index.find(crm.lower())),
        ("find miss: 'zzqx'", lambda: index.find("zzqx")),
        ("find typo: 'Contosso Pharmaceuticals'", lambda: index.find("Contosso Pharmaceuticals")),
        ("suggest typo: 'Fabrikm Residences'", lambda: index.suggest("Fabrikm Residences")),
        ("suggest typo: 'OBrien Logistics'", lambda: index.suggest("OBrien Logistics")),
        *((f"list {kind.value}", lambda kind=kind: index.list(kind, NOW)) for kind in ListKind),
        *(
            (f"list: {label}", lambda query=query: index.list(query, NOW))
            for label, query in COMPOSED
        ),
        *(
            (f"tally: {label}", lambda query=query: index.tally(query, NOW))
            for label, query in COMPOSED
            if query.measure is not Measure.LIST
        ),
        ("upsert + list my_open (views rebuilt)", after_a_change),
    ]
    print(f"Seller index, {len(index):,} entries, {args.repeats} runs each\n")
    print("| Query | p50 ms | p95 ms | results |\n|---|---|---|---|")
    for label, action in rows:
        p50, p95, result = timed(action, args.repeats)
        shown = len(result) if isinstance(result, list) else "-"
        print(f"| {label} | {p50:.2f} | {p95:.2f} | {shown} |")
    blob = index.to_bytes()
    for label, action in (
        ("apply_full (10k entries)", lambda: built(entries)),
        ("to_bytes", index.to_bytes),
        ("from_bytes", lambda: SellerIndex.from_bytes(blob)),
    ):
        p50, p95, _ = timed(action, max(5, args.repeats // 20))
        print(f"| {label} | {p50:.2f} | {p95:.2f} | - |")
    raw = zlib.decompress(blob)
    print(f"\nStored: {len(blob):,} bytes compressed ({len(raw):,} bytes of JSON)")
    held = memory_per_seller(args.entries)
    print(f"In memory per seller: {held / 1e6:.1f} MB ({held / args.entries:.0f} bytes/entry)")


if __name__ == "__main__":
    main()
