"""`python -m bot`: read Settings from the environment, serve the bot, print where it listens.

Port 0 picks a free port; the printed URL is the real one. Ctrl-C (or SIGTERM) stops it cleanly.
Served through `bot.inbound.serving`: a header deadline and a cap on unauthenticated connections.

`python -m bot register-webhooks [--url U] [--events a,b] [--show | --delete | --test]`
registers the bot's event endpoint with Partner Center (bot.partner_center.webhooks), as the
bot's own Entra app (bot.auth.app_only); docs/webhook-registration.md. Exit status: 0 done,
1 Partner Center or Entra refused or failed, 2 a setting or an argument is wrong.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web
from pydantic import ValidationError

from bot.app import create_app
from bot.auth.app_only import AppOnlyTokens
from bot.auth.errors import AuthConfigurationError, AuthError
from bot.domain.events import REFERRAL_EVENTS as DOMAIN_REFERRAL_EVENTS
from bot.domain.events import EventName
from bot.inbound.serving import start_serving
from bot.logging import configure_logging
from bot.partner_center.errors import PartnerCenterError
from bot.partner_center.retry import RetryPolicy
from bot.partner_center.webhooks import (
    TEST_EVENT,
    TestEventStatus,
    WebhookRegistration,
    WebhookRegistrations,
)
from bot.settings import ENV_PREFIX, Settings, is_loopback_host

# the events the lead alerts act on, in Partner Center's order (bot.domain.events)
REFERRAL_EVENTS = tuple(name.value for name in EventName if name in DOMAIN_REFERRAL_EVENTS)
TEST_POLL_SECONDS = 5.0
Out = Callable[[str], None]
Sleep = Callable[[float], Awaitable[None]]


def _settings_or_exit() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        for problem in error.errors():
            variable = ENV_PREFIX + "__".join(str(part).upper() for part in problem["loc"])
            where = f"{variable}: " if problem["loc"] else ""
            message = str(problem["msg"]).removeprefix("Value error, ")
            print(f"referral-bot: {where}{message}", file=sys.stderr)
        raise SystemExit(2) from None


@asynccontextmanager
async def served(settings: Settings) -> AsyncIterator[web.AppRunner]:
    """The bot served as in production, until the block ends; `python -m demo` serves it so too."""
    runner = await start_serving(
        create_app(settings),
        settings.host,
        settings.port,
        settings.inbound,
        access_log=None,
        handle_signals=False,
    )
    try:
        yield runner
    finally:
        await runner.cleanup()


async def serve(settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with served(settings) as runner:
        host, port = runner.addresses[0][:2]
        print(f"Referral Bot listening on http://{host}:{port}/api/messages", flush=True)
        await stop.wait()


def arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Serve Referral Bot.")
    commands = parser.add_subparsers(dest="command")
    register = commands.add_parser(
        "register-webhooks",
        help="register the bot's event URL with Partner Center",
        description="Register, show or delete this tenant's Partner Center webhook "
        "registration (one per tenant), as the bot's Entra app. docs/webhook-registration.md",
    )
    register.add_argument(
        "--url",
        help=f"the events URL (default: {ENV_PREFIX}EVENTS__PUBLIC_URL + {ENV_PREFIX}EVENTS__PATH)",
    )
    register.add_argument(
        "--events",
        type=lambda text: tuple(name.strip() for name in text.split(",") if name.strip()),
        default=REFERRAL_EVENTS,
        help=f"comma-separated event names (default: {','.join(REFERRAL_EVENTS)})",
    )
    what = register.add_mutually_exclusive_group()
    what.add_argument("--show", action="store_true", help="print the registration; change nothing")
    what.add_argument("--delete", action="store_true", help="delete the registration")
    what.add_argument(
        "--test",
        action="store_true",
        help=f"register (with {TEST_EVENT}), send a test event and print how it was delivered",
    )
    register.add_argument(
        "--replace",
        action="store_true",
        help="replace a registration that sends this tenant's events to another URL",
    )
    register.add_argument(
        "--wait", type=float, default=60.0, help="--test: seconds to wait for the delivery"
    )
    return parser.parse_args(argv)


async def register_webhooks(
    settings: Settings, args: argparse.Namespace, *, out: Out = print, sleep: Sleep = asyncio.sleep
) -> int:
    """The register-webhooks command; returns the exit status."""
    try:
        tokens = AppOnlyTokens(settings.identity, settings.events.registration_scope)
    except AuthConfigurationError as error:
        return _usage(out, _identity_problem(error))
    policy = RetryPolicy.from_settings(settings.partner_center, sleep=sleep)
    try:
        async with aiohttp.ClientSession() as session:
            client = WebhookRegistrations(session, settings.events.registration_url, tokens, policy)
            return await _registration_command(client, settings, args, out, sleep)
    except (PartnerCenterError, AuthError) as error:
        out(f"register-webhooks: failed: {type(error).__name__} {error}")
        return 1
    finally:
        tokens.close()


async def _registration_command(
    client: WebhookRegistrations,
    settings: Settings,
    args: argparse.Namespace,
    out: Out,
    sleep: Sleep,
) -> int:
    if args.show:
        out(_describe(await client.get()))
        out("Partner Center offers: " + ", ".join(await client.supported_events()))
        return 0
    if args.delete:
        await client.delete()
        out("Deleted: Partner Center sends this tenant no more events.")
        return 0
    url = args.url or settings.events.public_url.rstrip("/") + settings.events.path
    problem = _url_problem(url, settings)
    if problem:
        return _usage(out, problem)
    events = list(dict.fromkeys([*args.events, *([TEST_EVENT] if args.test else [])]))
    unknown = sorted(set(events) - set(await client.supported_events()))
    if unknown:
        return _usage(out, f"Partner Center does not offer: {', '.join(unknown)}")
    current = await client.get()
    if current and current.webhook_url != url and not args.replace:
        return _usage(
            out,
            f"this tenant's events go to {current.webhook_url} (one registration per tenant): "
            "pass --replace to send them to the bot instead",
        )
    registration = await (client.update if current else client.create)(url, events)
    out(("Updated. " if current else "Registered. ") + _describe(registration))
    return await _test_delivery(client, args.wait, out, sleep) if args.test else 0


async def _test_delivery(client: WebhookRegistrations, wait: float, out: Out, sleep: Sleep) -> int:
    """Partner Center posts a signed test-created event; its delivery attempts are printed."""
    correlation_id = await client.send_test_event()
    out(f"Test event sent (correlation id {correlation_id}); waiting up to {wait:.0f} s.")
    status = None
    for _ in range(max(1, int(wait // TEST_POLL_SECONDS))):
        await sleep(TEST_POLL_SECONDS)
        status = await client.test_event_status(correlation_id)
        if status.status.lower() in ("completed", "failed"):
            break
    assert status is not None
    out(_describe_test(status))
    return 0 if any(a.response_code.upper() == "OK" for a in status.attempts) else 1


def _describe(registration: WebhookRegistration | None) -> str:
    if registration is None:
        return "No webhook registration for this tenant."
    return f"Events of {', '.join(registration.events)} go to {registration.webhook_url}"


def _describe_test(status: TestEventStatus) -> str:
    lines = [f"Test event {status.correlation_id}: {status.status or 'no status yet'}"]
    lines += [
        f"  {attempt.at} {attempt.response_code}"
        + (" (Partner Center's own error)" if attempt.system_error else "")
        + (f": {attempt.response_message}" if attempt.response_message else "")
        for attempt in status.attempts
    ]
    return "\n".join(lines)


def _url_problem(url: str, settings: Settings) -> str | None:
    if url == settings.events.path:
        return f"set {ENV_PREFIX}EVENTS__PUBLIC_URL (https://your-bot.example) or pass --url"
    if not settings.events.enabled:
        return f"{ENV_PREFIX}EVENTS__ENABLED=false: this bot does not serve the endpoint"
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and is_loopback_host(parts.hostname or ""):
        return None  # a local emulator delivering to a bot on this machine
    return f"{url} is not an https URL: Partner Center posts events to a public https endpoint"


def _identity_problem(error: AuthConfigurationError) -> str:
    if error.error == "tenant_required":
        return (
            f"set {ENV_PREFIX}IDENTITY__TENANT_ID to your Partner Center tenant's id: "
            "the registration is made as the bot's app, in that tenant"
        )
    return f"set {ENV_PREFIX}IDENTITY__CLIENT_ID and {ENV_PREFIX}IDENTITY__CLIENT_SECRET"


def _usage(out: Out, problem: str) -> int:
    out(f"register-webhooks: {problem}")
    return 2


def main(argv: Sequence[str] = ()) -> None:
    """`argv` without the program name; none: serve (`python -m bot` passes its own)."""
    args = arguments(argv)
    settings = _settings_or_exit()
    configure_logging(
        settings.log_level,
        library_level=settings.log.library_level,
        show_storage_ids=settings.log.show_storage_ids,
    )
    if args.command == "register-webhooks":
        raise SystemExit(asyncio.run(register_webhooks(settings, args)))
    asyncio.run(serve(settings))


if __name__ == "__main__":
    main(sys.argv[1:])
