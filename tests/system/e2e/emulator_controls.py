"""The Referrals emulator's test controls for the e2e tests."""

from __future__ import annotations

import json
import urllib.request
from typing import Any


class Emulator:
    """The Referrals emulator's test controls, over plain HTTP (tests here are synchronous)."""

    def __init__(self, base_url: str) -> None:
        self._base = base_url

    def reset(self) -> None:
        request = urllib.request.Request(f"{self._base}/_emulator/reset", method="POST")
        with urllib.request.urlopen(request, timeout=5) as answer:
            assert answer.status == 204

    def requests(self, method: str) -> list[dict[str, Any]]:
        url = f"{self._base}/_emulator/requests?method={method}"
        with urllib.request.urlopen(url, timeout=5) as answer:
            found: list[dict[str, Any]] = json.load(answer)["requests"]
            return found

    def webhook_deliveries(self) -> list[dict[str, Any]]:
        """The signed event deliveries (docs/webhooks.md), oldest first; a reset forgets them."""
        url = f"{self._base}/_emulator/webhooks/deliveries"
        with urllib.request.urlopen(url, timeout=5) as answer:
            found: list[dict[str, Any]] = json.load(answer)["deliveries"]
            return found
