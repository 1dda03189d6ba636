"""AzureBlobStorage: a botbuilder `Storage` shared by several bot instances, one blob per key.

Written on the current async SDK (`azure.storage.blob.aio`) because the stock botbuilder-azure
BlobStorage has measured faults (docs/libraries.md): it returns a silent `{}` on 403, hangs ~87 s
when the account is down and reports a conflict as a generic error. Here:

- every write is a compare-and-set on the blob's ETag: an item without `e_tag` is created only
  if the blob does not exist (`If-None-Match: *`), an item with one replaces only that version
  (`If-Match`), `"*"` overwrites; a lost race raises `StorageConflictError`;
- every call is bounded (connect + read timeouts, no SDK retries, an overall deadline), so an
  outage raises `StorageUnavailableError` in seconds;
- a missing container or refused credentials raise `StorageUnavailableError`, never `{}`.
Values are encoded with the restricted jsonpickle codec shared with the SQLite store.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote, unquote

from azure.core import MatchConditions
from azure.core.exceptions import (
    AzureError,
    ClientAuthenticationError,
    HttpResponseError,
    ResourceExistsError,
    ResourceModifiedError,
    ResourceNotFoundError,
)
from azure.storage.blob.aio import ContainerClient
from botbuilder.core import Storage

from bot.state.errors import StorageConflictError, StorageUnavailableError
from bot.state.sqlite_codec import decode, encode

logger = logging.getLogger(__name__)
T = TypeVar("T")
_ETAG = "e_tag"
_MAX_PUT_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Listed:
    """One item as a list call shows it: no body, but its ETag and metadata."""

    key: str
    etag: str
    metadata: dict[str, str]


@dataclass(frozen=True)
class RawBlob:
    """One blob as stored: its bytes, ETag and metadata (stores that keep bytes, not items)."""

    body: bytes
    etag: str
    metadata: dict[str, str]


@dataclass(frozen=True)
class BlobTimeouts:
    """Bounds of one storage call; an outage must surface in seconds, not minutes."""

    connect_seconds: float = 2.0
    read_seconds: float = 5.0
    deadline_seconds: float = 8.0


class AzureBlobStorage(Storage):  # type: ignore[misc]  # botbuilder is untyped
    """Implements botbuilder `Storage` over one blob container (ETag compare-and-set)."""

    def __init__(self, container: ContainerClient, *, timeouts: BlobTimeouts) -> None:
        super().__init__()
        self._container = container
        self._timeouts = timeouts

    @classmethod
    def from_connection_string(
        cls, connection_string: str, container: str, *, timeouts: BlobTimeouts | None = None
    ) -> AzureBlobStorage:
        bounds = timeouts or BlobTimeouts()
        client = ContainerClient.from_connection_string(
            connection_string,
            container,
            connection_timeout=bounds.connect_seconds,
            read_timeout=bounds.read_seconds,
            retry_total=0,
            # a bigger body goes up in blocks of this size: aiohttp warns that one raw body over
            # 1 MiB may hold up the event loop (sellers' referral indexes reach a few MB)
            max_single_put_size=_MAX_PUT_BYTES,
            max_block_size=_MAX_PUT_BYTES,
            logging_enable=False,  # never log bodies (state, token caches); see bot.logging
        )
        return cls(client, timeouts=bounds)

    @property
    def container_name(self) -> str:
        return str(self._container.container_name)

    async def close(self) -> None:
        await self._container.close()

    async def create_container(self) -> None:
        """Creates the container if it is missing (deployment and tests; reads never create)."""
        try:
            await self._bounded(self._container.create_container())
        except ResourceExistsError:
            return

    async def read(self, keys: list[str]) -> dict[str, object]:
        found: dict[str, object] = {}
        for key in keys:
            item = await self._read_one(key)
            if item is not None:
                found[key] = item
        return found

    async def write(self, changes: Mapping[str, object]) -> None:
        """Writes each item under its ETag condition and stamps the new ETag on dict items."""
        if changes is None:
            raise ValueError("changes are required when writing")
        for key, item in changes.items():
            etag = await self._write_one(key, item)
            if isinstance(item, dict):
                item[_ETAG] = etag

    async def delete(self, keys: list[str]) -> None:
        for key in keys:
            await self.delete_if_unchanged(key, etag=None)

    async def write_item(self, key: str, item: object, *, metadata: dict[str, str]) -> str:
        """Writes one item (same ETag rules as `write`) with blob metadata; returns the ETag."""
        return await self._write_one(key, item, metadata)

    async def list_page(
        self, prefix: str, *, continuation: str | None, page_size: int
    ) -> tuple[list[Listed], str | None]:
        """One list call: up to `page_size` items under `prefix` from `continuation` (None: the
        start), and where the next page starts (None: this was the last)."""

        async def one_page() -> tuple[list[Listed], str | None]:
            pages = self._container.list_blobs(
                name_starts_with=blob_name(prefix), include=["metadata"], results_per_page=page_size
            ).by_page(continuation_token=continuation)
            page = await anext(pages)
            listed = [
                Listed(unquote(blob.name), str(blob.etag), dict(blob.metadata or {}))
                async for blob in page
            ]
            return listed, pages.continuation_token or None  # type: ignore[attr-defined]

        try:
            return await self._bounded(one_page())
        except ResourceNotFoundError as error:
            raise self._missing_container() from error

    async def delete_if_unchanged(self, key: str, *, etag: str | None) -> bool:
        """Deletes the item (only that version when `etag` is given); False if it was not there."""
        conditions: dict[str, Any] = {}
        if etag is not None:
            conditions = {"etag": etag, "match_condition": MatchConditions.IfNotModified}
        try:
            await self._bounded(self._container.delete_blob(blob_name(key), **conditions))
        except ResourceNotFoundError as error:
            if _container_missing(error):
                raise self._missing_container() from error
            return False
        except ResourceModifiedError:
            return False
        return True

    async def read_raw(self, key: str) -> RawBlob | None:
        """One blob's bytes as stored (no codec), with its ETag and metadata; None if missing."""
        try:
            downloader = await self._bounded(self._container.download_blob(blob_name(key)))
            body = await self._bounded(downloader.readall())
        except ResourceNotFoundError as error:
            if _container_missing(error):
                raise self._missing_container() from error
            return None
        properties = downloader.properties
        return RawBlob(bytes(body), str(properties.etag), dict(properties.metadata or {}))

    async def write_raw(self, key: str, body: bytes, *, metadata: dict[str, str]) -> str:
        """Overwrites one blob with `body` as it is (no codec) and `metadata`; returns the ETag."""
        return await self._upload(key, body, {"overwrite": True, "metadata": metadata})

    async def set_metadata_if_unchanged(
        self, key: str, metadata: dict[str, str], *, etag: str
    ) -> bool:
        """Replaces the metadata of that version of the blob only; False if it changed or went."""
        client = self._container.get_blob_client(blob_name(key))
        try:
            await self._bounded(
                client.set_blob_metadata(
                    metadata, etag=etag, match_condition=MatchConditions.IfNotModified
                )
            )
        except ResourceNotFoundError as error:
            if _container_missing(error):
                raise self._missing_container() from error
            return False
        except ResourceModifiedError:
            return False
        return True

    async def _read_one(self, key: str) -> object | None:
        raw = await self.read_raw(key)
        if raw is None:
            return None
        return _stamped(decode(raw.body.decode("utf-8")), raw.etag)

    async def _write_one(
        self, key: str, item: object, metadata: dict[str, str] | None = None
    ) -> str:
        etag = _etag_of(item)
        if etag == "":
            raise ValueError(f"empty e_tag for storage key {key!r:.80}")
        conditions: dict[str, Any] = {"overwrite": True}
        if etag is None:
            conditions = {"overwrite": False}  # If-None-Match: * (first write)
        elif etag != "*":
            conditions |= {"etag": etag, "match_condition": MatchConditions.IfNotModified}
        if metadata:
            conditions["metadata"] = metadata
        return await self._upload(key, encode(_unstamped(item)).encode("utf-8"), conditions)

    async def _upload(self, key: str, body: bytes, conditions: dict[str, Any]) -> str:
        try:
            result = await self._bounded(
                self._container.get_blob_client(blob_name(key)).upload_blob(body, **conditions)
            )
        except (ResourceExistsError, ResourceModifiedError) as error:
            raise StorageConflictError(key) from error
        except HttpResponseError as error:
            if error.status_code in (409, 412):
                raise StorageConflictError(key) from error
            if _container_missing(error):
                raise self._missing_container() from error
            raise
        return str(result["etag"])

    async def _bounded(self, call: Awaitable[T]) -> T:
        """One SDK call under the overall deadline; outages and refusals become clear errors."""
        try:
            async with asyncio.timeout(self._timeouts.deadline_seconds):
                return await call
        except TimeoutError as error:
            raise StorageUnavailableError("blob storage did not answer in time") from error
        except ClientAuthenticationError as error:
            raise StorageUnavailableError("blob storage refused the credentials (403)") from error
        except HttpResponseError as error:
            if error.status_code == 403:
                raise StorageUnavailableError("blob storage refused access (403)") from error
            raise
        except AzureError as error:  # connection refused or reset, read timeout
            raise StorageUnavailableError(
                f"blob storage unreachable: {type(error).__name__}"
            ) from error

    def _missing_container(self) -> StorageUnavailableError:
        name = self._container.container_name
        return StorageUnavailableError(f"blob container {name!r} does not exist: create it first")


@asynccontextmanager
async def opened_blob_storage(
    connection_string: str, container: str, *, timeouts: BlobTimeouts | None = None
) -> AsyncIterator[AzureBlobStorage]:
    """An AzureBlobStorage whose HTTP session is closed on exit."""
    storage = AzureBlobStorage.from_connection_string(
        connection_string, container, timeouts=timeouts
    )
    try:
        yield storage
    finally:
        await storage.close()


def blob_name(key: str) -> str:
    """A storage key as one flat blob name: `/`, `..` and other specials are percent-encoded."""
    return quote(key, safe="").replace(".", "%2E")


def _container_missing(error: HttpResponseError) -> bool:
    return getattr(error, "error_code", None) == "ContainerNotFound"


def _etag_of(item: object) -> str | None:
    value = item.get(_ETAG) if isinstance(item, dict) else getattr(item, _ETAG, None)
    return None if value is None else str(value)


def _unstamped(item: object) -> object:
    if isinstance(item, dict):
        return {key: value for key, value in item.items() if key != _ETAG}
    return item


def _stamped(value: object, etag: str) -> object:
    if isinstance(value, dict):
        value[_ETAG] = etag
    elif hasattr(value, _ETAG):
        setattr(value, _ETAG, etag)
    return value
