"""One typed, validated Settings object read from the environment (prefix REFERRAL_BOT_).

Nothing is read at import: `Settings()` reads the environment when the app starts, and refuses
to start with a message naming the variable to set. The Azure Bot names (`MicrosoftAppId`,
`MicrosoftAppPassword`, `MicrosoftAppTenantId`, `MicrosoftAppType`) work as aliases of
`REFERRAL_BOT_BOT__APP_*`, so a standard Azure deployment needs no renaming.
"""

from __future__ import annotations

import ipaddress
import os
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field, SecretStr, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

ENV_PREFIX = "REFERRAL_BOT_"


class Mode(StrEnum):
    PRODUCTION = "production"
    DEMO = "demo"


def _strict_bool(value: object) -> object:
    """Only true/false: a typo such as `ture` or `yes please` must not silently mean something."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().casefold() in {"true", "false"}:
        return value.strip().casefold() == "true"
    raise ValueError("use true or false")


StrictFlag = Annotated[bool, BeforeValidator(_strict_bool)]


class PartnerCenterSettings(BaseModel):
    base_url: str = "https://api.partner.microsoft.com/v1.0/engagements"
    attempt_timeout_seconds: float = Field(default=10.0, gt=0)
    deadline_seconds: float = Field(default=25.0, gt=0)
    max_attempts: int = Field(default=4, ge=1, le=10)
    max_retry_after_seconds: float = Field(default=30.0, ge=0)
    portal_url: str = "https://partner.microsoft.com/dashboard/referrals/v2/leads"


class IdentitySettings(BaseModel):
    authority_host: str = "https://login.microsoftonline.com"
    tenant_id: str = "organizations"
    client_id: str = ""
    client_secret: SecretStr = SecretStr("")
    ca_file: Path | None = None  # trust only this CA (the local identity emulator's)
    partner_center_scope: str = "https://api.partner.microsoft.com/.default"
    token_cache_key: SecretStr = SecretStr("")  # Fernet key that encrypts per-user caches

    @property
    def authority(self) -> str:
        return f"{self.authority_host.rstrip('/')}/{self.tenant_id}"


class AppType(StrEnum):
    MULTI_TENANT = "MultiTenant"
    SINGLE_TENANT = "SingleTenant"
    USER_ASSIGNED_MSI = "UserAssignedMSI"


def _app_type(value: object) -> object:
    """Azure writes MultiTenant, docs and scripts often multitenant: accept any case."""
    if isinstance(value, str):
        wanted = value.strip().casefold()
        return next((kind for kind in AppType if kind.casefold() == wanted), value)
    return value


class BotSettings(BaseModel):
    """The Azure Bot registration: who may call /api/messages, and as whom replies are sent."""

    app_id: str = ""
    app_password: SecretStr = SecretStr("")
    app_tenant_id: str = ""
    app_type: Annotated[AppType, BeforeValidator(_app_type)] = AppType.MULTI_TENANT
    # The Azure Bot's OAuth connection (Teams SSO); empty = no sign-in through the token service.
    oauth_connection_name: str = ""
    # The Bot Framework token service; empty = the SDK's default (https://api.botframework.com).
    # Tests and the demo point it at the local emulation (emulators.token_service.app).
    token_service_url: str = ""
    # Inbound auth (bot.inbound.channel_token): where the channel's signing keys are published.
    openid_metadata_url: str = "https://login.botframework.com/v1/.well-known/openidconfiguration"
    token_issuer: str = "https://api.botframework.com"
    # Tenant policy (bot.inbound.policy): these tenants plus app_tenant_id; none = production
    # refuses all.
    allowed_tenants: list[str] = []
    allow_guests: StrictFlag = False  # guests/anonymous users may neither read nor write
    # Teams runs a card's refresh for the users it names (Universal Actions' user-specific
    # views): a channel's confirm card shows its buttons to the proposer alone. A client that
    # does not (the Agents Playground: `make demo` sets false) gets the buttons on the card for
    # everyone; another member's click is refused, and the card is updated for all at the end.
    user_specific_views: StrictFlag = True


class InboundSettings(BaseModel):
    """Limits on what /api/messages accepts before and after a token is checked (issue 13).

    A reverse proxy in front should enforce the same or tighter: a request body limit
    (`client_max_body_size 256k` in nginx), a header and body read timeout (10-15 s), per-IP
    connection limits, and an idle timeout to this bot below `header_timeout_seconds`.
    """

    # Teams sends at most ~28 KB of message/card payload; 256 KiB is ~9x that (bot.inbound.body).
    body_limit_bytes: int = Field(default=256 * 1024, ge=16 * 1024, le=4 * 1024 * 1024)
    # The body of an authenticated request must arrive within this time, else 408 and close.
    body_read_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    # A connection must send complete request headers within this time after it opens or after
    # its previous answer (aiohttp's keep-alive timer); also how long an idle connection stays.
    header_timeout_seconds: float = Field(default=15.0, gt=0, le=300)
    # Connections that have not yet sent a valid channel token; more are closed on accept.
    max_unauthenticated_connections: int = Field(default=256, ge=1, le=100_000)


class StateBackend(StrEnum):
    MEMORY = "memory"  # one process, lost on restart
    SQLITE = "sqlite"  # one file: survives restarts (bot.state.sqlite_*)
    BLOB = "blob"  # Azure Blob Storage: shared by several instances (bot.state.blob_*)


class StateSettings(BaseModel):
    """Where bot state, pending changes, token caches and seen activity ids live."""

    backend: StateBackend = StateBackend.SQLITE  # the issue: an embedded, file-backed default
    sqlite_path: Path = Path("build/state/referral-bot.sqlite3")
    # A connection string only (account key or SAS), deliberately: no account URL plus
    # DefaultAzureCredential path, so there is one way to configure and to test it (Azurite).
    blob_connection_string: SecretStr = SecretStr("")
    blob_container: str = Field(default="referral-bot-state", min_length=3, max_length=63)
    # blob: each instance sweeps expired pending changes and seen ids (bot.state.blob_sweeper)
    blob_sweep_interval_seconds: float = Field(default=300.0, gt=0)
    blob_sweep_max_deletes: int = Field(default=500, gt=0)  # per round and instance
    # issue 17: sent (or gone) proactive cards are kept this long, for updates after a decision
    notification_retention_days: int = Field(default=30, ge=1, le=3650)

    @property
    def notification_retention(self) -> timedelta:
        return timedelta(days=self.notification_retention_days)

    def describe(self) -> str:
        """Where state lives, in words for a banner or a log line (never the secret)."""
        if self.backend is StateBackend.SQLITE:
            return f"SQLite {self.sqlite_path} (a restart keeps unconfirmed changes)"
        if self.backend is StateBackend.BLOB:
            return f"Azure Blob Storage, container {self.blob_container}"
        return "memory (lost when the bot stops)"


class IndexSettings(BaseModel):
    """REFERRAL_BOT_INDEX__*: each seller's referral index (bot.referrals), kept encrypted in the
    state backend (bot.state.referral_indexes, docs/configuration.md)."""

    # an index no turn has read for this long is deleted (the seller's next turn rebuilds it)
    unused_days: int = Field(default=30, ge=1, le=3650)
    # an index older than this is refreshed before it answers (a warm refresh is one request)
    refresh_seconds: float = Field(default=60.0, ge=0)
    # how long a turn waits for a refresh before answering from the index as it stands
    wait_seconds: float = Field(default=5.0, gt=0, le=10)
    # caps: the most recently updated referrals kept per seller, and pages read per refresh
    max_entries: int = Field(default=10_000, ge=100, le=100_000)
    max_pages: int = Field(default=120, ge=1, le=1000)
    # entries updated this close to the high-water mark are read again (equal timestamps)
    overlap_seconds: float = Field(default=2.0, ge=0, le=3600)
    # indexes kept in memory per process (the least recently used are reloaded from the store)
    sellers_in_memory: int = Field(default=100, ge=1, le=100_000)


class ScheduleSettings(BaseModel):
    """REFERRAL_BOT_SCHEDULE__*: scheduled work (issue 17: lead reminders, digests), run on one
    instance at a time under a lease in the state backend (bot.alerts.scheduler)."""

    # false: this instance never runs scheduled work (others still may)
    enabled: StrictFlag = True
    # every instance tries to take or renew the lease this often; the holder then runs the jobs
    tick_seconds: float = Field(default=60.0, ge=1, le=3600)
    # a dead holder's lease runs out after this long; then another instance takes over
    lease_ttl_seconds: float = Field(default=180.0, ge=2, le=24 * 3600)
    # reminders for leads still New, this many hours before they expire (once each, per person)
    reminder_offsets_hours: tuple[int, ...] = Field(default=(72, 24), min_length=1, max_length=5)
    # the reminders job reads each seller's index at most this often
    reminder_every_seconds: float = Field(default=600.0, ge=1, le=24 * 3600)
    # the digest lists leads expiring within this many hours
    digest_look_ahead_hours: int = Field(default=72, ge=1, le=30 * 24)
    # how long an instance's claim on a card it is sending holds before another may send it
    send_lease_seconds: float = Field(default=120.0, ge=10, le=3600)
    # sellers a job works on at once (each seller's index read and cards in order)
    sellers_at_once: int = Field(default=8, ge=1, le=100)

    @model_validator(mode="after")
    def _consistent(self) -> ScheduleSettings:
        if self.lease_ttl_seconds <= self.tick_seconds:
            raise ValueError(
                f"{ENV_PREFIX}SCHEDULE__LEASE_TTL_SECONDS must be longer than "
                f"{ENV_PREFIX}SCHEDULE__TICK_SECONDS (the holder renews once per tick)"
            )
        if any(hours < 1 or hours > 30 * 24 for hours in self.reminder_offsets_hours):
            raise ValueError(
                f"{ENV_PREFIX}SCHEDULE__REMINDER_OFFSETS_HOURS: each between 1 and 720 hours"
            )
        return self


def _host_entry(value: object) -> object:
    """`host` or `host:port`, lower-cased; `:443` is the https default and is dropped."""
    if not isinstance(value, str):
        return value
    entry = value.strip().lower().removesuffix(":443")
    host, _, port = entry.partition(":")
    if not host or "/" in entry or "@" in entry or (port and not port.isdigit()):
        raise ValueError("use host or host:port (no scheme, path or user)")
    return entry


class EventSettings(BaseModel):
    """REFERRAL_BOT_EVENTS__*: Partner Center's signed webhook deliveries (bot.inbound.
    partner_center_events) and their registration (`python -m bot register-webhooks`);
    docs/webhook-registration.md. The defaults are Partner Center's production values."""

    enabled: StrictFlag = True
    path: str = Field(default="/api/partner-center/events", pattern=r"^/[A-Za-z0-9/._-]*$")
    # where the signing certificate may be downloaded from (x-ms-certificate-url's host[:port])
    certificate_hosts: list[Annotated[str, BeforeValidator(_host_entry)]] = [
        "3psostorageacct.blob.core.windows.net"
    ]
    certificate_name: str = "pcnotifications-dispatch.microsoft.com"  # its DNS name (SAN)
    issuer_organization: str = "Microsoft Corporation"  # O= of the certificate's issuer
    trust_ca_file: Path | None = None  # PEM roots of the signing chain; None: certifi's roots
    download_ca_file: Path | None = None  # TLS trust for downloading it; None: the system's
    max_body_bytes: int = Field(default=64 * 1024, ge=1024, le=1024 * 1024)
    certificate_timeout_seconds: float = Field(default=5.0, gt=0, le=30)
    certificate_cache_size: int = Field(default=16, ge=1, le=1000)  # certificate URLs kept
    certificate_cache_seconds: float = Field(default=3600.0, gt=0, le=7 * 24 * 3600)
    # a failed download or a refused certificate is remembered this long, then tried again
    certificate_failure_seconds: float = Field(default=10.0, ge=0, le=3600)
    # how long an event counts as delivered (Partner Center retries 10 times, schedule unknown)
    dedupe_hours: float = Field(default=168.0, ge=1, le=90 * 24)
    # register-webhooks: the bot's public base URL (https://bot.contoso.com) and the API
    public_url: str = ""
    registration_url: str = "https://api.partnercenter.microsoft.com/webhooks/v1/registration"
    registration_scope: str = "https://api.partnercenter.microsoft.com/.default"

    @model_validator(mode="after")
    def _own_path(self) -> EventSettings:
        if self.path.rstrip("/") in ("", "/api/messages", "/healthz"):
            raise ValueError(f"{ENV_PREFIX}EVENTS__PATH must not be another route of the bot")
        return self


