"""The lead fan-out bench's world: a tenant of sellers, the bot's settings, installs, first turns.

Each seller is a Referral User of the strict emulators. The bot (`python -m bot`, demo settings,
SQLite state) hears of them the way it does in production: Teams' `installationUpdate` "add"
(stored as a `Recipient` by the real install path, e-mail from the connector's member lookup,
hello sent), then one message ("new leads"), whose sign-in (the emulator's developer grant, as
in `make demo` and the tests) leaves an on-behalf-of token in the bot's msal cache: what a
lead alert later reads with, silently. The event endpoint trusts the emulator's signing chain
and is registered with `python -m bot register-webhooks`' own code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import SecretStr

from bench.fixtures import bot_environment
from bench.payloads import Payloads
from bench.teams_connector import TeamsConnector
from bot.__main__ import arguments, register_webhooks
from bot.settings import ENV_PREFIX, EventSettings, IdentitySettings, Mode, Settings
from emulators.config import DEMO_BOT_APP_ID, DEMO_BOT_APP_SECRET
from emulators.fixtures import DEFAULT_TENANT_ID, FixtureUser
from emulators.server import RunningEmulators

FIRST_TURN = "new leads"
ADMIN = FixtureUser.from_json(
    {"upn": "rita.admin@contoso.example", "name": "Rita Admin", "roles": ["Referral Admin"]}
)


@dataclass(frozen=True)
class Seller:
    user: FixtureUser
    payloads: Payloads
    conversation: str

    @property
    def teams_id(self) -> str:
        return f"29:1{self.user.oid.replace('-', '')}"  # as bench.payloads' `from.id`


def seller_users(count: int) -> list[FixtureUser]:
    return [
        FixtureUser.from_json(
            {
                "upn": f"seller{n:04d}@contoso.example",
                "name": f"Seller {n:04d}",
                "roles": ["Referral User"],
            }
        )
        for n in range(count)
    ]


def sellers_on(
    connector: TeamsConnector, users: list[FixtureUser], service_url: str
) -> list[Seller]:
    """Each user's personal chat with the bot; Teams' member lookup knows their e-mail."""
    found = []
    for n, user in enumerate(users):
        payloads = Payloads(user, service_url)
        seller = Seller(user, payloads, payloads.conversation(f"s{n:04d}"))
        connector.add_member(seller.teams_id, user.name, user.upn, user.oid)
        found.append(seller)
    return found


def installs(sellers: list[Seller]) -> list[dict[str, Any]]:
    return [s.payloads.install(s.conversation) for s in sellers]


def first_turns(sellers: list[Seller]) -> list[dict[str, Any]]:
    return [s.payloads.message(FIRST_TURN, s.conversation) for s in sellers]


def event_settings(running: RunningEmulators) -> EventSettings:
    """The endpoint trusts the emulator's signing chain and downloads its certificate over TLS."""
    return EventSettings(
        certificate_hosts=[running.webhook_certificate_host],
        certificate_name=running.webhook_certificate_name,
        issuer_organization=running.webhook_issuer_organization,
        trust_ca_file=running.webhook_ca_file,
        download_ca_file=running.ca_file,
        registration_url=running.webhooks_url,
    )


def event_environment(running: RunningEmulators) -> dict[str, str]:
    """`event_settings` as REFERRAL_BOT_EVENTS__* (the field names checked against the model)."""
    events = event_settings(running)
    values = {
        "CERTIFICATE_HOSTS": f'["{events.certificate_hosts[0]}"]',
        "CERTIFICATE_NAME": events.certificate_name,
        "ISSUER_ORGANIZATION": events.issuer_organization,
        "TRUST_CA_FILE": str(events.trust_ca_file),
        "DOWNLOAD_CA_FILE": str(events.download_ca_file),
    }
    if missing := {name.lower() for name in values} - EventSettings.model_fields.keys():
        raise RuntimeError(f"EventSettings has no field {sorted(missing)}: update this bench")
    return {f"{ENV_PREFIX}EVENTS__{name}": value for name, value in values.items()}


def bot_fanout_environment(running: RunningEmulators) -> dict[str, str]:
    return {**bot_environment(running), **event_environment(running)}


async def register(running: RunningEmulators, events_url: str) -> None:
    """The tenant's registration, made by `python -m bot register-webhooks --url … --replace`'s
    own function as the bot's Entra app (app-only, the emulator's registration API)."""
    settings = Settings(
        mode=Mode.DEMO,
        dangerously_allow_unauthenticated=True,
        identity=IdentitySettings(
            authority_host=running.identity_base_url,
            tenant_id=DEFAULT_TENANT_ID,
            client_id=DEMO_BOT_APP_ID,
            client_secret=SecretStr(DEMO_BOT_APP_SECRET),
            ca_file=running.ca_file,
        ),
        events=event_settings(running),
    )
    command = arguments(["register-webhooks", "--url", events_url, "--replace"])
    lines: list[str] = []
    if await register_webhooks(settings, command, out=lines.append) != 0:
        raise RuntimeError(f"register-webhooks failed: {lines}")


def spoken_to(connector: TeamsConnector, sellers: list[Seller]) -> Mapping[str, int]:
    """Activities the bot sent each seller's chat since the connector started counting."""
    counts = {s.conversation: 0 for s in sellers}
    for posted in connector.posted:
        if posted.conversation in counts:
            counts[posted.conversation] += 1
    return counts
