"""`python -m demo` as a newcomer runs it: a real subprocess, the real Playground, Ctrl-C.

Drives the Playground's scriptable API (no browser): "mark 123 won" as Megan in personal chat,
Confirm on the card, exactly one PATCH in the emulator; then SIGINT stops every process. And a
new lead: the personal chat opened (the Playground page then posts its `installation` debug
call: an `installationUpdate` and a `conversationUpdate` to the bot), a question, then the
banner's `new-lead` command in another process: the lead card arrives in the personal chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shlex
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import pytest

pytestmark = pytest.mark.slow  # python -m demo and the Playground in subprocesses, then Ctrl-C

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
START_SECONDS = 40.0
REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Demo:
    process: asyncio.subprocess.Process
    ready: dict[str, Any]
    output: Path

    @property
    def megan(self) -> dict[str, Any]:
        return next(user for user in self.ready["users"] if user["name"] == "Megan Bowen")


async def _wait_ready(process: asyncio.subprocess.Process, ready_file: Path, log: Path) -> Any:
    deadline = time.monotonic() + START_SECONDS
    while not await asyncio.to_thread(ready_file.exists):
        if process.returncode is not None or time.monotonic() > deadline:
            output = await asyncio.to_thread(log.read_text)
            pytest.fail(f"the demo did not start (rc={process.returncode}):\n{output}")
        await asyncio.sleep(0.1)
    return json.loads(await asyncio.to_thread(ready_file.read_text, encoding="utf-8"))


def _kill_group(pid: int | None) -> None:
    if pid is not None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)


@pytest.fixture
async def demo(tmp_path: Path) -> AsyncIterator[Demo]:
    ready_file, log = tmp_path / "ready.json", tmp_path / "demo.log"
    command = [sys.executable, "-m", "demo", "--workdir", str(tmp_path / "playground")]
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            *command, "--ready-file", str(ready_file),
            env=os.environ | {"REFERRAL_BOT_STATE__SQLITE_PATH": str(tmp_path / "state.sqlite3")},
            stdin=asyncio.subprocess.DEVNULL, stdout=output, stderr=output,
            start_new_session=True,
        )  # fmt: skip
    ready: dict[str, Any] = {}
    try:
        ready = await _wait_ready(process, ready_file, log)
        yield Demo(process, ready, log)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGINT)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), 15)
        _kill_group(process.pid)  # only if something went wrong above
        _kill_group(ready.get("playground_pid"))
        await process.wait()


async def _next_card(ws: aiohttp.ClientWebSocketResponse) -> tuple[str, dict[str, Any]]:
    """The next bot message with an Adaptive Card on the Playground's stream: (id, card)."""
    async with asyncio.timeout(15):
        while True:
            event = json.loads((await ws.receive()).data)
            message = event.get("message") or {}
            for attachment in message.get("attachments") or []:
                if attachment.get("contentType") == ADAPTIVE_CARD:
                    return str(message["messageId"]), attachment["content"]


async def _card_naming(ws: aiohttp.ClientWebSocketResponse, text: str) -> dict[str, Any]:
    """The next bot card that contains `text` (others may come first: reminders, say)."""
    async with asyncio.timeout(15):
        while True:
            _, card = await _next_card(ws)
            if text in json.dumps(card):
                return card


async def _next_text(ws: aiohttp.ClientWebSocketResponse) -> str:
    """The text of the next bot message on the Playground's stream."""
    async with asyncio.timeout(15):
        while True:
            event = json.loads((await ws.receive()).data)
            text = (event.get("message") or {}).get("text")
            if text:
                return str(text)


def _action(card: dict[str, Any], verb: str) -> dict[str, Any]:
    found = [a for a in card.get("actions", []) if a.get("verb") == verb]
    assert len(found) == 1, card
    action: dict[str, Any] = found[0]
    return action


def _port_is_closed(url: str) -> bool:
    parts = urlsplit(url)
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((parts.hostname or "", parts.port or 0)) != 0


def _process_is_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


async def _confirm_mark_won(session: aiohttp.ClientSession, demo: Demo) -> dict[str, Any]:
    playground, chat = demo.ready["playground_url"], demo.ready["personal_chat_id"]
    sender = {"id": demo.megan["playground_id"]}
    async with session.ws_connect(f"{playground}/_ws_conversation/v1/conversations/stream") as ws:
        message = {"from": sender, "text": "mark 123 won", "textFormat": "plain"}
        url = f"{playground}/_conversation/v1/conversations/{chat}/messages"
        async with session.post(url, json=message) as sent:
            assert sent.status == 200, await sent.text()
        card_id, card = await _next_card(ws)
    assert "Won" in json.dumps(card), card
    confirm = _action(card, "referral.confirm")
    invoke = {
        "name": "adaptiveCard/action",
        "value": {"action": {"type": "Action.Execute", "verb": confirm["verb"],
                             "data": confirm["data"]}},
        "from": sender, "conversation": {"id": chat}, "replyToId": card_id,
    }  # fmt: skip
    async with session.post(f"{playground}/_conversation/v1/invoke", json=invoke) as answer:
        assert answer.status == 200, await answer.text()
        result: dict[str, Any] = await answer.json(content_type=None)
        return result


