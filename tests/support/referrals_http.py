"""Raw HTTP against the Referrals API emulator: no client code, just aiohttp and minted tokens."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

import aiohttp
from multidict import CIMultiDictProxy

from emulators.fixtures import FixtureUser
from emulators.server import RunningEmulators
from tests.support.emulators import ADMIN, mint_partner_center_token

_UNSET: Any = object()
_LARGE = 512 * 1024  # aiohttp warns (an error in tests) about large raw bytes bodies


@dataclass(frozen=True)
class Answer:
    status: int
    headers: CIMultiDictProxy[str]
    text: str

    @property
    def json(self) -> Any:
        return json.loads(self.text)

    @property
    def error_code(self) -> str | None:
        try:
            return str(self.json["error"]["code"])
        except (ValueError, KeyError, TypeError):
            return None


class ReferralsHttp:
    def __init__(self, running: RunningEmulators, session: aiohttp.ClientSession) -> None:
        self.running = running
        self.session = session
        self._tokens: dict[str, str] = {}

    def url(self, referral_id: str | None = None) -> str:
        base = self.running.referrals_url
        return base if referral_id is None else f"{base}/{referral_id}"

    def token(self, user: FixtureUser) -> str:
        if user.upn not in self._tokens:
            self._tokens[user.upn] = mint_partner_center_token(self.running, user)
        return self._tokens[user.upn]

    async def send(
        self,
        method: str,
        url: str,
        *,
        user: FixtureUser = ADMIN,
        token: str | None = _UNSET,
        body: Any = _UNSET,
        data: bytes | str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        """`token=None` sends no Authorization; `body` goes as JSON with its Content-Type."""
        sent = dict(headers or {})
        bearer = self.token(user) if token is _UNSET else token
        if bearer is not None:
            sent.setdefault("Authorization", f"Bearer {bearer}")
        if body is not _UNSET:
            data = json.dumps(body)
            sent.setdefault("Content-Type", "application/json")
        raw = data.encode() if isinstance(data, str) else data
        payload = io.BytesIO(raw) if raw is not None and len(raw) > _LARGE else raw
        async with self.session.request(method, url, data=payload, headers=sent) as response:
            return Answer(response.status, response.headers, await response.text())

    async def get(self, referral_id: str, *, user: FixtureUser = ADMIN) -> Answer:
        return await self.send("GET", self.url(referral_id), user=user)

    async def patch(
        self,
        referral_id: str,
        ops: Any,
        *,
        user: FixtureUser = ADMIN,
        if_match: str | None = None,
        prefer: bool = False,
    ) -> Answer:
        headers = {}
        if if_match is not None:
            headers["If-Match"] = if_match
        if prefer:
            headers["Prefer"] = "return=representation"
        return await self.send("PATCH", self.url(referral_id), user=user, body=ops, headers=headers)

    async def etag_of(self, referral_id: str) -> str:
        answer = await self.get(referral_id)
        assert answer.status == 200, answer.text
        return str(answer.json["eTag"])

    async def list_ids(self, *, user: FixtureUser = ADMIN, query: str = "") -> list[str]:
        answer = await self.send("GET", f"{self.url()}{query}", user=user)
        assert answer.status == 200, answer.text
        return [item["id"] for item in answer.json["value"]]

    async def reset(self) -> None:
        url = f"{self.running.referrals_base_url}/_emulator/reset"
        async with self.session.post(url) as response:
            assert response.status == 204
