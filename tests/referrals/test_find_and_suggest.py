"""Finding a referral the way a seller names it, against the real emulator."""

from __future__ import annotations

from bot.referrals.service import PartnerCenterReferrals, looks_like_id
from tests.support.emulators import ADMIN, SELLER
from tests.support.partner_center import EmulatorControl, assertion_for
from tests.support.world import (
    AZURE,
    BANK,
    CONTOSO_FOR_SELLER,
    LITWARE,
    NORTHWIND,
    PHARMA,
)

SAM = assertion_for(SELLER)


def ids(referrals: list) -> list[str]:  # type: ignore[type-arg]
    return [referral.id for referral in referrals]


async def test_contoso_finds_every_contoso_referral_the_seller_can_see(
    referrals: PartnerCenterReferrals,
) -> None:
    found = await referrals.find("Contoso", user=SAM)
    assert set(ids(found)) == CONTOSO_FOR_SELLER


async def test_an_admin_also_finds_other_sellers_contoso_referrals(
    referrals: PartnerCenterReferrals,
) -> None:
    found = await referrals.find("contoso", user=assertion_for(ADMIN))
    assert set(ids(found)) == CONTOSO_FOR_SELLER | {BANK}


async def test_the_best_matching_deal_name_comes_first(referrals: PartnerCenterReferrals) -> None:
    found = await referrals.find("contoso azure", user=SAM)
    assert ids(found)[0] == AZURE


async def test_the_customer_name_finds_the_referral(referrals: PartnerCenterReferrals) -> None:
    found = await referrals.find("Contoso Pharmaceuticals", user=SAM)
    assert ids(found) == [PHARMA]


async def test_an_id_is_looked_up_directly_without_a_search(
    referrals: PartnerCenterReferrals, control: EmulatorControl
) -> None:
    await control.clear_requests()
    found = await referrals.find("4711", user=SAM)
    assert ids(found) == [PHARMA]
    paths = [entry["path"] for entry in await control.requests()]
    assert paths == ["/v1.0/engagements/referrals/4711"]


async def test_a_crm_id_is_found_by_exact_match(referrals: PartnerCenterReferrals) -> None:
    assert ids(await referrals.find("CRM-0002", user=SAM)) == [PHARMA]


async def test_quotes_in_the_text_are_escaped(referrals: PartnerCenterReferrals) -> None:
    assert ids(await referrals.find("O'Brien", user=SAM)) == [LITWARE]


async def test_extra_words_fall_back_to_a_word_search(referrals: PartnerCenterReferrals) -> None:
    assert ids(await referrals.find("Northwind lead", user=SAM)) == [NORTHWIND]


async def test_a_referral_hidden_from_the_seller_is_not_found(
    referrals: PartnerCenterReferrals,
) -> None:
    assert await referrals.find("Contoso Bank", user=SAM) == []


async def test_nothing_matches_nonsense(referrals: PartnerCenterReferrals) -> None:
    assert await referrals.find("zzqx", user=SAM) == []
    assert await referrals.find("   ", user=SAM) == []


async def test_limit_caps_the_results(referrals: PartnerCenterReferrals) -> None:
    assert len(await referrals.find("Contoso", user=SAM, limit=2)) == 2


async def test_a_typo_suggests_close_names(referrals: PartnerCenterReferrals) -> None:
    assert await referrals.find("Contosso", user=SAM) == []
    suggestions = await referrals.suggest("Contosso", user=SAM)
    assert len(suggestions) == 3
    assert all(name.startswith("Contoso") for name in suggestions)


async def test_suggestions_only_name_referrals_the_seller_can_see(
    referrals: PartnerCenterReferrals,
) -> None:
    suggestions = await referrals.suggest("Contoso Bnak", user=SAM, limit=10)
    assert "Contoso Bank" not in suggestions
    assert "Contoso Bank Teams rollout" not in suggestions


async def test_a_typo_in_another_name_suggests_it(referrals: PartnerCenterReferrals) -> None:
    assert (await referrals.suggest("Fabrikan", user=SAM))[0] == "Fabrikam Inc"


async def test_nonsense_has_no_suggestions(referrals: PartnerCenterReferrals) -> None:
    assert await referrals.suggest("qqqq zzzz", user=SAM) == []


def test_short_ids_guids_and_crm_ids_look_like_ids() -> None:
    assert looks_like_id("123")
    assert looks_like_id("7d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a09")
    assert looks_like_id("CRM-0001")
    assert not looks_like_id("Contoso")
    assert not looks_like_id("Contoso 2")
    assert not looks_like_id("../etc")
