"""Drive the token-service emulation's test controls: a seller completes or revokes a sign-in."""

from __future__ import annotations

from typing import Any

import aiohttp

from emulators.fixtures import FixtureUser
from emulators.server import RunningEmulators
from tests.support.activities import TeamsUser
from tests.support.emulator_controls import recorded_requests

CONNECTION = "ReferralBotSso"


class TokenServiceControls:
    def __init__(self, running: RunningEmulators, session: aiohttp.ClientSession) -> None:
        self.url = running.token_service_url
        self._session = session

    async def post(self, path: str, body: Any) -> tuple[int, Any]:
        async with self._session.post(f"{self.url}{path}", json=body) as answer:
            return answer.status, await answer.json(content_type=None)

    async def sign_in(
        self, user: FixtureUser, *, magic_code: bool = False, as_channel_user: str | None = None
    ) -> str | None:
        """`user` completes the sign-in card; returns the magic code when one is required."""
        body = {
            "user_id": as_channel_user or TeamsUser.of(user).id,
            "oid": user.oid,
            "connection_name": CONNECTION,
            "magic_code": magic_code,
        }
        status, answer = await self.post("/_emulator/token-service/sign-in", body)
        assert status == 200, answer
        code: str | None = answer["magic_code"]
        return code

    async def revoke(self, user: FixtureUser) -> int:
        body = {"user_id": TeamsUser.of(user).id}
        status, answer = await self.post("/_emulator/token-service/sign-out", body)
        assert status == 200, answer
        return int(answer["signed_out"])

    async def reset(self) -> None:
        async with self._session.post(f"{self.url}/_emulator/reset") as answer:
            assert answer.status == 204

    async def recorded(self, path: str | None = None) -> list[dict[str, Any]]:
        return await recorded_requests(self._session, self.url, path=path)
