"""`python -m demo`: emulators (own thread), the bot and the Agents Playground, on 127.0.0.1.

At start the bot's Partner Center event URL is registered with the emulator, as
`python -m bot register-webhooks` would (demo.registration); `python -m demo new-lead` then
makes a new lead arrive (demo.new_lead), and the bot's lead card shows up in the Playground.

The emulators run on their own event loop in a thread: msal in the bot blocks (in a thread
pool), and an identity provider on the bot's loop could stall with it. Ctrl-C or SIGTERM stops
the Playground's whole process group, the bot and the emulators; nothing is left running.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from collections.abc import Awaitable, Sequence
from pathlib import Path

from bot.__main__ import served
from bot.logging import configure_logging
from bot.settings import BotSettings
from demo import new_lead
from demo.info import DemoInfo
from demo.playground import REPO_ROOT, Playground, PlaygroundError, find_executable
from demo.playground_config import DEMO_USER, pick_users, write_playground_config
from demo.registration import RegistrationError, register_event_url
from demo.settings import demo_settings, registration_settings
from emulators.config import EmulatorConfig
from emulators.seed import demo_fixtures
from emulators.server import RunningEmulators, emulators_in_thread

CURRENT_USER = DEMO_USER


def _parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m demo", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="bot port (0 = any free)")
    parser.add_argument(
        "--playground-port", type=int, default=0, help="Playground port (0 = any free)"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=REPO_ROOT / "build" / "playground",
        help="the Playground's working directory (config, devTools/, log)",
    )
    parser.add_argument("--playground-bin", type=Path, help="the agentsplayground executable")
    parser.add_argument("--ready-file", type=Path, help="write URLs and ids here as JSON")
    parser.add_argument("--log-level", default="WARNING", help="the bot's log level")
    commands = parser.add_subparsers(dest="command")
    new_lead.add_arguments(
        commands.add_parser(
            "new-lead",
            help="make a new lead from Microsoft arrive at a running demo's emulator",
            description=new_lead.__doc__,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
    )
    return parser.parse_args(argv)


async def _until(stop: asyncio.Event, work: Awaitable[object]) -> bool:
    """Run `work` unless `stop` is set first; True when `work` finished."""
    task = asyncio.ensure_future(work)
    stopper = asyncio.ensure_future(stop.wait())
    await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    stopper.cancel()
    if task.done():
        task.result()
        return True
    task.cancel()
    return False


def _write_atomically(path: Path, document: dict[str, object]) -> None:
    """Readers poll for the file: they must never see half of it."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(document, indent=2), encoding="utf-8")
    partial.replace(path)


async def _run(args: argparse.Namespace, running: RunningEmulators, executable: Path) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    # The Agents Playground runs no per-user card refresh: channel confirm cards carry buttons
    settings = demo_settings(running, port=args.port, bot=BotSettings(user_specific_views=False))
    tenant = pick_users(demo_fixtures().users, CURRENT_USER)[0].fixture.tenant_id
    async with served(settings) as runner:  # as `python -m bot` serves it: bot.inbound.serving
        bot_url = f"http://127.0.0.1:{runner.addresses[0][1]}"
        where = settings.state.describe()
        events_url = bot_url + settings.events.path
        await register_event_url(registration_settings(settings, tenant), events_url)
        bot = (bot_url, where, events_url)
        return await _with_playground(args, running, executable, bot, stop)


async def _with_playground(
    args: argparse.Namespace,
    running: RunningEmulators,
    executable: Path,
    bot: tuple[str, str, str],  # its URL, where it keeps its state (in words), its event URL
    stop: asyncio.Event,
) -> int:
    bot_url, state, events_url = bot
    users = pick_users(demo_fixtures().users, CURRENT_USER)
    await asyncio.to_thread(write_playground_config, args.workdir, users)
    playground = Playground(
        executable, args.workdir, f"{bot_url}/api/messages", args.playground_port
    )
    try:
        if not await _until(stop, playground.start()):
            return 0
        info = DemoInfo(bot_url, playground.url, playground.pid, running, users, state, events_url)
        print(info.banner(), flush=True)
        if args.ready_file:
            await asyncio.to_thread(_write_atomically, args.ready_file, info.as_json())
        if await _until(stop, playground.wait()):
            print("referral-bot demo: the Playground stopped on its own", file=sys.stderr)
            return 1
        return 0
    finally:
        await playground.stop()
        print("Referral Bot demo stopped.", flush=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "new-lead":
        return asyncio.run(new_lead.new_lead(args))
    configure_logging(args.log_level)
    # Until the event loop takes over: stop cleanly too (even when started with SIGINT ignored).
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    if args.ready_file:
        args.ready_file.unlink(missing_ok=True)  # a stale file must not look like "ready"
    try:
        executable = find_executable(args.playground_bin)
        config = EmulatorConfig(fixtures=demo_fixtures(), test_controls=True)
        with emulators_in_thread(config) as running:
            return asyncio.run(_run(args, running, executable))
    except (PlaygroundError, RegistrationError, TimeoutError) as error:
        print(f"referral-bot demo: {error or 'the Playground timed out'}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        if args.ready_file:
            args.ready_file.unlink(missing_ok=True)


if __name__ == "__main__":
    raise SystemExit(main())
