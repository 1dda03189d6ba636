"""One typed, validated Settings object read from the environment (prefix REFERRAL_BOT_)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Mode(StrEnum):
    PRODUCTION = "production"
    DEMO = "demo"


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


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="REFERRAL_BOT_", env_nested_delimiter="__", extra="ignore"
    )

    mode: Mode = Mode.PRODUCTION
    partner_center: PartnerCenterSettings = PartnerCenterSettings()
    identity: IdentitySettings = IdentitySettings()
