"""`python -m bench.flood_server [--code DIR]`: `python -m bot` with auth ON, for bench.flood.

The bot's own entry point (`bot.__main__.main`: settings from the environment, served as in
production), with one change: replies get a fixed outbound token (no msal, no network).
`--code DIR` imports `bot` from another checkout (e.g. /work/main) to measure the old code.
"""

from __future__ import annotations

import argparse
import functools
import sys


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.flood_server")
    parser.add_argument("--code", help="import `bot` (and tests.support) from this checkout")
    args = parser.parse_args()
    if args.code:
        sys.path.insert(0, args.code)
    import bot.__main__ as entry  # after sys.path names the code to run
    from bot.settings import Settings
    from tests.support.channel_keys import FixedCredentialsFactory

    app_id = Settings().bot.app_id
    factory = FixedCredentialsFactory(app_id)
    entry_create_app = getattr(entry, "create_app")  # noqa: B009  # not a public name there
    setattr(entry, "create_app", functools.partial(entry_create_app, credentials_factory=factory))  # noqa: B010
    entry.main()


if __name__ == "__main__":
    main()
