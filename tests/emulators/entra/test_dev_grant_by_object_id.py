"""The developer grant names a user by AAD object id, the way a bot knows them from an activity."""

from __future__ import annotations

from emulators.config import DEMO_BOT_APP_ID
from tests.emulators.entra.test_grants import verified
from tests.support.emulators import OTHER_SELLER, SELLER
from tests.support.identity import DEV_SSO_GRANT, IdentityClient


async def test_sso_token_control_accepts_an_object_id_instead_of_a_upn(
    identity: IdentityClient,
) -> None:
    status, body = await identity.post_json(
        "/_emulator/sso-token", {"oid": SELLER.oid, "tenant_id": SELLER.tenant_id}
    )

    assert status == 200, body
    claims = await verified(identity, body["access_token"], DEMO_BOT_APP_ID)
    assert claims["oid"] == SELLER.oid
    assert claims["tid"] == SELLER.tenant_id


async def test_developer_grant_accepts_an_object_id(identity: IdentityClient) -> None:
    status, body = await identity.token(
        {"grant_type": DEV_SSO_GRANT, "oid": OTHER_SELLER.oid, "client_id": DEMO_BOT_APP_ID}
    )

    assert status == 200, body
    claims = await verified(identity, body["access_token"], DEMO_BOT_APP_ID)
    assert claims["oid"] == OTHER_SELLER.oid


async def test_object_id_from_another_tenant_is_an_unknown_user(identity: IdentityClient) -> None:
    status, body = await identity.post_json(
        "/_emulator/sso-token", {"oid": SELLER.oid, "tenant_id": "another-tenant"}
    )

    assert status == 400
    assert body["error"] == "invalid_grant"


async def test_unknown_object_id_is_an_unknown_user(identity: IdentityClient) -> None:
    status, body = await identity.post_json("/_emulator/sso-token", {"oid": "no-such-oid"})

    assert status == 400
    assert body["error"] == "invalid_grant"
