"""Ask for what is missing about the people a seller adds: e-mail, first and last name.

One question per turn, looping (replace_dialog) until every member is complete; the result is
the completed tuple of MemberSpecs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from botbuilder.dialogs import DialogTurnResult, WaterfallDialog, WaterfallStepContext
from botbuilder.dialogs.prompts import PromptOptions, PromptValidatorContext, TextPrompt

from bot.domain.intent import MemberSpec
from dialogs import replies
from dialogs.interruptions import CancelAndHelpDialog
from dialogs.members import (
    MissingField,
    describe,
    first_incomplete,
    missing_field,
    parse_email,
    parse_full_name,
    parse_last_name,
    with_answer,
)
from dialogs.outbox import text_activity
from dialogs.ports import DialogServices
from dialogs.understanding import clean_answer

_FLOW = "MemberDetailsDialog.flow"
_Check = Callable[[str], object]


def _validator(check: _Check) -> Callable[[PromptValidatorContext], Awaitable[bool]]:
    async def validate(prompt: PromptValidatorContext) -> bool:
        value = prompt.recognized.value if prompt.recognized.succeeded else ""
        return check(clean_answer(value)) is not None

    return validate


_CHECKS: dict[MissingField, _Check] = {
    MissingField.EMAIL: parse_email,
    MissingField.FULL_NAME: parse_full_name,
    MissingField.LAST_NAME: parse_last_name,
}
_RETRIES = {
    MissingField.EMAIL: replies.EMAIL_RETRY,
    MissingField.FULL_NAME: replies.NAME_RETRY,
    MissingField.LAST_NAME: replies.LAST_NAME_RETRY,
}


def _question(member: MemberSpec, field: MissingField) -> str:
    if field is MissingField.EMAIL:
        return replies.ask_email(describe(member))
    if field is MissingField.FULL_NAME:
        return replies.ask_full_name(member.email or describe(member))
    return replies.ask_last_name(member.first_name or describe(member))


class MemberDetailsDialog(CancelAndHelpDialog):
    def __init__(self, services: DialogServices) -> None:
        super().__init__(MemberDetailsDialog.__name__, services)
        for field, check in _CHECKS.items():
            self.add_dialog(TextPrompt(_prompt_id(field), _validator(check)))
        self.add_dialog(WaterfallDialog(_FLOW, [self._ask_step, self._answer_step]))
        self.initial_dialog_id = _FLOW

    async def _ask_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        members: tuple[MemberSpec, ...] = tuple(step.options)
        index = first_incomplete(members)
        field = None if index is None else missing_field(members[index])
        if index is None or field is None:
            return await step.end_dialog(members)
        step.values["index"], step.values["field"] = index, str(field)
        prompt = PromptOptions(
            prompt=text_activity(_question(members[index], field)),
            retry_prompt=text_activity(_RETRIES[field]),
        )
        return await step.prompt(_prompt_id(field), prompt)

    async def _answer_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        members = list(step.options)
        index: int = step.values["index"]
        field = MissingField(step.values["field"])
        members[index] = with_answer(members[index], field, clean_answer(step.result))
        return await step.replace_dialog(_FLOW, tuple(members))


def _prompt_id(field: MissingField) -> str:
    return f"MemberDetailsDialog.{field}"
