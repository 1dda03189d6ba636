from __future__ import annotations

from typing import Any

import pytest

from bot.auth.errors import (
    AccountDisabledError,
    AuthConfigurationError,
    AuthError,
    IdentityUnavailableError,
    SignInReason,
    SignInRequiredError,
    error_from_result,
)
from bot.referrals.errors import translate

CHALLENGE = '{"access_token":{"capolids":{"essential":true,"values":["p"]}}}'

SIGN_IN_CASES: list[tuple[dict[str, Any], SignInReason]] = [
    ({"error": "invalid_grant", "error_codes": [500133]}, SignInReason.INVALID_ASSERTION),
    ({"error": "invalid_grant", "error_codes": [50013]}, SignInReason.INVALID_ASSERTION),
    ({"error": "invalid_grant", "error_codes": [500131]}, SignInReason.INVALID_ASSERTION),
    (
        {"error": "interaction_required", "suberror": "consent_required", "error_codes": [65001]},
        SignInReason.CONSENT,
    ),
    ({"error": "invalid_grant", "error_codes": [65001]}, SignInReason.CONSENT),
    ({"error": "interaction_required", "error_codes": [50076]}, SignInReason.MFA),
    ({"error": "invalid_grant", "error_codes": [50079]}, SignInReason.MFA),
    ({"error": "invalid_grant", "error_codes": [53003], "claims": CHALLENGE}, SignInReason.MFA),
    ({"error": "interaction_required", "error_codes": [50058]}, SignInReason.INTERACTION),
]


@pytest.mark.parametrize(("result", "reason"), SIGN_IN_CASES)
def test_user_errors_ask_for_a_new_sign_in_with_a_reason(
    result: dict[str, Any], reason: SignInReason
) -> None:
    error = error_from_result(result)

    assert isinstance(error, SignInRequiredError)
    assert error.reason is reason


def test_the_mfa_challenge_travels_with_the_error() -> None:
    error = error_from_result(
        {"error": "interaction_required", "error_codes": [50076], "claims": CHALLENGE}
    )

    assert isinstance(error, SignInRequiredError)
    assert error.claims_challenge == CHALLENGE


@pytest.mark.parametrize(
    ("result", "kind"),
    [
        ({"error": "invalid_grant", "error_codes": [50057]}, AccountDisabledError),
        ({"error": "invalid_client", "error_codes": [7000215]}, AuthConfigurationError),
        ({"error": "unauthorized_client", "error_codes": [700016]}, AuthConfigurationError),
        ({"error": "invalid_scope", "error_codes": [70011]}, AuthConfigurationError),
        ({"error": "unsupported_grant_type"}, AuthConfigurationError),
        ({"error": "temporarily_unavailable"}, IdentityUnavailableError),
        ({"statusCode": 429, "message": "Rate limit is exceeded."}, IdentityUnavailableError),
        ({"error": "something_new"}, AuthError),
    ],
)
def test_other_answers_map_to_their_own_kind(result: dict[str, Any], kind: type[AuthError]) -> None:
    assert type(error_from_result(result)) is kind


def test_the_description_text_never_decides_the_kind_nor_reaches_the_seller() -> None:
    error = error_from_result(
        {
            "error": "invalid_client",
            "error_description": "AADSTS50076: multi-factor authentication; consent_required",
            "error_codes": [7000215],
            "correlation_id": "corr-1",
            "trace_id": "trace-1",
        }
    )

    assert type(error) is AuthConfigurationError
    assert "AADSTS" not in translate(error).user_message + str(error)
    assert (error.correlation_id, error.trace_id) == ("corr-1", "trace-1")
    assert "correlation_id=corr-1" in str(error)
