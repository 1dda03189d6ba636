from __future__ import annotations

import json
import time
from typing import Any

import jwt
import pytest

from emulators.config import DEMO_BOT_APP_ID, DEMO_BOT_APP_SECRET
from emulators.entra.claims import app_only_claims
from emulators.entra.keys import KeyRing
from emulators.server import RunningEmulators
from tests.support.emulators import NO_MFA, SELLER
from tests.support.identity import (
    OBO_GRANT,
    PARTNER_CENTER_DEFAULT,
    IdentityClient,
    signed_sso_token,
)


def assert_entra_error(
    answer: tuple[int, Any], *, http: int, error: str, code: int, suberror: str | None = None
) -> dict[str, Any]:
    status, body = answer
    assert status == http, body
    assert body["error"] == error
    assert body["error_codes"] == [code]
    assert body["error_description"].startswith(f"AADSTS{code}: ")
    assert all(body[field] for field in ("timestamp", "trace_id", "correlation_id"))
    assert body.get("suberror") == suberror
    return dict(body)


def _expired(running: RunningEmulators) -> str:
    now = int(time.time())
    return signed_sso_token(running, SELLER, iat=now - 7200, nbf=now - 7200, exp=now - 60)


def _foreign_key(running: RunningEmulators) -> str:
    token = signed_sso_token(running, SELLER)
    return KeyRing().sign(jwt.decode(token, options={"verify_signature": False}))


def _app_only(running: RunningEmulators) -> str:
    claims = app_only_claims(
        SELLER.tenant_id,
        identity_base_url=running.identity_base_url,
        client_id="some-daemon",
        audience=DEMO_BOT_APP_ID,
    )
    return running.keys.sign(claims)


ASSERTION_CASES = {
    "expired": (_expired, 500133),
    "garbage": (lambda _: "not-a-jwt", 50013),
    "signed by a stranger": (_foreign_key, 50013),
    "foreign issuer": (
        lambda r: signed_sso_token(r, SELLER, iss="https://evil.example/t/v2.0"),
        50013,
    ),
    "for another app": (lambda r: signed_sso_token(r, SELLER, aud="another-app-id"), 500131),
    "app-only": (_app_only, 50013),
    "unknown user": (lambda r: signed_sso_token(r, SELLER, oid="0000-not-a-user"), 50034),
}


@pytest.mark.parametrize("case", ASSERTION_CASES)
async def test_a_bad_assertion_is_an_invalid_grant(
    identity: IdentityClient, running: RunningEmulators, case: str
) -> None:
    make, code = ASSERTION_CASES[case]

    answer = await identity.obo(make(running))

    assert_entra_error(answer, http=400, error="invalid_grant", code=code)


async def test_an_assertion_accepted_under_its_api_uri_audience(
    identity: IdentityClient, running: RunningEmulators
) -> None:
    token = signed_sso_token(running, SELLER, aud=f"api://bot.example/{DEMO_BOT_APP_ID}")

    status, _ = await identity.obo(token)

    assert status == 200


async def test_a_disabled_user_gets_invalid_grant(identity: IdentityClient) -> None:
    assertion = await identity.sso_token(SELLER)
    await identity.set_user(SELLER, disabled=True)

    answer = await identity.obo(assertion)

    assert_entra_error(answer, http=400, error="invalid_grant", code=50057)


async def test_a_user_who_has_not_consented_must_interact(identity: IdentityClient) -> None:
    await identity.set_user(SELLER, consent_required=True)

    answer = await identity.obo(await identity.sso_token(SELLER))

    assert_entra_error(
        answer, http=400, error="interaction_required", code=65001, suberror="consent_required"
    )


async def test_a_user_without_mfa_gets_a_claims_challenge(identity: IdentityClient) -> None:
    answer = await identity.obo(await identity.sso_token(NO_MFA))

    body = assert_entra_error(answer, http=400, error="interaction_required", code=50076)
    challenge = json.loads(body["claims"])
    assert challenge["access_token"]["capolids"]["essential"] is True


