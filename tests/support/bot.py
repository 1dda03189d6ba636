"""Run the real bot app over loopback for a test, with a fake Bot Framework connector.

`FakeConnector` is the `serviceUrl` of every activity a test sends: it records what the bot
posts back (replies, cards, updates) the way Teams' connector would receive them, answers the
member lookup (`TeamsInfo.get_member`), and refuses chosen conversations as Teams does once the
app is removed (403/404). `BotUnderTest` posts Teams-shaped activities to the bot's real
`/api/messages` and hands back what the bot sent.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
from pydantic import SecretStr

from bot.app import create_app
from bot.inbound.serving import start_serving
from bot.settings import BotSettings, Settings, StateBackend, StateSettings
from demo.settings import demo_settings as _demo_settings
from emulators.channel_keys import ChannelKeyServer
from emulators.config import DEMO_BOT_APP_ID
from emulators.fixtures import FixtureUser
from emulators.server import RunningEmulators
from tests.support.activities import (
    TeamsConversation,
    TeamsUser,
    card_invoke_payload,
    message_payload,
)
from tests.support.emulators import SELLER

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"


MEMORY_STATE = StateSettings(backend=StateBackend.MEMORY)


def demo_settings(running: RunningEmulators, **overrides: Any) -> Settings:
    """The demo's settings, but state in memory unless a test asks for a backend: tests must
    not share the demo's SQLite file under build/state/."""
    return _demo_settings(running, **({"state": MEMORY_STATE} | overrides))


@dataclass(frozen=True)
class SentActivity:
    """One activity the bot posted to the connector."""

    conversation_id: str
    reply_to_id: str | None  # for an update (PUT): the id of the activity it replaces
    body: dict[str, Any]
    method: str = "POST"  # PUT: an update of a message posted before
    activity_id: str | None = None  # the id the connector answered (what an update names)
    received_at: float = field(default=0.0, compare=False)  # time.time() at the connector

    @property
    def text(self) -> str:
        return str(self.body.get("text") or "")

    @property
    def cards(self) -> list[dict[str, Any]]:
        attachments = self.body.get("attachments") or []
        return [a["content"] for a in attachments if a.get("contentType") == ADAPTIVE_CARD]


