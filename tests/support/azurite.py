"""Azurite (npm `azurite`, root package.json) started on 127.0.0.1:0 for the Blob store tests."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from bot.settings import StateBackend, StateSettings
from bot.state.blob_storage import AzureBlobStorage, BlobTimeouts, opened_blob_storage

ROOT = Path(__file__).resolve().parents[2]
AZURITE = ROOT / "node_modules" / ".bin" / "azurite-blob"
# The documented, public Azurite development account: not a secret.
ACCOUNT = "devstoreaccount1"
KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
FAST = BlobTimeouts(
    connect_seconds=1.0, read_seconds=2.0, deadline_seconds=3.0
)  # an outage fails in seconds
_LISTENING = re.compile(r"successfully listens on http://127\.0\.0\.1:(\d+)")


@dataclass(frozen=True)
class Azurite:
    port: int
    process: subprocess.Popen[str]

    @property
    def connection_string(self) -> str:
        return (
            f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={KEY};"
            f"BlobEndpoint=http://127.0.0.1:{self.port}/{ACCOUNT};"
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)


@contextmanager
def running_azurite(startup_seconds: float = 30.0) -> Iterator[Azurite]:
    """Starts azurite-blob in a temporary folder, waits for its port, kills it on exit."""
    if not AZURITE.exists():
        pytest.fail(f"{AZURITE} is missing: run `npm install` in the repository root")
    location = Path(tempfile.mkdtemp(prefix="azurite-"))
    log = (location / "azurite.log").open("w")
    process = subprocess.Popen(
        [str(AZURITE), "--blobHost", "127.0.0.1", "--blobPort", "0", "--location", str(location),
         "--loose", "--skipApiVersionCheck", "--disableTelemetry"],
        stdout=log, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        azurite = Azurite(
            _wait_for_port(process, location / "azurite.log", startup_seconds), process
        )
        yield azurite
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        log.close()
        shutil.rmtree(location, ignore_errors=True)


def _wait_for_port(process: subprocess.Popen[str], log: Path, startup_seconds: float) -> int:
    """Azurite prints the port it bound (we ask for 0) once it is listening."""
    deadline = time.monotonic() + startup_seconds
    while time.monotonic() < deadline and process.poll() is None:
        match = _LISTENING.search(log.read_text())
        if match:
            return int(match.group(1))
        time.sleep(0.05)
    raise RuntimeError(f"azurite did not start: {log.read_text()[-500:]}")


@pytest.fixture(scope="session")
def azurite() -> Iterator[Azurite]:
    """One Azurite for the test session (registered by tests/support/fixtures.py)."""
    with running_azurite() as started:
        yield started


@asynccontextmanager
async def fresh_blob_storage(
    azurite: Azurite, timeouts: BlobTimeouts | None = None
) -> AsyncIterator[AzureBlobStorage]:
    """An AzureBlobStorage on a new, empty container of `azurite`."""
    container = f"state-{uuid.uuid4().hex[:12]}"
    async with opened_blob_storage(
        azurite.connection_string, container, timeouts=timeouts
    ) as store:
        await store.create_container()
        yield store


def blob_state(azurite: Azurite, container: str, **more: Any) -> StateSettings:
    """The bot's state settings for `container` of `azurite` (`more`: other StateSettings)."""
    return StateSettings(
        backend=StateBackend.BLOB,
        blob_connection_string=SecretStr(azurite.connection_string),
        blob_container=container,
        **more,
    )
