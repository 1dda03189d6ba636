"""Who is calling, and what they may see: the roles and MFA rules of spec §1.

Roles come from the fixture record when the token's `oid` is a fixture user (so a test can give
a user a role the identity emulator did not put in the token), otherwise from the `roles` claim.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from emulators.fixtures import KNOWN_ROLES, Fixtures, Person, normalize_role
from emulators.partner_center.errors import access_denied, unauthenticated


@dataclass(frozen=True)
class Caller(Person):
    oid: str
    tenant_id: str
    upn: str
    name: str
    roles: frozenset[str]

    def can_see(self, referral: Mapping[str, Any]) -> bool:
        """Admins see the whole org; a Referral User only referrals whose team lists them.

        Hidden referrals are answered like missing ones (404, and absent from lists), as the
        real service does: a 403 would confirm that the id exists to someone not on its team.
        """
        if self.is_admin:
            return True
        wanted = self.upn.casefold()
        team = referral.get("team") or []
        return any(
            isinstance(member, Mapping) and str(member.get("email", "")).casefold() == wanted
            for member in team
        )


def resolve_caller(claims: Mapping[str, Any], fixtures: Fixtures, *, enforce_mfa: bool) -> Caller:
    """The caller of a verified token, or 403/401 when Partner Center would refuse them."""
    if claims.get("idtyp") == "app" or not claims.get("scp"):
        raise access_denied("App+User token required; app-only tokens are not accepted.")
    amr = claims.get("amr") or []
    if enforce_mfa and (not isinstance(amr, list) or "mfa" not in amr):
        raise unauthenticated("Multi-factor authentication (MFA) is required for this API.")
    oid = str(claims.get("oid", ""))
    user = fixtures.user_by_oid(oid)
    token_roles = claims.get("roles")
    raw_roles = user.roles if user else token_roles if isinstance(token_roles, list) else []
    roles = frozenset(normalize_role(str(role)) for role in raw_roles) & KNOWN_ROLES
    if not roles:
        raise access_denied(
            "The user needs the Referral Admin, Referral User or Global Admin role."
        )
    upn = str(claims.get("upn") or claims.get("preferred_username") or "")
    return Caller(
        oid=oid,
        tenant_id=str(claims.get("tid", "")),
        upn=user.upn if user else upn,
        name=user.name if user else str(claims.get("name") or upn),
        roles=roles,
    )
