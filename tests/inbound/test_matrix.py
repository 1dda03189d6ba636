"""Every bad request to /api/messages (auth ON) -> 400/401/413/415, never 500, and no turn runs.

The table is printed at the end of the run (conftest `pytest_terminal_summary`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from emulators.channel_keys import ChannelKeyServer, FixedCredentialsFactory, TokenMinter
from emulators.config import DEMO_BOT_APP_ID
from emulators.entra.keys import SigningKey
from emulators.server import RunningEmulators
from tests.inbound.matrix import matrix_rows
from tests.support.activities import message_payload
from tests.support.bot import BotUnderTest, authed_settings, running_bot
from tests.support.standins import StandInCardActions, StandInDialog

NOW = int(time.time())


@dataclass(frozen=True)
class Request:
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[TokenMinter, str], Request]
    expected: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _activity(service_url: str, **changes: Any) -> dict[str, Any]:
    return message_payload("hello") | {"serviceUrl": service_url} | changes


def _json(service_url: str, authorization: str | None, **changes: Any) -> Request:
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    return Request(headers, json.dumps(_activity(service_url, **changes)).encode())


def bearer(**claims: Any) -> Callable[[TokenMinter, str], Request]:
    def build(minter: TokenMinter, url: str) -> Request:
        return _json(url, f"Bearer {minter.token(url, **claims)}")

    return build


def header(value: str | None) -> Callable[[TokenMinter, str], Request]:
    return lambda minter, url: _json(url, value)


def forged(minter: TokenMinter, url: str) -> Request:
    token = minter.token(url, key=SigningKey.generate(), kid=minter.key.kid)
    return _json(url, f"Bearer {token}")


def unknown_kid(minter: TokenMinter, url: str) -> Request:
    return _json(url, f"Bearer {minter.token(url, key=SigningKey.generate())}")


def tampered(minter: TokenMinter, url: str) -> Request:
    head, _, signature = minter.token(url).split(".")
    payload = _b64(json.dumps(minter.claims(url, aud="someone-else")).encode())
    return _json(url, f"Bearer {head}.{payload}.{signature}")


def alg_none(minter: TokenMinter, url: str) -> Request:
    token = jwt.encode(minter.claims(url), key="", algorithm="none")
    return _json(url, f"Bearer {token}")


def hs256(minter: TokenMinter, url: str) -> Request:
    public = minter.key.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    head = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": minter.key.kid}).encode())
    body = _b64(json.dumps(minter.claims(url)).encode())
    signature = hmac.new(public, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return _json(url, f"Bearer {head}.{body}.{_b64(signature)}")


def other_channel(minter: TokenMinter, url: str) -> Request:
    return _json(url, f"Bearer {minter.token(url)}", channelId="webchat")


def raw(content_type: str, body: bytes, *, token: bool = True) -> Callable[..., Request]:
    def build(minter: TokenMinter, url: str) -> Request:
        headers = {"Content-Type": content_type}
        if token:
            headers["Authorization"] = f"Bearer {minter.token(url)}"
        return Request(headers, body)

    return build


def without_type(minter: TokenMinter, url: str) -> Request:
    activity = _activity(url)
    del activity["type"]
    return raw("application/json", json.dumps(activity).encode())(minter, url)


def too_big(minter: TokenMinter, url: str) -> Request:
    activity = _activity(url, text="x" * (2 * 1024 * 1024))
    return raw("application/json", json.dumps(activity).encode())(minter, url)


CASES = [
    Case("valid token", bearer(), 201),  # a message turn: 201, as the stock adapter answers
    Case("forged signature (published kid)", forged, 401),
    Case("tampered payload", tampered, 401),
    Case("expired", bearer(exp=NOW - 600, nbf=NOW - 7200, iat=NOW - 7200), 401),
    Case("not yet valid", bearer(nbf=NOW + 600, iat=NOW + 600), 401),
    Case("no exp claim", bearer(exp=None), 401),
    Case("wrong issuer", bearer(iss="https://sts.windows.net/evil/"), 401),
    Case("wrong audience", bearer(aud="someone-else"), 401),
    Case("wrong serviceurl", bearer(serviceurl="https://evil.example/"), 401),
    Case("unknown kid", unknown_kid, 401),
    Case("key not endorsed for channel", other_channel, 401),
    Case("alg none", alg_none, 401),
    Case("HS256 keyed with public key", hs256, 401),
    Case("garbage token", header("Bearer abc.def.ghi"), 401),
    Case("not a JWT", header("Bearer not-a-token"), 401),
    Case("missing Authorization", header(None), 401),
    Case("empty Authorization", header(""), 401),
    Case("blank Authorization", header("   "), 401),
    Case("Bearer with nothing", header("Bearer"), 401),
    Case("Bearer and spaces", header("Bearer    "), 401),
    Case("wrong scheme (Basic)", header("Basic dXNlcjpwYXNz"), 401),
    Case("bad Content-Type", raw("text/plain", b"{}"), 415),
    Case("malformed JSON", raw("application/json", b"{not json"), 400),
    Case("JSON not an object", raw("application/json", b"[1, 2]"), 400),
    Case("activity without type", without_type, 400),
    Case("body over the size limit", too_big, 413),
]


@pytest.fixture
async def bot(fresh: RunningEmulators, keys: ChannelKeyServer) -> AsyncIterator[BotUnderTest]:
    async with running_bot(
        authed_settings(fresh, keys),
        root_dialog=StandInDialog,
        card_actions=StandInCardActions,
        credentials_factory=FixedCredentialsFactory(DEMO_BOT_APP_ID),
    ) as running:
        yield running


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
async def test_inbound_matrix(
    case: Case,
    bot: BotUnderTest,
    keys: ChannelKeyServer,
    session: aiohttp.ClientSession,
    request: pytest.FixtureRequest,
) -> None:
    minter = TokenMinter(keys.published[0], DEMO_BOT_APP_ID)
    sent = case.build(minter, bot._connector_url)  # the fake connector's URL
    async with session.post(
        bot.messages_url, data=io.BytesIO(sent.body), headers=sent.headers
    ) as answer:
        status = answer.status
        await answer.read()
    turns = len(bot.connector.sent)
    matrix_rows(request.config).append((case.name, status, turns))

    assert status == case.expected
    assert turns == (1 if case.expected == 201 else 0)
