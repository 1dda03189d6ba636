"""Teams-shaped activities for tests: messages (personal and channel, with @mentions) and
`adaptiveCard/action` invokes, as the JSON Teams sends (`*_payload`) or as botbuilder
`Activity` objects deserialised from that JSON (`make_*`), exactly as an adapter would build them.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from botbuilder.schema import Activity

from emulators.fixtures import DEFAULT_TENANT_ID, FixtureUser
from tests.support.emulators import SELLER

BOT_APP_ID = "b0770000-0000-4000-8000-00000000b077"
BOT_ID = f"28:{BOT_APP_ID}"
BOT_NAME = "Referral Bot"
SERVICE_URL = "https://smba.trafficmanager.net/emea/"
DEFAULT_TIMEZONE = "Europe/Berlin"
_ids = itertools.count(1)


@dataclass(frozen=True)
class TeamsUser:
    """Who a Teams activity comes from: the AAD object id is what the bot trusts."""

    aad_object_id: str
    name: str
    tenant_id: str = DEFAULT_TENANT_ID

    @property
    def id(self) -> str:
        return f"29:1{self.aad_object_id.replace('-', '')}"

    @classmethod
    def of(cls, user: TeamsUser | FixtureUser) -> TeamsUser:
        if isinstance(user, TeamsUser):
            return user
        return cls(aad_object_id=user.oid, name=user.name, tenant_id=user.tenant_id)


@dataclass(frozen=True)
class TeamsConversation:
    """A personal chat, or a thread in a team's channel (then `team_id`/`channel_id` are set)."""

    id: str
    conversation_type: str  # "personal" | "channel" | "groupChat"
    tenant_id: str = DEFAULT_TENANT_ID
    team_id: str | None = None
    channel_id: str | None = None

    @property
    def is_group(self) -> bool:
        return self.conversation_type != "personal"


def personal_chat(user: TeamsUser | FixtureUser) -> TeamsConversation:
    """The 1:1 chat between `user` and the bot (its id is stable per user)."""
    teams_user = TeamsUser.of(user)
    return TeamsConversation(
        id=f"a:1{teams_user.aad_object_id.replace('-', '')}",
        conversation_type="personal",
        tenant_id=teams_user.tenant_id,
    )


def channel_thread(
    name: str = "sales", *, thread: str = "1700000000000", tenant_id: str = DEFAULT_TENANT_ID
) -> TeamsConversation:
    """A reply thread in a team channel: several sellers share this conversation id."""
    channel_id = f"19:{name}@thread.tacv2"
    return TeamsConversation(
        id=f"{channel_id};messageid={thread}",
        conversation_type="channel",
        tenant_id=tenant_id,
        team_id="19:team-sales@thread.tacv2",
        channel_id=channel_id,
    )


def _account(user: TeamsUser) -> dict[str, Any]:
    return {"id": user.id, "name": user.name, "aadObjectId": user.aad_object_id}


def _conversation(conversation: TeamsConversation) -> dict[str, Any]:
    return {
        "id": conversation.id,
        "conversationType": conversation.conversation_type,
        "tenantId": conversation.tenant_id,
        "isGroup": conversation.is_group,
    }


def _channel_data(conversation: TeamsConversation) -> dict[str, Any]:
    data: dict[str, Any] = {"tenant": {"id": conversation.tenant_id}}
    if conversation.team_id:
        data["team"] = {"id": conversation.team_id, "name": "Sales"}
        data["channel"] = {"id": conversation.channel_id, "name": "General"}
    return data


def _envelope(
    kind: str, user: TeamsUser, conversation: TeamsConversation, timezone: str
) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "type": kind,
        "id": f"f:{next(_ids)}",
        "timestamp": now.isoformat().replace("+00:00", "Z"),
        "localTimestamp": now.isoformat(),
        "localTimezone": timezone,
        "serviceUrl": SERVICE_URL,
        "channelId": "msteams",
        "from": _account(user),
        "conversation": _conversation(conversation),
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "channelData": _channel_data(conversation),
        "locale": "en-US",
    }


