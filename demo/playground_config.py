"""`.m365agentsplayground.yml` generated from the seeded users, so Playground users are sellers.

Each Playground user's `aadObjectId` is a fixture user's `oid` and the tenant is theirs: the
bot's demo sign-in maps `from.aadObjectId` to that fixture user, so switching user in the
Playground switches role. JSON is valid YAML, so no YAML writer is needed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from emulators.config import DEMO_BOT_APP_ID
from emulators.fixtures import FixtureUser

CONFIG_FILE = ".m365agentsplayground.yml"
PLAYGROUND_USERS = 6  # the schema wants exactly: the current user + 5 others
PERSONAL_CHAT_ID = "a:referral-bot-demo-personal-chat"
GROUP_CHAT_ID = "19:referral-bot-demo-group-chat@thread.v2"
TEAM_ID = "19:referral-bot-demo-team@thread.tacv2"  # also the General channel
CHANNEL_ID = "19:referral-bot-demo-referrals@thread.tacv2"
BOT_NAME = "Referral Bot"
BOT_ID = DEMO_BOT_APP_ID
DEMO_USER = "megan.bowen@contoso.com"  # the Playground's current user


@dataclass(frozen=True)
class PlaygroundUser:
    id: str  # the Playground's channel user id (`from.id`)
    fixture: FixtureUser


def playground_user_id(user: FixtureUser) -> str:
    return "29:demo-" + user.upn.split("@", 1)[0]


def pick_users(users: tuple[FixtureUser, ...], current_upn: str) -> list[PlaygroundUser]:
    """The current user first, then the others; exactly six, as the Playground requires."""
    current = [u for u in users if u.upn == current_upn]
    ordered = current + [u for u in users if u.upn != current_upn]
    if len(ordered) < PLAYGROUND_USERS or not current:
        raise ValueError(f"the Playground needs {PLAYGROUND_USERS} users including {current_upn}")
    return [PlaygroundUser(playground_user_id(u), u) for u in ordered[:PLAYGROUND_USERS]]


def _user_entry(user: PlaygroundUser) -> dict[str, str]:
    fixture = user.fixture
    return {
        "id": user.id,
        "name": fixture.name,
        "userPrincipleName": fixture.upn,  # sic: the Playground schema's spelling
        "aadObjectId": fixture.oid,
        "givenName": fixture.first_name,
        "surname": fixture.last_name,
        "email": fixture.upn,
    }


def playground_config(users: list[PlaygroundUser]) -> dict[str, Any]:
    """The config document (schema 0.1.1 bundled in the npm package)."""
    return {
        "version": "0.1.1",
        "tenantId": users[0].fixture.tenant_id,
        "bot": {"id": BOT_ID, "name": BOT_NAME},
        "currentUser": _user_entry(users[0]),
        "users": [_user_entry(user) for user in users[1:]],
        "personalChat": {"id": PERSONAL_CHAT_ID},
        "groupChat": {"id": GROUP_CHAT_ID, "name": "Referral desk"},
        "team": {
            "id": TEAM_ID,
            "name": "Contoso Sales",
            "aadGroupId": "00000000-0000-4000-8000-00000000d3a0",
            "channels": [{"id": CHANNEL_ID, "name": "Referrals"}],
        },
    }


def write_playground_config(directory: Path, users: list[PlaygroundUser]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / CONFIG_FILE
    path.write_text(json.dumps(playground_config(users), indent=2) + "\n", encoding="utf-8")
    return path
