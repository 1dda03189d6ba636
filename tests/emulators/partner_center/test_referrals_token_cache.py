"""The JWKS cache of the token check: refetch on an unknown kid, but not more than once a while."""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from typing import Any

import aiohttp
import pytest

from emulators.config import TokenTrust
from emulators.entra.claims import partner_center_claims
from emulators.entra.keys import KeyRing
from emulators.partner_center.errors import ApiError
from emulators.partner_center.token_check import TokenVerifier
from tests.support.emulators import ADMIN

ISSUER_BASE = "https://127.0.0.1:1"


class FakeJwks:
    def __init__(self, keys: KeyRing) -> None:
        self.keys = keys
        self.calls = 0
        self.fail = False

    async def __call__(self) -> Mapping[str, Any]:
        self.calls += 1
        if self.fail:
            raise aiohttp.ClientConnectionError("identity service down")
        return self.keys.jwks()


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _token(keys: KeyRing) -> str:
    claims = partner_center_claims(ADMIN, identity_base_url=ISSUER_BASE, client_id="app")
    return keys.sign(claims)


@pytest.fixture
def setup() -> tuple[KeyRing, FakeJwks, FakeClock, TokenVerifier]:
    keys = KeyRing()
    fetch, clock = FakeJwks(keys), FakeClock()
    trust = TokenTrust(ISSUER_BASE, f"{ISSUER_BASE}/keys", ssl.create_default_context())
    verifier = TokenVerifier(trust, fetch, refetch_interval=5.0, clock=clock)
    return keys, fetch, clock, verifier


async def test_keys_are_fetched_once_and_cached(setup: Any) -> None:
    keys, fetch, _, verifier = setup
    for _ in range(3):
        claims = await verifier.verify(f"Bearer {_token(keys)}")
        assert claims["oid"] == ADMIN.oid
    assert fetch.calls == 1


async def test_an_unknown_kid_refetches_and_finds_a_rotated_key(setup: Any) -> None:
    keys, fetch, _, verifier = setup
    await verifier.verify(f"Bearer {_token(keys)}")
    keys.rotate()
    await verifier.verify(f"Bearer {_token(keys)}")
    assert fetch.calls == 2


async def test_unknown_kids_refetch_at_most_once_per_interval(setup: Any) -> None:
    keys, fetch, clock, verifier = setup
    await verifier.verify(f"Bearer {_token(keys)}")
    forged = _token(KeyRing())  # signed by a key the issuer never published
    for _ in range(5):
        with pytest.raises(ApiError) as refused:
            await verifier.verify(f"Bearer {forged}")
        assert refused.value.status == 401
    assert fetch.calls == 2
    clock.now += 5.0
    with pytest.raises(ApiError):
        await verifier.verify(f"Bearer {forged}")
    assert fetch.calls == 3


async def test_an_unreachable_key_endpoint_is_401_not_500(setup: Any) -> None:
    keys, fetch, _, verifier = setup
    fetch.fail = True
    with pytest.raises(ApiError) as refused:
        await verifier.verify(f"Bearer {_token(keys)}")
    assert (refused.value.status, refused.value.code) == (401, "unauthenticated")
