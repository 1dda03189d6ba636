"""Every client and sign-in failure becomes a ServiceError the dialogs can explain, by type."""

from __future__ import annotations

import logging

import aiohttp
import pytest

from bot.auth.errors import (
    AccountDisabledError,
    AuthConfigurationError,
    AuthError,
    IdentityUnavailableError,
    SignInReason,
)
from bot.auth.errors import SignInRequiredError as AuthSignInRequiredError
from bot.domain.assertion import UserAssertion
from bot.domain.errors import (
    AccessDeniedError,
    ConcurrentUpdateError,
    InvalidChangeError,
    ReferralBotError,
    ReferralNotFoundError,
    ServiceUnavailableError,
    SignInRequiredError,
    TooManyRequestsError,
)
from bot.partner_center.errors import (
    ForbiddenError,
    InvalidRequestError,
    NotFoundError,
    PartnerCenterError,
    PreconditionFailedError,
    ThrottledError,
    UnauthenticatedError,
    UnavailableError,
    UnexpectedResponseError,
    WriteNotAppliedError,
)
from bot.partner_center.retry import DEADLINE_EXCEEDED, OUTCOME_UNKNOWN, REREAD_FAILED
from bot.referrals import ChangeNotAppliedError, ChangeSavedUnreadableError
from bot.referrals.errors import translate
from emulators.server import RunningEmulators
from tests.support.emulators import SELLER
from tests.support.partner_center import assertion_for
from tests.support.referrals import index_backed
from tests.support.world import AZURE, make_client

SET_NAME = [{"op": "replace", "path": "/name", "value": "New name"}]
SECRET_TEXT = "eyJ0eXAiOiJKV1Qi.secret-token-text"

CASES: list[tuple[PartnerCenterError | AuthError, type[ReferralBotError]]] = [
    (NotFoundError(status_code=404), ReferralNotFoundError),
    (ForbiddenError(status_code=403), AccessDeniedError),
    (PreconditionFailedError(status_code=412), ConcurrentUpdateError),
    (PreconditionFailedError(status_code=409), ConcurrentUpdateError),
    (ThrottledError(status_code=429, retry_after=7), TooManyRequestsError),
    (ThrottledError(status_code=429), TooManyRequestsError),
    (UnavailableError(status_code=500), ServiceUnavailableError),
    (UnavailableError(code=OUTCOME_UNKNOWN), ServiceUnavailableError),
    (UnavailableError(code=DEADLINE_EXCEEDED), ChangeNotAppliedError),
    (UnavailableError(status_code=503, retry_after=5), ChangeNotAppliedError),
    (WriteNotAppliedError(status_code=500), ChangeNotAppliedError),
    (UnavailableError(code=REREAD_FAILED), ChangeSavedUnreadableError),
    (UnexpectedResponseError(status_code=200), ServiceUnavailableError),
    (PartnerCenterError(status_code=418), ServiceUnavailableError),
    (UnauthenticatedError(status_code=401), SignInRequiredError),
    (InvalidRequestError(status_code=400), InvalidChangeError),
    (AuthSignInRequiredError(SignInReason.MFA), SignInRequiredError),
    (AuthSignInRequiredError(SignInReason.CONSENT), SignInRequiredError),
    (AccountDisabledError(), AccessDeniedError),
    (AuthConfigurationError(error="invalid_client"), ServiceUnavailableError),
    (IdentityUnavailableError(), ChangeNotAppliedError),
    (AuthError(error="something_new"), ServiceUnavailableError),
]


@pytest.mark.parametrize(
    ("error", "expected"), CASES, ids=[f"{type(e).__name__}-{i}" for i, (e, _) in enumerate(CASES)]
)
def test_each_failure_translates_by_type(
    error: PartnerCenterError | AuthError, expected: type[ReferralBotError]
) -> None:
    translated = translate(error)
    assert type(translated) is expected
    assert translated.user_message.endswith(".")
    if isinstance(error, AuthSignInRequiredError | AccountDisabledError):
        assert translated.user_message == error.user_message  # the only sentences shown as is


def test_the_services_message_text_never_decides_or_leaks() -> None:
    error = NotFoundError(status_code=404, code="Forbidden! 412 " + SECRET_TEXT)
    translated = translate(error)
    assert isinstance(translated, ReferralNotFoundError)
    assert SECRET_TEXT not in translated.user_message


def test_the_retry_delay_is_kept_and_said_in_whole_seconds() -> None:
    translated = translate(ThrottledError(status_code=429, retry_after=7.2))
    assert isinstance(translated, TooManyRequestsError)
    assert translated.retry_after == 7.2
    assert "7 seconds" in translated.user_message


def test_sign_in_reasons_keep_our_explanation() -> None:
    translated = translate(AuthSignInRequiredError(SignInReason.MFA))
    assert "multi-factor" in translated.user_message


class RaisingTokens:
    """A token provider that fails the way OBO can, before any request is sent."""

    def __init__(self, error: AuthError) -> None:
        self.error = error

    async def get_token(self, user: UserAssertion) -> str:
        raise self.error


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (AuthSignInRequiredError(SignInReason.INVALID_ASSERTION), SignInRequiredError),
        (AuthConfigurationError(error="invalid_client"), ServiceUnavailableError),
        (IdentityUnavailableError(error="temporarily_unavailable"), ChangeNotAppliedError),
        (AccountDisabledError(error_codes=(50057,)), AccessDeniedError),
    ],
)
async def test_sign_in_failures_through_the_adapter_are_translated(
    session: aiohttp.ClientSession,
    running: RunningEmulators,
    error: AuthError,
    expected: type[ReferralBotError],
) -> None:
    referrals = index_backed(make_client(session, running, RaisingTokens(error)))
    with pytest.raises(expected):
        await referrals.apply(AZURE, SET_NAME, if_match='"x"', user=assertion_for(SELLER))


async def test_a_misconfigured_bot_is_logged_as_an_error_without_the_token(
    session: aiohttp.ClientSession,
    running: RunningEmulators,
    caplog: pytest.LogCaptureFixture,
) -> None:
    referrals = index_backed(
        make_client(session, running, RaisingTokens(AuthConfigurationError(error="invalid_client")))
    )
    user = UserAssertion(tenant_id="t", user_id=SELLER.oid, token=SECRET_TEXT)
    with caplog.at_level(logging.DEBUG), pytest.raises(ServiceUnavailableError) as caught:
        await referrals.get(AZURE, user=user)
    assert "administrator" in caught.value.user_message
    assert any(record.levelno == logging.ERROR for record in caplog.records)
    assert SECRET_TEXT not in caplog.text