def message_payload(
    text: str,
    *,
    user: TeamsUser | FixtureUser = SELLER,
    conversation: TeamsConversation | None = None,
    mention: bool = False,
    timezone: str = DEFAULT_TIMEZONE,
) -> dict[str, Any]:
    """A message as Teams posts it; `mention=True` prefixes `<at>Referral Bot</at>` like a
    channel @mention does, with the matching mention entity."""
    teams_user = TeamsUser.of(user)
    payload = _envelope("message", teams_user, conversation or personal_chat(teams_user), timezone)
    entities: list[dict[str, Any]] = [_client_info(timezone)]
    if mention:
        tag = f"<at>{BOT_NAME}</at>"
        text = f"{tag} {text}"
        entities.insert(
            0, {"type": "mention", "text": tag, "mentioned": {"id": BOT_ID, "name": BOT_NAME}}
        )
    payload.update({"text": text, "textFormat": "plain", "entities": entities})
    return payload


def _client_info(timezone: str) -> dict[str, Any]:
    return {"type": "clientInfo", "locale": "en-US", "platform": "Web", "timezone": timezone}


def installation_update_payload(
    action: str,
    *,
    user: TeamsUser | FixtureUser = SELLER,
    conversation: TeamsConversation | None = None,
    timezone: str | None = None,
) -> dict[str, Any]:
    """Teams' `installationUpdate` ("add", "remove", "add-upgrade", …); personal scope unless a
    conversation is given. No text, and no time zone unless one is given."""
    teams_user = TeamsUser.of(user)
    payload = _envelope(
        "installationUpdate", teams_user, conversation or personal_chat(teams_user), timezone or ""
    )
    if timezone is None:
        del payload["localTimezone"]
    payload["action"] = action
    return payload


def bot_added_payload(
    *, user: TeamsUser | FixtureUser = SELLER, conversation: TeamsConversation | None = None
) -> dict[str, Any]:
    """`conversationUpdate` with the bot in `membersAdded`: Teams' other word for an install."""
    teams_user = TeamsUser.of(user)
    payload = _envelope(
        "conversationUpdate", teams_user, conversation or personal_chat(teams_user), ""
    )
    del payload["localTimezone"]
    payload["membersAdded"] = [{"id": BOT_ID}]
    return payload


def card_invoke_payload(
    verb: str,
    data: Mapping[str, Any],
    *,
    user: TeamsUser | FixtureUser = SELLER,
    conversation: TeamsConversation | None = None,
    reply_to_id: str | None = None,
    timezone: str = DEFAULT_TIMEZONE,
    trigger: str = "manual",
) -> dict[str, Any]:
    """An `Action.Execute` click (invoke `adaptiveCard/action`) on a card the bot sent;
    `trigger="automatic"` is a card's refresh the Teams client runs on showing it."""
    teams_user = TeamsUser.of(user)
    payload = _envelope("invoke", teams_user, conversation or personal_chat(teams_user), timezone)
    payload.update(
        {
            "name": "adaptiveCard/action",
            "entities": [_client_info(timezone)],
            "replyToId": reply_to_id or f"1:{uuid.uuid4().hex}",
            "value": {
                "action": {
                    "type": "Action.Execute",
                    "id": verb,
                    "verb": verb,
                    "data": dict(data),
                },
                "trigger": trigger,
            },
        }
    )
    return payload


def make_message(
    text: str,
    *,
    user: TeamsUser | FixtureUser = SELLER,
    conversation: TeamsConversation | None = None,
    mention: bool = False,
    timezone: str = DEFAULT_TIMEZONE,
) -> Activity:
    payload = message_payload(
        text, user=user, conversation=conversation, mention=mention, timezone=timezone
    )
    return Activity().deserialize(payload)


def make_card_invoke(
    verb: str,
    data: Mapping[str, Any],
    *,
    user: TeamsUser | FixtureUser = SELLER,
    conversation: TeamsConversation | None = None,
    reply_to_id: str | None = None,
    timezone: str = DEFAULT_TIMEZONE,
) -> Activity:
    payload = card_invoke_payload(
        verb,
        data,
        user=user,
        conversation=conversation,
        reply_to_id=reply_to_id,
        timezone=timezone,
    )
    return Activity().deserialize(payload)