class AlertSettings(BaseModel):
    """REFERRAL_BOT_ALERTS__*: proactive lead alerts from Partner Center events (bot/alerts)."""

    enabled: StrictFlag = True
    # sellers tried, one silent read each, to learn which referral an event names and its team
    max_readers: int = Field(default=5, ge=1, le=50)
    # e-mails of sellers who have the bot and whose access reads every referral (Referral
    # Admins): tried first, so a tenant of many sellers finds one (docs/lead-alerts.md)
    readers: list[str] = Field(default=[], max_length=50)
    # how long an instance's claim on a card it is sending is held before another takes over
    claim_lease_seconds: float = Field(default=120.0, gt=0, le=3600)
    # a failed send or card update is tried again this many times (backoff doubling from
    # `retry_backoff_seconds`), then given up with a log line
    send_retries: int = Field(default=3, ge=0, le=10)
    retry_backoff_seconds: float = Field(default=2.0, gt=0, le=300)
    # how often the scheduler's holder looks for cards claimed by an instance that died before
    # sending them (claims whose lease ran out; on Blob a listing of the whole outbox), and
    # sends them (bot.alerts.stranded)
    stranded_every_seconds: float = Field(default=300.0, ge=1, le=24 * 3600)


LogLevel = Annotated[
    Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"],
    BeforeValidator(lambda value: value.strip().upper() if isinstance(value, str) else value),
]


