"""The OData subset of the Referrals list route (spec §2): filter, order, count, select and page.
No I/O. Strict mode (the default) accepts only the documented subset, lenient the wider grammar
(`odata_grammar`).

Decisions the spec leaves open:
- `$top` is 0..1000 (`$top=0&$count=true` only counts); above the page size it still pages:
  `$top` caps the whole result, the service's page size (100) cuts it into pages.
- `$skip` is 0..999999999. Other `$` options (`$expand`, `$search`, ...) are rejected; query
  parameters without `$` are not OData options and are ignored.
- `$select` names top-level properties (`id,name,status`); each item carries only those it has.
  Paths into a property (`customerProfile/name`) are refused.
- Without `$orderby` items keep the order they were given in (the store's order). With it, ties
  are broken by `id` ascending, and nulls sort first ascending, last descending.
- `$skiptoken` is base64url JSON: the absolute position of the next page plus a digest of
  `$filter`, `$orderby`, `$top` and `$skip`, so a tampered token, or one from another query, is
  refused. Paging is by position: items written between pages can shift what the next page holds.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from emulators.partner_center import odata_grammar as documented
from emulators.partner_center.odata_filter import parse_filter
from emulators.partner_center.odata_grammar import QueryMode
from emulators.partner_center.odata_model import REFERRAL_SCHEMA, ODataError, sort_key

__all__ = ["ORDERABLE", "ODataError", "QueryMode", "QueryPage", "query_referrals", "wants_count"]

# What lenient mode orders by; strict mode only by `odata_grammar.DOCUMENTED_ORDERBY`.
ORDERABLE = ("createdDateTime", "updatedDateTime", "details/closingDateTime", "details/dealValue")
MAX_TOP = 1000
MAX_SKIP = 999_999_999
_OPTIONS = ("$filter", "$orderby", "$top", "$skip", "$count", "$select", "$skiptoken")
_TOKEN_TEXT = re.compile(r"[A-Za-z0-9_-]{1,200}")


@dataclass(frozen=True)
class QueryPage:
    items: list[dict[str, Any]]
    count: int  # total matching the filter, before $top/$skip/paging
    next_params: dict[str, str] | None  # the query of @odata.nextLink; None on the last page


@dataclass(frozen=True)
class _OrderKey:
    path: tuple[str, ...]
    descending: bool


def query_referrals(
    items: Sequence[Mapping[str, Any]],
    params: Mapping[str, str],
    *,
    page_size: int = 100,
    mode: QueryMode = QueryMode.STRICT,
) -> QueryPage:
    """One page of `items` as the list route answers `params`; ODataError for a bad query."""
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    _reject_unknown_options(params)
    wants_count(params)  # validates $count even though the caller decides what to do with it
    keep = _filter(params.get("$filter"), mode)
    order = _parse_orderby(params.get("$orderby"), mode)
    selected = _parse_select(params.get("$select"))
    top = _bounded_integer(params, "$top", MAX_TOP)
    skip = _bounded_integer(params, "$skip", MAX_SKIP) or 0
    matching = [dict(item) for item in items if keep(item)]
    _sort(matching, order)
    end = len(matching) if top is None else min(len(matching), skip + top)
    digest = _digest(params)
    start = _start(params.get("$skiptoken"), skip, digest)
    stop = min(start + page_size, end)
    next_params = None
    if stop < end:
        next_params = {key: value for key, value in params.items() if key != "$skiptoken"}
        next_params["$skiptoken"] = _encode_token(stop, digest)
    page = matching[start:stop]
    if selected is not None:
        page = [{name: item[name] for name in selected if name in item} for item in page]
    return QueryPage(page, len(matching), next_params)


def wants_count(params: Mapping[str, str]) -> bool:
    """`$count=true` asks for `@odata.count`; only `true` and `false` are valid."""
    value = params.get("$count")
    if value is None or value == "false":
        return False
    if value == "true":
        return True
    raise ODataError(f"$count must be true or false, not {value!r}")


def _reject_unknown_options(params: Mapping[str, str]) -> None:
    for name in params:
        if name.startswith("$") and name not in _OPTIONS:
            raise ODataError(
                f"Unsupported query option '{name}' (supported: {', '.join(_OPTIONS)})"
            )


def _filter(text: str | None, mode: QueryMode) -> Callable[[Mapping[str, Any]], bool]:
    return (lambda _item: True) if text is None else parse_filter(text, mode)


def _bounded_integer(params: Mapping[str, str], name: str, highest: int) -> int | None:
    text = params.get(name)
    if text is None:
        return None
    if not re.fullmatch(r"[0-9]{1,9}", text) or int(text) > highest:
        raise ODataError(f"{name} must be a whole number from 0 to {highest}, not {text!r}")
    return int(text)


def _parse_orderby(text: str | None, mode: QueryMode) -> list[_OrderKey]:
    if text is None:
        return []
    keys = []
    clauses = text.split(",")
    for clause in clauses:
        words = clause.split()
        if not words or len(words) > 2:
            raise ODataError(f"$orderby needs 'property [asc|desc]' items, got {clause.strip()!r}")
        if mode is QueryMode.STRICT:
            documented.check_orderby(words[0], len(clauses))
        if words[0] not in ORDERABLE:
            raise ODataError(f"Cannot order by '{words[0]}' (orderable: {', '.join(ORDERABLE)})")
        direction = words[1] if len(words) == 2 else "asc"
        if direction not in ("asc", "desc"):
            raise ODataError(f"$orderby direction must be asc or desc, not {direction!r}")
        keys.append(_OrderKey(tuple(words[0].split("/")), direction == "desc"))
    return keys


def _parse_select(text: str | None) -> list[str] | None:
    if text is None:
        return None
    names = [name.strip() for name in text.split(",")]
    for name in names:
        if not name:
            raise ODataError(f"$select needs property names separated by commas, got {text!r}")
        if "/" in name:
            raise ODataError(f"$select on {name} is not supported: select top-level properties")
        if not isinstance(REFERRAL_SCHEMA, dict) or name not in REFERRAL_SCHEMA:
            raise ODataError(f"Unknown property '{name}' in $select")
    return names


def _value_at(item: Mapping[str, Any], path: tuple[str, ...]) -> object:
    value: object = item
    for segment in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(segment)
    return value


def _sort(items: list[dict[str, Any]], order: Sequence[_OrderKey]) -> None:
    """Stable multi-key sort: tie-break by id first, then each key from the last to the first."""
    if not order:
        return
    items.sort(key=lambda item: str(item.get("id", "")))
    for key in reversed(order):
        items.sort(key=_sort_key_at(key.path), reverse=key.descending)


def _sort_key_at(path: tuple[str, ...]) -> Callable[[Mapping[str, Any]], tuple[int, Any]]:
    return lambda item: sort_key(_value_at(item, path))


def _digest(params: Mapping[str, str]) -> str:
    shape = [params.get(name) for name in ("$filter", "$orderby", "$top", "$skip")]
    return hashlib.sha256(json.dumps(shape).encode()).hexdigest()[:16]


def _encode_token(position: int, digest: str) -> str:
    raw = json.dumps({"p": position, "q": digest}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _start(token: str | None, skip: int, digest: str) -> int:
    """Where this page starts: $skip on the first page, the token's position afterwards."""
    if token is None:
        return skip
    try:
        if not _TOKEN_TEXT.fullmatch(token):
            raise ValueError("not base64url")
        decoded = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except ValueError as exc:
        raise ODataError("Invalid $skiptoken: follow @odata.nextLink verbatim") from exc
    position = decoded.get("p") if isinstance(decoded, dict) else None
    if isinstance(position, bool) or not isinstance(position, int) or position < skip:
        raise ODataError("Invalid $skiptoken: follow @odata.nextLink verbatim")
    if decoded.get("q") != digest:
        raise ODataError("$skiptoken belongs to another query: keep $filter/$orderby/$top/$skip")
    return position
