from __future__ import annotations

from emulators.config import DEMO_BOT_APP_ID, DEMO_BOT_APP_SECRET
from tests.support.emulators import SELLER
from tests.support.identity import IdentityClient


async def test_user_switches_answer_with_the_users_new_state(identity: IdentityClient) -> None:
    status, body = await identity.post_json(
        f"/_emulator/users/{SELLER.upn.upper()}", {"consent_required": True}
    )

    assert status == 200
    assert body == {"upn": SELLER.upn, "consent_required": True, "disabled": False}


async def test_user_switches_refuse_unknown_users_and_unknown_switches(
    identity: IdentityClient,
) -> None:
    unknown_user, _ = await identity.post_json("/_emulator/users/nobody@x.example", {})
    unknown_switch, _ = await identity.post_json(f"/_emulator/users/{SELLER.upn}", {"mfa": True})
    not_boolean, _ = await identity.post_json(f"/_emulator/users/{SELLER.upn}", {"disabled": "yes"})

    assert (unknown_user, unknown_switch, not_boolean) == (404, 400, 400)


async def test_reset_restores_users_and_forgets_refresh_tokens(identity: IdentityClient) -> None:
    _, first = await identity.obo(await identity.sso_token(SELLER))
    await identity.set_user(SELLER, consent_required=True)

    await identity.reset()
    obo_status, _ = await identity.obo(await identity.sso_token(SELLER))
    refresh_status, refresh = await identity.token(
        {
            "grant_type": "refresh_token",
            "client_id": DEMO_BOT_APP_ID,
            "client_secret": DEMO_BOT_APP_SECRET,
            "refresh_token": first["refresh_token"],
        }
    )

    assert obo_status == 200
    assert (refresh_status, refresh["error"]) == (400, "invalid_grant")


async def test_recorded_token_requests_never_hold_secrets_or_assertions(
    identity: IdentityClient,
) -> None:
    assertion = await identity.sso_token(SELLER)
    _, answer = await identity.obo(assertion)

    recorded = await identity.recorded()

    [token_request] = [r for r in recorded if r["path"].endswith("/oauth2/v2.0/token")]
    assert token_request["body"]["client_secret"] == "<redacted>"
    assert token_request["body"]["assertion"] == "<redacted>"
    assert token_request["status"] == 200
    everything = str(recorded)
    for secret in (DEMO_BOT_APP_SECRET, assertion, answer["access_token"]):
        assert secret not in everything
    assert not any(r["path"].startswith("/_emulator/") for r in recorded)


async def test_sso_token_control_refuses_a_body_without_upn(identity: IdentityClient) -> None:
    status, _ = await identity.post_json("/_emulator/sso-token", {"client_id": DEMO_BOT_APP_ID})

    assert status == 400


async def test_sso_token_control_answers_entra_errors_for_unknown_users(
    identity: IdentityClient,
) -> None:
    status, body = await identity.post_json("/_emulator/sso-token", {"upn": "nobody@x.example"})

    assert status == 400
    assert body["error_codes"] == [50034]
