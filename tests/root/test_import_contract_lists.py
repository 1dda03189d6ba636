"""The layers contracts inside `dialogs` and `dialogs.grammar` name their modules one by one
(import-linter has no "every other module"): a module missing from the list escapes the
contract silently, so every module must be named."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _contract(container: str) -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    for contract in config["tool"]["importlinter"]["contracts"]:
        if contract.get("containers") == [container]:
            return [part.strip() for part in contract["layers"][0].split(":")]
    raise AssertionError(f"no layers contract with container {container}")


@pytest.mark.parametrize("container", ["dialogs", "dialogs.grammar"])
def test_every_module_is_named_in_its_layers_contract(container: str) -> None:
    folder = ROOT.joinpath(*container.split("."))
    modules = sorted(path.stem for path in folder.glob("*.py") if path.stem != "__init__")
    assert sorted(_contract(container)) == modules
