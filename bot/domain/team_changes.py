"""Team edits: add sellers once, remove by replacing the whole array (the API has no `remove`).

People are matched by e-mail, case-insensitively, because that is how Partner Center decides
who may see a referral; names are only a convenience and must point at exactly one person.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bot.domain.errors import InvalidChangeError
from bot.domain.formatting import format_member, format_team
from bot.domain.intent import MemberSpec
from bot.domain.patch_ops import set_op, team_append_ops
from bot.domain.plan_draft import Draft
from bot.domain.referral import TeamMember

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def plan_team(draft: Draft, adds: Sequence[MemberSpec], removes: Sequence[str]) -> None:
    if not adds and not removes:
        return
    team = list(draft.referral.team)
    entries: list[Any] = draft.document.get("team") or []
    removed = {_find(draft, team, who) for who in removes}
    kept = [index for index in range(len(team)) if index not in removed]
    new = _new_members(draft, [team[index] for index in kept], adds)
    final_members = [team[index] for index in kept] + [_as_member(spec) for spec in new]
    if not removed and not new:
        return
    if removed:
        final = [entries[index] for index in kept] + [_as_entry(spec) for spec in new]
        draft.team_ops.append(set_op(draft.document, "team", final))
    else:
        draft.team_ops.extend(team_append_ops(draft.document, [_as_entry(s) for s in new]))
    draft.row("Team", format_team(team), format_team(final_members))
    if not final_members:
        draft.warnings.append(f"Nobody will be left on the team of {draft.label}.")


def _find(draft: Draft, team: Sequence[TeamMember], who: str) -> int:
    """The index of the one member `who` names: e-mail, full name, or first/last name."""
    wanted = _norm(who)
    if "@" in wanted:
        matches = [i for i, m in enumerate(team) if _norm(m.email) == wanted]
    else:
        matches = [i for i, m in enumerate(team) if _norm(_full(m)) == wanted] or [
            i for i, m in enumerate(team) if wanted in (_norm(m.first_name), _norm(m.last_name))
        ]
    if not matches:
        raise InvalidChangeError(
            f"{who.strip() or 'That person'} isn't on the team of {draft.label}. "
            f"The team is: {format_team(team)}."
        )
    if len(matches) > 1:
        names = "; ".join(format_member(team[i]) for i in matches)
        raise InvalidChangeError(
            f"More than one person on the team matches “{who.strip()}”: {names}. "
            "Which one? Tell me their e-mail address."
        )
    return matches[0]


def _new_members(
    draft: Draft, staying: Sequence[TeamMember], adds: Sequence[MemberSpec]
) -> list[MemberSpec]:
    """Complete, valid specs for people not on the team yet; the others become warnings."""
    known = {_norm(member.email) for member in staying if member.email}
    new: list[MemberSpec] = []
    for requested in adds:
        spec = _check_spec(requested)
        email = _norm(spec.email)
        if email in known:
            if not any(_norm(other.email) == email for other in new):
                _already_there(draft, spec)
            continue
        known.add(email)
        new.append(spec)
    return new


def _already_there(draft: Draft, spec: MemberSpec) -> None:
    """A no-op on its own; next to other changes, a warning (the plan then goes ahead)."""
    draft.already.append(f"already has {format_member(spec)} on its team")
    draft.warnings.append(f"{format_member(spec)} is already on the team, so I left them out.")


def _check_spec(spec: MemberSpec) -> MemberSpec:
    """The spec with its parts trimmed, or what is missing or malformed in the seller's words."""
    spec = MemberSpec(
        email=_strip(spec.email),
        first_name=_strip(spec.first_name),
        last_name=_strip(spec.last_name),
        phone_number=_strip(spec.phone_number),
    )
    needed = (("e-mail address", spec.email), ("first name", spec.first_name))
    missing = [word for word, value in (*needed, ("last name", spec.last_name)) if not value]
    if missing:
        who = format_member(spec) if spec.email or spec.first_name or spec.last_name else "someone"
        needed_words = (
            ", ".join(missing[:-1]) + " and " + missing[-1] if missing[1:] else missing[0]
        )
        raise InvalidChangeError(f"To add {who} to the team I also need their {needed_words}.")
    if not _EMAIL.fullmatch(spec.email or ""):
        raise InvalidChangeError(f"“{spec.email}” doesn't look like an e-mail address.")
    return spec


def _strip(text: str | None) -> str | None:
    return (text or "").strip() or None


def _as_entry(spec: MemberSpec) -> dict[str, Any]:
    entry = {"firstName": spec.first_name, "lastName": spec.last_name, "email": spec.email}
    if spec.phone_number:
        entry["phoneNumber"] = spec.phone_number
    return entry


def _as_member(spec: MemberSpec) -> TeamMember:
    return TeamMember.model_validate(_as_entry(spec))


def _full(member: TeamMember) -> str:
    return f"{member.first_name or ''} {member.last_name or ''}"


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()
