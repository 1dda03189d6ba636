"""Teams-shaped activities (personal chat) for the load generator; one conversation per id."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime
from typing import Any

from emulators.fixtures import FixtureUser

BOT_ID = "28:b0770000-0000-4000-8000-00000000b077"


def _envelope(
    kind: str, user: FixtureUser, conversation: str, service_url: str, seq: int
) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "type": kind,
        "id": f"f:{seq}",
        "timestamp": now.isoformat().replace("+00:00", "Z"),
        "localTimezone": "Europe/Berlin",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {
            "id": f"29:1{user.oid.replace('-', '')}",
            "name": user.name,
            "aadObjectId": user.oid,
        },
        "conversation": {
            "id": conversation,
            "conversationType": "personal",
            "tenantId": user.tenant_id,
            "isGroup": False,
        },
        "recipient": {"id": BOT_ID, "name": "Referral Bot"},
        "channelData": {"tenant": {"id": user.tenant_id}},
        "locale": "en-US",
    }


class Payloads:
    """Builds messages and card clicks for one user; ids are unique within a run."""

    def __init__(self, user: FixtureUser, service_url: str) -> None:
        self._user = user
        self._service_url = service_url
        self._seq = itertools.count(1)

    def conversation(self, tag: str) -> str:
        return f"a:1bench-{tag}"

    def message(self, text: str, conversation: str) -> dict[str, Any]:
        payload = _envelope("message", self._user, conversation, self._service_url, next(self._seq))
        payload.update({"text": text, "textFormat": "plain"})
        return payload

    def install(self, conversation: str) -> dict[str, Any]:
        """Teams' personal-scope install (`installationUpdate` "add"): no text, no time zone."""
        payload = _envelope(
            "installationUpdate", self._user, conversation, self._service_url, next(self._seq)
        )
        del payload["localTimezone"]
        payload["action"] = "add"
        return payload

    def click(self, verb: str, data: dict[str, Any], conversation: str) -> dict[str, Any]:
        payload = _envelope("invoke", self._user, conversation, self._service_url, next(self._seq))
        action = {"type": "Action.Execute", "id": verb, "verb": verb, "data": data}
        payload.update(
            {
                "name": "adaptiveCard/action",
                "replyToId": f"1:{uuid.uuid4().hex}",
                "value": {"action": action, "trigger": "manual"},
            }
        )
        return payload
