"""Why the bot could not get a Partner Center token for a seller, as types it can act on.

    AuthError                       anything from token acquisition; carries Entra's ids
    ├── SignInRequiredError         the seller must sign in again; `reason` says why:
    │                                 consent (65001), mfa (50076/50079, carries `claims`),
    │                                 interaction (other interaction_required),
    │   │                             invalid_assertion (expired, foreign or revoked SSO token)
    │   └── SubjectMismatchError    Entra answered for another user than the authenticated one
    ├── AccountDisabledError        the seller's account is disabled (50057): signing in won't help
    ├── AuthConfigurationError      the bot's registration or settings are wrong:
    │                                 invalid_client, unauthorized_client, invalid_scope, bad
    │                                 authority or tenant, untrusted TLS certificate
    └── IdentityUnavailableError    Entra is down, slow, throttling or unreachable (5xx, network,
                                      timeouts, non-JSON answers)

Classes are chosen from Entra's `error`, `suberror` and `error_codes`, never from
`error_description` (its text changes and may hold details that are not the seller's).
Only the two kinds a seller can act on carry a sentence of ours (`user_message`), which
`bot.referrals.errors` shows as it is: SignInRequiredError (one per reason) and
AccountDisabledError. Every other kind is explained by that module's own sentence, so none is
written here. No error ever holds a token.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, ClassVar


class SignInReason(StrEnum):
    CONSENT = "consent"
    MFA = "mfa"
    INTERACTION = "interaction"
    INVALID_ASSERTION = "invalid_assertion"


class AuthError(Exception):
    def __init__(
        self,
        *,
        error: str | None = None,
        error_codes: tuple[int, ...] = (),
        correlation_id: str | None = None,
        trace_id: str | None = None,
    ) -> None:
        self.error = error
        self.error_codes = error_codes
        self.correlation_id = correlation_id
        self.trace_id = trace_id
        super().__init__(self._summary())

    def _summary(self) -> str:
        parts = {
            "error": self.error,
            "codes": ",".join(map(str, self.error_codes)) or None,
            "correlation_id": self.correlation_id,
            "trace_id": self.trace_id,
        }
        summary = " ".join(f"{key}={value}" for key, value in parts.items() if value is not None)
        return summary or type(self).__name__


_SIGN_IN_MESSAGES = {
    SignInReason.CONSENT: "Referral Bot needs your permission to use Partner Center for you. "
    "Please sign in again and accept the request.",
    SignInReason.MFA: "Partner Center needs you to complete multi-factor authentication. "
    "Please sign in again to continue.",
    SignInReason.INTERACTION: "Please sign in again to continue.",
    SignInReason.INVALID_ASSERTION: "Your sign-in has expired or is no longer valid. "
    "Please sign in again.",
}


class SignInRequiredError(AuthError):
    def __init__(
        self, reason: SignInReason, *, claims_challenge: str | None = None, **kwargs: Any
    ) -> None:
        self.reason = reason
        self.claims_challenge = claims_challenge  # pass to the next sign-in (Conditional Access)
        self.user_message = _SIGN_IN_MESSAGES[reason]
        super().__init__(**kwargs)

    def _summary(self) -> str:
        return f"reason={self.reason} {super()._summary()}"


class SubjectMismatchError(SignInRequiredError):
    pass


class AccountDisabledError(AuthError):
    user_message: ClassVar[str] = (
        "Your account is disabled, so I can't reach Partner Center for you. "
        "Please ask your administrator."
    )


class AuthConfigurationError(AuthError):
    pass


class IdentityUnavailableError(AuthError):
    pass


MFA_CODES = frozenset({50072, 50074, 50076, 50079})
CONSENT_CODES = frozenset({65001})
DISABLED_CODES = frozenset({50057})
CONFIGURATION_ERRORS = frozenset(
    {
        "invalid_client",
        "unauthorized_client",
        "invalid_scope",
        "invalid_request",
        "invalid_resource",
        "invalid_tenant",
        "unsupported_grant_type",
    }
)
UNAVAILABLE_ERRORS = frozenset({"temporarily_unavailable", "server_error"})


def _codes(result: Mapping[str, Any]) -> tuple[int, ...]:
    raw = result.get("error_codes")
    if not isinstance(raw, list):
        return ()
    return tuple(code for code in raw if isinstance(code, int))


def _sign_in_reason(
    error: str, suberror: object, codes: set[int], *, challenged: bool
) -> SignInReason | None:
    """A claims challenge on a user error is Conditional Access asking for more (MFA)."""
    if suberror == "consent_required" or codes & CONSENT_CODES:
        return SignInReason.CONSENT
    if codes & MFA_CODES or (challenged and error in {"interaction_required", "invalid_grant"}):
        return SignInReason.MFA
    if error == "interaction_required":
        return SignInReason.INTERACTION
    if error == "invalid_grant":
        return SignInReason.INVALID_ASSERTION
    return None


def error_from_result(result: Mapping[str, Any]) -> AuthError:
    """The typed error for an msal result dict that holds no access token."""
    error = str(result.get("error") or "")
    codes = _codes(result)
    ids: dict[str, Any] = {
        "error": error or None,
        "error_codes": codes,
        "correlation_id": result.get("correlation_id"),
        "trace_id": result.get("trace_id"),
    }
    claims = result.get("claims") if isinstance(result.get("claims"), str) else None
    if set(codes) & DISABLED_CODES:
        return AccountDisabledError(**ids)
    reason = _sign_in_reason(error, result.get("suberror"), set(codes), challenged=bool(claims))
    if reason is not None:
        challenge = claims if reason is SignInReason.MFA else None
        return SignInRequiredError(reason, claims_challenge=challenge, **ids)
    if error in CONFIGURATION_ERRORS:
        return AuthConfigurationError(**ids)
    if not error or error in UNAVAILABLE_ERRORS:
        return IdentityUnavailableError(**ids)
    return AuthError(**ids)
