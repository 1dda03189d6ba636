"""Blob: a bot process SIGKILLed between propose and confirm; a fresh process confirms once."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from bot.emulator.server import RunningEmulators
from bot.state.blob_storage import AzureBlobStorage
from tests.integration.conftest import (
    PartnerCenterView,
    fresh,
    identity,
    partner_center,
    running,
)
from tests.state.bot_process import killed_proposal_is_confirmed_once
from tests.support.azurite import Azurite

pytestmark = pytest.mark.slow  # kills bot processes on Azurite

__all__ = ["fresh", "identity", "partner_center", "running"]  # fixtures used here


async def test_a_killed_process_leaves_a_proposal_a_fresh_one_confirms_once(
    fresh: RunningEmulators,
    partner_center: PartnerCenterView,
    session: aiohttp.ClientSession,
    azurite: Azurite,
    blob_storage: AzureBlobStorage,
    tmp_path: Path,
) -> None:
    state = {
        "REFERRAL_BOT_STATE__BACKEND": "blob",
        "REFERRAL_BOT_STATE__BLOB_CONNECTION_STRING": azurite.connection_string,
        "REFERRAL_BOT_STATE__BLOB_CONTAINER": blob_storage.container_name,
    }
    await killed_proposal_is_confirmed_once(
        state, fresh, partner_center, session, tmp_path / "bot.log"
    )
