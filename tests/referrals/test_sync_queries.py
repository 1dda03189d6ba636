"""The index's list queries as they go on the wire (their contract with the service is proven in
tests/partner_center/test_queries_against_strict_emulator.py)."""

from __future__ import annotations

from bot.referrals.sync_queries import FULL_SYNC, REFRESH, Query, all_queries


def test_a_full_sync_asks_for_everything_newest_change_first_with_the_total() -> None:
    assert FULL_SYNC.params() == {"$orderby": "updatedDateTime desc", "$count": "true"}


def test_a_refresh_reads_in_the_same_order_so_it_can_stop_at_the_high_water_mark() -> None:
    assert REFRESH.params() == FULL_SYNC.params()


def test_params_leave_out_what_a_query_does_not_set_and_carry_what_it_does() -> None:
    query = Query(filter="status eq 'New'", orderby="createdDateTime asc", count=False, top=5)
    assert query.params() == {
        "$filter": "status eq 'New'",
        "$orderby": "createdDateTime asc",
        "$top": "5",
    }


def test_all_queries_lists_both() -> None:
    assert all_queries() == (FULL_SYNC, REFRESH)
