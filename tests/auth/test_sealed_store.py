from __future__ import annotations

import logging

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr

from bot.auth.obo import cache_key
from bot.auth.sealed_store import EncryptedByteStore, MemoryByteStore
from tests.auth.providers import MakeProvider
from tests.auth.test_obo_provider import token_posts
from tests.support.emulators import SELLER
from tests.support.identity import IdentityClient, assertion_for


def new_key() -> SecretStr:
    return SecretStr(Fernet.generate_key().decode())


async def test_encrypted_store_round_trips_a_blob() -> None:
    store = EncryptedByteStore(MemoryByteStore(), new_key())

    await store.save("k", b'{"AccessToken": {}}')

    assert await store.load("k") == b'{"AccessToken": {}}'
    assert await store.load("missing") is None


async def test_encrypted_store_reads_a_wrong_key_as_an_empty_cache(
    caplog: pytest.LogCaptureFixture,
) -> None:
    inner = MemoryByteStore()
    await EncryptedByteStore(inner, new_key()).save("k", b"secret-cache-content")

    loaded = await EncryptedByteStore(inner, new_key()).load("k")

    assert loaded is None
    assert "auth.token_cache.unreadable" in caplog.text
    assert "secret-cache-content" not in caplog.text


async def test_encrypted_store_reads_a_corrupt_blob_as_an_empty_cache() -> None:
    inner = MemoryByteStore()
    await inner.save("k", b"not a fernet token")

    assert await EncryptedByteStore(inner, new_key()).load("k") is None


async def test_a_blob_moved_to_another_sellers_key_reads_as_empty() -> None:
    inner = MemoryByteStore()
    store = EncryptedByteStore(inner, new_key())
    await store.save("tenant/alice", b"alice's tokens")
    await inner.save("tenant/mallory", await inner.load("tenant/alice") or b"")

    assert await store.load("tenant/mallory") is None


def test_encrypted_store_refuses_a_key_that_is_not_a_fernet_key() -> None:
    with pytest.raises(ValueError, match="Fernet key"):
        EncryptedByteStore(MemoryByteStore(), SecretStr("too-short"))


async def test_stored_cache_never_holds_the_token_in_clear(
    identity: IdentityClient, make_provider: MakeProvider
) -> None:
    inner = MemoryByteStore()
    store = EncryptedByteStore(inner, new_key())
    assertion = assertion_for(SELLER, await identity.sso_token(SELLER))

    token = await make_provider(store).get_token(assertion)

    sealed = await inner.load(cache_key(assertion))
    assert sealed is not None
    plain = await store.load(cache_key(assertion))
    assert plain is not None
    assert token.encode() in plain  # the cache really holds it...
    assert token.encode() not in sealed  # ...but only encrypted
    assert SELLER.upn.encode() not in sealed


async def test_a_cache_sealed_with_another_key_means_a_new_on_behalf_of(
    identity: IdentityClient, make_provider: MakeProvider
) -> None:
    inner = MemoryByteStore()
    assertion = assertion_for(SELLER, await identity.sso_token(SELLER))
    await make_provider(EncryptedByteStore(inner, new_key())).get_token(assertion)

    await make_provider(EncryptedByteStore(inner, new_key())).get_token(assertion)

    assert token_posts(await identity.recorded()) == 2


async def test_an_unreadable_plain_cache_means_a_new_on_behalf_of(
    identity: IdentityClient, make_provider: MakeProvider, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    store = MemoryByteStore()
    assertion = assertion_for(SELLER, await identity.sso_token(SELLER))
    await store.save(cache_key(assertion), b"{not json")

    token = await make_provider(store).get_token(assertion)

    assert token
    assert token_posts(await identity.recorded()) == 1
    assert "auth.token_cache.corrupt" in caplog.text
