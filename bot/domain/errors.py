"""Errors the conversation layer handles, independent of HTTP and msal.

    ReferralBotError
    ├── DomainError                    planning refused: a user error, explain and change nothing
    │   ├── TransitionNotAllowedError  anything after Won/Lost/Declined/Expired…
    │   ├── NothingToChangeError       a no-op: "123 is already won"
    │   └── InvalidChangeError         a value the service would refuse (negative amount…)
    └── ServiceError                   the Referrals service port failed (raised by bot/ adapters)
        ├── ReferralNotFoundError      no such referral, or not visible to this seller
        ├── AccessDeniedError          no Partner Center role (Referral Admin/User, Global Admin)
        ├── ConcurrentUpdateError      412: someone else changed it since it was read
        ├── TooManyRequestsError       429: retry_after seconds
        ├── SignInRequiredError        the seller must sign in again (consent, MFA, expired)
        │   └── NotSignedInError       no token for this seller yet (never signed in)
        └── ServiceUnavailableError    5xx, timeouts, outage, or an outcome that is unknown
            ├── ChangeNotAppliedError      nothing was written: safe to click Confirm again
            └── ChangeSavedUnreadableError the write landed; the updated referral could not be read
Every error carries `user_message`: a sentence a seller can read, never exception or service text.
The defaults (`default_message`) stay here, not in a replies module: they are what the error
means to a seller, and the domain layer sits below the dialogs and the card actions that say
them (their own wording around it is in `dialogs.replies` and `bot.card_actions.replies`).
"""

from __future__ import annotations


class ReferralBotError(Exception):
    default_message = "Something went wrong."

    def __init__(self, user_message: str | None = None) -> None:
        self.user_message = user_message or self.default_message
        super().__init__(self.user_message)


class DomainError(ReferralBotError):
    default_message = "That change isn't possible."


class TransitionNotAllowedError(DomainError):
    default_message = "That status change isn't allowed for this referral."


class NothingToChangeError(DomainError):
    default_message = "Nothing would change: the referral already looks like that."


class InvalidChangeError(DomainError):
    default_message = "That value can't be used for this referral."


class ServiceError(ReferralBotError):
    default_message = "Partner Center couldn't complete the request."


class ReferralNotFoundError(ServiceError):
    default_message = "I can't find that referral, or you can't see it in Partner Center."


class AccessDeniedError(ServiceError):
    default_message = (
        "Partner Center didn't let you do that. Referral updates need the Referral Admin, "
        "Referral User (on the referral's team) or Global Admin role."
    )

    def __init__(self, user_message: str | None = None) -> None:
        super().__init__(user_message)
        self.names_roles = user_message is None  # the default sentence already lists the roles


class ConcurrentUpdateError(ServiceError):
    default_message = "Someone else changed this referral a moment ago."


class TooManyRequestsError(ServiceError):
    default_message = "Partner Center is busy right now."

    def __init__(self, user_message: str | None = None, *, retry_after: float | None = None):
        super().__init__(user_message)
        self.retry_after = retry_after


class SignInRequiredError(ServiceError):
    default_message = "Please sign in again so I can act on your behalf."


class NotSignedInError(SignInRequiredError):
    """No token for this seller yet (as opposed to one Partner Center or Entra refused)."""


class ServiceUnavailableError(ServiceError):
    default_message = "Partner Center isn't answering right now. Please try again in a minute."


class ChangeNotAppliedError(ServiceUnavailableError):
    default_message = (
        "Partner Center didn't answer in time, and nothing was changed. Please try again."
    )


class ChangeSavedUnreadableError(ServiceUnavailableError):
    default_message = (
        "Your change was saved, but I couldn't load the updated referral. "
        "Ask me to show it again in a moment."
    )
