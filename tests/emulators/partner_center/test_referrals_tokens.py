"""Bearer verification over real HTTP: every bad token is 401 (never 500), rotation works."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import aiohttp
import pytest

from emulators.server import RunningEmulators
from tests.support import forged_tokens as forged
from tests.support.emulators import ADMIN, mint_partner_center_token, running_emulators
from tests.support.referrals_http import ReferralsHttp
from tests.support.seeds import LEAD

NOW = int(time.time())
Forge = Callable[[RunningEmulators], str | None]


def _mint(**overrides: Any) -> Forge:
    return lambda running: mint_partner_center_token(running, ADMIN, **overrides)


BAD_TOKENS: dict[str, Forge] = {
    "expired": _mint(iat=NOW - 7200, nbf=NOW - 7200, exp=NOW - 3600),
    "not-yet-valid": _mint(nbf=NOW + 3600, exp=NOW + 7200),
    "no-exp": _mint(exp=None),
    "wrong-audience": _mint(aud="https://graph.microsoft.com"),
    "bot-audience": _mint(aud="b0770000-0000-4000-8000-00000000b077"),
    "wrong-issuer": _mint(iss="https://login.microsoftonline.com/common/v2.0"),
    "issuer-of-another-tenant": lambda running: mint_partner_center_token(
        running, ADMIN, iss=f"{running.identity_base_url}/other-tenant/v2.0"
    ),
    "no-tid": _mint(tid=None),
    "unknown-kid": lambda running: forged.signed_with_unknown_key(
        forged.claims_for(running, ADMIN)
    ),
    "known-kid-wrong-key": lambda running: forged.signed_with_unknown_key_reusing_kid(
        running, forged.claims_for(running, ADMIN)
    ),
    "alg-none": lambda running: forged.unsigned(forged.claims_for(running, ADMIN)),
    "hs256-with-public-key": lambda running: forged.hs256_with_public_key(
        running, forged.claims_for(running, ADMIN)
    ),
    "tampered-payload": lambda running: forged.with_tampered_payload(
        mint_partner_center_token(running, ADMIN), oid="someone-else"
    ),
    "garbage": lambda _: "not.a.jwt",
    "one-segment": lambda _: "eyJhbGciOiJSUzI1NiJ9",
    "empty": lambda _: "",
}


@pytest.mark.parametrize("forge", BAD_TOKENS.values(), ids=BAD_TOKENS.keys())
async def test_bad_tokens_are_401_unauthenticated(api: ReferralsHttp, forge: Forge) -> None:
    answer = await api.send("GET", api.url(LEAD), token=forge(api.running))
    assert (answer.status, answer.error_code) == (401, "unauthenticated"), answer.text
    assert set(answer.json["error"]) == {"code", "message", "target", "innerError"}


@pytest.mark.parametrize(
    "authorization", ["", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "bearer-less-token"]
)
async def test_a_missing_or_non_bearer_authorization_is_401(
    api: ReferralsHttp, authorization: str
) -> None:
    answer = await api.send(
        "GET", api.url(LEAD), token=None, headers={"Authorization": authorization}
    )
    assert (answer.status, answer.error_code) == (401, "unauthenticated")


async def test_no_authorization_header_at_all_is_401(api: ReferralsHttp) -> None:
    answer = await api.send("GET", api.url(), token=None)
    assert (answer.status, answer.error_code) == (401, "unauthenticated")


async def test_bad_tokens_do_not_write(api: ReferralsHttp) -> None:
    etag = await api.etag_of(LEAD)
    ops = [{"op": "replace", "path": "/details/notes", "value": "forged"}]
    token = forged.unsigned(forged.claims_for(api.running, ADMIN))
    answer = await api.send("PATCH", api.url(LEAD), token=token, body=ops)
    assert answer.status == 401
    assert await api.etag_of(LEAD) == etag


async def test_a_token_within_the_clock_skew_leeway_is_accepted(api: ReferralsHttp) -> None:
    now = int(time.time())
    token = mint_partner_center_token(api.running, ADMIN, nbf=now + 10, iat=now + 10)
    assert (await api.send("GET", api.url(LEAD), token=token)).status == 200


async def _status(http: ReferralsHttp, token: str) -> int:
    return (await http.send("GET", http.url(), token=token)).status


async def test_a_rotated_key_is_picked_up_and_the_previous_one_still_verifies() -> None:
    # A fresh emulator: an unknown kid seen by another test would delay the refetch.
    with running_emulators() as running:
        async with aiohttp.ClientSession() as session:
            http = ReferralsHttp(running, session)
            old_token = mint_partner_center_token(running, ADMIN)
            assert await _status(http, old_token) == 200
            running.keys.rotate()
            new_token = mint_partner_center_token(running, ADMIN)
            assert await _status(http, new_token) == 200
            assert await _status(http, old_token) == 200


async def test_a_retired_key_stops_verifying_once_keys_are_refetched() -> None:
    with running_emulators() as running:
        async with aiohttp.ClientSession() as session:
            http = ReferralsHttp(running, session)
            old_token = mint_partner_center_token(running, ADMIN)
            assert await _status(http, old_token) == 200
            running.keys.rotate(keep_previous=False)
            assert await _status(http, mint_partner_center_token(running, ADMIN)) == 200
            assert await _status(http, old_token) == 401
