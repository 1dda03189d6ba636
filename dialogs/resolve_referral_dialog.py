"""Which referral does the seller mean? A ReferralRef in, one loaded referral (or None) out.

Ids are loaded directly; names and CRM ids are searched, and several matches become a
pick-list card whose buttons send the id back as a plain message. "it" is the last referral
discussed with this seller in this conversation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from botbuilder.core import TurnContext
from botbuilder.dialogs import DialogTurnResult, WaterfallDialog, WaterfallStepContext
from botbuilder.dialogs.prompts import PromptOptions, PromptValidatorContext, TextPrompt

from bot.cards.pick_list import render_pick_list_card
from bot.domain.errors import ReferralNotFoundError
from bot.domain.referral import Referral, Versioned
from dialogs import replies
from dialogs.grammar.commands import ReferralRef, RefKind
from dialogs.interruptions import CancelAndHelpDialog
from dialogs.outbox import card_activity, say, say_with_choices, text_activity
from dialogs.ports import DialogServices
from dialogs.seller_memory import SellerMemory
from dialogs.suggestions import close_names, coverage_of
from dialogs.turn_facts import require_user
from dialogs.understanding import clean_answer, understand_reference

_FLOW = "ResolveReferralDialog.flow"
_PICK_PROMPT = "ResolveReferralDialog.pick"
_WHICH_PROMPT = "ResolveReferralDialog.which"
_MAX_CHOICES = 10


@dataclass(frozen=True)
class ResolveOptions:
    ref: ReferralRef
    asked: bool = False  # we already asked "which referral?" once


def pick_from(candidate_ids: Sequence[str], answer: str) -> str | None:
    """A pick-list answer: the id itself (button or typed) or its number 1..N."""
    text = answer.strip().lstrip("#").strip()
    if text in candidate_ids:
        return text
    lowered = {candidate.casefold(): candidate for candidate in candidate_ids}
    if text.casefold() in lowered:
        return lowered[text.casefold()]
    if text.isdigit() and 1 <= int(text) <= len(candidate_ids):
        return candidate_ids[int(text) - 1]
    return None


async def _pick_validator(prompt: PromptValidatorContext) -> bool:
    """Accept a valid pick, and a second wrong answer too: the next step then gives up."""
    answer = clean_answer(prompt.recognized.value if prompt.recognized.succeeded else "")
    ids = list(prompt.options.validations or ())
    return pick_from(ids, answer) is not None or prompt.options.number_of_attempts >= 1


class ResolveReferralDialog(CancelAndHelpDialog):
    def __init__(self, services: DialogServices, memory: SellerMemory) -> None:
        super().__init__(ResolveReferralDialog.__name__, services)
        self._memory = memory
        self.add_dialog(TextPrompt(_PICK_PROMPT, _pick_validator))
        self.add_dialog(TextPrompt(_WHICH_PROMPT))
        self.add_dialog(WaterfallDialog(_FLOW, [self._resolve_step, self._answer_step]))
        self.initial_dialog_id = _FLOW

    async def _resolve_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        options: ResolveOptions = step.options
        ref = options.ref
        if ref.kind == RefKind.LAST:
            return await self._resolve_last(step, options)
        if ref.kind == RefKind.ID:
            return await self._load_and_end(step, ref.text)
        return await self._search(step, ref)

    async def _resolve_last(
        self, step: WaterfallStepContext, options: ResolveOptions
    ) -> DialogTurnResult:
        last_id = await self._memory.last_referral_id(step.context)
        if last_id is not None:
            return await self._load_and_end(step, last_id)
        if options.asked:
            await say(step.context, replies.STILL_WHICH_REFERRAL)
            return await step.end_dialog(None)
        step.values["mode"] = "which"
        prompt = PromptOptions(prompt=text_activity(replies.WHICH_REFERRAL))
        return await step.prompt(_WHICH_PROMPT, prompt)

    async def _search(self, step: WaterfallStepContext, ref: ReferralRef) -> DialogTurnResult:
        user = await require_user(step.context, self.services)
        matches = await self.services.referrals.find(ref.text, user=user, limit=_MAX_CHOICES)
        if not matches:
            names = await close_names(self.services.referrals, ref.text, user=user)
            await say_with_choices(
                step.context,
                replies.not_found_text(ref.text, names),
                replies.not_found_choices(
                    ref.text, names, clean_answer(step.context.activity.text)
                ),
                summary=f"No referral matches {ref.text}",
            )
            note = replies.coverage_note(coverage_of(self.services.referrals, user=user))
            if note is not None:
                await say(step.context, note)
            return await step.end_dialog(None)
        if len(matches) == 1:
            return await self._load_and_end(step, matches[0].id)
        return await self._offer(step, matches[:_MAX_CHOICES])

    async def _offer(
        self, step: WaterfallStepContext, matches: Sequence[Referral]
    ) -> DialogTurnResult:
        step.values["mode"] = "pick"
        step.values["offered"] = [match.id for match in matches]
        card = render_pick_list_card(matches, prompt=replies.pick_prompt(len(matches)))
        prompt = PromptOptions(
            prompt=card_activity(card),
            retry_prompt=text_activity(replies.PICK_RETRY),
            validations=step.values["offered"],
        )
        return await step.prompt(_PICK_PROMPT, prompt)

    async def _answer_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        if step.values.get("mode") == "which":
            return await self._which_answered(step)
        chosen = pick_from(list(step.values["offered"]), clean_answer(step.result))
        if chosen is None:
            await say(step.context, replies.PICK_GAVE_UP)
            return await step.end_dialog(None)
        return await self._load_and_end(step, chosen)

    async def _which_answered(self, step: WaterfallStepContext) -> DialogTurnResult:
        ref = understand_reference(step.context.activity, self.services.clock)
        if ref is None or (not ref.text and ref.kind != RefKind.LAST):
            await say(step.context, replies.STILL_WHICH_REFERRAL)
            return await step.end_dialog(None)
        return await step.replace_dialog(self.initial_dialog_id, ResolveOptions(ref, asked=True))

    async def _load_and_end(self, step: WaterfallStepContext, referral_id: str) -> DialogTurnResult:
        loaded = await load_by_id(step.context, self.services, self._memory, referral_id)
        return await step.end_dialog(loaded)


async def load_by_id(
    context: TurnContext, services: DialogServices, memory: SellerMemory, referral_id: str
) -> Versioned[Referral] | None:
    """Load the referral; an unknown id is said (None). A loaded one becomes "it"."""
    user = await require_user(context, services)
    try:
        loaded = await services.referrals.get(referral_id, user=user)
    except ReferralNotFoundError:
        await say(context, replies.not_found_id(referral_id))
        return None
    await memory.remember_referral(context, loaded.value.id)
    return loaded
