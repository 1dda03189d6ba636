"""The app seals sellers' referral indexes with the token caches' key before the state backend."""

from __future__ import annotations

from aiohttp import web
from cryptography.fernet import Fernet
from pydantic import SecretStr

from bot.app import REFERRAL_INDEXES, STATE_PARTS, create_app
from bot.auth.sealed_store import EncryptedByteStore
from emulators.server import RunningEmulators
from tests.support.bot import demo_settings

MARKER = b"Contoso renewal, 2,500 seats"


async def test_the_apps_referral_indexes_are_sealed_with_the_token_cache_key(
    running: RunningEmulators,
) -> None:
    key = SecretStr(Fernet.generate_key().decode())
    settings = demo_settings(running)
    settings = settings.model_copy(
        update={"identity": settings.identity.model_copy(update={"token_cache_key": key})}
    )
    runner = web.AppRunner(create_app(settings))
    await runner.setup()  # the app's cleanup contexts: state backend and runtime
    try:
        app = runner.app
        await app[REFERRAL_INDEXES].save("tenant/alice", MARKER)
        at_rest = await app[STATE_PARTS].referral_indexes.load("tenant/alice")
        assert at_rest is not None
        assert MARKER not in at_rest
        assert (
            await EncryptedByteStore(app[STATE_PARTS].referral_indexes, key).load("tenant/alice")
            == MARKER
        )
        await app[REFERRAL_INDEXES].delete("tenant/alice")
        assert await app[STATE_PARTS].referral_indexes.load("tenant/alice") is None
    finally:
        await runner.cleanup()
