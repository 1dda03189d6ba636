"""The seller's msal cache lands in the bot's storage, encrypted, keyed by tenant + user."""

from __future__ import annotations

import base64
import re

from botbuilder.core import MemoryStorage

from bot.cards.confirm_change import CONFIRM_VERB
from emulators.server import RunningEmulators
from tests.support.bot import demo_settings, running_bot
from tests.support.e2e import propose
from tests.support.emulators import SELLER

JWT = re.compile(rb"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.")


async def test_a_confirmed_change_leaves_an_encrypted_cache_in_bot_storage(
    fresh: RunningEmulators,
) -> None:
    storage = MemoryStorage()
    async with running_bot(demo_settings(fresh), storage=storage) as bot:
        _, pending_id = await propose(bot, "mark 123 won")
        answer = await bot.click(CONFIRM_VERB, {"pendingId": pending_id})
        assert answer.status == 200

    keys = [key for key in storage.memory if key.startswith("token-cache/")]
    assert keys == [f"token-cache/msal-obo/{SELLER.tenant_id}/{SELLER.oid}"]
    stored = base64.b64decode(storage.memory[keys[0]]["blob"])
    # no JWT (access, refresh or id token) in clear text. Not just b"eyJ": Fernet's base64
    # ciphertext holds those three letters by chance in about 1 % of runs (seen in make test);
    # a JWT is eyJ… with two dots, which base64url never contains.
    assert JWT.search(stored) is None
    assert b"AccessToken" not in stored  # msal's cache layout is not readable either
    assert SELLER.upn.encode() not in stored
