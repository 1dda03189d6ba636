"""The generated Playground config: seeded sellers as Playground users, valid for its schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from demo.playground_config import (
    CONFIG_FILE,
    pick_users,
    playground_config,
    write_playground_config,
)
from emulators.seed import DEMO_USERS

MEGAN = "megan.bowen@contoso.com"


def test_every_playground_user_is_a_seeded_user_by_object_id_and_tenant() -> None:
    config = playground_config(pick_users(DEMO_USERS, MEGAN))
    by_oid = {user.oid: user for user in DEMO_USERS}
    people = [config["currentUser"], *config["users"]]
    assert len(config["users"]) == 5  # the Playground schema wants exactly five
    assert config["currentUser"]["name"] == "Megan Bowen"
    for person in people:
        seeded = by_oid[person["aadObjectId"]]
        assert (person["name"], person["userPrincipleName"]) == (seeded.name, seeded.upn)
        assert seeded.tenant_id == config["tenantId"]
    assert len({person["id"] for person in people}) == 6
    assert config["team"]["channels"][0]["name"] == "Referrals"


def test_too_few_users_or_an_unknown_current_user_is_refused() -> None:
    with pytest.raises(ValueError, match="needs 6 users"):
        pick_users(DEMO_USERS[:5], MEGAN)
    with pytest.raises(ValueError, match=re.escape("nobody@contoso.com")):
        pick_users(DEMO_USERS, "nobody@contoso.com")


def test_the_file_is_json_which_the_playground_reads_as_yaml(tmp_path: Path) -> None:
    path = write_playground_config(tmp_path / "playground", pick_users(DEMO_USERS, MEGAN))
    assert path.name == CONFIG_FILE
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == "0.1.1"
