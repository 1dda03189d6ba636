from __future__ import annotations

import json
import ssl
import urllib.request

from bot.emulator.config import EmulatorConfig
from bot.emulator.seed import demo_fixtures
from bot.emulator.server import emulators_in_thread


def test_both_emulators_answer_on_loopback_ports_chosen_by_the_os() -> None:
    with emulators_in_thread(EmulatorConfig(fixtures=demo_fixtures())) as running:
        assert running.referrals_base_url.startswith("http://127.0.0.1:")
        assert running.identity_base_url.startswith("https://127.0.0.1:")
        context = ssl.create_default_context(cafile=str(running.ca_file))
        with urllib.request.urlopen(
            f"{running.identity_base_url}/common/discovery/v2.0/keys", context=context
        ) as response:
            keys = json.load(response)["keys"]
        assert [key["kid"] for key in keys] == [running.keys.active.kid]
