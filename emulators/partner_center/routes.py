"""The handlers of `/v1.0/engagements/referrals`: list, get, create, JSON Patch, obsolete PUT.

Handlers run behind the guard (`caller_of(request)` is set) and raise `ApiError` to refuse;
writes go through `ReferralStore.update`, so a refused write stores nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote, urlencode

from aiohttp import web

from emulators.partner_center.callers import Caller
from emulators.partner_center.documents import (
    READ_ONLY,
    REFERRAL_SCHEMA,
    check_value,
    coerce_deal_value,
    validate_document,
)
from emulators.partner_center.errors import invalid_request, not_found
from emulators.partner_center.guard import caller_of
from emulators.partner_center.lifecycle import check_open, check_transition
from emulators.partner_center.odata import ODataError, QueryMode, query_referrals, wants_count
from emulators.partner_center.patching import apply_operations, parse_operations
from emulators.partner_center.request_body import prefers_representation, read_json
from emulators.partner_center.store import ReferralStore

COLLECTION = "/v1.0/engagements/referrals"
PAGE_SIZE = 100
REQUIRED_ON_CREATE = ("type", "customerProfile", "consent", "details")
# Server-owned on create: ignored when a client sends them (type and qualification are the
# client's to choose on create, read-only afterwards).
IGNORED_ON_CREATE = (READ_ONLY - {"type", "qualification"}) | {
    "status",
    "substatus",
    "expirationDateTime",
}


def _single(doc: Mapping[str, Any], status: int = 200) -> web.Response:
    return web.json_response(doc, status=status, headers={"ETag": doc["eTag"]})


def _creator_member(caller: Caller) -> dict[str, Any]:
    return {"firstName": caller.first_name, "lastName": caller.last_name, "email": caller.upn}


class ReferralsRoutes:
    def __init__(
        self, store: ReferralStore, base_url: str, query_mode: QueryMode = QueryMode.STRICT
    ) -> None:
        self._store = store
        self._base_url = base_url.rstrip("/")
        self._query_mode = query_mode

    def add_to(self, app: web.Application) -> None:
        app.router.add_get(COLLECTION, self.list_referrals)
        app.router.add_post(COLLECTION, self.create_referral)
        app.router.add_get(COLLECTION + "/{id}", self.get_referral)
        app.router.add_patch(COLLECTION + "/{id}", self.patch_referral)
        app.router.add_put(COLLECTION + "/{id}", self.replace_referral)

    async def list_referrals(self, request: web.Request) -> web.Response:
        caller = caller_of(request)
        visible = self._store.visible(caller.can_see)
        params = dict(request.query)
        try:
            page = query_referrals(visible, params, page_size=PAGE_SIZE, mode=self._query_mode)
        except ODataError as exc:
            raise invalid_request(str(exc), target="query") from exc
        body: dict[str, Any] = {"@odata.context": f"{self._base_url}/v1.0/$metadata#referrals"}
        if wants_count(params):
            body["@odata.count"] = page.count
        body["value"] = page.items
        if page.next_params is not None:
            query = urlencode(page.next_params, quote_via=quote)
            body["@odata.nextLink"] = f"{self._base_url}{COLLECTION}?{query}"
        return web.json_response(body)

    async def get_referral(self, request: web.Request) -> web.Response:
        referral_id = request.match_info["id"]
        doc = self._store.get(referral_id)
        if doc is None or not caller_of(request).can_see(doc):
            raise not_found(referral_id)
        return _single(doc)

    async def create_referral(self, request: web.Request) -> web.Response:
        """201 with the new referral: an outgoing deal, Active/Accepted from the start.

        **Decision:** when the team is empty the creator is put on it, so a Referral User can
        see (and keep working on) what they created.
        """
        body = await read_json(request)
        if not isinstance(body, dict):
            raise invalid_request("The body must be a referral object.", target="body")
        for name in REQUIRED_ON_CREATE:
            if body.get(name) is None:
                raise invalid_request(f"'{name}' is required.", target=name)
        fields = {key: value for key, value in body.items() if key not in IGNORED_ON_CREATE}
        check_value(fields, REFERRAL_SCHEMA, "", strict=True)
        fields.update(status="Active", substatus="Accepted", direction="Outgoing")
        if not fields.get("team"):
            fields["team"] = [_creator_member(caller_of(request))]
        coerce_deal_value(fields)
        doc = self._store.create(fields)
        return _single(doc, status=201)

    async def patch_referral(self, request: web.Request) -> web.Response:
        """JSON Patch (add/replace), validated as a whole; 204, or 200 with `Prefer`."""
        ops = parse_operations(await read_json(request))

        def change(before: dict[str, Any]) -> dict[str, Any]:
            check_open(before)
            return _validated(before, apply_operations(before, ops))

        doc = self._update(request, change, if_match=request.headers.get("If-Match"))
        if prefers_representation(request):
            return _single(doc)
        return web.Response(status=204, headers={"ETag": doc["eTag"]})

    async def replace_referral(self, request: web.Request) -> web.Response:
        """Obsolete full replace. Read-only members in the body are ignored (clients send back
        what they read); everything else is replaced and validated like a PATCH result.

        **Decision:** a missing If-Match is 400 `invalidRequest` (target `If-Match`), not 428:
        the spec's error vocabulary has no code for 428.
        """
        body = await read_json(request)
        if_match = request.headers.get("If-Match")
        if if_match is None:
            raise invalid_request("PUT requires an If-Match header.", target="If-Match")
        if not isinstance(body, dict):
            raise invalid_request("The body must be a referral object.", target="body")
        replacement = {key: value for key, value in body.items() if key not in READ_ONLY}
        check_value(replacement, REFERRAL_SCHEMA, "", strict=True)

        def change(before: dict[str, Any]) -> dict[str, Any]:
            check_open(before)
            kept = {key: before[key] for key in READ_ONLY if key in before}
            return _validated(before, {**replacement, **kept})

        return _single(self._update(request, change, if_match=if_match))

    def _update(
        self,
        request: web.Request,
        change: Callable[[dict[str, Any]], dict[str, Any]],
        *,
        if_match: str | None,
    ) -> dict[str, Any]:
        caller = caller_of(request)
        referral_id = request.match_info["id"]
        return self._store.update(referral_id, change, if_match=if_match, visible=caller.can_see)


def _validated(before: Mapping[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    coerce_deal_value(after)
    validate_document(after)
    check_transition(before, after)
    return after
