"""Every setting the bot reads is in docs/configuration.md (a new REFERRAL_BOT_* variable without
a row there is a deploy surprise)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from bot.settings import AZURE_BOT_NAMES, ENV_PREFIX, Settings

CONFIGURATION = Path(__file__).parents[2] / "docs" / "configuration.md"


def variables(model: type[BaseModel], prefix: str) -> Iterator[tuple[str, str]]:
    """(variable, field) for every leaf setting: REFERRAL_BOT_EVENTS__PATH, path."""
    for name, field in model.model_fields.items():
        kind = field.annotation
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            yield from variables(kind, f"{prefix}{name.upper()}__")
        else:
            yield f"{prefix}{name.upper()}", name


def test_every_setting_has_a_row_in_the_configuration_page() -> None:
    page = CONFIGURATION.read_text(encoding="utf-8")
    azure = {field: name for name, field in AZURE_BOT_NAMES.items()}
    missing = [
        variable
        for variable, field in variables(Settings, ENV_PREFIX)
        # a row names it whole, or as `__FIELD` beside its sibling, or by its Azure Bot name
        if f"`{variable}`" not in page
        and f"`__{field.upper()}`" not in page
        and f"`{azure.get(field, variable)}`" not in page
    ]
    assert missing == []
