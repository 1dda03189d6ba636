"""One referral as a seller's index keeps it: what search, lists and questions need, nothing more.

An entry deliberately drops notes, contact phone numbers, addresses (but the country) and the
customer's own contacts: the index is persisted per seller, and what it never holds it cannot leak.
`to_referral()` rebuilds a `Referral` good enough for a list row, a pick list and "did you mean";
anything that changes a referral reads the full one from the service first.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from bot.domain.referral import Address, CustomerProfile, Details, Referral, TeamMember


@dataclass(frozen=True, slots=True)
class IndexMember:
    """A partner team member: name and e-mail only (satisfies `bot.domain.formatting.Person`)."""

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """Enum-valued fields are the service's plain strings (compare with `==` to the enum member)."""

    id: str
    name: str | None = None
    customer_name: str | None = None
    customer_country: str | None = None
    status: str | None = None
    substatus: str | None = None
    direction: str | None = None
    type: str | None = None
    deal_value: Decimal | None = None
    currency: str | None = None
    closing_date_time: datetime | None = None
    created_date_time: datetime | None = None
    updated_date_time: datetime | None = None
    expiration_date_time: datetime | None = None
    sales_stage: str | None = None
    external_reference_id: str | None = None
    team: tuple[IndexMember, ...] = ()

    @classmethod
    def of(cls, referral: Referral) -> IndexEntry:
        profile = referral.customer_profile
        address = profile.address if profile else None
        details = referral.details
        return cls(
            id=referral.id,
            name=referral.name,
            customer_name=profile.name if profile else None,
            customer_country=_text(address.country if address else None),
            status=_text(referral.status),
            substatus=_text(referral.substatus),
            direction=_text(referral.direction),
            type=_text(referral.type),
            deal_value=details.deal_value if details else None,
            currency=_text(details.currency if details else None),
            closing_date_time=_plain(details.closing_date_time if details else None),
            created_date_time=_plain(referral.created_date_time),
            updated_date_time=_plain(referral.updated_date_time),
            expiration_date_time=_plain(referral.expiration_date_time),
            sales_stage=_text(referral.sales_stage),
            external_reference_id=referral.external_reference_id,
            team=tuple(
                IndexMember(member.first_name, member.last_name, member.email)
                for member in referral.team
            ),
        )

    def to_referral(self) -> Referral:
        """Only the indexed fields are set, so `to_document()` shows exactly what is known."""
        fields: dict[str, Any] = _present(
            id=self.id,
            name=self.name,
            external_reference_id=self.external_reference_id,
            created_date_time=self.created_date_time,
            updated_date_time=self.updated_date_time,
            expiration_date_time=self.expiration_date_time,
            status=self.status,
            substatus=self.substatus,
            type=self.type,
            direction=self.direction,
            sales_stage=self.sales_stage,
        )
        if self.customer_name is not None or self.customer_country is not None:
            address = Address(country=self.customer_country) if self.customer_country else None
            fields["customer_profile"] = CustomerProfile(
                **_present(name=self.customer_name, address=address)
            )
        details = _present(
            deal_value=self.deal_value,
            currency=self.currency,
            closing_date_time=self.closing_date_time,
        )
        if details:
            fields["details"] = Details(**details)
        if self.team:
            fields["team"] = tuple(
                TeamMember(
                    **_present(first_name=m.first_name, last_name=m.last_name, email=m.email)
                )
                for m in self.team
            )
        return Referral(**fields)


def _text(value: str | None) -> str | None:
    """A StrEnum member as its plain value (interned: 10,000 entries share a few statuses)."""
    return None if value is None else sys.intern(str(value))


def _plain(value: datetime | None) -> datetime | None:
    """A plain datetime: the model's datetimes carry the service text, which the index drops."""
    if value is None:
        return None
    return datetime(
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
        tzinfo=value.tzinfo,
        fold=value.fold,
    )


def _present(**fields: Any) -> dict[str, Any]:
    """Only the fields that have a value: an explicit None would count as "set" in the model."""
    return {key: value for key, value in fields.items() if value is not None}
