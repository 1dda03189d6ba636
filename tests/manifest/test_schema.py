"""The built manifest is valid against the official Teams schema, checked offline."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from manifest.package import TEMPLATE
from tests.manifest.package_files import MANIFEST_VERSION, SCHEMAS, schema_path, teams_validator


def test_the_built_manifest_is_schema_valid(manifest: dict[str, Any]) -> None:
    errors = [error.message for error in teams_validator().iter_errors(manifest)]
    assert errors == []


def test_it_uses_the_schema_version_it_is_validated_against(manifest: dict[str, Any]) -> None:
    assert manifest["manifestVersion"] == MANIFEST_VERSION
    assert manifest["$schema"].endswith(f"/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json")


def test_the_chosen_version_is_the_newest_the_package_documents() -> None:
    """README of @microsoft/app-manifest 1.1.2 lists 1.22 as its newest stable Teams version."""
    readme = (SCHEMAS.parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"1.21, {MANIFEST_VERSION}, devPreview" in readme


@pytest.mark.parametrize(
    ("path", "bad"),
    [
        (("manifestVersion",), "1.21"),  # `const`: only checked by the extended validator
        (("id",), "not-a-guid"),
        (("bots", 0, "botId"), "{6f1c2b1e-9a7d-4c55-8e3a-2b9f0c4d7e11}"),
        (("bots", 0, "scopes"), ["personal", "channel"]),
        (("accentColor",), "blue"),
        (("developer", "name"), "x" * 33),
        (("name", "short"), "x" * 31),
    ],
)
def test_the_validator_rejects_broken_manifests(
    manifest: dict[str, Any], path: tuple[str | int, ...], bad: object
) -> None:
    broken = copy.deepcopy(manifest)
    node: Any = broken
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = bad
    assert list(teams_validator().iter_errors(broken))


def test_a_missing_required_field_is_rejected(manifest: dict[str, Any]) -> None:
    broken = {key: value for key, value in manifest.items() if key != "developer"}
    assert list(teams_validator().iter_errors(broken))


def test_the_template_parses_as_json_and_names_its_schema() -> None:
    template = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    assert template["manifestVersion"] == MANIFEST_VERSION


def _ajv_errors(manifest: dict[str, Any], tmp_path: Path) -> list[Any]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on PATH (make test installs the Node tools)")
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    script = str(TEMPLATE.parent / "validate_schema.js")
    done = subprocess.run(
        [node, script, str(path), str(schema_path())],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    errors: list[Any] = json.loads(done.stdout)
    assert (done.returncode == 0) == (errors == [])
    return errors


def test_the_packages_own_validator_agrees(manifest: dict[str, Any], tmp_path: Path) -> None:
    """A second opinion: Ajv, set up as @microsoft/app-manifest validates manifests."""
    assert _ajv_errors(manifest, tmp_path) == []
    broken = copy.deepcopy(manifest) | {"manifestVersion": "1.21"}
    assert [error["keyword"] for error in _ajv_errors(broken, tmp_path)] == ["const"]