async def test_correlation_id_echoes_the_callers_client_request_id(
    identity: IdentityClient,
) -> None:
    status, body = await identity.post_form(
        "/organizations/oauth2/v2.0/token",
        {"grant_type": "password"},
        headers={"client-request-id": "c0ffee00-0000-4000-8000-000000000001"},
    )

    assert status == 400
    assert body["correlation_id"] == "c0ffee00-0000-4000-8000-000000000001"


def _obo_form(**overrides: str) -> dict[str, str]:
    form = {
        "grant_type": OBO_GRANT,
        "requested_token_use": "on_behalf_of",
        "client_id": DEMO_BOT_APP_ID,
        "client_secret": DEMO_BOT_APP_SECRET,
        "assertion": "checked-after-the-client",
        "scope": PARTNER_CENTER_DEFAULT,
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v}


REQUEST_CASES = {
    "wrong secret": (_obo_form(client_secret="guess"), 401, "invalid_client", 7000215),
    "no secret": (_obo_form(client_secret=""), 401, "invalid_client", 7000218),
    "unknown app": (_obo_form(client_id="not-registered"), 400, "unauthorized_client", 700016),
    "no client id": (_obo_form(client_id=""), 400, "invalid_request", 900144),
    "no grant type": (_obo_form(grant_type=""), 400, "invalid_request", 900144),
    "password grant": (_obo_form(grant_type="password"), 400, "unsupported_grant_type", 70003),
    "no assertion": (_obo_form(assertion=""), 400, "invalid_request", 900144),
    "no scope": (_obo_form(scope=""), 400, "invalid_request", 900144),
    "not obo use": (_obo_form(requested_token_use=""), 400, "invalid_request", 900144),
    "graph scope": (
        _obo_form(scope="https://graph.microsoft.com/.default"),
        400,
        "invalid_scope",
        70011,
    ),
    "client credentials without .default": (
        {
            "grant_type": "client_credentials",
            "client_id": DEMO_BOT_APP_ID,
            "client_secret": DEMO_BOT_APP_SECRET,
            "scope": "https://api.partner.microsoft.com/user_impersonation",
        },
        400,
        "invalid_scope",
        1002012,
    ),
    "unknown refresh token": (
        {
            "grant_type": "refresh_token",
            "client_id": DEMO_BOT_APP_ID,
            "client_secret": DEMO_BOT_APP_SECRET,
            "refresh_token": "rt.never-issued",
        },
        400,
        "invalid_grant",
        9002313,
    ),
}


@pytest.mark.parametrize("case", REQUEST_CASES)
async def test_a_malformed_or_unauthenticated_request_is_refused(
    identity: IdentityClient, case: str
) -> None:
    form, http, error, code = REQUEST_CASES[case]

    answer = await identity.token(form)

    assert_entra_error(answer, http=http, error=error, code=code)


async def test_a_refresh_token_stops_working_once_the_user_is_disabled(
    identity: IdentityClient,
) -> None:
    _, first = await identity.obo(await identity.sso_token(SELLER))
    await identity.set_user(SELLER, disabled=True)

    answer = await identity.token(
        {
            "grant_type": "refresh_token",
            "client_id": DEMO_BOT_APP_ID,
            "client_secret": DEMO_BOT_APP_SECRET,
            "refresh_token": first["refresh_token"],
        }
    )

    assert_entra_error(answer, http=400, error="invalid_grant", code=50057)


async def test_an_assertion_from_another_tenant_is_refused_at_a_tenant_authority(
    identity: IdentityClient, running: RunningEmulators
) -> None:
    other_tenant = "11111111-2222-4333-8444-555555555555"
    token = signed_sso_token(
        running, SELLER, tid=other_tenant, iss=f"{identity.base}/{other_tenant}/v2.0"
    )

    answer = await identity.token(_obo_form(assertion=token), tenant=SELLER.tenant_id)

    assert_entra_error(answer, http=400, error="invalid_grant", code=50013)
