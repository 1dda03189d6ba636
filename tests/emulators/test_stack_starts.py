from __future__ import annotations

import gc
import json
import ssl
import urllib.request

import requests

from emulators.config import EmulatorConfig
from emulators.seed import demo_fixtures
from emulators.server import emulators_in_thread
from tests.support.emulators import running_emulators


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


def test_stopping_with_a_kept_alive_tls_client_leaves_no_socket_behind() -> None:
    session = requests.Session()
    session.trust_env = False
    with running_emulators() as running:
        session.verify = str(running.ca_file)
        response = session.get(f"{running.identity_base_url}/common/discovery/v2.0/keys")
        assert response.status_code == 200
    session.close()
    gc.collect()  # an unclosed server socket would surface here as a ResourceWarning (an error)
