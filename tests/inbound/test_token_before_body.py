"""Issue 13, D1 and D8: the token is checked from the headers before any of the body is read;
stalled headers and bodies are closed; connections without a token are capped.

The bot is served as `python -m bot` serves it (`bot.inbound.serving`), with auth ON against the
local
channel key server. The timeouts are made small here (settings.inbound) so that a stall is
seen quickly; no test asserts how long anything took.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from emulators.server import RunningEmulators
from tests.inbound.raw_http import RawConnection, raw_connection
from tests.inbound.served import JSON, hello, valid_token
from tests.inbound.served import served_bot as _served_bot
from tests.support.bot import BotUnderTest
from tests.support.channel_keys import ChannelKeyServer

MiB = 1024 * 1024
STALL = 0.3  # seconds: the header and body timeouts of these tests


@asynccontextmanager
async def served_bot(
    fresh: RunningEmulators, keys: ChannelKeyServer, **inbound: Any
) -> AsyncIterator[BotUnderTest]:
    limits = {"header_timeout_seconds": STALL, "body_read_timeout_seconds": STALL} | inbound
    async with _served_bot(fresh, keys, **limits) as bot:
        yield bot


def send_hello(
    connection: RawConnection, bot: BotUnderTest, keys: ChannelKeyServer, upto: int | None = None
) -> None:
    """An authenticated message; only its first `upto` bytes of body when given."""
    body = hello(bot)
    headers = JSON | valid_token(bot, keys) | {"Content-Length": str(len(body))}
    connection.send_head("/api/messages", headers)
    connection.send(body[:upto])


async def test_without_a_token_a_1_mib_body_is_refused_before_any_of_it_is_sent(
    fresh: RunningEmulators, keys: ChannelKeyServer
) -> None:
    async with served_bot(fresh, keys) as bot:
        for authorization in ({}, {"Authorization": "Bearer not.a.token"}):
            async with raw_connection(bot.base_url) as connection:
                headers = JSON | authorization | {"Content-Length": str(MiB)}
                connection.send_head("/api/messages", headers)  # and not one byte of the body

                assert await connection.status() == 401
                assert await connection.closed_by_server()  # nothing waits for the body
        assert bot.connector.sent == []


async def test_with_a_token_a_body_declared_over_the_limit_is_refused_before_it_is_sent(
    fresh: RunningEmulators, keys: ChannelKeyServer
) -> None:
    async with served_bot(fresh, keys) as bot, raw_connection(bot.base_url) as connection:
        headers = JSON | valid_token(bot, keys) | {"Content-Length": str(MiB)}
        connection.send_head("/api/messages", headers)

        assert await connection.status() == 413
        # closed now, not kept open while aiohttp drains the body (its lingering lasts 10 s)
        assert await connection.closed_by_server(within=3.0)


async def test_a_valid_token_still_gets_its_turn_on_the_same_server(
    fresh: RunningEmulators, keys: ChannelKeyServer
) -> None:
    async with served_bot(fresh, keys) as bot, raw_connection(bot.base_url) as connection:
        send_hello(connection, bot, keys)

        assert await connection.status() == 201
        assert len(bot.connector.sent) == 1


async def test_a_connection_that_stalls_in_its_headers_is_closed(
    fresh: RunningEmulators, keys: ChannelKeyServer
) -> None:
    async with served_bot(fresh, keys) as bot, raw_connection(bot.base_url) as connection:
        connection.send(b"POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty")

        assert await connection.closed_by_server()


async def test_a_connection_that_never_sends_anything_is_closed(
    fresh: RunningEmulators, keys: ChannelKeyServer
) -> None:
    async with served_bot(fresh, keys) as bot, raw_connection(bot.base_url) as connection:
        assert await connection.closed_by_server()


async def test_an_authenticated_body_that_stalls_is_answered_408_and_closed(
    fresh: RunningEmulators, keys: ChannelKeyServer
) -> None:
    async with served_bot(fresh, keys) as bot, raw_connection(bot.base_url) as connection:
        send_hello(connection, bot, keys, upto=20)  # and then nothing

        assert await connection.status() == 408
        assert await connection.closed_by_server()
        assert bot.connector.sent == []


async def test_connections_without_a_token_beyond_the_cap_are_closed_on_accept(
    fresh: RunningEmulators, keys: ChannelKeyServer
) -> None:
    async with (
        served_bot(
            fresh, keys, max_unauthenticated_connections=2, header_timeout_seconds=60
        ) as bot,
        raw_connection(bot.base_url) as first,
        raw_connection(bot.base_url) as second,
    ):
        first.send_head("/healthz", {}, method="GET")  # both accepted: they are answered
        second.send_head("/healthz", {}, method="GET")
        assert (await first.status(), await second.status()) == (200, 200)

        async with raw_connection(bot.base_url) as third:  # over the cap: closed at once
            third.send_head("/healthz", {}, method="GET")
            assert await third.closed_by_server()

        send_hello(first, bot, keys)  # a valid token on `first`: it no longer counts
        assert await first.status() == 201

        async with raw_connection(bot.base_url) as fourth:
            fourth.send_head("/healthz", {}, method="GET")
            assert await fourth.status() == 200
