"""Each error type, produced by the real emulator over loopback and surfaced by the client."""

from __future__ import annotations

import aiohttp
import pytest

from bot.partner_center.client import ReferralsClient
from bot.partner_center.errors import (
    ForbiddenError,
    InvalidRequestError,
    NotFoundError,
    PreconditionFailedError,
    ThrottledError,
    UnauthenticatedError,
)
from bot.referrals.errors import translate
from emulators.server import RunningEmulators
from tests.support.emulators import ADMIN, NO_MFA, NO_ROLE, SELLER, running_emulators
from tests.support.partner_center import (
    EmulatorControl,
    FakeTokenProvider,
    assertion_for,
    expired_claims,
    make_client,
)
from tests.support.seeds import CLOSED_ID, OPEN_ID, OTHERS_ID, client_referrals

CORRELATION = "0b5c6a2e-7f00-4d6e-9c1a-3b2d4e5f6a70"


async def test_an_unknown_id_is_not_found_with_the_services_ids(client: ReferralsClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        await client.get("no-such-referral", user=assertion_for(ADMIN), correlation_id=CORRELATION)

    assert caught.value.status_code == 404
    assert caught.value.code == "itemNotFound"
    assert caught.value.request_id
    assert caught.value.correlation_id == CORRELATION


async def test_a_referral_user_cannot_see_a_referral_they_are_not_on(
    client: ReferralsClient,
) -> None:
    with pytest.raises(NotFoundError):
        await client.get(OTHERS_ID, user=assertion_for(SELLER))

    assert (await client.get(OPEN_ID, user=assertion_for(SELLER))).value.id == OPEN_ID


async def test_a_user_without_a_referral_role_is_forbidden(client: ReferralsClient) -> None:
    with pytest.raises(ForbiddenError) as caught:
        await client.get(OPEN_ID, user=assertion_for(NO_ROLE))

    assert caught.value.code == "accessDenied"
    assert "Referral Admin" in translate(caught.value).user_message


async def test_an_expired_token_is_unauthenticated(
    session: aiohttp.ClientSession, running: RunningEmulators, control: EmulatorControl
) -> None:
    expired = make_client(session, running, FakeTokenProvider(running, claims=expired_claims()))

    with pytest.raises(UnauthenticatedError) as caught:
        await expired.get(OPEN_ID, user=assertion_for(ADMIN))

    assert caught.value.code == "unauthenticated"
    assert len(await control.requests("GET")) == 1


async def test_a_token_without_mfa_is_unauthenticated(client: ReferralsClient) -> None:
    with pytest.raises(UnauthenticatedError):
        await client.get(OPEN_ID, user=assertion_for(NO_MFA))


async def test_an_invalid_value_is_refused_by_the_service_and_nothing_changes(
    client: ReferralsClient, control: EmulatorControl
) -> None:
    user = assertion_for(ADMIN)
    before = await client.get(OPEN_ID, user=user)

    with pytest.raises(InvalidRequestError) as caught:
        await client.patch(
            OPEN_ID,
            [{"op": "replace", "path": "/status", "value": "Bogus"}],
            if_match=before.etag,
            user=user,
        )

    assert (caught.value.status_code, caught.value.code) == (400, "invalidRequest")
    assert (await client.get(OPEN_ID, user=user)).etag == before.etag
    assert len(await control.requests("PATCH")) == 1


async def test_a_closed_referral_refuses_changes(client: ReferralsClient) -> None:
    user = assertion_for(ADMIN)
    closed = await client.get(CLOSED_ID, user=user)

    with pytest.raises(InvalidRequestError):
        await client.patch(
            CLOSED_ID,
            [{"op": "replace", "path": "/details/notes", "value": "x"}],
            if_match=closed.etag,
            user=user,
        )


async def test_a_remove_is_refused_before_any_request(
    client: ReferralsClient, control: EmulatorControl
) -> None:
    with pytest.raises(InvalidRequestError):
        await client.patch(
            OPEN_ID,
            [{"op": "remove", "path": "/team/0"}],
            if_match='"x"',
            user=assertion_for(ADMIN),
        )

    assert await control.requests() == []


async def test_a_stale_etag_surfaces_as_precondition_failed_without_retry(
    client: ReferralsClient, control: EmulatorControl
) -> None:
    user = assertion_for(ADMIN)
    stale = (await client.get(OPEN_ID, user=user)).etag
    await client.patch(
        OPEN_ID,
        [{"op": "replace", "path": "/details/notes", "value": "a"}],
        if_match=stale,
        user=user,
    )
    await control.clear_requests()

    with pytest.raises(PreconditionFailedError) as caught:
        await client.patch(
            OPEN_ID,
            [{"op": "replace", "path": "/details/notes", "value": "b"}],
            if_match=stale,
            user=user,
        )

    assert (caught.value.status_code, caught.value.target) == (412, "ETag")
    assert [request["method"] for request in await control.requests()] == ["PATCH"]
    assert (await client.get(OPEN_ID, user=user)).value.details.notes == "a"  # type: ignore[union-attr]


async def test_the_per_user_bucket_throttles_and_the_client_gives_up_within_its_deadline(
    session: aiohttp.ClientSession,
) -> None:
    with running_emulators(referrals=client_referrals(), throttle_per_minute=2) as running:
        client = make_client(session, running)
        admin = assertion_for(ADMIN)
        for _ in range(2):
            await client.get(OPEN_ID, user=admin)

        with pytest.raises(ThrottledError) as caught:
            await client.get(OPEN_ID, user=admin)

        assert caught.value.retry_after is not None
        assert caught.value.retry_after >= 1
        assert (await client.get(OPEN_ID, user=assertion_for(SELLER))).value.id == OPEN_ID
