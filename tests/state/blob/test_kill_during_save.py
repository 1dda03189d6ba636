"""Blob: a bot process SIGKILLed while a Confirm's PATCH is in flight strands nothing: after a
restart the next Confirm settles the change, applied exactly once (issue 13, D2)."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from bot.cards.confirm_change import CONFIRM_VERB
from emulators.server import RunningEmulators
from tests.support.bot_process import SAVE_FAULTS, killed_mid_save_is_settled_by_the_next_click
from tests.support.emulators import PartnerCenterView

pytestmark = pytest.mark.slow  # kills bot processes on Azurite


@pytest.mark.parametrize("fault", sorted(SAVE_FAULTS))
async def test_a_save_killed_mid_patch_is_settled_by_the_next_confirm(
    fresh: RunningEmulators,
    partner_center: PartnerCenterView,
    session: aiohttp.ClientSession,
    blob_state_env: dict[str, str],
    tmp_path: Path,
    fault: str,
) -> None:
    await killed_mid_save_is_settled_by_the_next_click(
        blob_state_env,
        fresh,
        partner_center,
        session,
        tmp_path / "bot.log",
        fault=fault,
        verb=CONFIRM_VERB,
    )
