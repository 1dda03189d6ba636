"""What Teams shows: scopes, command lists with working examples, SSO and domains."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from dialogs.grammar.commands import ParseFailure
from dialogs.grammar.normalize import DEFAULT_BOT_NAMES
from dialogs.grammar.parser import parse_command
from manifest.package import PackageError, build_package
from tests.manifest.package_files import APP_ID, DOMAIN, read_zip, settings

SCOPES = ["personal", "team", "groupChat"]
EXAMPLES = [
    "mark 123 won",
    "set deal value of Contoso to 150k",
    "close date of 123 next Friday",
    "note on 123: demo booked",
    "add Jane Doe jane.doe@contoso.com to 4711",
    "my open referrals",
    "new leads",
    "help",
]


def _bot(manifest: dict[str, Any]) -> dict[str, Any]:
    (bot,) = manifest["bots"]
    assert isinstance(bot, dict)
    return bot


def _commands(manifest: dict[str, Any]) -> list[dict[str, str]]:
    return [c for entry in _bot(manifest)["commandLists"] for c in entry["commands"]]


def test_the_bot_is_in_personal_team_and_group_chat(manifest: dict[str, Any]) -> None:
    bot = _bot(manifest)
    assert bot["scopes"] == SCOPES
    assert bot["botId"] == APP_ID
    assert bot["isNotificationOnly"] is False
    assert bot["supportsFiles"] is False


def test_there_is_one_command_list_per_scope(manifest: dict[str, Any]) -> None:
    lists = _bot(manifest)["commandLists"]
    assert [entry["scopes"] for entry in lists] == [[scope] for scope in SCOPES]


def test_command_lists_fit_teams_limits(manifest: dict[str, Any]) -> None:
    for entry in _bot(manifest)["commandLists"]:
        titles = [command["title"] for command in entry["commands"]]
        assert 0 < len(titles) <= 10
        assert len(set(titles)) == len(titles)
        for command in entry["commands"]:
            assert 0 < len(command["title"]) <= 32, command
            assert 0 < len(command["description"]) <= 128, command


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_main_command_is_shown_with_its_example(
    manifest: dict[str, Any], example: str
) -> None:
    for entry in _bot(manifest)["commandLists"]:
        assert any(c["description"].endswith(f"e.g. {example}") for c in entry["commands"])


def test_every_example_shown_is_understood_by_the_bot(manifest: dict[str, Any]) -> None:
    examples = {command["description"].split("e.g. ")[-1] for command in _commands(manifest)}
    for example in examples:
        assert not isinstance(parse_command(example, today=date(2026, 11, 25)), ParseFailure)


def test_sso_points_at_the_bots_own_app(manifest: dict[str, Any]) -> None:
    assert manifest["webApplicationInfo"] == {"id": APP_ID, "resource": f"api://botid-{APP_ID}"}
    assert manifest["id"] == APP_ID


def test_a_tab_style_sso_resource_may_be_configured(tmp_path: Path) -> None:
    resource = f"api://{DOMAIN}/botid-{APP_ID}"
    path = build_package(settings(sso_resource=resource), tmp_path / "app.zip")
    manifest = json.loads(read_zip(path)["manifest.json"])
    assert manifest["webApplicationInfo"]["resource"] == resource


@pytest.mark.parametrize(
    "resource",
    [
        f"https://{DOMAIN}/botid-{APP_ID}",
        "api://botid-" + "0" * 36,
        f"api://{APP_ID}",
        f"api://xbotid-{APP_ID}",
        f"api://other.example.com/botid-{APP_ID}",
    ],
)
def test_an_sso_resource_for_another_app_is_refused(tmp_path: Path, resource: str) -> None:
    with pytest.raises(PackageError, match="REFERRAL_BOT_MANIFEST__SSO_RESOURCE"):
        build_package(settings(sso_resource=resource), tmp_path / "app.zip")


def test_the_app_name_is_one_the_bot_strips_from_mentions(manifest: dict[str, Any]) -> None:
    """In channels Teams sends "<at>Referral Bot</at> mark 123 won": the grammar drops the name."""
    assert manifest["name"]["short"] in DEFAULT_BOT_NAMES


def test_valid_domains_are_the_bot_and_the_token_service(manifest: dict[str, Any]) -> None:
    assert manifest["validDomains"] == [DOMAIN, "token.botframework.com"]


def test_developer_urls_default_to_the_domain(manifest: dict[str, Any]) -> None:
    developer = manifest["developer"]
    assert developer["websiteUrl"] == f"https://{DOMAIN}/"
    assert developer["privacyUrl"] == f"https://{DOMAIN}/privacy"
    assert developer["termsOfUseUrl"] == f"https://{DOMAIN}/terms"


def test_no_placeholder_is_left(package: dict[str, bytes]) -> None:
    text = package["manifest.json"].decode()
    assert "${{" not in text
    assert "{{" not in text
