from __future__ import annotations

import base64
import json
from typing import Any

import aiohttp
import jwt

from emulators.config import (
    DEMO_BOT_APP_ID,
    DEMO_BOT_APP_SECRET,
    PARTNER_CENTER_AUDIENCE,
    TEAMS_CLIENT_APP_ID,
)
from tests.support.emulators import ADMIN, NO_MFA, SELLER, running_emulators
from tests.support.identity import DEV_SSO_GRANT, PARTNER_CENTER_DEFAULT, IdentityClient


async def verified(identity: IdentityClient, token: str, audience: str) -> dict[str, Any]:
    """The token's claims, checked against the emulator's published JWKS like a resource does."""
    _, jwks = await identity.get("/common/discovery/v2.0/keys")
    kid = jwt.get_unverified_header(token)["kid"]
    [jwk] = [key for key in jwks["keys"] if key["kid"] == kid]
    claims: dict[str, Any] = jwt.decode(
        token, jwt.PyJWK(jwk).key, algorithms=["RS256"], audience=audience
    )
    return claims


async def test_on_behalf_of_returns_a_partner_center_token_for_the_assertions_user(
    identity: IdentityClient,
) -> None:
    assertion = await identity.sso_token(SELLER)

    status, body = await identity.obo(assertion)

    assert status == 200
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == body["ext_expires_in"] == 3600
    assert body["scope"].split() == [
        f"{PARTNER_CENTER_AUDIENCE}/user_impersonation",
        PARTNER_CENTER_DEFAULT,
    ]
    claims = await verified(identity, body["access_token"], PARTNER_CENTER_AUDIENCE)
    assert (claims["oid"], claims["tid"], claims["upn"]) == (
        SELLER.oid,
        SELLER.tenant_id,
        SELLER.upn,
    )
    assert claims["roles"] == ["Referral User"]
    assert claims["amr"] == ["pwd", "mfa"]
    assert claims["scp"] == "user_impersonation"
    assert claims["azp"] == DEMO_BOT_APP_ID
    assert claims["iss"] == f"{identity.base}/{SELLER.tenant_id}/v2.0"


async def test_on_behalf_of_adds_what_msal_caches_by_when_asked(identity: IdentityClient) -> None:
    _, body = await identity.obo(await identity.sso_token(SELLER))

    padded = body["client_info"] + "=" * (-len(body["client_info"]) % 4)
    assert json.loads(base64.urlsafe_b64decode(padded)) == {
        "uid": SELLER.oid,
        "utid": SELLER.tenant_id,
    }
    id_claims = await verified(identity, body["id_token"], DEMO_BOT_APP_ID)
    assert (id_claims["oid"], id_claims["preferred_username"]) == (SELLER.oid, SELLER.upn)
    assert body["refresh_token"]


async def test_on_behalf_of_without_openid_offline_or_client_info_returns_only_the_token(
    identity: IdentityClient,
) -> None:
    assertion = await identity.sso_token(SELLER)

    status, body = await identity.obo(assertion, scope=PARTNER_CENTER_DEFAULT, client_info="")

    assert status == 200
    assert {"id_token", "refresh_token", "client_info"}.isdisjoint(body)
    assert body["scope"].split()[-1] == PARTNER_CENTER_DEFAULT


async def test_on_behalf_of_carries_the_mfa_the_user_completed_into_the_new_token(
    identity: IdentityClient,
) -> None:
    assertion = await identity.sso_token(NO_MFA, mfa=True)

    status, body = await identity.obo(assertion)

    assert status == 200
    claims = await verified(identity, body["access_token"], PARTNER_CENTER_AUDIENCE)
    assert claims["amr"] == ["pwd", "mfa"]
    assert claims["upn"] == NO_MFA.upn


