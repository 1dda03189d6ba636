from __future__ import annotations

import jwt
import pytest

from emulators.fixtures import DEFAULT_TENANT_ID
from tests.support.emulators import SELLER
from tests.support.identity import IdentityClient


async def test_discovery_for_organizations_points_every_endpoint_at_the_requested_tenant(
    identity: IdentityClient,
) -> None:
    status, doc = await identity.get("/organizations/v2.0/.well-known/openid-configuration")

    assert status == 200
    root = f"{identity.base}/organizations"
    assert doc["token_endpoint"] == f"{root}/oauth2/v2.0/token"
    assert doc["authorization_endpoint"] == f"{root}/oauth2/v2.0/authorize"
    assert doc["jwks_uri"] == f"{root}/discovery/v2.0/keys"
    assert doc["issuer"] == f"{identity.base}/{{tenantid}}/v2.0"
    assert "client_secret_post" in doc["token_endpoint_auth_methods_supported"]
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]


async def test_discovery_for_a_tenant_id_names_that_tenant_as_issuer(
    identity: IdentityClient,
) -> None:
    status, doc = await identity.get(f"/{DEFAULT_TENANT_ID}/v2.0/.well-known/openid-configuration")

    assert status == 200
    assert doc["issuer"] == f"{identity.base}/{DEFAULT_TENANT_ID}/v2.0"
    assert doc["token_endpoint"] == f"{identity.base}/{DEFAULT_TENANT_ID}/oauth2/v2.0/token"


@pytest.mark.parametrize(
    "path",
    [
        "/not-a-tenant/v2.0/.well-known/openid-configuration",
        "/not-a-tenant/discovery/v2.0/keys",
    ],
)
async def test_an_unknown_tenant_is_refused_the_way_entra_does(
    identity: IdentityClient, path: str
) -> None:
    status, body = await identity.get(path)

    assert status == 400
    assert body["error"] == "invalid_tenant"
    assert body["error_codes"] == [90002]
    assert body["error_description"].startswith("AADSTS90002: ")


async def test_jwks_publishes_the_key_that_signs_tokens(identity: IdentityClient) -> None:
    token = await identity.sso_token(SELLER)

    status, jwks = await identity.get("/common/discovery/v2.0/keys")

    assert status == 200
    kid = jwt.get_unverified_header(token)["kid"]
    [published] = [key for key in jwks["keys"] if key["kid"] == kid]
    assert published["kty"] == "RSA"
    assert published["use"] == "sig"
    assert "d" not in published  # the public half only
    key = jwt.PyJWK(published).key
    claims = jwt.decode(token, key, algorithms=["RS256"], options={"verify_aud": False})
    assert claims["upn"] == SELLER.upn


async def test_rotation_keeps_the_previous_key_published_by_default(
    identity: IdentityClient,
) -> None:
    _, before = await identity.get("/common/discovery/v2.0/keys")
    old_kids = [key["kid"] for key in before["keys"]]

    status, rotated = await identity.post_json("/_emulator/keys/rotate", {})
    _, after = await identity.get("/common/discovery/v2.0/keys")
    token = await identity.sso_token(SELLER)

    assert status == 200
    assert [key["kid"] for key in after["keys"]] == [old_kids[-1], rotated["kid"]]
    assert jwt.get_unverified_header(token)["kid"] == rotated["kid"]


async def test_rotation_without_keep_previous_retires_the_old_key(
    identity: IdentityClient,
) -> None:
    status, rotated = await identity.post_json("/_emulator/keys/rotate", {"keep_previous": False})
    _, after = await identity.get("/organizations/discovery/v2.0/keys")

    assert status == 200
    assert [key["kid"] for key in after["keys"]] == [rotated["kid"]] == rotated["kids"]


async def test_rotation_refuses_a_keep_previous_that_is_not_a_boolean(
    identity: IdentityClient,
) -> None:
    status, _ = await identity.post_json("/_emulator/keys/rotate", {"keep_previous": "yes"})

    assert status == 400