@dataclass
class FakeConnector:
    """The Bot Framework connector as the bot sees it: records every activity, answers ids.

    `members` answers `GET …/members/{id}` by the member's Teams id (`TeamsUser.id`); an unknown
    member is a 404 as in Teams. `refused` maps a conversation id to the status every request
    to it gets (403: the app was removed; 404: the conversation is gone). Posts to a conversation
    in `holding` never come back until `let_go()` (then 503, not recorded): a send the bot is
    stuck in. `attempts` counts every post and update per conversation, refused or held too.
    """

    sent: list[SentActivity] = field(default_factory=list)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=dict)
    member_lookups: list[str] = field(default_factory=list)
    authorizations: list[str | None] = field(default_factory=list)
    attempts: Counter[str] = field(default_factory=Counter)
    holding: set[str] = field(default_factory=set)
    held: list[str] = field(default_factory=list)  # the conversations of the posts held so far
    _let_go: asyncio.Event = field(default_factory=asyncio.Event)
    _holding_more: asyncio.Condition = field(default_factory=asyncio.Condition)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._record)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._record)
        app.router.add_put("/v3/conversations/{conversation}/activities/{reply_to}", self._record)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        return app

    def updates(self) -> list[SentActivity]:
        return [activity for activity in self.sent if activity.method == "PUT"]

    def add_member(self, user: TeamsUser | FixtureUser, *, email: str | None = None) -> None:
        """`user` as Teams' member lookup describes them: e-mail and UPN included."""
        teams_user = TeamsUser.of(user)
        address = email or getattr(user, "upn", None) or f"{teams_user.aad_object_id}@example.com"
        self.members[teams_user.id] = {
            "id": teams_user.id,
            "name": teams_user.name,
            "aadObjectId": teams_user.aad_object_id,
            "email": address,
            "userPrincipalName": address,
            "tenantId": teams_user.tenant_id,
            "userRole": "user",
        }

    async def hold_count(self, count: int, *, within: float = 10.0) -> None:
        """Waits until `count` posts are held."""
        async with asyncio.timeout(within), self._holding_more:
            await self._holding_more.wait_for(lambda: len(self.held) >= count)

    def let_go(self) -> None:
        """Held posts end (503, unrecorded) and later ones to those conversations go through."""
        self.holding.clear()
        self._let_go.set()

    async def _record(self, request: web.Request) -> web.Response:
        self.authorizations.append(request.headers.get("Authorization"))
        body = await request.json()
        conversation = request.match_info["conversation"]
        self.attempts[conversation] += 1
        if conversation in self.holding:
            async with self._holding_more:
                self.held.append(conversation)
                self._holding_more.notify_all()
            await self._let_go.wait()
            return web.Response(status=503)
        refused = self._refusal(conversation)
        if refused is not None:
            return refused
        replied_to = request.match_info.get("reply_to")
        given = replied_to if request.method == "PUT" else f"activity-{next(self._ids)}"
        self.sent.append(
            SentActivity(conversation, replied_to, body, request.method, given, time.time())
        )
        return web.json_response({"id": given})

    async def _member(self, request: web.Request) -> web.Response:
        member_id = request.match_info["member"]
        self.member_lookups.append(member_id)
        refused = self._refusal(request.match_info["conversation"])
        if refused is not None:
            return refused
        member = self.members.get(member_id)
        if member is None:
            error = {"error": {"code": "MemberNotFoundInConversation", "message": "not found"}}
            return web.json_response(error, status=404)
        return web.json_response(member)

    def _refusal(self, conversation: str) -> web.Response | None:
        status = self.refused.get(conversation)
        if status is None:
            return None
        code = "Forbidden" if status == 403 else "ConversationNotFound"
        error = {"error": {"code": code, "message": "The bot is not part of the conversation"}}
        return web.json_response(error, status=status)


@dataclass(frozen=True)
class InvokeAnswer:
    status: int  # the HTTP status of /api/messages
    body: dict[str, Any]

    @property
    def card(self) -> dict[str, Any]:
        """The card that replaces the clicked one (fails the test if it is not a card)."""
        assert self.body.get("statusCode") == 200, self.body
        assert self.body.get("type") == ADAPTIVE_CARD, self.body
        card: dict[str, Any] = self.body["value"]
        return card


class BotUnderTest:
    """Posts Teams-shaped activities to the running bot and reads what it sent back."""

    def __init__(
        self, session: aiohttp.ClientSession, bot_url: str, connector_url: str, connector: Any
    ) -> None:
        self._session = session
        self.messages_url = f"{bot_url}/api/messages"
        self.base_url = bot_url
        self._connector_url = connector_url
        self.connector: FakeConnector = connector
        self.headers: dict[str, str] = {}  # sent with say/click/post, e.g. an Authorization
        self.app: web.Application | None = None  # the running app (its stores, its scheduler)

    @property
    def connector_url(self) -> str:
        """The serviceUrl the bot is told: where its replies and proactive cards go."""
        return self._connector_url

    async def post(self, payload: Mapping[str, Any]) -> aiohttp.ClientResponse:
        body = {**payload, "serviceUrl": self._connector_url}
        async with self._session.post(self.messages_url, json=body, headers=self.headers) as answer:
            await answer.read()
            return answer

    async def say(
        self,
        text: str,
        *,
        user: TeamsUser | FixtureUser = SELLER,
        conversation: TeamsConversation | None = None,
        mention: bool = False,
    ) -> list[SentActivity]:
        """Send a message; returns what the bot sent back during that turn."""
        before = len(self.connector.sent)
        payload = message_payload(text, user=user, conversation=conversation, mention=mention)
        response = await self.post(payload)
        assert response.status in (200, 201), response.status
        return self.connector.sent[before:]

    async def click(
        self,
        verb: str,
        data: Mapping[str, Any],
        *,
        user: TeamsUser | FixtureUser = SELLER,
        conversation: TeamsConversation | None = None,
        trigger: str = "manual",
    ) -> InvokeAnswer:
        """Click an `Action.Execute` button (`trigger="automatic"`: a card's refresh, run by the
        Teams client itself); returns the invoke response."""
        payload = card_invoke_payload(
            verb, data, user=user, conversation=conversation, trigger=trigger
        )
        body = {**payload, "serviceUrl": self._connector_url}
        async with self._session.post(
            self.messages_url, json=body, headers=self.headers
        ) as response:
            answer = await response.json(content_type=None) if await response.read() else {}
            return InvokeAnswer(response.status, answer)


