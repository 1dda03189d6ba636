"""`python -m emulators`: the Partner Center Referrals API and identity emulators on loopback."""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from emulators.config import DEMO_BOT_APP_ID, DEMO_BOT_APP_SECRET, EmulatorConfig
from emulators.fixtures import FixtureError, Fixtures, load_fixtures
from emulators.partner_center.odata_grammar import QueryMode
from emulators.seed import demo_fixtures
from emulators.server import EmulatorStack, RunningEmulators


def _parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m emulators", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    parser.add_argument("--port", type=int, default=0, help="Referrals API port (0 = any free)")
    parser.add_argument("--identity-port", type=int, default=0, help="identity port (0 = any)")
    parser.add_argument("--fixtures", type=Path, help="JSON file with users and referrals")
    parser.add_argument(
        "--demo", action="store_true", help="seeded demo data and test controls (/_emulator/*)"
    )
    parser.add_argument("--test-controls", action="store_true", help="enable /_emulator/*")
    parser.add_argument("--no-mfa", action="store_true", help="do not require the MFA claim")
    parser.add_argument("--throttle-per-minute", type=int, default=60)
    parser.add_argument(
        "--lenient-queries",
        action="store_true",
        help="accept OData beyond the documented subset (contains, ne, lt..., any field);"
        " for experiments only",
    )
    parser.add_argument(
        "--client",
        action="append",
        default=[],
        metavar="APP_ID:SECRET",
        help="register a confidential client (default: the demo bot app)",
    )
    parser.add_argument("--ca-dir", type=Path, help="where to write the CA certificate")
    parser.add_argument("--ready-file", type=Path, help="write the URLs here as JSON when ready")
    return parser.parse_args(argv)


def _config(args: argparse.Namespace) -> EmulatorConfig:
    fixtures: Fixtures = load_fixtures(args.fixtures) if args.fixtures else demo_fixtures()
    clients = dict(item.split(":", 1) for item in args.client) or {
        DEMO_BOT_APP_ID: DEMO_BOT_APP_SECRET
    }
    return EmulatorConfig(
        fixtures=fixtures,
        clients=clients,
        test_controls=args.demo or args.test_controls,
        enforce_mfa=not args.no_mfa,
        throttle_per_minute=args.throttle_per_minute,
        host=args.host,
        query_mode=QueryMode.LENIENT if args.lenient_queries else QueryMode.STRICT,
    )


def _describe(running: RunningEmulators, config: EmulatorConfig) -> dict[str, object]:
    tenant = config.fixtures.users[0].tenant_id if config.fixtures.users else "common"
    return {
        "referrals_url": running.referrals_url,
        "identity_url": running.identity_base_url,
        "authority": running.authority(tenant),
        "ca_file": str(running.ca_file),
        "webhooks_url": running.webhooks_url,
        "webhook_ca_file": str(running.webhook_ca_file),
        "webhook_certificate_url": running.webhook_certificate_url,
        "webhook_certificate_name": running.webhook_certificate_name,
        "test_controls": config.test_controls,
        "query_mode": str(config.query_mode),
        "users": [{"upn": u.upn, "roles": list(u.roles)} for u in config.fixtures.users],
    }


async def _run(args: argparse.Namespace) -> None:
    config = _config(args)
    stack = EmulatorStack(
        config, referrals_port=args.port, identity_port=args.identity_port, ca_dir=args.ca_dir
    )
    running = await stack.start()
    described = _describe(running, config)
    if args.ready_file:
        args.ready_file.write_text(json.dumps(described), encoding="utf-8")
    print("Partner Center Referrals API emulator:", running.referrals_url, flush=True)
    print("Identity emulator (authority):       ", described["authority"], flush=True)
    print("Trust this CA for the identity TLS:  ", running.ca_file, flush=True)
    print("Webhook registration API:            ", running.webhooks_url, flush=True)
    print("Webhook signing root CA:             ", running.webhook_ca_file, flush=True)
    print("OData queries:                       ", config.query_mode, flush=True)
    for user in config.fixtures.users:
        print(f"  user {user.upn:<34} {', '.join(user.roles) or '(no role)'}", flush=True)
    print("Press Ctrl-C to stop.", flush=True)
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopped.set)
    try:
        await stopped.wait()
    finally:
        await stack.stop()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    try:
        asyncio.run(_run(args))
    except FixtureError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
