"""The fixtures any test folder may use, registered once by `pytest_plugins` in tests/conftest.py.

The emulators (Partner Center + Entra + token service) are started by a folder's conftest with
`running = emulators_fixture(seed)`: one definition here, seeded and scoped per use. A fixture
defined in this plugin with scope "package" would live for the whole session, so the folder's
conftest holds the line that names the scope, and the fixtures below (`identity`, `fresh`,
`partner_center`, `token_service`) use whichever `running` the test's folder defines.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import aiohttp
import pytest

from emulators.channel_keys import ChannelKeyServer, serving
from emulators.server import RunningEmulators
from tests.support.azurite import azurite
from tests.support.emulators import PartnerCenterView, running_emulators
from tests.support.event_signing import WebhookSigning, webhook_signing
from tests.support.identity import IdentityClient
from tests.support.token_service import TokenServiceControls

if TYPE_CHECKING:
    from _pytest.fixtures import FixtureFunctionDefinition

__all__ = [
    "azurite",
    "emulators_fixture",
    "fresh",
    "identity",
    "keys",
    "partner_center",
    "token_service",
    "webhook_signer",
]

Scope = Literal["function", "module", "package"]


def emulators_fixture(
    seed: Callable[[], list[dict[str, Any]]] | None = None,
    *,
    scope: Scope = "package",
    name: str = "running",
    **config: Any,
) -> FixtureFunctionDefinition:
    """The `running` emulators fixture for a conftest: seeded with `seed()` (no referrals when
    None), started once per `scope`, with `config` passed on to `EmulatorConfig`."""

    @pytest.fixture(scope=scope, name=name)
    def running() -> Iterator[RunningEmulators]:
        with running_emulators(referrals=seed() if seed else None, **config) as emulators:
            yield emulators

    return running


@pytest.fixture
async def identity(running: RunningEmulators, session: aiohttp.ClientSession) -> IdentityClient:
    """The identity emulator, reset (switches, refresh tokens, recorded requests)."""
    client = IdentityClient(running, session)
    await client.reset()
    return client


@pytest.fixture
async def fresh(
    running: RunningEmulators, session: aiohttp.ClientSession, identity: IdentityClient
) -> RunningEmulators:
    """Both emulators as seeded: referrals, faults and recorded requests reset."""
    async with session.post(f"{running.referrals_base_url}/_emulator/reset") as answer:
        assert answer.status == 204
    return running


@pytest.fixture
async def partner_center(
    fresh: RunningEmulators, session: aiohttp.ClientSession
) -> PartnerCenterView:
    return PartnerCenterView(session, fresh)


@pytest.fixture
async def token_service(
    running: RunningEmulators, session: aiohttp.ClientSession
) -> TokenServiceControls:
    """The token-service emulation, reset (sign-ins, magic codes, recorded requests)."""
    controls = TokenServiceControls(running, session)
    await controls.reset()
    return controls


@pytest.fixture
async def keys() -> AsyncIterator[ChannelKeyServer]:
    """A Bot Framework channel's key server, for the bot with inbound auth ON."""
    async with serving(ChannelKeyServer()) as server:
        yield server


@pytest.fixture
async def webhook_signer(tmp_path: Path) -> AsyncIterator[WebhookSigning]:
    """Partner Center's webhook signing for one test: a CA, a certificate served over HTTPS."""
    async with webhook_signing(tmp_path) as signing:
        yield signing
