"""Reading and writing one referral through the adapter, and every failure in the seller's terms."""

from __future__ import annotations

import aiohttp
import pytest

from bot.domain.errors import (
    AccessDeniedError,
    ConcurrentUpdateError,
    InvalidChangeError,
    ReferralNotFoundError,
    ServiceUnavailableError,
    SignInRequiredError,
    TooManyRequestsError,
)
from bot.referrals import ChangeNotAppliedError, PartnerCenterReferrals
from emulators.server import RunningEmulators
from tests.support.emulators import ADMIN, NO_MFA, NO_ROLE, SELLER
from tests.support.partner_center import (
    EmulatorControl,
    FakeTokenProvider,
    assertion_for,
    expired_claims,
)
from tests.support.referrals import index_backed
from tests.support.world import AZURE, BANK, TAILSPIN, make_client

SAM = assertion_for(SELLER)
SET_NAME = [{"op": "replace", "path": "/name", "value": "Contoso Azure landing zone"}]
ITEM = f"/v1.0/engagements/referrals/{AZURE}"


async def test_get_returns_the_referral_and_its_etag(referrals: PartnerCenterReferrals) -> None:
    current = await referrals.get(AZURE, user=SAM)
    assert current.value.name == "Contoso Azure migration"
    assert current.etag.startswith('"')


async def test_apply_patches_with_the_etag_read_and_returns_the_update(
    referrals: PartnerCenterReferrals, control: EmulatorControl
) -> None:
    current = await referrals.get(AZURE, user=SAM)
    updated = await referrals.apply(AZURE, SET_NAME, if_match=current.etag, user=SAM)
    assert updated.value.name == "Contoso Azure landing zone"
    assert updated.etag != current.etag
    [patch] = await control.requests("PATCH")
    assert patch["headers"]["If-Match"] == current.etag
    assert patch["headers"]["Prefer"] == "return=representation"


async def test_a_stale_etag_is_a_concurrent_update(
    referrals: PartnerCenterReferrals, control: EmulatorControl
) -> None:
    current = await referrals.get(AZURE, user=SAM)
    await control.add_fault("bump_etag", method="PATCH", path=ITEM)
    with pytest.raises(ConcurrentUpdateError):
        await referrals.apply(AZURE, SET_NAME, if_match=current.etag, user=SAM)
    assert (await referrals.get(AZURE, user=SAM)).value.name == "Contoso Azure migration"


async def test_throttling_says_when_to_retry(
    referrals: PartnerCenterReferrals, control: EmulatorControl
) -> None:
    current = await referrals.get(AZURE, user=SAM)
    await control.add_fault("throttle", method="PATCH", retry_after=90, times=-1)
    with pytest.raises(TooManyRequestsError) as caught:
        await referrals.apply(AZURE, SET_NAME, if_match=current.etag, user=SAM)
    assert caught.value.retry_after == 90
    assert "90 seconds" in caught.value.user_message


async def test_a_write_that_provably_did_not_land_says_nothing_changed(
    referrals: PartnerCenterReferrals, control: EmulatorControl
) -> None:
    current = await referrals.get(AZURE, user=SAM)
    await control.add_fault("error", method="PATCH", status=500, times=-1)
    with pytest.raises(ChangeNotAppliedError):
        await referrals.apply(AZURE, SET_NAME, if_match=current.etag, user=SAM)


async def test_a_dropped_answer_after_the_write_still_returns_the_update(
    referrals: PartnerCenterReferrals, control: EmulatorControl
) -> None:
    current = await referrals.get(AZURE, user=SAM)
    await control.add_fault("drop_after_write", method="PATCH")
    updated = await referrals.apply(AZURE, SET_NAME, if_match=current.etag, user=SAM)
    assert updated.value.name == "Contoso Azure landing zone"
    assert len(await control.requests("PATCH")) == 1


async def test_an_outage_while_reading_is_unavailable(
    referrals: PartnerCenterReferrals, control: EmulatorControl
) -> None:
    await control.add_fault("error", method="GET", status=500, times=-1)
    with pytest.raises(ServiceUnavailableError) as caught:
        await referrals.get(AZURE, user=SAM)
    assert not isinstance(caught.value, ChangeNotAppliedError)


async def test_a_change_to_a_closed_referral_is_refused_as_invalid(
    referrals: PartnerCenterReferrals,
) -> None:
    current = await referrals.get(TAILSPIN, user=SAM)
    with pytest.raises(InvalidChangeError) as caught:
        await referrals.apply(TAILSPIN, SET_NAME, if_match=current.etag, user=SAM)
    assert "nothing was changed" in caught.value.user_message


async def test_an_operation_the_api_does_not_support_is_refused_before_sending(
    referrals: PartnerCenterReferrals, control: EmulatorControl
) -> None:
    remove = [{"op": "remove", "path": "/name"}]
    with pytest.raises(InvalidChangeError):
        await referrals.apply(AZURE, remove, if_match='"x"', user=SAM)
    assert await control.requests("PATCH") == []


@pytest.mark.parametrize("referral_id", ["no-such-referral", BANK, "..", ""])
async def test_unknown_hidden_or_impossible_ids_are_not_found(
    referrals: PartnerCenterReferrals, referral_id: str
) -> None:
    with pytest.raises(ReferralNotFoundError):
        await referrals.get(referral_id, user=SAM)


async def test_an_admin_can_read_another_sellers_referral(
    referrals: PartnerCenterReferrals,
) -> None:
    assert (await referrals.get(BANK, user=assertion_for(ADMIN))).value.id == BANK


async def test_a_user_without_a_partner_center_role_is_denied(
    referrals: PartnerCenterReferrals,
) -> None:
    with pytest.raises(AccessDeniedError) as caught:
        await referrals.get(AZURE, user=assertion_for(NO_ROLE))
    assert "Referral Admin" in caught.value.user_message


async def test_a_token_without_mfa_asks_to_sign_in_again(
    referrals: PartnerCenterReferrals,
) -> None:
    with pytest.raises(SignInRequiredError):
        await referrals.find("Contoso", user=assertion_for(NO_MFA))


async def test_an_expired_token_asks_to_sign_in_again(
    session: aiohttp.ClientSession, running: RunningEmulators
) -> None:
    tokens = FakeTokenProvider(running, claims=expired_claims())
    referrals = index_backed(make_client(session, running, tokens))
    with pytest.raises(SignInRequiredError):
        await referrals.get(AZURE, user=SAM)
