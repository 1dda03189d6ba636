"""Drive an emulator's /_emulator/ controls from a test: inject faults, read recorded requests,
see and steer webhook deliveries, make a new lead arrive.

Works with any app that mounts `EmulatorControls` (the Referrals and the identity emulators):
pass the app's base URL, e.g. `running.referrals_base_url`.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp

REFERRALS_PATH = "/v1.0/engagements/referrals"
_UNSETTLED = ("pending", "retrying")


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


# Webhooks (/_emulator/webhooks/, the Referrals emulator: pass `running.referrals_base_url`).


async def _webhook_control(
    session: aiohttp.ClientSession,
    base_url: str,
    method: str,
    path: str,
    *,
    expect: int,
    body: Any = None,
    params: dict[str, str] | None = None,
) -> Any:
    url = f"{base_url}/_emulator/webhooks/{path}"
    async with session.request(method, url, json=body, params=params) as answer:
        assert answer.status == expect, await answer.text()
        return await answer.json() if answer.status != 204 else None


async def webhook_deliveries(
    session: aiohttp.ClientSession,
    base_url: str,
    *,
    event: str | None = None,
    state: str | None = None,
) -> list[dict[str, Any]]:
    """Deliveries oldest first: event, url, body, headers, state, attempts (status, error,
    latencyMs, injected)."""
    params = {key: value for key, value in (("event", event), ("state", state)) if value}
    found = await _webhook_control(
        session, base_url, "GET", "deliveries", expect=200, params=params
    )
    deliveries: list[dict[str, Any]] = found["deliveries"]
    return deliveries


async def settled_webhook_deliveries(
    session: aiohttp.ClientSession, base_url: str, *, count: int, within: float = 10.0
) -> list[dict[str, Any]]:
    """Wait (polling every few ms, at most `within` seconds) until `count` deliveries exist and
    none is pending or retrying; then return them."""
    async with asyncio.timeout(within):
        while True:
            found = await webhook_deliveries(session, base_url)
            if len(found) >= count and all(d["state"] not in _UNSETTLED for d in found):
                return found
            await asyncio.sleep(0.01)


async def fail_next_webhook_deliveries(
    session: aiohttp.ClientSession,
    base_url: str,
    count: int,
    *,
    mode: str = "status",
    status: int = 500,
) -> dict[str, Any]:
    """The next `count` attempts fail: "status" (not sent, recorded as `status`), "drop" (not
    sent, a dropped connection) or "timeout" (sent, answer ignored: the retry redelivers)."""
    plan = {"count": count, "mode": mode, "status": status}
    created: dict[str, Any] = await _webhook_control(
        session, base_url, "POST", "failures", expect=201, body=plan
    )
    return created


async def fire_webhook_event(
    session: aiohttp.ClientSession,
    base_url: str,
    event: str,
    *,
    referral_id: str | None = None,
    tenant_id: str | None = None,
) -> list[str]:
    """Send `event` now for a stored referral (or a test event); returns the delivery ids."""
    body = {"event": event, "referralId": referral_id, "tenantId": tenant_id}
    fired = await _webhook_control(
        session,
        base_url,
        "POST",
        "fire",
        expect=202,
        body={key: value for key, value in body.items() if value is not None},
    )
    ids: list[str] = fired["deliveries"]
    return ids


async def create_new_lead(
    session: aiohttp.ClientSession, base_url: str, **lead: Any
) -> dict[str, Any]:
    """A new incoming lead from Microsoft ("a new lead arrives"): `name`, `customer`, `team`
    (UPNs) and optionally `city`, `country`, `contact`, `dealValue`, `currency`,
    `requirements`, `notes`, `expiresInDays` or `expirationDateTime`, `substatus`, `id`,
    `engagementId`. Returns {"referral": the stored referral, "deliveries": [ids]}."""
    created: dict[str, Any] = await _webhook_control(
        session, base_url, "POST", "leads", expect=201, body=lead
    )
    return created


async def webhook_registrations(
    session: aiohttp.ClientSession, base_url: str
) -> list[dict[str, Any]]:
    """Every tenant's registration (tenantId, SubscriberId, WebhookUrl, WebhookEvents,
    signatureTokenToMsSignatureHeader), without a token."""
    found = await _webhook_control(session, base_url, "GET", "registrations", expect=200)
    registrations: list[dict[str, Any]] = found["registrations"]
    return registrations


async def clear_webhook_deliveries(session: aiohttp.ClientSession, base_url: str) -> None:
    await _webhook_control(session, base_url, "DELETE", "deliveries", expect=204)
