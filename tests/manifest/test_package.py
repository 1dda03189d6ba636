"""The packager: reads settings, refuses bad ones clearly, fills data, writes a stable zip."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from manifest.package import HERE, ICONS, ManifestSettings, PackageError, build_package, fill, main
from tests.manifest.package_files import APP_ID, DOMAIN, read_zip, settings

OTHER_ID = "0b7e9a44-1d2c-4e6f-a8b9-c0d1e2f3a4b5"


def test_the_zip_holds_the_manifest_and_icons_at_its_root(package: dict[str, bytes]) -> None:
    assert sorted(package) == sorted(["manifest.json", *ICONS])
    for icon in ICONS:
        assert package[icon] == (HERE / icon).read_bytes()


def test_the_output_is_byte_for_byte_reproducible(tmp_path: Path) -> None:
    first = build_package(settings(), tmp_path / "one" / "app.zip").read_bytes()
    second = build_package(settings(), tmp_path / "two" / "app.zip").read_bytes()
    assert first == second
    assert not list(tmp_path.rglob("*.partial"))


@pytest.mark.parametrize(
    "app_id",
    [
        "",
        "   ",
        "not-a-guid",
        "6f1c2b1e-9a7d-4c55-8e3a-2b9f0c4d7e1",  # one digit short
        "{6f1c2b1e-9a7d-4c55-8e3a-2b9f0c4d7e11}",
        "6f1c2b1e9a7d4c558e3a2b9f0c4d7e11",
        "6f1c2b1e-9a7d-4c55-8e3a-2b9f0c4d7e1g",
    ],
)
def test_a_missing_or_invalid_app_id_is_refused(tmp_path: Path, app_id: str) -> None:
    output = tmp_path / "app.zip"
    with pytest.raises(PackageError, match="MicrosoftAppId"):
        build_package(settings(bot_app_id=app_id), output)
    assert not output.exists()


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"domain": ""}, "REFERRAL_BOT_MANIFEST__DOMAIN"),
        ({"domain": "https://referralbot.contoso.com"}, "REFERRAL_BOT_MANIFEST__DOMAIN"),
        ({"domain": "referralbot.contoso.com:443"}, "REFERRAL_BOT_MANIFEST__DOMAIN"),
        ({"domain": "localhost"}, "REFERRAL_BOT_MANIFEST__DOMAIN"),
        ({"teams_app_id": "nope"}, "REFERRAL_BOT_MANIFEST__TEAMS_APP_ID"),
        ({"version": "1.0"}, "REFERRAL_BOT_MANIFEST__VERSION"),
        ({"developer_name": "x" * 33}, "REFERRAL_BOT_MANIFEST__DEVELOPER_NAME"),
        ({"privacy_url": "http://contoso.com/privacy"}, "REFERRAL_BOT_MANIFEST__PRIVACY_URL"),
    ],
)
def test_other_bad_settings_name_the_variable(
    tmp_path: Path, overrides: dict[str, str], variable: str
) -> None:
    with pytest.raises(PackageError, match=variable):
        build_package(settings(**overrides), tmp_path / "app.zip")


def test_the_command_line_reads_the_azure_bot_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MicrosoftAppId", APP_ID.upper())
    monkeypatch.setenv("REFERRAL_BOT_MANIFEST__DOMAIN", DOMAIN)
    monkeypatch.setenv("REFERRAL_BOT_MANIFEST__VERSION", "2.3.4")
    assert main(["--output", str(tmp_path / "app.zip")]) == 0
    manifest = json.loads(read_zip(tmp_path / "app.zip")["manifest.json"])
    assert (manifest["id"], manifest["version"]) == (APP_ID, "2.3.4")
    assert "app.zip" in capsys.readouterr().out


def test_the_prefixed_app_id_wins_over_the_azure_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MicrosoftAppId", OTHER_ID)
    monkeypatch.setenv("REFERRAL_BOT_BOT__APP_ID", APP_ID)
    assert ManifestSettings().bot_app_id == APP_ID


def test_the_command_line_refuses_without_an_app_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REFERRAL_BOT_MANIFEST__DOMAIN", DOMAIN)
    assert main(["--output", str(tmp_path / "app.zip")]) == 2
    assert "missing MicrosoftAppId (or REFERRAL_BOT_BOT__APP_ID)" in capsys.readouterr().err
    assert not (tmp_path / "app.zip").exists()


def test_values_are_filled_as_data_not_text(tmp_path: Path) -> None:
    tricky = 'Contoso "R&D" \\ Ltd'
    manifest = json.loads(
        read_zip(build_package(settings(developer_name=tricky), tmp_path / "a.zip"))[
            "manifest.json"
        ]
    )
    assert manifest["developer"]["name"] == tricky


def test_fill_replaces_whole_values_and_parts_of_strings() -> None:
    values = {"A": "x", "LIST": [1, 2]}
    template = {
        "k": "${{A}}",
        "m": "pre-${{A}}-post",
        "l": "${{LIST}}",
        "n": 3,
        "${{A}}": "keys stay",
    }
    assert fill(template, values) == {
        "k": "x",
        "m": "pre-x-post",
        "l": [1, 2],
        "n": 3,
        "${{A}}": "keys stay",
    }


@pytest.mark.parametrize("template", ["${{NOPE}}", "a ${{NOPE}} b", "a ${{LIST}} b"])
def test_fill_refuses_unknown_or_misplaced_placeholders(template: str) -> None:
    with pytest.raises(PackageError):
        fill({"k": template}, {"LIST": [1]})


def test_zip_entries_carry_no_build_time_or_umask(tmp_path: Path) -> None:
    """Reproducible across machines and days, not only within one run."""
    with zipfile.ZipFile(build_package(settings(), tmp_path / "app.zip")) as archive:
        entries = archive.infolist()
    assert [entry.filename for entry in entries] == ["manifest.json", "color.png", "outline.png"]
    for entry in entries:
        assert entry.date_time == (1980, 1, 1, 0, 0, 0)
        assert entry.external_attr >> 16 == 0o100644
        assert entry.compress_type == zipfile.ZIP_DEFLATED
