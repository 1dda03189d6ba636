"""SQLite: a bot process SIGKILLed between propose and confirm loses nothing; applied once."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from emulators.server import RunningEmulators
from tests.support.bot_process import killed_proposal_is_confirmed_once
from tests.support.emulators import PartnerCenterView

pytestmark = pytest.mark.slow  # kills bot processes


async def test_a_killed_process_leaves_a_proposal_a_fresh_one_confirms_once(
    fresh: RunningEmulators,
    partner_center: PartnerCenterView,
    session: aiohttp.ClientSession,
    tmp_path: Path,
) -> None:
    state = {
        "REFERRAL_BOT_STATE__BACKEND": "sqlite",
        "REFERRAL_BOT_STATE__SQLITE_PATH": str(tmp_path / "state" / "bot.sqlite3"),
    }
    await killed_proposal_is_confirmed_once(
        state, fresh, partner_center, session, tmp_path / "bot.log"
    )