async def test_mark_won_in_the_playground_then_ctrl_c_stops_everything(demo: Demo) -> None:
    ready = demo.ready
    async with aiohttp.ClientSession() as session:
        result = await _confirm_mark_won(session, demo)
        assert "referral.confirm" not in json.dumps(result), result  # the card was replaced
        assert "Won" in json.dumps(result), result
        requests_url = f"{ready['referrals_base_url']}/_emulator/requests"
        async with session.get(requests_url, params={"method": "PATCH"}) as recorded:
            patches = (await recorded.json())["requests"]
    assert len(patches) == 1, patches
    assert patches[0]["path"].endswith("/referrals/123"), patches

    demo.process.send_signal(signal.SIGINT)
    assert await asyncio.wait_for(demo.process.wait(), 15) == 0, demo.output.read_text()
    banner = demo.output.read_text()
    state_file = demo.output.parent / "state.sqlite3"  # REFERRAL_BOT_STATE__SQLITE_PATH above
    assert f"Bot state:               SQLite {state_file}" in banner, banner
    assert state_file.is_file()  # the confirmed change went through the SQLite state
    assert _process_is_gone(ready["playground_pid"])
    for url in ("bot_url", "playground_url", "referrals_base_url", "identity_url"):
        assert _port_is_closed(ready[url]), url


async def _open_personal_chat(session: aiohttp.ClientSession, demo: Demo) -> None:
    """What the Playground page does when a chat is first opened: its own debug call, which
    sends the bot an `installationUpdate` (add) and a `conversationUpdate` adding the bot."""
    playground, chat = demo.ready["playground_url"], demo.ready["personal_chat_id"]
    url = f"{playground}/_debug/conversation/{chat}/installation"
    async with session.post(url, json={"directLineConversationId": chat}) as answer:
        assert answer.status == 200, await answer.text()


async def _say(session: aiohttp.ClientSession, demo: Demo, text: str) -> None:
    playground, chat = demo.ready["playground_url"], demo.ready["personal_chat_id"]
    message = {"from": {"id": demo.megan["playground_id"]}, "text": text, "textFormat": "plain"}
    url = f"{playground}/_conversation/v1/conversations/{chat}/messages"
    async with session.post(url, json=message) as sent:
        assert sent.status == 200, await sent.text()


async def _run_banner_command(command: str) -> tuple[int, str]:
    """The banner's command, as a person pastes it into a terminal at the repository's root."""
    process = await asyncio.create_subprocess_exec(
        *shlex.split(command), cwd=REPO_ROOT, env=os.environ | {"PYTHONPATH": str(REPO_ROOT)},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(process.communicate(), 60)
    return await process.wait(), output.decode()


async def test_installed_and_signed_in_megan_gets_the_lead_card_from_the_banner_command(
    demo: Demo,
) -> None:
    ready = demo.ready
    banner = demo.output.read_text()
    assert ready["new_lead_command"] in banner
    assert ready["events_url"] == f"{ready['bot_url']}/api/partner-center/events"
    stream = f"{ready['playground_url']}/_ws_conversation/v1/conversations/stream"
    async with aiohttp.ClientSession() as session, session.ws_connect(stream) as ws:
        await _open_personal_chat(session, demo)
        assert "Lead alerts are on" in await _next_text(ws)  # stored as a Recipient, greeted
        await _say(session, demo, "new leads")  # a Partner Center read: her token is cached
        await _next_card(ws)

        status, output = await _run_banner_command(ready["new_lead_command"])

        assert status == 0, output
        assert "referral-created delivered (1 attempt: 200)" in output, output
        assert "A new lead from Microsoft for Megan Bowen: " in output, output
        referral_id = output.split("referral id ", 1)[1].split()[0]
        card = await _card_naming(ws, referral_id)  # the lead alert, in her personal chat
    text = json.dumps(card)
    assert card["body"][0]["text"] == "New lead", card
    assert "Expires in 3 days" in text, card
    assert [a["title"] for a in card["actions"]][:2] == ["Accept", "Decline\u2026"], card
