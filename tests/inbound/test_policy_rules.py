"""TenantPolicy decisions and its settings, without a server."""

from __future__ import annotations

import logging
import os
from typing import Any

import pytest
from botbuilder.schema import Activity
from pydantic import ValidationError

from bot.inbound.policy import TenantPolicy
from bot.inbound.replies import GUEST_REFUSAL, TENANT_REFUSAL
from bot.settings import Mode, Settings
from tests.support.activities import message_payload

PRODUCTION = {
    "REFERRAL_BOT_IDENTITY__CLIENT_ID": "bot-app",
    "REFERRAL_BOT_IDENTITY__CLIENT_SECRET": "s3cret",
    "MicrosoftAppId": "azure-app",
    "MicrosoftAppPassword": "azure-pw",
}


def activity(tenant: str = "t-1", **sender: Any) -> Activity:
    payload = message_payload("hi")
    payload["channelData"] = {"tenant": {"id": tenant}}
    payload["from"] = payload["from"] | sender
    return Activity().deserialize(payload)


def test_allowed_tenants_and_the_bots_own_tenant_pass_others_are_refused() -> None:
    os.environ.update(
        PRODUCTION, REFERRAL_BOT_BOT__ALLOWED_TENANTS='["t-2"]', MicrosoftAppTenantId="t-1"
    )
    policy = TenantPolicy.from_settings(Settings())

    assert policy.refusal(activity("t-1")) is None
    assert policy.refusal(activity("t-2")) is None
    assert policy.refusal(activity("t-3")) == TENANT_REFUSAL


def test_production_without_tenants_refuses_every_tenant_and_warns(
    caplog: pytest.LogCaptureFixture,
) -> None:
    os.environ.update(PRODUCTION)
    with caplog.at_level(logging.WARNING):
        policy = TenantPolicy.from_settings(Settings())

    assert policy.refusal(activity("t-1")) == TENANT_REFUSAL
    assert "ALLOWED_TENANTS" in caplog.text


def test_demo_without_tenants_allows_any_tenant() -> None:
    os.environ.update(PRODUCTION, REFERRAL_BOT_MODE="demo")
    policy = TenantPolicy.from_settings(Settings())
    assert Settings().mode is Mode.DEMO

    assert policy.refusal(activity("anything")) is None


@pytest.mark.parametrize("role", ["guest", "anonymous", "Guest"])
def test_guests_are_refused_unless_allowed(role: str) -> None:
    refusing = TenantPolicy(frozenset({"t-1"}))
    allowing = TenantPolicy(frozenset({"t-1"}), allow_guests=True)

    assert refusing.refusal(activity(userRole=role)) == GUEST_REFUSAL
    assert allowing.refusal(activity(userRole=role)) is None
    assert refusing.refusal(activity(userRole="user")) is None


def test_a_user_without_aad_object_id_is_always_refused() -> None:
    policy = TenantPolicy(frozenset({"t-1"}), allow_guests=True)

    assert policy.refusal(activity(aadObjectId=None)) == GUEST_REFUSAL


def test_a_missing_tenant_is_refused() -> None:
    payload = message_payload("hi")
    payload["channelData"] = {}
    payload["conversation"].pop("tenantId")

    assert TenantPolicy(frozenset({"t-1"})).refusal(Activity().deserialize(payload)) is not None


def test_allow_guests_is_a_strict_flag() -> None:
    os.environ.update(PRODUCTION, REFERRAL_BOT_BOT__ALLOW_GUESTS="yes")
    with pytest.raises(ValidationError):
        Settings()
