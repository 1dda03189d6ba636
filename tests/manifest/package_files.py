"""The manifest tests' pieces: test ids, reading a built package, the offline schema validator."""

from __future__ import annotations

import json
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator, Draft6Validator, FormatChecker, validators

from manifest.package import ManifestSettings

REPO = Path(__file__).resolve().parents[2]
MANIFEST_VERSION = "1.22"
SCHEMAS = REPO / "manifest/node_modules/@microsoft/app-manifest/build/json-schemas/teams"
APP_ID = "6f1c2b1e-9a7d-4c55-8e3a-2b9f0c4d7e11"
DOMAIN = "referralbot.contoso.com"

# The Teams schemas say draft-04 but use `const` (a draft-06 keyword) for manifestVersion;
# plain Draft4Validator would silently ignore it, so this one checks it too.
TeamsValidator = validators.extend(Draft4Validator, {"const": Draft6Validator.VALIDATORS["const"]})


def schema_path(version: str = MANIFEST_VERSION) -> Path:
    path = SCHEMAS / f"v{version}" / "MicrosoftTeams.schema.json"
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `npm ci --prefix manifest` (make test does it)")
    return path


@cache
def teams_validator(version: str = MANIFEST_VERSION) -> Any:
    """All $refs in these schemas are local (#/definitions/…): nothing is fetched."""
    schema = json.loads(schema_path(version).read_text(encoding="utf-8"))
    TeamsValidator.check_schema(schema)
    return TeamsValidator(schema, format_checker=FormatChecker())


def settings(**overrides: str) -> ManifestSettings:
    values = {"bot_app_id": APP_ID, "domain": DOMAIN} | overrides
    return ManifestSettings(**values)


def read_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
