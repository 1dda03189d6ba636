from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import jwt
import pytest

from bot.auth.errors import SignInRequiredError
from bot.auth.obo import cache_key
from bot.auth.sealed_store import MemoryByteStore
from bot.domain.assertion import UserAssertion
from emulators.config import PARTNER_CENTER_AUDIENCE
from emulators.server import RunningEmulators
from tests.auth.providers import MakeProvider
from tests.support.emulators import (
    ADMIN,
    GLOBAL_ADMIN,
    NO_ROLE,
    OTHER_SELLER,
    SELLER,
    USERS,
    running_emulators,
)
from tests.support.identity import IdentityClient, assertion_for

OBO = "urn:ietf:params:oauth:grant-type:jwt-bearer"


def token_posts(recorded: list[dict[str, Any]], grant_type: str = OBO) -> int:
    return sum(
        1
        for request in recorded
        if request["path"].endswith("/oauth2/v2.0/token")
        and request["body"]["grant_type"] == grant_type
    )


async def verified(identity: IdentityClient, token: str) -> dict[str, Any]:
    _, jwks = await identity.get("/common/discovery/v2.0/keys")
    kid = jwt.get_unverified_header(token)["kid"]
    [jwk] = [key for key in jwks["keys"] if key["kid"] == kid]
    claims: dict[str, Any] = jwt.decode(
        token, jwt.PyJWK(jwk).key, algorithms=["RS256"], audience=PARTNER_CENTER_AUDIENCE
    )
    return claims


async def test_first_token_is_an_on_behalf_of_token_for_that_seller(
    identity: IdentityClient, make_provider: MakeProvider
) -> None:
    provider = make_provider()
    assertion = assertion_for(SELLER, await identity.sso_token(SELLER))

    token = await provider.get_token(assertion)

    claims = await verified(identity, token)
    assert (claims["oid"], claims["tid"], claims["upn"]) == (
        SELLER.oid,
        SELLER.tenant_id,
        SELLER.upn,
    )
    assert claims["roles"] == ["Referral User"]
    assert claims["amr"] == ["pwd", "mfa"]
    assert token_posts(await identity.recorded()) == 1


async def test_second_token_for_the_same_seller_sends_no_identity_request(
    identity: IdentityClient, make_provider: MakeProvider
) -> None:
    provider = make_provider()
    assertion = assertion_for(SELLER, await identity.sso_token(SELLER))
    first = await provider.get_token(assertion)
    before = len(await identity.recorded())

    second = await provider.get_token(assertion)

    assert second == first
    assert len(await identity.recorded()) == before


async def test_discovery_runs_once_per_provider_not_per_call(
    identity: IdentityClient, make_provider: MakeProvider
) -> None:
    provider = make_provider()
    for user in (SELLER, OTHER_SELLER, ADMIN):
        await provider.get_token(assertion_for(user, await identity.sso_token(user)))

    recorded = await identity.recorded()

    assert sum(1 for r in recorded if r["path"].endswith("openid-configuration")) == 1
    assert token_posts(recorded) == 3


async def test_another_seller_gets_an_on_behalf_of_token_of_their_own(
    identity: IdentityClient, make_provider: MakeProvider
) -> None:
    provider = make_provider()
    await provider.get_token(assertion_for(SELLER, await identity.sso_token(SELLER)))

    token = await provider.get_token(assertion_for(ADMIN, await identity.sso_token(ADMIN)))

    assert (await verified(identity, token))["upn"] == ADMIN.upn
    assert token_posts(await identity.recorded()) == 2


async def test_a_new_provider_over_the_same_store_reuses_the_cached_token(
    identity: IdentityClient, make_provider: MakeProvider
) -> None:
    store = MemoryByteStore()
    assertion = assertion_for(SELLER, await identity.sso_token(SELLER))
    first = await make_provider(store).get_token(assertion)
    await identity.reset()

    second = await make_provider(store).get_token(assertion)

    recorded = await identity.recorded()
    assert second == first
    assert token_posts(recorded) == 0
    # The only request is the new provider's own one-time OpenID discovery.
    assert [r["method"] for r in recorded] == ["GET"]


async def test_a_token_close_to_expiry_is_refreshed_with_the_refresh_token_not_obo(
    make_provider: MakeProvider,
) -> None:
    # msal treats tokens with under 5 minutes left as expired.
    with running_emulators(token_lifetime_seconds=120) as short_lived:
        async with aiohttp.ClientSession() as session:
            identity = IdentityClient(short_lived, session)
            provider = make_provider(emulators=short_lived)
            assertion = assertion_for(SELLER, await identity.sso_token(SELLER))
            first = await provider.get_token(assertion)

            second = await provider.get_token(assertion)

            recorded = await identity.recorded()
            await provider.aclose()  # before its identity provider goes away
    assert second != first
    assert token_posts(recorded, OBO) == 1
    assert token_posts(recorded, "refresh_token") == 1


async def test_concurrent_sellers_each_get_their_own_token(
    identity: IdentityClient, make_provider: MakeProvider
) -> None:
    provider = make_provider()
    users = [user for user in USERS if user.mfa]
    assertions = [assertion_for(user, await identity.sso_token(user)) for user in users]

    tokens = await asyncio.gather(*(provider.get_token(a) for a in assertions))

    upns = [(await verified(identity, token))["upn"] for token in tokens]
    assert upns == [user.upn for user in users]


async def test_the_cache_is_keyed_by_the_authenticated_user_not_the_token(
    identity: IdentityClient, make_provider: MakeProvider
) -> None:
    store = MemoryByteStore()
    provider = make_provider(store)
    await provider.get_token(assertion_for(GLOBAL_ADMIN, await identity.sso_token(GLOBAL_ADMIN)))

    assert await store.load(cache_key(assertion_for(GLOBAL_ADMIN, "x"))) is not None
    assert await store.load(cache_key(assertion_for(NO_ROLE, "x"))) is None


async def test_partner_center_accepts_the_on_behalf_of_token(
    identity: IdentityClient, make_provider: MakeProvider, running: RunningEmulators
) -> None:
    token = await make_provider().get_token(assertion_for(SELLER, await identity.sso_token(SELLER)))

    async with (
        aiohttp.ClientSession() as session,
        session.get(
            running.referrals_url, headers={"Authorization": f"Bearer {token}"}
        ) as response,
    ):
        status = response.status

    assert status == 200


async def test_a_silent_assertion_uses_the_sellers_cached_token_and_never_obo(
    identity: IdentityClient, make_provider: MakeProvider
) -> None:
    store = MemoryByteStore()
    first = await make_provider(store).get_token(
        assertion_for(SELLER, await identity.sso_token(SELLER))
    )
    await identity.reset()

    silent = UserAssertion.silent(SELLER.tenant_id, SELLER.oid)
    second = await make_provider(store).get_token(silent)

    assert second == first
    assert token_posts(await identity.recorded()) == 0


async def test_a_silent_assertion_without_a_cached_token_asks_for_sign_in(
    identity: IdentityClient, make_provider: MakeProvider
) -> None:
    provider = make_provider(MemoryByteStore())

    with pytest.raises(SignInRequiredError):
        await provider.get_token(UserAssertion.silent(SELLER.tenant_id, SELLER.oid))

    assert token_posts(await identity.recorded()) == 0
