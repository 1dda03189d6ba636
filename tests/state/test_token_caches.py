from __future__ import annotations

from botbuilder.core import MemoryStorage
from cryptography.fernet import Fernet
from pydantic import SecretStr

from bot.auth.sealed_store import EncryptedByteStore
from bot.state.token_caches import StorageTokenCacheStore

SECRET_TOKEN = b'{"AccessToken": {"secret": "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.payload.sig"}}'


async def test_a_blob_round_trips_through_bot_storage() -> None:
    store = StorageTokenCacheStore(MemoryStorage())
    await store.save("msal-obo/tenant/user", SECRET_TOKEN)
    assert await store.load("msal-obo/tenant/user") == SECRET_TOKEN
    assert await store.load("msal-obo/tenant/other") is None


async def test_two_stores_over_one_storage_share_the_caches() -> None:
    storage = MemoryStorage()
    await StorageTokenCacheStore(storage).save("k", b"blob")
    assert await StorageTokenCacheStore(storage).load("k") == b"blob"


async def test_encrypted_caches_leave_no_token_in_storage() -> None:
    storage = MemoryStorage()
    key = SecretStr(Fernet.generate_key().decode())
    store = EncryptedByteStore(StorageTokenCacheStore(storage), key)
    await store.save("msal-obo/tenant/user", SECRET_TOKEN)

    raw = (await storage.read(["token-cache/msal-obo/tenant/user"]))[
        "token-cache/msal-obo/tenant/user"
    ]
    assert b"eyJ0eXAi" not in raw["blob"].encode()
    assert "eyJ0eXAi" not in str(raw)
    assert await store.load("msal-obo/tenant/user") == SECRET_TOKEN


async def test_a_corrupt_entry_reads_as_an_empty_cache() -> None:
    storage = MemoryStorage()
    await storage.write({"token-cache/k": {"blob": "not base64 !!"}})
    assert await StorageTokenCacheStore(storage).load("k") is None
