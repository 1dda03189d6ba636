"""Raw HTTP against the emulator's webhook API (`/webhooks/v1/registration`) with minted tokens."""

from __future__ import annotations

from typing import Any

from emulators.fixtures import DEFAULT_TENANT_ID
from tests.support.emulators import mint_webhook_api_token
from tests.support.referrals_http import Answer, ReferralsHttp

_UNSET: Any = object()


class WebhookApi:
    """`tenant_id`'s App-only token unless `token` is given (None: no Authorization)."""

    def __init__(self, http: ReferralsHttp, tenant_id: str = DEFAULT_TENANT_ID) -> None:
        self.http = http
        self.running = http.running
        self.url = http.running.webhooks_url
        self.token = mint_webhook_api_token(http.running, tenant_id=tenant_id)

    async def send(
        self, method: str, path: str = "", *, body: Any = _UNSET, token: Any = _UNSET, **kw: Any
    ) -> Answer:
        bearer = self.token if token is _UNSET else token
        extra = {} if body is _UNSET else {"body": body}
        return await self.http.send(method, f"{self.url}{path}", token=bearer, **extra, **kw)

    async def register(
        self, url: str, events: list[str], *, ms_signature_header: bool | None = None
    ) -> dict[str, Any]:
        """A fresh registration: whatever the tenant had is deleted first."""
        await self.send("DELETE")
        body: dict[str, Any] = {"WebhookUrl": url, "WebhookEvents": events}
        if ms_signature_header is not None:
            body["signatureTokenToMsSignatureHeader"] = ms_signature_header
        answer = await self.send("POST", body=body)
        assert answer.status == 200, answer.text
        created: dict[str, Any] = answer.json
        return created
