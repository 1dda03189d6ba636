"""What the bot remembers between turns for one seller in one conversation.

The accessor lives in PrivateConversationState (keyed by conversation and user), so two sellers
in one channel never share "it" or "more". Only plain JSON values are kept: ids and a list (a
preset as `{"kind", "page"}`, as always; a composed query as `{"query": {...}, "page"}`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botbuilder.core import StatePropertyAccessor, TurnContext

from bot.domain.list_kinds import ListKind
from bot.domain.list_query import ListQuery, as_query

_LAST_ID = "lastReferralId"
_LAST_LIST = "lastList"


@dataclass(frozen=True)
class ListPosition:
    wanted: ListKind | ListQuery
    page: int  # 0-based index of the page last shown

    @property
    def query(self) -> ListQuery:
        return as_query(self.wanted)


class SellerMemory:
    def __init__(self, accessor: StatePropertyAccessor) -> None:
        self._accessor = accessor

    async def _data(self, context: TurnContext) -> dict[str, Any]:
        data = await self._accessor.get(context, dict)
        return data if isinstance(data, dict) else {}

    async def _update(self, context: TurnContext, key: str, value: Any) -> None:
        data = dict(await self._data(context))
        data[key] = value
        await self._accessor.set(context, data)

    async def last_referral_id(self, context: TurnContext) -> str | None:
        value = (await self._data(context)).get(_LAST_ID)
        return value if isinstance(value, str) and value else None

    async def remember_referral(self, context: TurnContext, referral_id: str) -> None:
        await self._update(context, _LAST_ID, referral_id)

    async def last_list(self, context: TurnContext) -> ListPosition | None:
        value = (await self._data(context)).get(_LAST_LIST)
        if not isinstance(value, dict):
            return None
        try:
            page = int(value["page"])
            if "query" not in value:
                return ListPosition(ListKind(value["kind"]), page)
        except (KeyError, ValueError, TypeError):
            return None
        query = ListQuery.from_json(value["query"])
        return None if query is None else ListPosition(query, page)

    async def remember_list(self, context: TurnContext, position: ListPosition) -> None:
        stored = position.query.to_json()
        if "kind" not in stored:
            stored = {"query": stored}
        await self._update(context, _LAST_LIST, {**stored, "page": position.page})
