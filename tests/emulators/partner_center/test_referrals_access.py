"""Roles and visibility: admins see everything, a Referral User only their team's referrals."""

from __future__ import annotations

import uuid

import aiohttp
import pytest

from emulators.fixtures import FixtureUser
from tests.support.emulators import (
    ADMIN,
    GLOBAL_ADMIN,
    NO_MFA,
    NO_ROLE,
    OTHER_SELLER,
    SELLER,
    mint_partner_center_token,
    running_emulators,
)
from tests.support.referrals_http import ReferralsHttp
from tests.support.seeds import ALL_IDS, DEAL, LEAD, OTHERS, UNASSIGNED, WON

NOTES = [{"op": "replace", "path": "/details/notes", "value": "by someone"}]


@pytest.mark.parametrize(
    ("user", "visible"),
    [
        (ADMIN, ALL_IDS),
        (GLOBAL_ADMIN, ALL_IDS),
        (SELLER, {LEAD, DEAL, WON}),
        (OTHER_SELLER, {OTHERS}),
    ],
    ids=["referral-admin", "global-admin", "seller", "other-seller"],
)
async def test_list_shows_what_the_role_allows(
    api: ReferralsHttp, user: FixtureUser, visible: set[str]
) -> None:
    answer = await api.send("GET", f"{api.url()}?$count=true", user=user)
    assert {item["id"] for item in answer.json["value"]} == visible
    assert answer.json["@odata.count"] == len(visible)


@pytest.mark.parametrize("referral_id", [OTHERS, UNASSIGNED])
async def test_a_referral_user_gets_404_for_referrals_of_other_teams(
    api: ReferralsHttp, referral_id: str
) -> None:
    etag = await api.etag_of(referral_id)
    read = await api.get(referral_id, user=SELLER)
    write = await api.patch(referral_id, NOTES, user=SELLER)
    assert (read.status, read.error_code) == (404, "itemNotFound")
    assert (write.status, write.error_code) == (404, "itemNotFound")
    assert await api.etag_of(referral_id) == etag


async def test_team_email_matches_the_upn_case_insensitively(api: ReferralsHttp) -> None:
    # The fixture lists SELLER@Contoso.Example; the token says seller@contoso.example.
    answer = await api.patch(LEAD, NOTES, user=SELLER, prefer=True)
    assert answer.status == 200


async def test_a_seller_who_leaves_the_team_loses_sight_of_the_referral(
    api: ReferralsHttp,
) -> None:
    other = {"email": "other@contoso.example", "firstName": "Olga", "lastName": "Other"}
    ops = [{"op": "replace", "path": "/team", "value": [other]}]
    assert (await api.patch(DEAL, ops, user=SELLER)).status == 204
    assert (await api.get(DEAL, user=SELLER)).status == 404
    assert (await api.get(DEAL, user=OTHER_SELLER)).status == 200


@pytest.mark.parametrize("user", [GLOBAL_ADMIN, ADMIN])
async def test_admins_write_any_referral(api: ReferralsHttp, user: FixtureUser) -> None:
    assert (await api.patch(UNASSIGNED, NOTES, user=user)).status == 204


async def test_a_user_without_a_referral_role_is_403(api: ReferralsHttp) -> None:
    answer = await api.send("GET", api.url(), user=NO_ROLE)
    assert (answer.status, answer.error_code) == (403, "accessDenied")


async def test_fixture_roles_win_over_the_token_roles(api: ReferralsHttp) -> None:
    token = mint_partner_center_token(api.running, SELLER, roles=["Referral Admin"])
    answer = await api.send("GET", api.url(), token=token)
    assert {item["id"] for item in answer.json["value"]} == {LEAD, DEAL, WON}


@pytest.mark.parametrize(
    ("roles", "status"),
    [(["Referral Admin"], 200), (["ReferralAdmin"], 200), (["Referral User"], 200), ([], 403)],
)
async def test_a_user_unknown_to_the_fixtures_gets_roles_from_the_token(
    api: ReferralsHttp, roles: list[str], status: int
) -> None:
    stranger = FixtureUser(upn="new@contoso.example", name="New Person", oid=str(uuid.uuid4()))
    token = mint_partner_center_token(api.running, stranger, roles=roles)
    answer = await api.send("GET", api.url(), token=token)
    assert answer.status == status
    if roles == ["Referral Admin"]:
        assert {item["id"] for item in answer.json["value"]} == ALL_IDS


async def test_app_only_tokens_are_403_app_user_required(api: ReferralsHttp) -> None:
    token = mint_partner_center_token(api.running, ADMIN, idtyp="app", scp=None)
    answer = await api.send("GET", api.url(), token=token)
    assert (answer.status, answer.error_code) == (403, "accessDenied")
    assert "App+User" in answer.json["error"]["message"]


async def test_a_token_without_mfa_is_401_with_an_mfa_message(api: ReferralsHttp) -> None:
    answer = await api.send("GET", api.url(), user=NO_MFA)
    assert (answer.status, answer.error_code) == (401, "unauthenticated")
    assert "MFA" in answer.json["error"]["message"]


async def test_without_mfa_enforcement_a_token_without_mfa_is_accepted() -> None:
    with running_emulators([{"id": "1"}], enforce_mfa=False) as running:
        async with aiohttp.ClientSession() as session:
            ids = await ReferralsHttp(running, session).list_ids(user=NO_MFA)
    assert ids == ["1"]


async def test_a_referral_user_can_create_and_then_see_it(api: ReferralsHttp) -> None:
    body = {
        "name": "Seller's own deal",
        "type": "Independent",
        "customerProfile": {"name": "Woodgrove", "address": {"country": "US"}},
        "consent": {"consentToContact": True},
        "details": {"dealValue": 100, "currency": "USD"},
    }
    created = await api.send("POST", api.url(), user=SELLER, body=body)
    assert created.status == 201
    assert (await api.get(created.json["id"], user=SELLER)).status == 200
    assert (await api.get(created.json["id"], user=OTHER_SELLER)).status == 404
