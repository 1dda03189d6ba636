"""`python -m bench.floor` replies over the kept clients' aiohttp session and closes it on stop."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import aiohttp
import pytest

from bench.connector import running_connector
from bench.scenarios import seller_payloads
from bench.server import URL_LINE

pytestmark = pytest.mark.slow  # runs the benchmark's server in a subprocess

REPO = Path(__file__).resolve().parents[2]


async def test_the_floor_echoes_and_closes_its_reply_session_when_it_stops() -> None:
    async with running_connector() as (connector, service_url):
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.floor",
            cwd=REPO, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            assert process.stdout is not None
            found = URL_LINE.search((await process.stdout.readline()).decode())
            assert found is not None
            payloads = seller_payloads(service_url)
            message = payloads.message("hello", payloads.conversation("floor"))
            async with (
                aiohttp.ClientSession() as session,
                session.post(f"{found.group(1)}/api/messages", json=message) as answer,
            ):
                assert answer.status < 300
            assert connector.replies == 1
        finally:
            process.terminate()
            _, errors = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0
    assert b"Unclosed" not in errors, errors.decode()  # aiohttp's warning for a leaked session
