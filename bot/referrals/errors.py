"""Translate client and sign-in failures into the ServiceError tree the dialogs understand.

Keyed by exception type (the most specific class wins), never by message text. The tree is
drawn in `bot.domain.errors`; two subclasses of ServiceUnavailableError tell the card actions
what happened to a write (ChangeNotAppliedError, ChangeSavedUnreadableError), because for a
Confirm click "did it land?" decides whether the pending change may be released.

`user_message` is always ours: the client's errors carry no sentence, and of the sign-in ones
only the two a seller can act on do (the sign-in reasons, a disabled account: `bot.auth.errors`),
which are shown as they are. Every other sentence for a failed call is here or a
`bot.domain.errors` default.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bot.auth.errors import (
    AccountDisabledError,
    AuthConfigurationError,
    AuthError,
    IdentityUnavailableError,
)
from bot.auth.errors import SignInRequiredError as AuthSignInRequiredError
from bot.domain.errors import (
    AccessDeniedError,
    ChangeNotAppliedError,
    ChangeSavedUnreadableError,
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
    WriteNotAppliedError,
)
from bot.partner_center.retry import DEADLINE_EXCEEDED, REREAD_FAILED

logger = logging.getLogger(__name__)


_NOT_SET_UP = "Referral Bot can't reach Partner Center right now. Please tell your administrator."
_REFUSED = "Partner Center refused that change as invalid, so nothing was changed."
_RETRY_IN = "Partner Center is busy right now. Please try again in {seconds} seconds."

Translator = Callable[[Exception], ReferralBotError]


def _throttled(error: Exception) -> ReferralBotError:
    retry_after = getattr(error, "retry_after", None)
    if retry_after is None:
        return TooManyRequestsError()
    return TooManyRequestsError(
        _RETRY_IN.format(seconds=max(1, round(retry_after))), retry_after=retry_after
    )


def _unavailable(error: Exception) -> ReferralBotError:
    """Which of the three unavailable cases a client UnavailableError is (by its code)."""
    code = getattr(error, "code", None)
    if isinstance(error, WriteNotAppliedError) or code == DEADLINE_EXCEEDED:
        return ChangeNotAppliedError()
    if code == REREAD_FAILED:
        return ChangeSavedUnreadableError()
    if getattr(error, "status_code", None) == 503 and getattr(error, "retry_after", None):
        return ChangeNotAppliedError()  # the service said it did not act
    return ServiceUnavailableError()


def _sign_in(error: Exception) -> ReferralBotError:
    return SignInRequiredError(getattr(error, "user_message", None))


def query_refused(error: Exception) -> ReferralBotError:
    """A list or search the service refused is our bug, not the seller's: say "unavailable"."""
    logger.error("referrals.query.refused %s", error)
    return ServiceUnavailableError()


def _misconfigured(error: Exception) -> ReferralBotError:
    logger.error("referrals.auth.misconfigured %s", error)
    return ServiceUnavailableError(_NOT_SET_UP)


# Most specific first: the first class the error is an instance of decides.
_TRANSLATIONS: tuple[tuple[type[Exception], Translator], ...] = (
    (NotFoundError, lambda _: ReferralNotFoundError()),
    (ForbiddenError, lambda _: AccessDeniedError()),
    (PreconditionFailedError, lambda _: ConcurrentUpdateError()),  # 412 and 409
    (ThrottledError, _throttled),
    (UnavailableError, _unavailable),
    (UnauthenticatedError, lambda _: SignInRequiredError()),
    (InvalidRequestError, lambda _: InvalidChangeError(_REFUSED)),
    (AuthSignInRequiredError, _sign_in),
    (AccountDisabledError, lambda error: AccessDeniedError(getattr(error, "user_message", None))),
    (AuthConfigurationError, _misconfigured),
    (IdentityUnavailableError, lambda _: ChangeNotAppliedError()),  # no request was sent
)


def translate(
    error: PartnerCenterError | AuthError, *, invalid: Translator | None = None
) -> ReferralBotError:
    """The ServiceError (or InvalidChangeError) a seller's dialog can explain.

    `invalid` overrides what a refused request (InvalidRequestError) means for this operation.
    """
    if invalid is not None and isinstance(error, InvalidRequestError):
        return invalid(error)
    for kind, translator in _TRANSLATIONS:
        if isinstance(error, kind):
            return translator(error)
    return ServiceUnavailableError()  # UnexpectedResponseError, a bare base class, …


@contextmanager
def service_errors(operation: str, *, invalid: Translator | None = None) -> Iterator[None]:
    """Raise every client or sign-in failure in the block as its translation (logged once)."""
    try:
        yield
    except (PartnerCenterError, AuthError) as error:
        translated = translate(error, invalid=invalid)
        logger.info(
            "referrals.%s.failed error=%s as=%s %s",
            operation,
            type(error).__name__,
            type(translated).__name__,
            error,  # the summary holds ids and codes only, never a token or message text
        )
        raise translated from error
