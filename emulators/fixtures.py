"""Fixture users and referrals: what `--fixtures FILE` loads, and the seeded demo set."""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_TENANT_ID = "7a1d0c2e-5b1f-4c7e-9d3a-0c0ffee0b071"
ADMIN_ROLES = frozenset({"Referral Admin", "Global Admin"})
KNOWN_ROLES = frozenset({"Referral Admin", "Referral User", "Global Admin"})
_ROLE_SPELLINGS = {role.replace(" ", "").casefold(): role for role in KNOWN_ROLES}


class FixtureError(ValueError):
    """The fixture file is not what the emulator can load."""


def split_name(name: str) -> tuple[str, str]:
    """'Megan Bowen' -> ('Megan', 'Bowen'): how team members are written from a display name."""
    first, _, last = name.partition(" ")
    return first, last


def normalize_role(role: str) -> str:
    return _ROLE_SPELLINGS.get(role.replace(" ", "").replace("_", "").casefold(), role)


class Person:
    """What a fixture user and a token's caller both answer from their name and roles."""

    name: str
    roles: Collection[str]

    @property
    def is_admin(self) -> bool:
        return bool(ADMIN_ROLES.intersection(self.roles))

    @property
    def first_name(self) -> str:
        return split_name(self.name)[0]

    @property
    def last_name(self) -> str:
        return split_name(self.name)[1]


@dataclass(frozen=True)
class FixtureUser(Person):
    upn: str
    name: str
    oid: str
    roles: tuple[str, ...] = ()
    tenant_id: str = DEFAULT_TENANT_ID
    mfa: bool = True

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> FixtureUser:
        try:
            upn = str(raw["upn"]).strip()
        except KeyError as exc:
            raise FixtureError("every user needs a 'upn'") from exc
        return cls(
            upn=upn,
            name=str(raw.get("name") or upn.split("@", 1)[0]),
            oid=str(raw.get("oid") or uuid.uuid5(uuid.NAMESPACE_URL, f"user:{upn.casefold()}")),
            roles=tuple(normalize_role(str(role)) for role in raw.get("roles", ())),
            tenant_id=str(raw.get("tenantId") or DEFAULT_TENANT_ID),
            mfa=bool(raw.get("mfa", True)),
        )


@dataclass(frozen=True)
class Fixtures:
    users: tuple[FixtureUser, ...]
    referrals: tuple[dict[str, Any], ...] = field(default=())

    def user_by_upn(self, upn: str) -> FixtureUser | None:
        wanted = upn.casefold()
        return next((user for user in self.users if user.upn.casefold() == wanted), None)

    def user_by_oid(self, oid: str) -> FixtureUser | None:
        return next((user for user in self.users if user.oid == oid), None)

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Fixtures:
        users = raw.get("users", [])
        referrals = raw.get("referrals", [])
        if not isinstance(users, list) or not isinstance(referrals, list):
            raise FixtureError("'users' and 'referrals' must be lists")
        if not all(isinstance(item, dict) for item in referrals):
            raise FixtureError("every referral must be an object")
        return cls(
            users=tuple(FixtureUser.from_json(user) for user in users),
            referrals=tuple(referrals),
        )

    @classmethod
    def of(cls, users: Iterable[FixtureUser], referrals: Iterable[dict[str, Any]]) -> Fixtures:
        return cls(users=tuple(users), referrals=tuple(referrals))


def load_fixtures(path: Path) -> Fixtures:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise FixtureError(f"cannot read fixtures from {path}: {exc}") from exc
    if not isinstance(raw, dict):
        raise FixtureError("the fixture file must hold one JSON object")
    return Fixtures.from_json(raw)
