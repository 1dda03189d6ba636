"""A built package (and its manifest) per test."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from manifest.package import build_package
from tests.manifest.package_files import read_zip, settings


@pytest.fixture
def package(tmp_path: Path) -> dict[str, bytes]:
    return read_zip(build_package(settings(), tmp_path / "referral-bot.zip"))


@pytest.fixture
def manifest(package: dict[str, bytes]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(package["manifest.json"])
    return data
