"""At start, the demo registers the bot's event URL with the emulator's webhook API, with the
bot's own registration client: the code of `python -m bot register-webhooks`, not a POST of its
own (docs/webhook-registration.md). The emulators are fresh on every start, so there is no
registration to replace; one that exists anyway is refused, as the command refuses it."""

from __future__ import annotations

from bot.__main__ import arguments, register_webhooks
from bot.settings import Settings


class RegistrationError(RuntimeError):
    """The emulator refused the registration (the command's own words are the message)."""


async def register_event_url(settings: Settings, events_url: str) -> str:
    """`register-webhooks --url events_url` as the bot's app; returns what it printed."""
    printed: list[str] = []
    command = arguments(["register-webhooks", "--url", events_url])
    status = await register_webhooks(settings, command, out=printed.append)
    if status != 0:
        raise RegistrationError("; ".join(printed) or f"register-webhooks exited {status}")
    return " ".join(printed)
