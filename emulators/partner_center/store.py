"""The emulator's referrals, in memory: seeded from fixtures, written only through checked ops.

Every operation is synchronous, so on the single event loop a check (exists, visible, If-Match)
and the write that follows it cannot interleave with another request: there is no await between
them.

**Decision:** fixtures are completed once, at construction; `reset()` restores exactly that
state (same ids, same eTags, same dates). A client that kept an eTag across a reset therefore
still matches, which is what a test that resets between cases wants.

Every stored write is told to the `on_change` listener (`"created"` or `"updated"`, the stored
document, the write's time): that is where webhook events come from (`webhooks.py`). A reset
tells nothing: it restores, it does not change.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from emulators.fixtures import DEFAULT_TENANT_ID, FixtureError
from emulators.partner_center.documents import is_iso_datetime, validate_document
from emulators.partner_center.errors import ApiError, not_found, precondition_failed
from emulators.partner_center.lifecycle import check_pairing, iso, new_etag, stamp_write

EXPIRY = timedelta(days=14)
_TICK = timedelta(microseconds=1)
_DEFAULT_SUBSTATUS = {"New": "Received", "Active": "Accepted", "Closed": "Won"}
ChangeListener = Callable[[str, Mapping[str, Any], datetime], object]


@dataclass(frozen=True)
class PartnerOrganization:
    id: str = DEFAULT_TENANT_ID
    name: str = "Contoso"


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _merge(defaults: Mapping[str, Any], given: Mapping[str, Any]) -> dict[str, Any]:
    """`given` wins; nested objects present on both sides are merged member by member."""
    merged = dict(defaults)
    for key, value in given.items():
        default = defaults.get(key)
        both_objects = isinstance(default, Mapping) and isinstance(value, Mapping)
        merged[key] = _merge(default, value) if both_objects else value  # type: ignore[arg-type]
    return merged


class ReferralStore:
    def __init__(
        self,
        seed: Iterable[Mapping[str, Any]],
        *,
        base_url: str,
        organization: PartnerOrganization | None = None,
        clock: Callable[[], datetime] = _utcnow,
        on_change: ChangeListener | None = None,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self.on_change = on_change
        self._organization = organization or PartnerOrganization()
        self._clock = clock
        self._last_write: datetime | None = None
        self._items: dict[str, dict[str, Any]] = {}
        self._seed = self._load_seed(seed)
        self.reset()

    def reset(self) -> None:
        self._items = {doc["id"]: copy.deepcopy(doc) for doc in self._seed}

    def all(self) -> list[dict[str, Any]]:
        return [copy.deepcopy(doc) for doc in self._items.values()]

    def visible(self, can_see: Callable[[Mapping[str, Any]], bool]) -> list[Mapping[str, Any]]:
        """The documents `can_see` admits, not copied: read-only, and to be serialized before
        the next await (a copy of every document per page made a 10,000-referral list route
        spend half a second a page, docs/performance.md)."""
        return [doc for doc in self._items.values() if can_see(doc)]

    def get(self, referral_id: str) -> dict[str, Any] | None:
        doc = self._items.get(referral_id)
        return copy.deepcopy(doc) if doc is not None else None

    def create(
        self,
        fields: Mapping[str, Any],
        *,
        referral_id: str | None = None,
        engagement_id: str | None = None,
    ) -> dict[str, Any]:
        """Store a new referral from client `fields`; server fields are always the server's.

        `referral_id` and `engagement_id` are for the test controls (a lead that joins an
        existing engagement); the API never passes them.
        """
        now = self._now()
        rid = referral_id or str(uuid.uuid4())
        if rid in self._items:
            raise ApiError(409, "invalidRequest", f"Referral '{rid}' already exists.", target="id")
        doc = self._complete(fields, now, referral_id=rid)
        doc["engagementId"] = engagement_id or str(uuid.uuid4())
        doc["links"] = self._links(doc["id"], doc["engagementId"])
        validate_document(doc)
        check_pairing(doc)
        stamp_write(None, doc, now)
        self._items[doc["id"]] = doc
        self._tell("created", doc, now)
        return copy.deepcopy(doc)

    def has_related(self, referral_id: str) -> bool:
        """Whether another referral shares this one's engagement."""
        doc = self._items.get(referral_id)
        if doc is None:
            return False
        engagement = doc.get("engagementId")
        return any(
            other is not doc and other.get("engagementId") == engagement
            for other in self._items.values()
        )

    def update(
        self,
        referral_id: str,
        change: Callable[[dict[str, Any]], dict[str, Any]],
        *,
        if_match: str | None,
        visible: Callable[[Mapping[str, Any]], bool],
    ) -> dict[str, Any]:
        """Check existence, visibility and If-Match, then store `change(copy)` stamped.

        `change` raises ApiError to refuse; nothing is stored then.
        """
        current = self._items.get(referral_id)
        if current is None or not visible(current):
            raise not_found(referral_id)
        if if_match is not None and if_match != "*" and if_match != current["eTag"]:
            raise precondition_failed()
        after = change(copy.deepcopy(current))
        now = self._now()
        stamp_write(current, after, now)
        self._items[referral_id] = after
        self._tell("updated", after, now)
        return copy.deepcopy(after)

    def bump_etag(self, referral_id: str) -> bool:
        """Another writer came first (test controls): new eTag and updatedDateTime, same data."""
        current = self._items.get(referral_id)
        if current is None:
            return False
        now = self._now()
        current["eTag"] = new_etag(now)
        current["updatedDateTime"] = iso(now)
        self._tell("updated", current, now)
        return True

    def _tell(self, kind: str, doc: Mapping[str, Any], now: datetime) -> None:
        if self.on_change is not None:
            self.on_change(kind, doc, now)

    def _now(self) -> datetime:
        """Strictly increasing, so every write changes updatedDateTime."""
        now = self._clock()
        if self._last_write is not None and now <= self._last_write:
            now = self._last_write + _TICK
        self._last_write = now
        return now

    def _load_seed(self, seed: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        now = self._now()
        docs: list[dict[str, Any]] = []
        ids: set[str] = set()
        for index, partial in enumerate(seed):
            doc = self._complete(partial, now, referral_id=str(partial.get("id") or uuid.uuid4()))
            try:
                validate_document(doc)
                check_pairing(doc)
            except ApiError as exc:
                raise FixtureError(f"referral #{index} ({doc['id']}): {exc.message}") from exc
            if doc["id"] in ids:
                raise FixtureError(f"referral id {doc['id']!r} appears twice")
            ids.add(doc["id"])
            docs.append(doc)
        return docs

    def _complete(
        self, partial: Mapping[str, Any], now: datetime, *, referral_id: str
    ) -> dict[str, Any]:
        """Fill what a partial referral leaves out, the way the service would have."""
        given = copy.deepcopy(dict(partial))
        given.pop("links", None)
        defaults = self._defaults(given, now, referral_id)
        doc = _merge(defaults, given)
        doc["id"] = referral_id
        doc["links"] = self._links(referral_id, doc["engagementId"])
        return doc

    def _defaults(self, given: Mapping[str, Any], now: datetime, rid: str) -> dict[str, Any]:
        created = str(given.get("createdDateTime") or iso(now))
        status = str(given.get("status") or "New")
        substatus = given.get("substatus") or _DEFAULT_SUBSTATUS.get(status, "Received")
        incoming = (given.get("direction") or "Incoming") == "Incoming"
        expires = incoming and status == "New" and is_iso_datetime(created)
        expiration = iso(datetime.fromisoformat(created) + EXPIRY) if expires else None
        closed = str(given.get("updatedDateTime") or created) if status == "Closed" else None
        return {
            "id": rid,
            "engagementId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"engagement:{rid}")),
            "name": f"Referral {rid}",
            "organizationId": self._organization.id,
            "organizationName": self._organization.name,
            "externalReferenceId": None,
            "createdDateTime": created,
            "updatedDateTime": created,
            "expirationDateTime": expiration,
            "acceptedDateTime": created if substatus in ("Accepted", "Won", "Lost") else None,
            "closedDateTime": closed,
            "status": status,
            "substatus": substatus,
            "statusReason": None,
            "type": "Independent",
            "qualification": "None",
            "direction": "Incoming",
            "salesStage": None,
            "customerProfile": {
                "name": None,
                "address": {"city": None, "country": None},
                "size": None,
                "team": [],
                "ids": [],
            },
            "consent": {
                "consentToToShareInfoWithOthers": False,
                "consentToContact": True,
                "consentToShareReferralWithMicrosoftSellers": False,
            },
            "details": {
                "notes": "",
                "dealValue": None,
                "currency": "USD",
                "closingDateTime": None,
                "requirements": {"industries": [], "products": [], "services": [], "solutions": []},
                "customerRequestedContact": False,
            },
            "team": [],
            "inviteContext": None,
            "target": [],
            "eTag": new_etag(now),
        }

    def _links(self, referral_id: str, engagement_id: str) -> dict[str, Any]:
        collection = f"{self._base_url}/v1.0/engagements/referrals"
        return {
            "self": {"uri": f"{collection}/{referral_id}", "method": "GET", "headers": []},
            "relatedReferrals": {
                "uri": f"{collection}?$filter=engagementId%20eq%20'{engagement_id}'",
                "method": "GET",
                "headers": [],
            },
        }
