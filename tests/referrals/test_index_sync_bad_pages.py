"""Malformed and oversized pages during a refresh are refused and the index stays as it was.

The emulator always answers well-formed pages, so a tiny local service of our own answers these
(as in tests/partner_center/test_client_wire_edges.py): a scripted sequence of responses.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.auth.sealed_store import MemoryByteStore
from bot.background import BackgroundTasks
from bot.domain.assertion import UserAssertion
from bot.domain.errors import ServiceUnavailableError
from bot.partner_center.client import ReferralsClient
from bot.partner_center.retry import RetryPolicy
from bot.partner_center.transport import MAX_RESPONSE_BYTES
from bot.referrals.index_sync import ReferralIndexes
from bot.referrals.service import PartnerCenterReferrals
from bot.settings import IndexSettings, PartnerCenterSettings
from tests.support.referral_documents import make_referral_document

USER = UserAssertion(tenant_id="t", user_id="u", token="sso")
START = datetime(2026, 1, 1, tzinfo=UTC)
ServerFactory = Callable[[web.Application], Awaitable[TestServer]]


def referral(number: int, name: str) -> dict[str, Any]:
    updated = (START + timedelta(minutes=number)).isoformat().replace("+00:00", "Z")
    return make_referral_document(id=f"r{number}", name=name, updatedDateTime=updated)


def page(items: Sequence[dict[str, Any]], count: int, next_skip: int | None = None) -> bytes:
    document: dict[str, Any] = {"value": list(items), "@odata.count": count}
    if next_skip is not None:
        document["@odata.nextLink"] = f"/v1.0/engagements/referrals?$skip={next_skip}"
    return json.dumps(document).encode()


FIRST = [referral(number, f"Original {number}") for number in (6, 5, 4, 3, 2, 1)]
RENAMED = [referral(number + 10, f"Renamed {number}") for number in (6, 5, 4)]
BAD_PAGES = {
    "not json": b'{"value": [',
    "not a list": b'{"value": {"id": "r1"}, "@odata.count": 7}',
    "bad count": b'{"value": [], "@odata.count": "seven"}',
    "oversized": b'{"value": [' + b" " * (MAX_RESPONSE_BYTES + 1) + b"]}",
}


class Script:
    """Answers collection GETs with the next body in `bodies` (500 when it runs out)."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        self.answered = 0

    async def handle(self, _: web.Request) -> web.Response:
        if not self.bodies:
            return web.json_response({"error": {"code": "generalException"}}, status=500)
        self.answered += 1
        return web.Response(body=self.bodies.pop(0), content_type="application/json")


class Clock:
    now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


class StaticTokens:
    async def get_token(self, user: UserAssertion) -> str:
        return "token"


async def start(
    aiohttp_server: ServerFactory, session: aiohttp.ClientSession
) -> tuple[Script, PartnerCenterReferrals, ReferralIndexes, Clock]:
    script = Script()
    app = web.Application()
    app.router.add_get("/v1.0/engagements/referrals", script.handle)
    server = await aiohttp_server(app)
    settings = PartnerCenterSettings(
        base_url=str(server.make_url("/v1.0/engagements")),
        max_attempts=1,  # a refused page is not retried (its cause is not transient)
        deadline_seconds=3.0,
    )
    policy = RetryPolicy.from_settings(settings, backoff_initial=0.01)
    client = ReferralsClient(session, settings, StaticTokens(), retry_policy=policy)
    clock = Clock()
    indexes = ReferralIndexes(
        client, MemoryByteStore(), BackgroundTasks(), IndexSettings(), clock=clock
    )
    return script, PartnerCenterReferrals(indexes), indexes, clock


@pytest.mark.parametrize("bad", BAD_PAGES.values(), ids=BAD_PAGES.keys())
async def test_a_bad_page_in_a_full_sync_is_refused_and_the_index_stays_as_it_was(
    aiohttp_server: ServerFactory, bad: bytes
) -> None:
    async with aiohttp.ClientSession() as session:
        script, service, indexes, clock = await start(aiohttp_server, session)
        script.bodies = [page(FIRST[:3], 6, next_skip=3), page(FIRST[3:], 6)]
        await indexes.fresh(USER)
        clock.now += 61
        # the refresh's count disagrees (a full sync follows); its second page is bad
        script.bodies = [page(FIRST[:3], 7), page(RENAMED, 7, next_skip=3), bad]

        matches = await service.find("Original", user=USER)

        assert script.answered == 5
        assert sorted(r.id for r in matches) == [f"r{n}" for n in range(1, 7)]
        assert await service.find("Renamed", user=USER) == []
        coverage = service.coverage(user=USER)
        assert coverage is not None
        assert coverage.stale


@pytest.mark.parametrize("bad", BAD_PAGES.values(), ids=BAD_PAGES.keys())
async def test_a_bad_first_page_with_no_index_yet_is_a_service_error(
    aiohttp_server: ServerFactory, bad: bytes
) -> None:
    async with aiohttp.ClientSession() as session:
        script, service, _, _ = await start(aiohttp_server, session)
        script.bodies = [bad]

        with pytest.raises(ServiceUnavailableError):
            await service.find("Original", user=USER)
