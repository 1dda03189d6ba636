"""Drive an emulator's /_emulator/ controls from a test: inject faults, read recorded requests.

Works with any app that mounts `EmulatorControls` (the Referrals and the identity emulators):
pass the app's base URL, e.g. `running.referrals_base_url`.
"""

from __future__ import annotations

from typing import Any

import aiohttp

REFERRALS_PATH = "/v1.0/engagements/referrals"


async def add_fault(
    session: aiohttp.ClientSession, base_url: str, kind: str, **rule: Any
) -> dict[str, Any]:
    """POST a rule (`method`, `path` glob, `times`, kind parameters); returns it with its id."""
    async with session.post(f"{base_url}/_emulator/faults", json={"kind": kind, **rule}) as answer:
        assert answer.status == 201, await answer.text()
        created: dict[str, Any] = await answer.json()
        return created


async def recorded_requests(
    session: aiohttp.ClientSession,
    base_url: str,
    *,
    method: str | None = None,
    path: str | None = None,
) -> list[dict[str, Any]]:
    """What the emulator recorded, oldest first; `path` is a glob."""
    params = {key: value for key, value in (("method", method), ("path", path)) if value}
    async with session.get(f"{base_url}/_emulator/requests", params=params) as answer:
        assert answer.status == 200, await answer.text()
        requests: list[dict[str, Any]] = (await answer.json())["requests"]
        return requests


async def clear_faults(session: aiohttp.ClientSession, base_url: str) -> None:
    async with session.delete(f"{base_url}/_emulator/faults") as answer:
        assert answer.status == 204
