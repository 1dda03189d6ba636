"""What a running demo tells people (the banner) and scripts (the `--ready-file` JSON)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from demo import playground_config as pc
from demo.playground import REPO_ROOT
from emulators.server import RunningEmulators

TRY_IN_PERSONAL_CHAT = (
    "mark 123 won",
    "show 4711",
    "my open referrals",
    "new leads",
    "deals closing this month",
    "help",
)


@dataclass(frozen=True)
class DemoInfo:
    bot_url: str
    playground_url: str
    playground_pid: int | None
    emulators: RunningEmulators
    users: list[pc.PlaygroundUser]
    state: str = ""  # where the bot keeps its state, in words (StateSettings.describe)
    events_url: str = ""  # the bot's Partner Center event endpoint, registered with the emulator

    def new_lead_command(self) -> str:
        """What to run in another terminal to make a new lead arrive (demo.new_lead)."""
        return f"{_python()} -m demo new-lead --emulator {self.emulators.referrals_base_url}"

    def as_json(self) -> dict[str, Any]:
        """The ready file: every URL and id a script needs to drive the demo."""
        running = self.emulators
        return {
            "bot_url": self.bot_url,
            "messages_url": f"{self.bot_url}/api/messages",
            "playground_url": self.playground_url,
            "playground_pid": self.playground_pid,
            "referrals_base_url": running.referrals_base_url,
            "referrals_url": running.referrals_url,
            "identity_url": running.identity_base_url,
            "ca_file": str(running.ca_file),
            "events_url": self.events_url,
            "webhooks_url": running.webhooks_url,
            "new_lead_command": self.new_lead_command(),
            "tenant_id": self.users[0].fixture.tenant_id,
            "bot_id": pc.BOT_ID,
            "personal_chat_id": pc.PERSONAL_CHAT_ID,
            "group_chat_id": pc.GROUP_CHAT_ID,
            "team_id": pc.TEAM_ID,
            "channel_id": pc.CHANNEL_ID,
            "users": [_user_json(user, index == 0) for index, user in enumerate(self.users)],
        }

    def banner(self) -> str:
        current = self.users[0].fixture
        lines = [
            "",
            "Referral Bot demo is running. Ctrl-C stops everything.",
            f"  Open the Microsoft 365 Agents Playground: {self.playground_url}",
            f"  Bot (demo mode, no inbound auth, loopback only): {self.bot_url}/api/messages",
            f"  Partner Center emulator: {self.emulators.referrals_url}",
            f"  Identity emulator:       {self.emulators.identity_base_url}",
            *(
                [f"  Bot's event endpoint:    {self.events_url} (registered with the emulator)"]
                if self.events_url
                else []
            ),
            *([f"  Bot state:               {self.state}"] if self.state else []),
            "",
            f"You start as {current.name}. Demo users and their Partner Center roles:",
            *(_user_line(user.fixture) for user in self.users),
            "",
            "Type in the personal chat, for example:",
            *(f'  "{text}"' for text in TRY_IN_PERSONAL_CHAT),
            f'In the team channel or group chat, @mention the bot: "@{pc.BOT_NAME} show 123"',
            "",
            'Lead alerts: once you have asked for something from Partner Center ("new leads"),',
            "the bot can read leads for you. Make a new lead from Microsoft arrive, in another",
            "terminal:",
            f"  {self.new_lead_command()}",
            "The emulator sends the bot a signed referral-created event; the lead card, with",
            "Accept and Decline, arrives in your personal chat.",
            "",
        ]
        return "\n".join(lines)


def _python() -> str:
    """This interpreter, as `.venv/bin/python` when it is the repository's own."""
    executable = Path(sys.executable)
    if executable.is_relative_to(REPO_ROOT):
        return str(executable.relative_to(REPO_ROOT))
    return str(executable)


def _user_line(user: Any) -> str:
    roles = ", ".join(user.roles) or "no Partner Center role"
    mfa = "" if user.mfa else "  (no MFA: writes are refused)"
    return f"  {user.name:<18} {user.upn:<30} {roles}{mfa}"


def _user_json(user: pc.PlaygroundUser, current: bool) -> dict[str, Any]:
    fixture = user.fixture
    return {
        "playground_id": user.id,
        "name": fixture.name,
        "upn": fixture.upn,
        "oid": fixture.oid,
        "roles": list(fixture.roles),
        "mfa": fixture.mfa,
        "current": current,
    }
