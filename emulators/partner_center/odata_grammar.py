"""Which OData the list route accepts: the documented subset (strict) or the wider grammar.

Strict, the default everywhere, is exactly what the working spec lists as documented (spec §2,
`docs/referrals-api.md`): `$filter` with `eq`, `and`, `or`, parentheses, `team/any(t:t/email eq
'x')`, single-quoted strings (bare GUIDs for `engagementId`) on a few fields; `$orderby` on the
two timestamps. Anything else is refused with 400 `invalidRequest` naming the unsupported part,
so a client that works here relies on nothing the real service may refuse. Lenient is the wider
grammar an earlier revision of the spec accepted (`not`, `ne`/`lt`/..., `contains()`, any field),
kept for experiments only. The checks run on the parsed filter (`odata_filter`), never on text.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from emulators.partner_center.odata_model import ODataError


class QueryMode(StrEnum):
    STRICT = "strict"
    LENIENT = "lenient"


DOCUMENTED_FILTER_FIELDS = frozenset(
    {
        "status",
        "substatus",
        "direction",
        "type",
        "qualification",
        "engagementId",
        "customerProfile/address/country",
    }
)
# Collections the documented filter reaches with any(), and what the lambda variable may name.
DOCUMENTED_LAMBDAS: Mapping[str, frozenset[str]] = {"team": frozenset({"email"})}
BARE_GUID_FIELDS = frozenset({"engagementId"})  # "GUID values may be quoted or bare"
DOCUMENTED_ORDERBY = ("createdDateTime", "updatedDateTime")

_SUFFIX = " (documented: spec §2)"


def unsupported(part: str) -> ODataError:
    """A strict refusal naming the part: "contains() is not supported in $filter (...)"."""
    return ODataError(f"{part} is not supported in $filter{_SUFFIX}")


def check_operator(op: str) -> None:
    if op != "eq":
        raise unsupported(f"'{op}'")


def check_field(path: str) -> None:
    if path not in DOCUMENTED_FILTER_FIELDS:
        raise ODataError(f"$filter on {path} is not supported{_SUFFIX}")


def check_lambda(collection: str, kind: str, *, empty: bool) -> None:
    if collection not in DOCUMENTED_LAMBDAS or kind != "any":
        raise unsupported(f"{collection}/{kind}()")
    if empty:
        raise unsupported(f"{collection}/any() without a condition")


def check_lambda_member(collection: str, member: str, shown: str) -> None:
    if member not in DOCUMENTED_LAMBDAS.get(collection, frozenset()):
        raise ODataError(f"$filter on {shown} inside {collection}/any() is not supported{_SUFFIX}")


def check_value(field: str, kind: str, text: str) -> None:
    """The right side of `field eq ...`: a quoted string, or a bare GUID where the docs allow."""
    if kind == "string" or (kind == "guid" and field in BARE_GUID_FIELDS):
        return
    if kind == "guid":
        raise unsupported(f"The bare GUID {text} on {field} (quote it)")
    raise unsupported(f"The literal {text} (values are single-quoted strings)")


def check_orderby(path: str, key_count: int) -> None:
    if path not in DOCUMENTED_ORDERBY:
        raise ODataError(f"$orderby on {path} is not supported{_SUFFIX}")
    if key_count > 1:
        raise ODataError(f"$orderby on more than one property is not supported{_SUFFIX}")
