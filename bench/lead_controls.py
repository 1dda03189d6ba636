"""The Referrals emulator's webhook test controls the fan-out bench uses (docs/webhooks.md):
a new incoming lead (stored, then delivered as a signed `referral-created` event), the
deliveries made, and clearing them."""

from __future__ import annotations

from typing import Any

import aiohttp

from emulators.server import RunningEmulators

CONTROLS = "/_emulator/webhooks"
UNSETTLED = frozenset({"pending", "retrying"})


class LeadControls:
    def __init__(self, session: aiohttp.ClientSession, running: RunningEmulators) -> None:
        self._session = session
        self._base = f"{running.referrals_base_url}{CONTROLS}"

    async def new_lead(self, number: int, upn: str) -> str:
        """A lead with `upn` alone on its team; returns its id. It expires in Partner Center's
        14 days: no reminder (3 and 1 days before) falls due while the bench runs."""
        body = {
            "name": f"Lead {number:04d} cloud migration",
            "customer": f"Customer {number:04d} Ltd",
            "team": [upn],
            "dealValue": 25_000,
        }
        async with self._session.post(f"{self._base}/leads", json=body) as answer:
            if answer.status != 201:
                raise RuntimeError(f"new lead: {answer.status} {await answer.text()}")
            return str((await answer.json())["referral"]["id"])

    async def deliveries(self) -> list[dict[str, Any]]:
        async with self._session.get(f"{self._base}/deliveries") as answer:
            answer.raise_for_status()
            found: list[dict[str, Any]] = (await answer.json())["deliveries"]
            return found

    async def settled(self) -> bool:
        """Every delivery delivered or given up (none pending or waiting for a retry)."""
        return all(d["state"] not in UNSETTLED for d in await self.deliveries())

    async def clear_deliveries(self) -> None:
        async with self._session.delete(f"{self._base}/deliveries") as answer:
            answer.raise_for_status()
