"""Shared phrase macros for the rule tables: write "<set> [the] <value>" instead of long choices."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TypeVar

from dialogs.grammar.engine.patterns import Pattern, compile_pattern

MACROS: Mapping[str, str] = {
    "set": "(set|change|update|make|put|adjust|correct|fix|bump|raise|lower|increase|decrease|"
    "reduce|edit|enter|record|mark)",
    "value": "(deal value|value|deal size|deal amount|amount|size|worth|revenue|estimated value|"
    "deal value amount|final value|final deal value|final amount|total value|contract value)",
    "to": "(to|=|:|at|as|is|now|should be|will be)",
    "of": "(of|for|on|in)",
    "cd": "(close date|closing date|closedate|close-date|expected close date|expected close|"
    "expected closing date|estimated close date|target close date|close|closing|end date|"
    "due date|closing day)",
    "move": "(push|move|change|set|update|shift|slip|slide|delay|postpone|pull|bring|adjust|"
    "make|put|edit|extend|reschedule)",
    "dateto": "(to|=|:|until|till|out to|back to|in to|into|forward to|ahead to|out|back|"
    "forward|in|on|by|for)",
    "closes": "(closes|will close|should close|is closing|closing|to close|now closes|"
    "is expected to close|expected to close|is going to close|is due|due)",
    "sep": "(, | - | -- | : | ; | because [of] | since | due to | reason [:] | with reason [:] | "
    "reason being | reason is)",
    "stage": "(stage|sales stage|phase|sales phase|pipeline stage)",
    "note": "(note|notes|comment|comments|memo|remark)",
    "crm": "(crm id|crm|crm number|crm ref|crm reference|crm-id|crmid|external id|"
    "external reference|external reference id|external ref|reference id|crm record)",
    "name": "(deal name|name|title|deal title|opportunity name|referral name)",
    "colon": "[(: | - | , | --)]",
    "team": "(team|deal team|referral team|team members|members|the team)",
}
_MACRO = re.compile(r"<(\w+)>")
T = TypeVar("T")


def expand(template: str) -> str:
    return _MACRO.sub(lambda found: MACROS[found.group(1)], template)


def compile_all(templates: tuple[str, ...]) -> tuple[Pattern, ...]:
    return tuple(compile_pattern(expand(template)) for template in templates)


def rules(templates: tuple[str, ...], build: T) -> tuple[tuple[Pattern, T], ...]:
    """A rule table's rows: each template compiled, with what a match of it builds."""
    return tuple((pattern, build) for pattern in compile_all(templates))