class LogSettings(BaseModel):
    """REFERRAL_BOT_LOG__*: what third-party libraries log (bot.logging). The root level is
    REFERRAL_BOT_LOG_LEVEL; libraries stay at `library_level` whatever it is."""

    # azure, msal, urllib3, aiohttp, botbuilder, botframework, msrest: at INFO the Azure SDK
    # logs every storage call over a dozen lines.
    library_level: LogLevel = "WARNING"
    # Debugging switch, never in production: storage log lines keep the store keys and Teams
    # ids they name (users, conversations); off, they are replaced by [redacted].
    show_storage_ids: StrictFlag = False


AZURE_BOT_NAMES = {
    "MicrosoftAppId": "app_id",
    "MicrosoftAppPassword": "app_password",
    "MicrosoftAppTenantId": "app_tenant_id",
    "MicrosoftAppType": "app_type",
}


class AzureBotNamesSource(PydanticBaseSettingsSource):
    """Reads the Azure Bot variable names into `bot`; REFERRAL_BOT_BOT__* wins when both are set."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # everything is done in __call__

    def __call__(self) -> dict[str, Any]:
        found = {
            field: os.environ[name] for name, field in AZURE_BOT_NAMES.items() if name in os.environ
        }
        return {"bot": found} if found else {}


def is_loopback_host(host: str) -> bool:
    """`localhost` or a loopback address: reachable from this machine only."""
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter="__", extra="ignore"
    )

    mode: Mode = Mode.PRODUCTION
    host: str = "127.0.0.1"
    port: int = Field(default=3978, ge=0, le=65535)  # 0: any free port (tests, demo)
    # Accept activities without a Bot Framework token: demo mode on a loopback host only.
    dangerously_allow_unauthenticated: StrictFlag = False
    pending_ttl_minutes: int = Field(default=30, ge=1, le=24 * 60)
    # How long a Confirm's claim is held before a click may take it over and reconcile (its
    # holder crashed). None: twice partner_center.deadline_seconds + 30 s (a PATCH and a re-read).
    pending_claim_lease_seconds: float | None = Field(default=None, gt=0, le=24 * 3600)
    log_level: str = "INFO"
    log: LogSettings = LogSettings()
    bot: BotSettings = BotSettings()
    partner_center: PartnerCenterSettings = PartnerCenterSettings()
    identity: IdentitySettings = IdentitySettings()
    state: StateSettings = StateSettings()
    inbound: InboundSettings = InboundSettings()
    index: IndexSettings = IndexSettings()
    schedule: ScheduleSettings = ScheduleSettings()
    events: EventSettings = EventSettings()
    alerts: AlertSettings = AlertSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        azure = AzureBotNamesSource(settings_cls)
        return init_settings, env_settings, azure, dotenv_settings, file_secret_settings

    @model_validator(mode="after")
    def _startup_checks(self) -> Settings:
        """Refuse to start half-configured; each message names the variable to set."""
        problem = _unsafe_switch_problem(self) or _missing_variable(self)
        if problem:
            raise ValueError(problem)
        return self


def _unsafe_switch_problem(settings: Settings) -> str | None:
    if not settings.dangerously_allow_unauthenticated:
        return None
    switch = f"{ENV_PREFIX}DANGEROUSLY_ALLOW_UNAUTHENTICATED=true"
    if settings.mode is not Mode.DEMO:
        return f"{switch} is refused: it is only allowed with {ENV_PREFIX}MODE=demo"
    if not is_loopback_host(settings.host):
        host = f"{ENV_PREFIX}HOST={settings.host}"
        return f"{switch} is refused: {host} is not a loopback address"
    return None


def _missing_variable(settings: Settings) -> str | None:
    bot, identity = settings.bot, settings.identity
    required: list[tuple[bool, str]] = []
    if not settings.dangerously_allow_unauthenticated:
        required += [
            (bool(bot.app_id), f"MicrosoftAppId (or {ENV_PREFIX}BOT__APP_ID)"),
            (
                bool(bot.app_password.get_secret_value())
                or bot.app_type is AppType.USER_ASSIGNED_MSI,
                f"MicrosoftAppPassword (or {ENV_PREFIX}BOT__APP_PASSWORD)",
            ),
            (
                bool(bot.app_tenant_id) or bot.app_type is AppType.MULTI_TENANT,
                f"MicrosoftAppTenantId (or {ENV_PREFIX}BOT__APP_TENANT_ID), "
                f"needed for {bot.app_type}",
            ),
        ]
    required += [
        (bool(identity.client_id), f"{ENV_PREFIX}IDENTITY__CLIENT_ID"),
        (bool(identity.client_secret.get_secret_value()), f"{ENV_PREFIX}IDENTITY__CLIENT_SECRET"),
    ]
    if settings.state.backend is StateBackend.BLOB:
        required.append(
            (
                bool(settings.state.blob_connection_string.get_secret_value()),
                f"{ENV_PREFIX}STATE__BLOB_CONNECTION_STRING, needed for "
                f"{ENV_PREFIX}STATE__BACKEND=blob",
            )
        )
    missing = [name for present, name in required if not present]
    return f"missing setting(s): {', '.join(missing)}" if missing else None
