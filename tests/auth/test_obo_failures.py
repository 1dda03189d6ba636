from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import pytest
import trustme

from bot.auth.errors import (
    AccountDisabledError,
    AuthConfigurationError,
    IdentityUnavailableError,
    SignInReason,
    SignInRequiredError,
)
from bot.auth.obo import cache_key
from bot.auth.sealed_store import MemoryByteStore
from bot.domain.assertion import UserAssertion
from emulators.config import DEMO_BOT_APP_SECRET
from emulators.server import RunningEmulators
from tests.auth.providers import MakeProvider
from tests.support.emulators import NO_MFA, OTHER_SELLER, SELLER
from tests.support.identity import IdentityClient, assertion_for, signed_sso_token


async def test_missing_consent_asks_the_seller_to_sign_in_and_consent(
    identity: IdentityClient, make_provider: MakeProvider
) -> None:
    await identity.set_user(SELLER, consent_required=True)
    assertion = assertion_for(SELLER, await identity.sso_token(SELLER))

    with pytest.raises(SignInRequiredError) as raised:
        await make_provider().get_token(assertion)

    assert raised.value.reason is SignInReason.CONSENT
    assert raised.value.error_codes == (65001,)
    assert raised.value.claims_challenge is None


async def test_missing_mfa_carries_the_claims_challenge_for_the_next_sign_in(
    identity: IdentityClient, make_provider: MakeProvider
) -> None:
    assertion = assertion_for(NO_MFA, await identity.sso_token(NO_MFA))

    with pytest.raises(SignInRequiredError) as raised:
        await make_provider().get_token(assertion)

    assert raised.value.reason is SignInReason.MFA
    assert raised.value.claims_challenge is not None
    assert "capolids" in json.loads(raised.value.claims_challenge)["access_token"]


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"exp": int(time.time()) - 60}, id="expired"),
        pytest.param({"aud": "some-other-app"}, id="for another app"),
    ],
)
async def test_an_unusable_sso_token_asks_the_seller_to_sign_in_again(
    running: RunningEmulators, make_provider: MakeProvider, overrides: dict[str, object]
) -> None:
    assertion = assertion_for(SELLER, signed_sso_token(running, SELLER, **overrides))

    with pytest.raises(SignInRequiredError) as raised:
        await make_provider().get_token(assertion)

    assert raised.value.reason is SignInReason.INVALID_ASSERTION
    assert raised.value.error == "invalid_grant"


async def test_a_disabled_account_is_not_a_sign_in_problem(
    identity: IdentityClient, make_provider: MakeProvider
) -> None:
    assertion = assertion_for(SELLER, await identity.sso_token(SELLER))
    await identity.set_user(SELLER, disabled=True)

    with pytest.raises(AccountDisabledError) as raised:
        await make_provider().get_token(assertion)

    assert "administrator" in raised.value.user_message


async def test_a_wrong_client_secret_is_a_configuration_error(
    identity: IdentityClient, make_provider: MakeProvider
) -> None:
    assertion = assertion_for(SELLER, await identity.sso_token(SELLER))

    with pytest.raises(AuthConfigurationError) as raised:
        await make_provider(client_secret="not-the-secret").get_token(assertion)

    assert (raised.value.error, raised.value.error_codes) == ("invalid_client", (7000215,))


async def test_an_unknown_tenant_in_the_authority_is_a_configuration_error(
    identity: IdentityClient, make_provider: MakeProvider
) -> None:
    assertion = assertion_for(SELLER, await identity.sso_token(SELLER))

    with pytest.raises(AuthConfigurationError):
        await make_provider(tenant="no-such-tenant").get_token(assertion)


async def test_an_identity_provider_we_do_not_trust_is_a_configuration_error(
    identity: IdentityClient, make_provider: MakeProvider, tmp_path: Path
) -> None:
    stranger_ca = tmp_path / "stranger-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(stranger_ca))
    assertion = assertion_for(SELLER, await identity.sso_token(SELLER))

    with pytest.raises(AuthConfigurationError) as raised:
        await make_provider(ca_file=stranger_ca).get_token(assertion)

    assert raised.value.error == "tls_untrusted"


@pytest.mark.parametrize("status", [500, 503])
async def test_a_failing_identity_provider_is_unavailable_not_a_sign_in_problem(
    identity: IdentityClient, make_provider: MakeProvider, status: int
) -> None:
    assertion = assertion_for(SELLER, await identity.sso_token(SELLER))
    fault = {"method": "POST", "path": "*/token", "kind": "error", "status": status}
    assert (await identity.post_json("/_emulator/faults", fault))[0] == 201

    with pytest.raises(IdentityUnavailableError):
        await make_provider().get_token(assertion)


async def test_a_throttling_identity_provider_is_unavailable(
    identity: IdentityClient, make_provider: MakeProvider
) -> None:
    assertion = assertion_for(SELLER, await identity.sso_token(SELLER))
    fault = {"method": "POST", "path": "*/token", "kind": "throttle", "retry_after": 1}
    assert (await identity.post_json("/_emulator/faults", fault))[0] == 201

    with pytest.raises(IdentityUnavailableError):
        await make_provider().get_token(assertion)


@pytest.mark.slow  # waits out a real 0.5 s timeout
async def test_a_silent_identity_provider_times_out_as_unavailable(
    identity: IdentityClient, make_provider: MakeProvider
) -> None:
    assertion = assertion_for(SELLER, await identity.sso_token(SELLER))
    fault = {"method": "POST", "path": "*/token", "kind": "hang", "seconds": 30}
    assert (await identity.post_json("/_emulator/faults", fault))[0] == 201
    started = time.monotonic()

    with pytest.raises(IdentityUnavailableError):
        await make_provider(timeout_seconds=0.5).get_token(assertion)

    assert time.monotonic() - started < 5


async def test_a_token_for_someone_else_is_never_filed_under_this_seller(
    identity: IdentityClient, make_provider: MakeProvider
) -> None:
    store = MemoryByteStore()
    mismatched = UserAssertion(
        tenant_id=OTHER_SELLER.tenant_id,
        user_id=OTHER_SELLER.oid,
        token=await identity.sso_token(SELLER),
    )

    with pytest.raises(SignInRequiredError) as raised:
        await make_provider(store).get_token(mismatched)

    assert raised.value.reason is SignInReason.INVALID_ASSERTION
    assert await store.load(cache_key(mismatched)) is None


async def test_tokens_assertions_and_secrets_never_reach_the_logs(
    identity: IdentityClient, make_provider: MakeProvider, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    provider = make_provider()
    good = assertion_for(SELLER, await identity.sso_token(SELLER))
    refused = assertion_for(NO_MFA, await identity.sso_token(NO_MFA))

    token = await provider.get_token(good)
    with pytest.raises(SignInRequiredError) as raised:
        await provider.get_token(refused)

    for secret in (token, good.token, refused.token, DEMO_BOT_APP_SECRET):
        assert secret not in caplog.text
        assert secret not in repr(good) + repr(raised.value) + str(raised.value)
    assert "auth.obo.failed" in caplog.text
