"""The list commands in the seller's calendar (Berlin), against the real emulator."""

from __future__ import annotations

from datetime import UTC

import pytest

from bot.domain.list_kinds import ListKind
from bot.referrals.service import PartnerCenterReferrals
from tests.support.emulators import ADMIN, SELLER
from tests.support.partner_center import assertion_for
from tests.support.world import (
    AZURE,
    BANK,
    FABRIKAM,
    NORTHWIND,
    NOW,
    PHARMA,
    RETAIL,
    TAILSPIN,
    VISIBLE_TO_SELLER,
    WOODGROVE,
    WOODGROVE_Q1,
)

SAM = assertion_for(SELLER)


async def test_my_open_referrals_are_every_visible_one_not_closed(
    referrals: PartnerCenterReferrals,
) -> None:
    found = await referrals.list(ListKind.MY_OPEN, user=SAM, now=NOW)
    assert {referral.id for referral in found} == VISIBLE_TO_SELLER - {TAILSPIN}


async def test_an_admin_sees_every_open_referral(referrals: PartnerCenterReferrals) -> None:
    found = await referrals.list(ListKind.MY_OPEN, user=assertion_for(ADMIN), now=NOW)
    assert {referral.id for referral in found} == VISIBLE_TO_SELLER - {TAILSPIN} | {BANK}


async def test_new_leads_are_new_incoming_referrals(referrals: PartnerCenterReferrals) -> None:
    found = await referrals.list(ListKind.NEW_LEADS, user=SAM, now=NOW)
    assert {referral.id for referral in found} == {RETAIL, NORTHWIND}


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (ListKind.CLOSING_THIS_MONTH, [PHARMA, AZURE, WOODGROVE_Q1]),
        (ListKind.CLOSING_THIS_QUARTER, [WOODGROVE, PHARMA, AZURE, WOODGROVE_Q1]),
    ],
)
async def test_closing_lists_use_the_sellers_calendar_and_close_date_order(
    referrals: PartnerCenterReferrals, kind: ListKind, expected: list[str]
) -> None:
    found = await referrals.list(kind, user=SAM, now=NOW)
    assert [referral.id for referral in found] == expected


async def test_a_seller_in_utc_has_a_different_month(referrals: PartnerCenterReferrals) -> None:
    found = await referrals.list(ListKind.CLOSING_THIS_MONTH, user=SAM, now=NOW.astimezone(UTC))
    assert [referral.id for referral in found] == [AZURE, WOODGROVE_Q1, FABRIKAM]


async def test_limit_caps_a_list(referrals: PartnerCenterReferrals) -> None:
    found = await referrals.list(ListKind.MY_OPEN, user=SAM, now=NOW, limit=2)
    assert len(found) == 2
    assert await referrals.list(ListKind.MY_OPEN, user=SAM, now=NOW, limit=0) == []
