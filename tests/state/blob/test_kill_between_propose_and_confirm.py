"""Blob: a bot process SIGKILLed between propose and confirm; a fresh process confirms once."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from emulators.server import RunningEmulators
from tests.support.bot_process import killed_proposal_is_confirmed_once
from tests.support.emulators import PartnerCenterView

pytestmark = pytest.mark.slow  # kills bot processes on Azurite


async def test_a_killed_process_leaves_a_proposal_a_fresh_one_confirms_once(
    fresh: RunningEmulators,
    partner_center: PartnerCenterView,
    session: aiohttp.ClientSession,
    blob_state_env: dict[str, str],
    tmp_path: Path,
) -> None:
    await killed_proposal_is_confirmed_once(
        blob_state_env, fresh, partner_center, session, tmp_path / "bot.log"
    )
