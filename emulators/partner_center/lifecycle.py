"""Status, substatus and direction rules of spec §4, and the server fields a write stamps.

**Decision (direction):** a partner can only decline or let expire what it received, so
`Declined` and `Expired` need `direction: Incoming`; `Received` likewise. Outgoing referrals may
be New/Pending (sent, not yet picked up), Active/Accepted, Closed/Won or Closed/Lost.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from emulators.partner_center.errors import invalid_request

SUBSTATUSES_OF = {
    "New": frozenset({"Pending", "Received"}),
    "Active": frozenset({"Accepted"}),
    "Closed": frozenset({"Won", "Lost", "Declined", "Expired"}),
}
MOVES = {
    "New": frozenset({"New", "Active", "Closed"}),
    "Active": frozenset({"Active", "Closed"}),
    "Closed": frozenset[str](),
}
SUBSTATUSES_BY_DIRECTION = {
    "Incoming": frozenset().union(*SUBSTATUSES_OF.values()),
    "Outgoing": frozenset({"Pending", "Accepted", "Won", "Lost"}),
}


def check_pairing(document: Mapping[str, Any]) -> None:
    """400 (target `status`) unless the substatus belongs to the status and the direction."""
    status, substatus = document.get("status"), document.get("substatus")
    direction = document.get("direction")
    if substatus not in SUBSTATUSES_OF.get(str(status), ()):
        raise invalid_request(
            f"Substatus '{substatus}' is not valid with status '{status}'.", target="status"
        )
    if substatus not in SUBSTATUSES_BY_DIRECTION.get(str(direction), ()):
        raise invalid_request(
            f"Substatus '{substatus}' is not valid for an {direction} referral.", target="status"
        )


def check_open(before: Mapping[str, Any]) -> None:
    """Closed is terminal: no write after Won, Lost, Declined or Expired."""
    if before.get("status") == "Closed":
        raise invalid_request(
            f"The referral is closed ({before.get('substatus')}); it can no longer be changed.",
            target="status",
        )


def check_transition(before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
    """The whole after-image must be a valid state reachable from the before-image."""
    check_open(before)
    old, new = str(before.get("status")), str(after.get("status"))
    if new not in MOVES.get(old, ()):
        raise invalid_request(f"Status cannot move from '{old}' to '{new}'.", target="status")
    check_pairing(after)


def new_etag(now: datetime) -> str:
    """A Cosmos DB style etag: the value itself carries literal double quotes."""
    return f'"{secrets.token_hex(4)}-0000-0100-0000-{int(now.timestamp()):08x}0000"'


def iso(moment: datetime) -> str:
    """ISO-8601 UTC with 7 fractional digits and `Z`, as the service writes dates."""
    moment = moment.astimezone(UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond:06d}0Z"


def stamp_write(before: Mapping[str, Any] | None, after: dict[str, Any], now: datetime) -> None:
    """What every successful write changes: eTag, updatedDateTime, and accept/close times."""
    after["eTag"] = new_etag(now)
    after["updatedDateTime"] = iso(now)
    old_status = before.get("status") if before else None
    if after.get("status") == "Active" and old_status != "Active":
        after["acceptedDateTime"] = iso(now)
    if after.get("status") == "Closed" and old_status != "Closed":
        after["closedDateTime"] = iso(now)
