"""Each test gets a fresh container in the session's Azurite (the `azurite` fixture)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.state.blob_storage import AzureBlobStorage
from emulators.azurite import Azurite
from tests.support.azurite import FAST, fresh_blob_storage


@pytest.fixture
async def blob_storage(azurite: Azurite) -> AsyncIterator[AzureBlobStorage]:
    async with fresh_blob_storage(azurite, FAST) as store:
        yield store


@pytest.fixture
def blob_state_env(azurite: Azurite, blob_storage: AzureBlobStorage) -> dict[str, str]:
    """The environment that puts a `python -m bot` process's state in `blob_storage`."""
    return {
        "REFERRAL_BOT_STATE__BACKEND": "blob",
        "REFERRAL_BOT_STATE__BLOB_CONNECTION_STRING": azurite.connection_string,
        "REFERRAL_BOT_STATE__BLOB_CONTAINER": blob_storage.container_name,
    }
