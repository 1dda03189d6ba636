"""Questions about one referral (issue 16 §1): "is 4711 still open?", "what's Contoso worth?".

A question is read before any change, so "did we win 123?" asks and never marks 123 won; the
answer is a sentence plus the referral card, and nothing is ever proposed. `QUESTION_RULES`
start with a question word and are tried first; `LATE_QUESTION_RULES` start with the referral
or a field ("value of 123", "4711 still open") and are tried after the changes, so
"value of Contoso 150k" stays a change.
"""

from __future__ import annotations

from dialogs.grammar.commands import AskAboutReferral, Asked, Command, ReferralRef, RefKind, Topic
from dialogs.grammar.engine.patterns import Bindings, Pattern
from dialogs.grammar.read_rules import Build
from dialogs.grammar.templates import rules

_WHAT = "(what's|whats|what is|what was|what are|what're)"
_ASK = "[(do you know|do we know|can you tell me|could you tell me|tell me|any idea|remind me)]"
_WHO = "(who's|whos|who is|who are|who)"
_TODAY = "[(now|currently|right now|at the moment|today|at this point|again)]"

OVERVIEW = (
    "tell me [(more|everything|all)] about {ref}",
    "what (do|does) (we|you|i) (know|have) (about|on) {ref}",
    f"{_WHAT} the (story|deal|lowdown|rundown|summary|overview|situation|scoop) "
    "(with|on|for|of) {ref}",
    "give me [(a|the)] [quick] (rundown|lowdown|summary|overview|recap) (on|of|for) {ref}",
    "(summarize|summarise|recap) {ref}",
)
STATUS = (
    "(is|was) {ref} (won or lost|lost or won|open or closed|closed or open|still going or not)",
    "(is|was|are|has|have|did|does) {ref} [(still|already|now|really|actually|finally|"
    "officially|even)] [been] {state} [(yet|now|already|still|or not|by now)]",
    "(did|have|has|had) (we|i|they|you|the customer) [(already|actually|finally|ever|just|"
    "really)] {state} {ref} [(yet|already|or not)]",
    f"{_ASK} {_WHAT} [the] [(current|latest)] (status|state|situation) (of|for|on|with) {{ref}}",
    f"{_ASK} {_WHAT} {{ref}} (status|state)",
)
VALUE = (
    f"{_ASK} {_WHAT} {{ref}} [(really|actually)] {_TODAY} (worth|valued at)",
    f"{_ASK} {_WHAT} [the] [(current|total|estimated)] <value> (of|for|on|in|at) {{ref}} {_TODAY}",
    f"{_ASK} {_WHAT} {{ref}} <value> {_TODAY}",
    f"{_ASK} how (much|big|large) (is|was|'s) {{ref}} [(worth|for|valued at)] {_TODAY}",
    "how much [money] (is|was) {ref} (worth|for|valued at)",
    f"{_ASK} what {{ref}} (is|was|'s) [(really|actually)] {_TODAY} (worth|valued at)",
    "how much (money) (is in|is there in|is on) {ref}",
)
# "are we still on 123?": open or not.
STILL_ON = ("(are|were) (we|you) still (working on|on|pursuing|chasing|going after) {ref}",)
CLOSE_DATE = (
    f"{_ASK} (when|when's|whens|what date|what day|which date|which day) "
    "(is|does|will|should|do we expect|are we expecting|do you expect|do we think|can we expect|"
    "'s) {ref} [(expected|supposed|due|going|set|scheduled|forecast|forecasted|planned|likely|"
    "meant)] [to] (close|closing|land|landing|be closed|be won|sign|signing|close out)",
    f"{_ASK} (when's|whens) {{ref}} [(expected|supposed|due|going|set|scheduled|forecast|"
    "planned|likely)] [to] (close|closing|land|landing|close out)",
    "(when|when's|whens) (is|'s) {ref} due [(to close|to land)]",
    "(when|what date|what day) (will|do|are|can|should) (we|i|you) [(expect to|be able to)] "
    "(close|closing|sign|signing|land|landing|win) {ref}",
    f"{_ASK} {_WHAT} [the] <cd> (of|for|on|in) {{ref}} {_TODAY}",
    f"{_ASK} {_WHAT} {{ref}} <cd> {_TODAY}",
)
TEAM = (
    f"{_ASK} {_WHO} [(all|else)] (working on|on|in|handling|assigned to|looking after|covering|"
    "selling|running|owning|responsible for|in charge of|involved in|involved with|with) "
    "[the] [<team> (of|for|on)] {ref} [<team>]",
    f"{_ASK} {_WHO} (works on|handles|owns|has|covers|runs|sells|looks after|manages|leads) "
    "{ref}",
    f"{_ASK} {_WHO} the (owner|owners|seller|sellers|account manager|contact|contacts|people|"
    "rep|sales rep|team|team members|members) (of|for|on) {ref}",
    "who (do we have|have we got|have we) on {ref}",
    f"{_ASK} {_WHAT} [the] <team> (of|for|on|in) {{ref}}",
    f"{_ASK} {_WHAT} {{ref}} <team>",
    "(which|what) (people|sellers|colleagues|team members|members) (are|work|are working) "
    "(on|in) {ref}",
)
STAGE = (
    f"{_ASK} (what|which) <stage> (is|'s|was|are) {{ref}} [(in|at|on)] {_TODAY}",
    "(what|which) <stage> (are we|is it) (in|at|on) (with|for|on) {ref}",
    f"{_ASK} {_WHAT} [the] [(current|sales)] <stage> (of|for|on|in) {{ref}} {_TODAY}",
    f"{_ASK} {_WHAT} {{ref}} <stage> {_TODAY}",
    "how far (along|advanced|on) is {ref}",
    "where (is|'s) {ref} in the (pipeline|funnel|sales cycle|process)",
    "is {ref} (in|at) [the] {stage} [<stage>] [(yet|already|now)]",
)
NOTES = (
    "(any|are there any|are there|got any|is there a|is there any|do we have any|do we have|"
    "have we got any|anything in the) <note> (on|for|about|in|of|re|under) {ref}",
    f"{_WHAT} [in] the <note> (on|for|of|about|in) {{ref}}",
    "what (do|does) the <note> (on|for|of|in) {ref} say",
    "what (do|does) the <note> say (on|about|for|in) {ref}",
    "(show|read|give|get|pull up|open|see) [me] [(the|all|all the|any)] <note> "
    "(on|for|of|from|about|in) {ref}",
    "(has anyone|did anyone|did we|have we) (noted|written|added|left|put|logged) "
    "(anything|a note|any notes|notes) (on|about|for|to|in) {ref}",
    f"{_WHAT} [in] {{ref}} <note>",
    "(the|all the|all) <note> (on|for|of|about|in) {ref}",
)
EXPIRY = (
    "(when|when's|whens) (does|will|is|do|'s) {ref} [(going|due|set|expected|about)] [to] "
    "(expire|expiring|lapse|lapsing|run out|time out|be expired)",
    f"{_ASK} {_WHAT} [the] (expiry|expiration|expiry date|expiration date|deadline|cutoff|"
    "cut-off|acceptance deadline) (of|for|on|to accept|to respond to|to answer) {ref}",
    f"{_ASK} {_WHAT} {{ref}} (expiry|expiration|expiry date|expiration date|deadline)",
    "how (long|much time) (until|till|before) {ref} (expires|lapses|runs out|expire)",
    "how (long|much time) (do we have|have we got|is left|left|remains) (to|on|for|before) "
    "[(accept|answer|respond to|take|claim|decline)] {ref}",
    "(will|does|is) {ref} (expire|expiring) [(soon|today|tomorrow|this week)]",
)
CRM_ID = (
    f"{_ASK} {_WHAT} [the] <crm> (of|for|on|in) {{ref}}",
    f"{_ASK} {_WHAT} {{ref}} <crm>",
)
# Started by the referral or a field's noun: tried after the changes and before "show".
LATE = (
    ("{ref} still {state}", Topic.STATUS),
    ("[the] <value> (of|for|on) {ref}", Topic.VALUE),
    ("{ref} <value>", Topic.VALUE),
    ("[the] <cd> (of|for|on) {ref}", Topic.CLOSE_DATE),
    ("[the] <stage> (of|for|on) {ref}", Topic.STAGE),
    ("[the] <team> (of|for|on) {ref}", Topic.TEAM),
    ("(expiry|expiration|expiry date|expiration date) (of|for|on) {ref}", Topic.EXPIRY),
    ("{ref} (expiry|expiration|expiry date|expiration date)", Topic.EXPIRY),
)
# A bare field noun before the referral ("notes on 123?") is otherwise read as a note to add:
# for an id, a CRM id or "it" it asks; a name keeps the old reading ("note on Contoso demo
# booked" adds "demo booked").
NOTES_BY_ID = ("<note> (on|for|of|about|in) {ref}",)