@asynccontextmanager
async def running_bot(
    settings: Settings, *, served: bool = False, **overrides: Any
) -> AsyncIterator[BotUnderTest]:
    """The real app (create_app + overrides) and a fake connector, both on 127.0.0.1:0.

    `served`: through `bot.inbound.serving` as `python -m bot` serves it (header deadline, cap on
    unauthenticated connections, settings.inbound) instead of aiohttp's TestServer.
    """
    connector = FakeConnector()
    connector_server = TestServer(connector.app(), host="127.0.0.1", port=0)
    await connector_server.start_server()
    try:
        app = create_app(settings, **overrides)
        async with _bot_server(app, settings, served) as url, aiohttp.ClientSession() as session:
            connector_url = str(connector_server.make_url("")).rstrip("/") + "/"
            running = BotUnderTest(session, url, connector_url, connector)
            running.app = app
            yield running
    finally:
        connector.let_go()
        await connector_server.close()


@asynccontextmanager
async def _bot_server(app: web.Application, settings: Settings, served: bool) -> AsyncIterator[str]:
    if served:
        runner = await start_serving(app, "127.0.0.1", 0, settings.inbound)
        try:
            yield f"http://127.0.0.1:{runner.addresses[0][1]}"
        finally:
            await runner.cleanup()
        return
    bot_server = TestServer(app, host="127.0.0.1", port=0)
    await bot_server.start_server()
    try:
        yield str(bot_server.make_url("")).rstrip("/")
    finally:
        await bot_server.close()


def only_card(sent: list[SentActivity]) -> dict[str, Any]:
    """The one Adaptive Card the bot sent in a turn (fails the test otherwise)."""
    cards = [card for activity in sent for card in activity.cards]
    assert len(cards) == 1, [activity.body for activity in sent]
    return cards[0]


def button_data(card: Mapping[str, Any], verb: str) -> dict[str, Any]:
    """The data of the card's `Action.Execute` button with `verb`."""
    found = [action for action in _walk(card) if action.get("verb") == verb]
    assert len(found) == 1, f"no single {verb} button in {card}"
    data: dict[str, Any] = found[0]["data"]
    return data


def has_button(card: Mapping[str, Any], verb: str) -> bool:
    return any(action.get("verb") == verb for action in _walk(card))


def _walk(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        return [node, *(item for value in node.values() for item in _walk(value))]
    if isinstance(node, list):
        return [item for value in node for item in _walk(value)]
    return []


def authed_settings(running: RunningEmulators, keys: ChannelKeyServer, **bot: Any) -> Settings:
    """Demo wiring (emulators) but with inbound auth ON against the local key server."""
    return demo_settings(
        running,
        dangerously_allow_unauthenticated=False,
        bot=BotSettings(
            app_id=DEMO_BOT_APP_ID,
            app_password=SecretStr("bot-password"),
            openid_metadata_url=keys.metadata_url,
            **bot,
        ),
    )
