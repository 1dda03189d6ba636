"""Blob: a bot process SIGKILLed while a Confirm's PATCH is in flight strands nothing: after a
restart the next Confirm settles the change, applied exactly once (issue 13, D2)."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from bot.cards.confirm_change import CONFIRM_VERB
from bot.emulator.server import RunningEmulators
from bot.state.blob_storage import AzureBlobStorage
from tests.integration.conftest import (
    PartnerCenterView,
    fresh,
    identity,
    partner_center,
    running,
)
from tests.state.bot_process import SAVE_FAULTS, killed_mid_save_is_settled_by_the_next_click
from tests.support.azurite import Azurite

pytestmark = pytest.mark.slow  # kills bot processes on Azurite

__all__ = ["fresh", "identity", "partner_center", "running"]  # fixtures used here


@pytest.mark.parametrize("fault", sorted(SAVE_FAULTS))
async def test_a_save_killed_mid_patch_is_settled_by_the_next_confirm(
    fresh: RunningEmulators,
    partner_center: PartnerCenterView,
    session: aiohttp.ClientSession,
    azurite: Azurite,
    blob_storage: AzureBlobStorage,
    tmp_path: Path,
    fault: str,
) -> None:
    state = {
        "REFERRAL_BOT_STATE__BACKEND": "blob",
        "REFERRAL_BOT_STATE__BLOB_CONNECTION_STRING": azurite.connection_string,
        "REFERRAL_BOT_STATE__BLOB_CONTAINER": blob_storage.container_name,
    }
    await killed_mid_save_is_settled_by_the_next_click(
        state,
        fresh,
        partner_center,
        session,
        tmp_path / "bot.log",
        fault=fault,
        verb=CONFIRM_VERB,
    )