def _ask(topic: Topic, asked: Asked | None = None) -> Build:
    def build(bindings: Bindings) -> Command:
        state = bindings.maybe("state", Asked) or asked
        return AskAboutReferral(bindings.take("ref", ReferralRef), topic, state)

    return build


def _notes_by_id(bindings: Bindings) -> Command | None:
    ref = bindings.take("ref", ReferralRef)
    return None if ref.kind is RefKind.NAME else AskAboutReferral(ref, Topic.NOTES)


QUESTION_RULES: tuple[tuple[Pattern, Build], ...] = (
    *rules(OVERVIEW, _ask(Topic.OVERVIEW)),
    *rules(STATUS, _ask(Topic.STATUS)),
    *rules(STILL_ON, _ask(Topic.STATUS, Asked.OPEN)),
    *rules(VALUE, _ask(Topic.VALUE)),
    *rules(CLOSE_DATE, _ask(Topic.CLOSE_DATE)),
    *rules(TEAM, _ask(Topic.TEAM)),
    *rules(STAGE, _ask(Topic.STAGE)),
    *rules(NOTES, _ask(Topic.NOTES)),
    *rules(EXPIRY, _ask(Topic.EXPIRY)),
    *rules(CRM_ID, _ask(Topic.CRM_ID)),
    *rules(NOTES_BY_ID, _notes_by_id),
)
LATE_QUESTION_RULES: tuple[tuple[Pattern, Build], ...] = tuple(
    rule for template, topic in LATE for rule in rules((template,), _ask(topic))
)
