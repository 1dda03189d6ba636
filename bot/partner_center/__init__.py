"""Typed async client of the Partner Center Referrals API."""

from bot.partner_center.client import ReferralsClient
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
from bot.partner_center.retry import RetryPolicy

__all__ = [
    "ForbiddenError",
    "InvalidRequestError",
    "NotFoundError",
    "PartnerCenterError",
    "PreconditionFailedError",
    "ReferralsClient",
    "RetryPolicy",
    "ThrottledError",
    "UnauthenticatedError",
    "UnavailableError",
    "UnexpectedResponseError",
    "WriteNotAppliedError",
]
