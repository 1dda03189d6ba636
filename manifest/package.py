"""`python -m manifest.package`: fill the manifest template from settings and zip the Teams app.

The template is filled as data (json load → replace `${{NAME}}` in string values → dump), never
by editing JSON text, so a value with quotes or backslashes cannot break the manifest. The zip is
byte-for-byte reproducible: fixed entry order, timestamps and permissions.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "manifest.template.json"
COMMANDS = HERE / "commands.json"
ICONS = ("color.png", "outline.png")
DEFAULT_OUTPUT = Path("build/referral-bot.zip")
ENV_PREFIX = "REFERRAL_BOT_MANIFEST__"
APP_ID_NAMES = "MicrosoftAppId (or REFERRAL_BOT_BOT__APP_ID)"
PLACEHOLDER = re.compile(r"\$\{\{([A-Z0-9_]+)\}\}")
GUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
HOST = re.compile(r"(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
SEMVER = re.compile(r"(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class PackageError(ValueError):
    """A setting is missing or wrong; the message names the variable to set."""


class ManifestSettings(BaseSettings):
    """What differs per deployment; read from REFERRAL_BOT_MANIFEST__* and the bot's app id."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", populate_by_name=True)

    bot_app_id: str = Field(
        default="",
        validation_alias=AliasChoices("REFERRAL_BOT_BOT__APP_ID", "MicrosoftAppId", "bot_app_id"),
    )
    teams_app_id: str = ""  # empty: the bot's app id (one Entra app for the bot and its SSO)
    domain: str = ""  # the bot's public host name, e.g. referralbot.contoso.com
    version: str = "1.0.0"
    developer_name: str = "Referral Bot"
    website_url: str = ""  # empty: https://<domain>/
    privacy_url: str = ""  # empty: https://<domain>/privacy
    terms_url: str = ""  # empty: https://<domain>/terms
    # The Application ID URI Teams asks an SSO token for; empty: api://botid-<bot app id>, what
    # Teams expects for a bot. With a tab too, use api://<domain>/botid-<bot app id>.
    sso_resource: str = ""


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise PackageError(message)


def _checked_ids(settings: ManifestSettings) -> tuple[str, str]:
    bot_app_id = settings.bot_app_id.strip()
    _require(bool(bot_app_id), f"missing {APP_ID_NAMES}: the bot's Microsoft Entra app id")
    _require(bool(GUID.fullmatch(bot_app_id)), f"{APP_ID_NAMES} is not a GUID: {bot_app_id!r}")
    teams_app_id = settings.teams_app_id.strip() or bot_app_id
    _require(bool(GUID.fullmatch(teams_app_id)), f"{ENV_PREFIX}TEAMS_APP_ID is not a GUID")
    return bot_app_id.lower(), teams_app_id.lower()


def _checked_domain(settings: ManifestSettings) -> str:
    domain = settings.domain.strip().lower()
    example = "a host name such as referralbot.contoso.com (no scheme, port or path)"
    _require(bool(domain), f"missing {ENV_PREFIX}DOMAIN: the bot's public host, {example}")
    _require(bool(HOST.fullmatch(domain)), f"{ENV_PREFIX}DOMAIN must be {example}")
    return domain


def _checked_url(value: str, default: str, name: str) -> str:
    url = value.strip() or default
    _require(url.startswith("https://"), f"{ENV_PREFIX}{name} must be an https:// URL")
    return url


def _checked_resource(settings: ManifestSettings, bot_app_id: str, domain: str) -> str:
    resource = settings.sso_resource.strip() or f"api://botid-{bot_app_id}"
    allowed = {f"api://botid-{bot_app_id}", f"api://{domain}/botid-{bot_app_id}"}
    _require(
        resource.lower() in allowed,
        f"{ENV_PREFIX}SSO_RESOURCE must be api://botid-<bot app id> or "
        f"api://<{ENV_PREFIX}DOMAIN>/botid-<bot app id>",
    )
    return resource


def placeholder_values(settings: ManifestSettings) -> dict[str, Any]:
    """Every `${{NAME}}` the template may use, validated; raises PackageError naming the setting."""
    bot_app_id, teams_app_id = _checked_ids(settings)
    domain = _checked_domain(settings)
    _require(bool(SEMVER.fullmatch(settings.version)), f"{ENV_PREFIX}VERSION must look like 1.0.0")
    name = settings.developer_name.strip()
    _require(0 < len(name) <= 32, f"{ENV_PREFIX}DEVELOPER_NAME must be 1 to 32 characters")
    site = f"https://{domain}"
    return {
        "BOT_APP_ID": bot_app_id,
        "TEAMS_APP_ID": teams_app_id,
        "BOT_DOMAIN": domain,
        "SSO_RESOURCE": _checked_resource(settings, bot_app_id, domain),
        "APP_VERSION": settings.version,
        "DEVELOPER_NAME": name,
        "DEVELOPER_WEBSITE_URL": _checked_url(settings.website_url, f"{site}/", "WEBSITE_URL"),
        "DEVELOPER_PRIVACY_URL": _checked_url(
            settings.privacy_url, f"{site}/privacy", "PRIVACY_URL"
        ),
        "DEVELOPER_TERMS_URL": _checked_url(settings.terms_url, f"{site}/terms", "TERMS_URL"),
        "COMMANDS": json.loads(COMMANDS.read_text(encoding="utf-8")),
    }


def _value(values: Mapping[str, Any], name: str) -> Any:
    if name not in values:
        raise PackageError(f"the template uses an unknown placeholder ${{{{{name}}}}}")
    return values[name]


def _fill_text(text: str, values: Mapping[str, Any]) -> Any:
    whole = PLACEHOLDER.fullmatch(text)
    if whole:
        return _value(values, whole[1])  # a whole-string placeholder may stand for any JSON value

    def one(found: re.Match[str]) -> str:
        value = _value(values, found[1])
        if not isinstance(value, str):
            raise PackageError(f"${{{{{found[1]}}}}} is not text and cannot sit inside a string")
        return value

    return PLACEHOLDER.sub(one, text)


def fill(node: Any, values: Mapping[str, Any]) -> Any:
    """Replace placeholders in the string values of a JSON document (never in keys)."""
    if isinstance(node, dict):
        return {key: fill(value, values) for key, value in node.items()}
    if isinstance(node, list):
        return [fill(item, values) for item in node]
    if isinstance(node, str):
        return _fill_text(node, values)
    return node


def render_manifest(settings: ManifestSettings) -> dict[str, Any]:
    template = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    manifest: dict[str, Any] = fill(template, placeholder_values(settings))
    return manifest


def _zip_entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o100644 << 16
    return info


def build_package(settings: ManifestSettings, output: Path = DEFAULT_OUTPUT) -> Path:
    """Write the app zip (manifest.json and the two icons at its root); returns its path."""
    manifest = render_manifest(settings)
    files = [
        ("manifest.json", (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode())
    ]
    files += [(icon, (HERE / icon).read_bytes()) for icon in ICONS]
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for name, data in files:
            archive.writestr(_zip_entry(name), data, compresslevel=9)
    partial.replace(output)
    return output


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m manifest.package", description=__doc__)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="the zip to write")
    args = parser.parse_args(argv)
    try:
        path = build_package(ManifestSettings(), args.output)
    except PackageError as error:
        print(f"manifest: {error}", file=sys.stderr)
        return 2
    print(f"manifest: wrote {path} — upload it in Teams (Apps → Manage your apps → Upload an app)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
