"""SQLite: a bot process SIGKILLed while a Confirm's PATCH is in flight strands nothing: after
a restart the next Confirm or Cancel settles the change (issue 13, D2)."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from bot.cards.confirm_change import CANCEL_VERB, CONFIRM_VERB
from emulators.server import RunningEmulators
from tests.support.bot_process import SAVE_FAULTS, killed_mid_save_is_settled_by_the_next_click
from tests.support.emulators import PartnerCenterView

pytestmark = pytest.mark.slow  # kills bot processes


@pytest.mark.parametrize("verb", [CONFIRM_VERB, CANCEL_VERB])
@pytest.mark.parametrize("fault", sorted(SAVE_FAULTS))
async def test_a_save_killed_mid_patch_is_settled_by_the_next_click(
    fresh: RunningEmulators,
    partner_center: PartnerCenterView,
    session: aiohttp.ClientSession,
    tmp_path: Path,
    fault: str,
    verb: str,
) -> None:
    state = {
        "REFERRAL_BOT_STATE__BACKEND": "sqlite",
        "REFERRAL_BOT_STATE__SQLITE_PATH": str(tmp_path / "state" / "bot.sqlite3"),
    }
    await killed_mid_save_is_settled_by_the_next_click(
        state, fresh, partner_center, session, tmp_path / "bot.log", fault=fault, verb=verb
    )
