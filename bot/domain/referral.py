"""The typed referral: what the bot reads and plans changes against, shaped like the service JSON.

Every model is frozen, speaks camelCase on the wire and keeps fields it does not know
(`extra="allow"`), so `Referral.to_document()` rebuilds the service's document exactly and JSON
Patch planning can diff documents rather than guess. Enum fields tolerate values the service adds
later: a value this code does not know stays the plain string the service sent (test with
`==` against the enum member, which works for both). Timestamps remember the service's own text
(up to 7 fractional digits, more than `datetime` holds), so they round-trip byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Generic, SupportsIndex, TypeVar

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic.alias_generators import to_camel

T = TypeVar("T")


class Status(StrEnum):
    NEW = "New"
    ACTIVE = "Active"
    CLOSED = "Closed"


class Substatus(StrEnum):
    PENDING = "Pending"
    RECEIVED = "Received"
    ACCEPTED = "Accepted"
    WON = "Won"
    LOST = "Lost"
    DECLINED = "Declined"
    EXPIRED = "Expired"


class SalesStage(StrEnum):
    QUALIFY = "Qualify"
    DEVELOP = "Develop"
    PROPOSE = "Propose"
    CLOSE = "Close"


class Direction(StrEnum):
    INCOMING = "Incoming"
    OUTGOING = "Outgoing"


class ReferralType(StrEnum):
    INDEPENDENT = "Independent"
    SHARED = "Shared"


class Qualification(StrEnum):
    NONE = "None"
    DIRECT = "Direct"
    MARKETING_QUALIFIED = "MarketingQualified"
    SALES_QUALIFIED = "SalesQualified"


class _ServiceTime(datetime):
    """A datetime that keeps the text the service sent it as (None when built locally)."""

    text: str | None = None

    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple[Any, ...]:
        """Copies and pickles keep the text (datetime's own reduce would drop it)."""
        return (_service_time, (self.isoformat(), self.text))


def _service_time(iso: str, text: str | None) -> _ServiceTime:
    parsed = datetime.fromisoformat(iso)
    stamped = _ServiceTime(
        parsed.year,
        parsed.month,
        parsed.day,
        parsed.hour,
        parsed.minute,
        parsed.second,
        parsed.microsecond,
        tzinfo=parsed.tzinfo,
    )
    stamped.text = text
    return stamped


def format_service_time(value: datetime) -> str:
    """The service's own text if we have it, else ISO-8601 UTC with 7 fractional digits and Z."""
    text = getattr(value, "text", None)
    if isinstance(text, str):
        return text
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"


def _keep_service_text(value: Any, handler: ValidatorFunctionWrapHandler) -> datetime:
    parsed: datetime = handler(value)
    if not isinstance(value, str):
        return parsed
    return _service_time(parsed.isoformat(), value)


def _deal_value_json(value: Decimal) -> int | float:
    """The service stores a number: whole values go out as integers, others as floats."""
    exponent = value.as_tuple().exponent
    return int(value) if isinstance(exponent, int) and exponent >= 0 else float(value)


ServiceDateTime = Annotated[
    AwareDatetime,
    WrapValidator(_keep_service_text),
    PlainSerializer(format_service_time, return_type=str),
]
DealValue = Annotated[Decimal, PlainSerializer(_deal_value_json)]


OpenStatus = Annotated[Status | str, Field(union_mode="left_to_right")]
OpenSubstatus = Annotated[Substatus | str, Field(union_mode="left_to_right")]
OpenSalesStage = Annotated[SalesStage | str, Field(union_mode="left_to_right")]
OpenDirection = Annotated[Direction | str, Field(union_mode="left_to_right")]
OpenReferralType = Annotated[ReferralType | str, Field(union_mode="left_to_right")]
OpenQualification = Annotated[Qualification | str, Field(union_mode="left_to_right")]


class _ServiceModel(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="allow", alias_generator=to_camel, populate_by_name=True
    )

    def to_document(self) -> dict[str, Any]:
        """The service JSON: only the fields it had (or that were set), unknown ones included."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


class Address(_ServiceModel):
    address_line1: str | None = None
    address_line2: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None
    region: str | None = None


class TeamMember(_ServiceModel):
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone_number: str | None = None


class CustomerProfile(_ServiceModel):
    name: str | None = None
    address: Address | None = None
    size: str | None = None
    team: tuple[TeamMember, ...] = ()


class Details(_ServiceModel):
    notes: str | None = None
    deal_value: DealValue | None = None
    currency: str | None = None
    closing_date_time: ServiceDateTime | None = None


class Referral(_ServiceModel):
    """One lead or co-sell opportunity. `team` is the partner's sellers on it."""

    id: str
    engagement_id: str | None = None
    name: str | None = None
    organization_id: str | None = None
    organization_name: str | None = None
    external_reference_id: str | None = None
    created_date_time: ServiceDateTime | None = None
    updated_date_time: ServiceDateTime | None = None
    expiration_date_time: ServiceDateTime | None = None
    accepted_date_time: ServiceDateTime | None = None
    closed_date_time: ServiceDateTime | None = None
    status: OpenStatus | None = None
    substatus: OpenSubstatus | None = None
    status_reason: str | None = None
    type: OpenReferralType | None = None
    qualification: OpenQualification | None = None
    direction: OpenDirection | None = None
    sales_stage: OpenSalesStage | None = None
    customer_profile: CustomerProfile | None = None
    details: Details | None = None
    team: tuple[TeamMember, ...] = ()
    e_tag: str | None = None

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> Referral:
        return cls.model_validate(document)


@dataclass(frozen=True)
class Versioned(Generic[T]):
    """A value plus the eTag it had, exactly as the service gave it (literal quotes included)."""

    value: T
    etag: str