async def test_client_secret_may_come_in_http_basic_auth(identity: IdentityClient) -> None:
    assertion = await identity.sso_token(SELLER)
    basic = base64.b64encode(f"{DEMO_BOT_APP_ID}:{DEMO_BOT_APP_SECRET}".encode()).decode()

    status, body = await identity.post_form(
        "/organizations/oauth2/v2.0/token",
        {
            "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
            "requested_token_use": "on_behalf_of",
            "assertion": assertion,
            "scope": PARTNER_CENTER_DEFAULT,
        },
        headers={"Authorization": f"Basic {basic}"},
    )

    assert status == 200, body


async def test_a_refresh_token_buys_a_new_partner_center_token(identity: IdentityClient) -> None:
    _, first = await identity.obo(await identity.sso_token(ADMIN))

    status, body = await identity.token(
        {
            "grant_type": "refresh_token",
            "client_id": DEMO_BOT_APP_ID,
            "client_secret": DEMO_BOT_APP_SECRET,
            "refresh_token": first["refresh_token"],
            "scope": f"{PARTNER_CENTER_DEFAULT} openid offline_access",
        }
    )

    assert status == 200, body
    claims = await verified(identity, body["access_token"], PARTNER_CENTER_AUDIENCE)
    assert claims["upn"] == ADMIN.upn
    assert body["refresh_token"] != first["refresh_token"]


async def test_client_credentials_give_an_app_only_token_without_user_or_scopes(
    identity: IdentityClient,
) -> None:
    status, body = await identity.token(
        {
            "grant_type": "client_credentials",
            "client_id": DEMO_BOT_APP_ID,
            "client_secret": DEMO_BOT_APP_SECRET,
            "scope": PARTNER_CENTER_DEFAULT,
        },
        tenant=SELLER.tenant_id,
    )

    assert status == 200, body
    claims = await verified(identity, body["access_token"], PARTNER_CENTER_AUDIENCE)
    assert claims["idtyp"] == "app"
    assert claims["tid"] == SELLER.tenant_id
    assert "scp" not in claims
    assert "upn" not in claims


async def test_developer_grant_issues_a_teams_sso_token_for_the_bot_app(
    identity: IdentityClient,
) -> None:
    status, body = await identity.token(
        {"grant_type": DEV_SSO_GRANT, "upn": NO_MFA.upn, "client_id": DEMO_BOT_APP_ID}
    )

    assert status == 200, body
    claims = await verified(identity, body["access_token"], DEMO_BOT_APP_ID)
    assert claims["scp"] == "access_as_user"
    assert claims["azp"] == TEAMS_CLIENT_APP_ID
    assert claims["oid"] == NO_MFA.oid
    assert claims["amr"] == ["pwd"]  # the fixture user's own MFA state


async def test_developer_grant_can_simulate_a_user_who_completed_mfa(
    identity: IdentityClient,
) -> None:
    token = await identity.sso_token(NO_MFA, mfa=True)

    claims = await verified(identity, token, DEMO_BOT_APP_ID)

    assert claims["amr"] == ["pwd", "mfa"]


def _dev_grant_form() -> dict[str, str]:
    return {"grant_type": DEV_SSO_GRANT, "upn": SELLER.upn, "client_id": DEMO_BOT_APP_ID}


async def test_developer_grant_and_controls_do_not_exist_without_test_controls() -> None:
    with running_emulators(test_controls=False) as running:
        async with aiohttp.ClientSession() as session:
            identity = IdentityClient(running, session)

            status, body = await identity.token(_dev_grant_form())
            control_status, _ = await identity.post_json(
                "/_emulator/sso-token", {"upn": SELLER.upn}
            )

    assert status == 400
    assert body["error"] == "unsupported_grant_type"
    assert control_status == 404


async def test_mfa_is_not_demanded_when_the_emulator_does_not_enforce_it() -> None:
    with running_emulators(enforce_mfa=False) as running:
        async with aiohttp.ClientSession() as session:
            identity = IdentityClient(running, session)

            status, _ = await identity.obo(await identity.sso_token(NO_MFA))

    assert status == 200
