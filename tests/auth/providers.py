"""What the `make_provider` fixture (tests/auth/conftest.py) is."""

from __future__ import annotations

from collections.abc import Callable

from bot.auth.obo import OboTokenProvider

MakeProvider = Callable[..., OboTokenProvider]
