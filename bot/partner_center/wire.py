"""Service JSON <-> the typed referral model, both ways. No I/O.

Every reader raises ValueError (pydantic's ValidationError is one) when the JSON is not what
the spec promises; the client turns that into `UnexpectedResponseError` with the request ids.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from bot.domain.referral import Referral, Versioned, format_service_time

NEXT_LINK = "@odata.nextLink"
COUNT = "@odata.count"


@dataclass(frozen=True)
class Page:
    items: list[Referral]
    next_link: str | None
    count: int | None = None  # `@odata.count`, when the query asked for `$count=true`


def dump_json(value: Any) -> bytes:
    """A request body; Decimal, datetime and models are written the way the service reads them."""
    return json.dumps(value, default=_json_default, separators=(",", ":"), allow_nan=False).encode()


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime):
        return format_service_time(value)
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def load_json(body: bytes) -> Any:
    return json.loads(body)


def referral_from_json(document: Any) -> Referral:
    if not isinstance(document, Mapping):
        raise ValueError("a referral must be a JSON object")
    return Referral.from_document(document)


def referral_to_json(referral: Referral) -> dict[str, Any]:
    return referral.to_document()


def versioned_from_json(document: Any, etag_header: str | None) -> Versioned[Referral]:
    """The referral and its eTag: the body's `eTag` first, else the `ETag` header, verbatim."""
    referral = referral_from_json(document)
    etag = referral.e_tag or etag_header
    if not etag:
        raise ValueError("the referral came without an eTag")
    return Versioned(value=referral, etag=etag)


def page_from_json(document: Any) -> Page:
    if not isinstance(document, Mapping) or not isinstance(document.get("value"), list):
        raise ValueError("a list answer must be an object with a 'value' array")
    next_link = document.get(NEXT_LINK)
    if next_link is not None and not isinstance(next_link, str):
        raise ValueError("@odata.nextLink must be a string")
    count = document.get(COUNT)
    if count is not None and (type(count) is not int or count < 0):
        raise ValueError("@odata.count must be a non-negative integer")
    items = [referral_from_json(item) for item in document["value"]]
    return Page(items=items, next_link=next_link or None, count=count)
