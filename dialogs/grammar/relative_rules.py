"""Issue 16, section 3: changes relative to the current referral, as phrasing tables.

"slip 4711 by two weeks", "pull Woodgrove in a month", "raise 555 by 20k", "cut it by 15%",
"move 555 to the next stage", "advance Woodgrove". The direction is in the words around the
amount, so each direction has its own slot (`later`/`earlier`, `raise_by`/`cut_by`,
`stage_dir`, `ref_up`/`ref_down` for a verb alone); the planner resolves the result against the
referral as it is now (bot/domain/relative_changes.py).

Decisions:
- "back" and "out" move a close date later ("push it back a week"); "in", "forward", "up",
  "earlier" move it earlier ("bring Contoso forward by 3 days"). "move/shift it by a week"
  without a direction is asked about (clarify_rules.SHIFT_BY), not guessed.
- "a quarter" of time is three months ("slip it a quarter"); of money it is 25 %
  ("increase the deal by a quarter"), as are "half" (50 %) and "a tenth" (10 %).
- A raise or cut needs "by" (or "up"/"down"/"off"): "raise 555 to 20k" sets the value, and
  "raise 555 20k" is not guessed either way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

from bot.domain.intent import ChangeIntent, Money, Percent, Shift, ShiftUnit, Step, ValueDelta
from dialogs.grammar.amounts import parse_amount
from dialogs.grammar.commands import ReferralRef
from dialogs.grammar.engine.patterns import Bindings, SlotParser, Span
from dialogs.grammar.engine.problems import Problem
from dialogs.grammar.refs import parse_ref
from dialogs.grammar.relative_dates import read_duration

# Verbs and particles that say which way a close date moves.
_LATER_VERB = "(push|move|shift|bump|kick|slip|slide|roll|delay|postpone|extend|punt)"
_LATER = "(out|back|later|further out|out further|back further|further back)"
_LATER_ALONE = "(push|slip|slide|delay|postpone|defer|extend|kick|punt|roll)"
_EARLIER_VERB = "(pull|bring|move|shift|bump)"
_EARLIER = "(in|forward|earlier|up|ahead|sooner|closer)"
_EARLIER_ALONE = "(pull|expedite|accelerate|hasten)"
_CD_OF = "[the] <cd> (of|for|on|in)"
_RAISE = "(raise|increase|up|bump|boost|lift|grow|hike|uplift|inflate)"
_CUT = "(cut|reduce|lower|decrease|drop|trim|shrink|slash|discount|lessen|bring|knock)"
_VALUE = "(<value>|deal)"
_STAGE_VERB = "(move|advance|progress|push|bump|take|bring|get|promote|shift|send|step)"

SHIFTS = (
    f"{_LATER_VERB} {{ref}} [<cd>] {_LATER} [by] {{later}}",
    f"{_LATER_VERB} {{ref}} [<cd>] [by] {{later}} {_LATER}",
    f"{_LATER_ALONE} {{ref}} [<cd>] [by] {{later}}",
    f"{_LATER_VERB} {_CD_OF} {{ref}} {_LATER} [by] {{later}}",
    f"{_LATER_VERB} {_CD_OF} {{ref}} [by] {{later}} {_LATER}",
    f"{_LATER_ALONE} {_CD_OF} {{ref}} [by] {{later}}",
    f"{_LATER_VERB} [the] <cd> {_LATER} [by] {{later}} [(for|of|on) {{ref}}]",
    f"{_LATER_VERB} [the] <cd> [by] {{later}} {_LATER} [(for|of|on) {{ref}}]",
    f"{_LATER_ALONE} [the] <cd> [by] {{later}} [(for|of|on) {{ref}}]",
    "give {ref} [(another|an extra|extra|a further|further)] {later}",
    f"{_EARLIER_VERB} {{ref}} [<cd>] {_EARLIER} [by] {{earlier}}",
    f"{_EARLIER_VERB} {{ref}} [<cd>] [by] {{earlier}} {_EARLIER}",
    f"{_EARLIER_ALONE} {{ref}} [<cd>] by {{earlier}}",
    f"{_EARLIER_VERB} {_CD_OF} {{ref}} {_EARLIER} [by] {{earlier}}",
    f"{_EARLIER_VERB} {_CD_OF} {{ref}} [by] {{earlier}} {_EARLIER}",
    f"{_EARLIER_ALONE} {_CD_OF} {{ref}} by {{earlier}}",
    f"{_EARLIER_VERB} [the] <cd> {_EARLIER} [by] {{earlier}} [(for|of|on) {{ref}}]",
    f"{_EARLIER_VERB} [the] <cd> [by] {{earlier}} {_EARLIER} [(for|of|on) {{ref}}]",
)
VALUE_DELTAS = (
    f"{_RAISE} {{ref}} [{_VALUE}] [up] by {{raise_by}}",
    f"{_RAISE} {{ref}} [{_VALUE}] up {{raise_by}}",
    f"{_RAISE} [the] <value> <of> {{ref}} [up] by {{raise_by}}",
    f"{_RAISE} [the] <value> <of> {{ref}} up {{raise_by}}",
    f"{_RAISE} [the] <value> [up] by {{raise_by}} [(for|of|on) {{ref}}]",
    f"{_RAISE} [the] <value> up {{raise_by}} [(for|of|on) {{ref}}]",
    "add {raise_by} to [the] <value> [(of|for|on) {ref}]",
    "add {raise_by} to {ref} [<value>]",
    f"{_CUT} {{ref}} [{_VALUE}] [down] by {{cut_by}}",
    f"{_CUT} {{ref}} [{_VALUE}] down {{cut_by}}",
    f"{_CUT} [the] <value> <of> {{ref}} [down] by {{cut_by}}",
    f"{_CUT} [the] <value> <of> {{ref}} down {{cut_by}}",
    f"{_CUT} [the] <value> [down] by {{cut_by}} [(for|of|on) {{ref}}]",
    f"{_CUT} [the] <value> down {{cut_by}} [(for|of|on) {{ref}}]",
    "(knock|take|shave|cut|chop) {cut_by} off [the] [<value> <of>] {ref} [<value>]",
    "(knock|take|shave|cut|chop) {cut_by} off [the] <value>",
    "{ref} <colon> [deal] <value> (up|+) [by] {raise_by}",
    "{ref} <colon> [deal] <value> (down|-) [by] {cut_by}",
)
STAGE_STEPS = (
    f"{_STAGE_VERB} {{ref}} [back] (to|into|onto|on to|up to|forward to|back to) [the] "
    "{stage_dir} <stage>",
    f"{_STAGE_VERB} {{ref}} {{stage_dir}} [(a|one)] <stage>",
    f"{_STAGE_VERB} [the] <stage> <of> {{ref}} (to|into) [the] {{stage_dir}} [<stage>]",
    f"[{_STAGE_VERB}] [(it|this|that)] [back] (to|into|onto|on to) [the] {{stage_dir}} <stage>",
    f"{_STAGE_VERB} [(it|this|that)] {{stage_dir}} [(a|one)] <stage>",
    "(next|following) <stage> (for|of|on) {ref_up}",
    "(previous|prior|last) <stage> (for|of|on) {ref_down}",
    "(advance|progress|promote) {ref_up} [(a|one) <stage>]",
    "(demote|regress) {ref_down} [(a|one) <stage>]",
)
# Tried before the absolute tables, which would read "pull Woodgrove in a month" and "123
# closes two weeks later" as dates counted from today; the rest after them, so absolute
# phrasings ("push 123 to Friday") pay nothing for these.
RELATIVE_FIRST = (
    "(pull|bring) {ref} [<cd>] in [by] {earlier}",
    "(pull|bring) [the] <cd> (of|for|on) {ref} in [by] {earlier}",
    "(pull|bring) [the] <cd> in [by] {earlier} [(for|of|on) {ref}]",
    # "123 closes two weeks later": later than planned, not two weeks from today
    # (few words after {ref}: a slot first is tried on every message up to the next word)
    "{ref} (closes|will close|should close|now closes|is closing|is now closing) {later} later",
    "{ref} (closes|will close|should close|now closes|is closing|is now closing) {earlier} "
    "(earlier|sooner)",
)
RELATIVE = SHIFTS + VALUE_DELTAS + STAGE_STEPS

_UNITS: Mapping[str, ShiftUnit] = {unit.value: unit for unit in ShiftUnit}
_MORE = frozenset({"more", "extra", "additional", "further"})
_PERCENT = re.compile(r"(\d+(?:[.,]\d{1,2})?)\s*(?:%|percent|per cent|pct)")
_FRACTIONS: Mapping[str, Decimal] = {
    "a quarter": Decimal(25), "one quarter": Decimal(25), "quarter": Decimal(25),
    "half": Decimal(50), "a half": Decimal(50), "one half": Decimal(50),
    "a tenth": Decimal(10), "one tenth": Decimal(10),
}  # fmt: skip
_STAGE_DIRECTIONS: Mapping[str, Step] = {
    "next": 1, "following": 1, "subsequent": 1, "up": 1, "forward": 1, "on": 1, "ahead": 1,
    "previous": -1, "prior": -1, "last": -1, "preceding": -1, "earlier": -1, "back": -1,
    "down": -1,
}  # fmt: skip
MAX_PERCENT = Decimal(1000)


def _duration(span: Span) -> Shift | None:
    """ "two weeks", "10 days", "a month", "a fortnight", "a quarter", "2 more weeks"."""
    words = [token.folded for token in span.tokens if token.folded not in _MORE]
    if words[:1] == ["another"]:
        words = ["a", *words[1:]]
    if words in (["a", "fortnight"], ["one", "fortnight"], ["fortnight"]):
        return Shift(2, ShiftUnit.WEEKS)
    if words and words[-1] in ("quarter", "quarters"):
        words = [*words[:-1], "months"]
        found = read_duration(words)
        return None if found is None else Shift(found[0] * 3, ShiftUnit.MONTHS)
    found = read_duration(words)
    if found is None or found[0] <= 0:
        return None
    return Shift(found[0], _UNITS[found[1]])


def _by(span: Span) -> Money | Percent | Problem | None:
    """An amount ("20k", "$5,000") or a share of the current value ("15%", "a quarter")."""
    text = " ".join(span.text.split()).casefold().rstrip(".!?,;:")
    fraction = _FRACTIONS.get(text)
    if fraction is not None:
        return Percent(fraction)
    percent = _PERCENT.fullmatch(text)
    if percent is not None:
        try:
            value = Decimal(percent.group(1).replace(",", "."))
        except InvalidOperation:
            return None
        if not 0 < value <= MAX_PERCENT:
            return Problem("A percentage has to be above 0 and at most 1000%.")
        return Percent(value)
    if not any(ch.isdecimal() for ch in text):
        return None
    return parse_amount(span.text)


RELATIVE_SLOTS: Mapping[str, SlotParser] = MappingProxyType(
    {
        "later": SlotParser(_duration, 4, objects=False),
        "earlier": SlotParser(_duration, 4, objects=False),
        "raise_by": SlotParser(_by, max_tokens=5),
        "cut_by": SlotParser(_by, max_tokens=5),
        "stage_dir": SlotParser(
            lambda span: (
                _STAGE_DIRECTIONS.get(span.tokens[0].folded) if len(span.tokens) == 1 else None
            ),
            1,
            objects=False,
        ),
        "ref_up": SlotParser(lambda span: parse_ref(span.text.rstrip(".!?,;: ")), 12, False),
        "ref_down": SlotParser(lambda span: parse_ref(span.text.rstrip(".!?,;: ")), 12, False),
    }
)


def relative_ref(bindings: Bindings) -> ReferralRef | None:
    """The referral of a verb-alone stage step ("advance Woodgrove")."""
    return bindings.maybe("ref_up", ReferralRef) or bindings.maybe("ref_down", ReferralRef)


def with_relative(intent: ChangeIntent, bindings: Bindings) -> ChangeIntent:
    """The intent with the relative fields a relative phrasing binds (unchanged for others)."""
    if bindings.values.keys().isdisjoint(RELATIVE_SLOTS):
        return intent
    return replace(
        intent,
        close_date_shift=_shift(bindings),
        deal_value_delta=_delta(bindings),
        stage_step=_step(bindings),
    )


def _shift(bindings: Bindings) -> Shift | None:
    later, earlier = bindings.maybe("later", Shift), bindings.maybe("earlier", Shift)
    if later is not None:
        return later
    return None if earlier is None else Shift(-earlier.count, earlier.unit)


def _delta(bindings: Bindings) -> ValueDelta | None:
    for name, sign in (("raise_by", 1), ("cut_by", -1)):
        by = bindings.values.get(name)
        if isinstance(by, Money | Percent):
            return ValueDelta(by, 1 if sign > 0 else -1)
    return None


def _step(bindings: Bindings) -> Step | None:
    if "ref_up" in bindings.values:
        return 1
    if "ref_down" in bindings.values:
        return -1
    direction = bindings.values.get("stage_dir")
    return 1 if direction == 1 else -1 if direction == -1 else None
