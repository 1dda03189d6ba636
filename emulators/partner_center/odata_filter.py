"""`$filter` for referrals: a tokenizer and a recursive-descent parser compiled to a predicate.

Grammar (lowest precedence first; keywords are lower-case, as in OData):
    or_expr    := and_expr ("or" and_expr)*
    and_expr   := unary ("and" unary)*
    unary      := "not" unary | "(" or_expr ")" | comparison
    comparison := operand [("eq"|"ne"|"lt"|"le"|"gt"|"ge") operand]
    operand    := literal | function "(" operand "," operand ")" | path ["/" ("any"|"all") lambda]
    lambda     := "(" [name ":" or_expr] ")"
Literals: 'text' ('' escapes a quote), numbers, true/false/null, bare GUIDs and ISO dates.
Every failure, whatever the input, is an ODataError; nesting is bounded so input cannot exhaust
the stack. Value semantics live in `odata_model`. In strict mode (the default) the parser also
refuses, construct by construct as it meets them, everything outside the documented subset
(`odata_grammar`); lenient mode accepts the whole grammar above.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from emulators.partner_center import odata_grammar as documented
from emulators.partner_center.odata_grammar import QueryMode
from emulators.partner_center.odata_model import (
    ANY_SHAPE,
    REFERRAL_SCHEMA,
    ArrayOf,
    ODataError,
    Schema,
    child_schema,
    is_orderable_literal,
    parse_instant,
    values_equal,
    values_ordered,
)

Env = Mapping[str, Any]  # "$it" -> the referral; lambda variables -> the current element
Predicate = Callable[[Env], bool]
_ROOT = "$it"
_MAX_DEPTH = 50
_WHERE = "$filter"
_TOKEN = re.compile(
    r"""(?P<ws>\s+)
    |(?P<string>'(?:[^']|'')*')
    |(?P<guid>[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})(?![A-Za-z0-9_-])
    |(?P<date>\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})?)?)
        (?![A-Za-z0-9_.:+-])
    |(?P<number>-?\d{1,300}(?:\.\d{1,300})?(?:[eE][+-]?\d{1,4})?)(?![A-Za-z0-9_.])
    |(?P<name>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<punct>[(),:/])""",
    re.VERBOSE,
)
_COMPARISONS = frozenset({"eq", "ne", "lt", "le", "gt", "ge"})
_TEXT_FUNCTIONS: dict[str, Callable[[str, str], bool]] = {
    "contains": lambda text, part: part.casefold() in text.casefold(),
    "startswith": lambda text, part: text.casefold().startswith(part.casefold()),
    "endswith": lambda text, part: text.casefold().endswith(part.casefold()),
}
_LITERAL_NAMES: dict[str, object] = {"true": True, "false": False, "null": None}


@dataclass(frozen=True)
class Token:
    kind: str  # string | guid | date | number | name | punct | end
    text: str
    pos: int

    def describe(self) -> str:
        return "the end of the filter" if self.kind == "end" else f"'{self.text}'"


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            if text[pos] == "'":
                raise ODataError(f"Unterminated string starting at position {pos} in {_WHERE}")
            raise ODataError(f"Unexpected character {text[pos]!r} at position {pos} in {_WHERE}")
        kind = match.lastgroup
        if kind != "ws" and kind is not None:
            tokens.append(Token(kind, match.group(), pos))
        pos = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


@dataclass(frozen=True)
class _Operand:
    get: Callable[[Env], Any]
    text: str
    literal: bool = False
    value: object = None  # the literal's value
    kind: str = ""  # the literal's token kind (string, guid, ...), "name" for true/false/null
    property: bool = False  # a property path (`status`, `t/email`), not a computed value
    quantified: bool = False  # `collection/any(...)`: a condition on its own


def _constant(value: object, text: str, kind: str) -> _Operand:
    return _Operand(lambda _env: value, text, literal=True, value=value, kind=kind)


def _path_getter(base: str, segments: tuple[str, ...]) -> Callable[[Env], Any]:
    def get(env: Env) -> Any:
        value = env.get(base)
        for segment in segments:
            if not isinstance(value, Mapping):
                return None
            value = value.get(segment)
        return value

    return get


def _literal_value(token: Token) -> object:
    if token.kind == "string":
        return token.text[1:-1].replace("''", "'")
    if token.kind == "guid":
        return token.text.lower()
    if token.kind == "date":
        instant = parse_instant(token.text)
        if instant is None:
            raise ODataError(f"Invalid date {token.text} at position {token.pos} in {_WHERE}")
        return instant
    if any(mark in token.text for mark in ".eE"):
        return float(token.text)
    return int(token.text)


class _Parser:
    def __init__(self, text: str, mode: QueryMode) -> None:
        self._tokens = tokenize(text)
        self._index = 0
        self._depth = 0
        self._scopes: dict[str, Schema] = {}
        self._collections: dict[str, str] = {}  # lambda variable -> the collection it ranges over
        self._strict = mode is QueryMode.STRICT

    def parse(self) -> Predicate:
        predicate = self._or()
        self._expect_end()
        return predicate

    # -- token helpers ------------------------------------------------------------------------
    def _peek(self, offset: int = 0) -> Token:
        return self._tokens[min(self._index + offset, len(self._tokens) - 1)]

    def _next(self) -> Token:
        token = self._peek()
        self._index += 1
        return token

    def _accept(self, kind: str, text: str) -> bool:
        token = self._peek()
        if token.kind == kind and token.text == text:
            self._index += 1
            return True
        return False

    def _expect(self, kind: str, text: str | None = None) -> Token:
        token = self._next()
        if token.kind != kind or (text is not None and token.text != text):
            wanted = f"'{text}'" if text else f"a {kind}"
            raise ODataError(
                f"Expected {wanted} at position {token.pos} in {_WHERE}, found {token.describe()}"
            )
        return token

    def _expect_end(self) -> None:
        token = self._peek()
        if token.kind != "end":
            raise ODataError(f"Unexpected {token.describe()} at position {token.pos} in {_WHERE}")

    @contextmanager
    def _nested(self) -> Iterator[None]:
        self._depth += 1
        if self._depth > _MAX_DEPTH:
            raise ODataError(f"{_WHERE} nests deeper than {_MAX_DEPTH} levels")
        try:
            yield
        finally:
            self._depth -= 1

    # -- boolean structure --------------------------------------------------------------------
    def _or(self) -> Predicate:
        parts = [self._and()]
        while self._accept("name", "or"):
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else (lambda env: any(p(env) for p in parts))

    def _and(self) -> Predicate:
        parts = [self._unary()]
        while self._accept("name", "and"):
            parts.append(self._unary())
        return parts[0] if len(parts) == 1 else (lambda env: all(p(env) for p in parts))

    def _unary(self) -> Predicate:
        with self._nested():
            if self._accept("name", "not"):
                if self._strict:
                    raise documented.unsupported("'not'")
                inner = self._unary()
                return lambda env: not inner(env)
            if self._accept("punct", "("):
                grouped = self._or()
                self._expect("punct", ")")
                return grouped
            return self._comparison()

    def _comparison(self) -> Predicate:
        left = self._operand()
        token = self._peek()
        if token.kind != "name" or token.text not in _COMPARISONS:
            ends_here = token.kind == "end" or token.text in (")", "and", "or")
            if not ends_here or (left.literal and not isinstance(left.value, bool)):
                raise ODataError(
                    f"Expected eq, ne, lt, le, gt or ge at position {token.pos} in {_WHERE}, "
                    f"found {token.describe()}"
                )
            if self._strict and not left.quantified:
                raise documented.unsupported(f"A condition without eq ({left.text})")
            return lambda env: left.get(env) is True
        self._index += 1
        if self._strict:
            documented.check_operator(token.text)
        right = self._operand()
        if self._strict:
            _check_documented_comparison(left, right)
        return _compile_comparison(token.text, left, right)

    # -- operands -----------------------------------------------------------------------------
    def _operand(self) -> _Operand:
        token = self._next()
        if token.kind in ("string", "guid", "date", "number"):
            return _constant(_literal_value(token), token.text, token.kind)
        if token.kind != "name":
            raise ODataError(
                f"Expected a value or a property at position {token.pos} in {_WHERE}, "
                f"found {token.describe()}"
            )
        if token.text in _LITERAL_NAMES:
            return _constant(_LITERAL_NAMES[token.text], token.text, "name")
        if self._peek().kind == "punct" and self._peek().text == "(":
            return self._function(token)
        return self._path(token)

    def _function(self, name: Token) -> _Operand:
        if self._strict:
            raise documented.unsupported(f"{name.text}()")
        test = _TEXT_FUNCTIONS.get(name.text)
        if test is None:
            known = ", ".join(sorted(_TEXT_FUNCTIONS))
            raise ODataError(f"Unknown function '{name.text}' in {_WHERE} (supported: {known})")
        self._expect("punct", "(")
        with self._nested():
            text = self._operand()
            self._expect("punct", ",")
            part = self._operand()
        self._expect("punct", ")")
        for argument in (text, part):
            if argument.literal and not isinstance(argument.value, str):
                raise ODataError(f"{name.text}() takes text; got {argument.text} in {_WHERE}")

        def call(env: Env) -> bool:
            haystack, needle = text.get(env), part.get(env)
            return isinstance(haystack, str) and isinstance(needle, str) and test(haystack, needle)

        return _Operand(call, f"{name.text}(...)")

    def _path(self, first: Token) -> _Operand:
        if first.text in self._scopes:
            base, schema = first.text, self._scopes[first.text]
        else:
            base, schema = _ROOT, child_schema(REFERRAL_SCHEMA, first.text, first.text, _WHERE)
        segments: list[str] = [] if base != _ROOT else [first.text]
        shown = first.text
        while self._accept("punct", "/"):
            segment = self._expect("name")
            if segment.text in ("any", "all") and self._peek().text == "(":
                getter = _path_getter(base, tuple(segments))
                return self._lambda(segment.text, getter, schema, shown)
            shown = f"{shown}/{segment.text}"
            schema = child_schema(schema, segment.text, shown, _WHERE)
            segments.append(segment.text)
        if isinstance(schema, ArrayOf):
            raise ODataError(f"'{shown}' is a collection: use {shown}/any(x: ...) in {_WHERE}")
        if self._strict:
            self._check_documented_path(base, segments, shown)
        return _Operand(_path_getter(base, tuple(segments)), shown, property=True)

    def _check_documented_path(self, base: str, segments: list[str], shown: str) -> None:
        if base == _ROOT:
            documented.check_field(shown)
        else:
            documented.check_lambda_member(self._collections[base], "/".join(segments), shown)

    def _lambda(
        self, kind: str, items: Callable[[Env], Any], schema: Schema, shown: str
    ) -> _Operand:
        if not isinstance(schema, ArrayOf) and schema is not ANY_SHAPE:
            raise ODataError(f"'{shown}' is not a collection, so it has no {kind}() in {_WHERE}")
        if self._strict:
            empty = self._peek(1).kind == "punct" and self._peek(1).text == ")"
            documented.check_lambda(shown, kind, empty=empty)
        self._expect("punct", "(")
        if kind == "any" and self._accept("punct", ")"):
            return _Operand(lambda env: bool(_elements(items(env))), f"{shown}/any()")
        variable = self._expect("name").text
        if variable in _LITERAL_NAMES or variable in _COMPARISONS:
            raise ODataError(f"'{variable}' cannot name a lambda variable in {_WHERE}")
        self._expect("punct", ":")
        element = schema.item if isinstance(schema, ArrayOf) else ANY_SHAPE
        outer, outer_collections = self._scopes, self._collections
        self._scopes = {**outer, variable: element}
        self._collections = {**outer_collections, variable: shown}
        try:
            with self._nested():
                body = self._or()
        finally:
            self._scopes, self._collections = outer, outer_collections
        self._expect("punct", ")")
        quantifier = any if kind == "any" else all

        def test(env: Env) -> bool:
            found = items(env)
            if not isinstance(found, list):
                return False
            return quantifier(body({**env, variable: element}) for element in found)

        return _Operand(test, f"{shown}/{kind}(...)", quantified=True)


def _elements(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _check_documented_comparison(left: _Operand, right: _Operand) -> None:
    """Strict: `property eq 'value'`, the only comparison shape the documentation shows."""
    if not left.property:
        raise documented.unsupported(f"{left.text} on the left of eq (write property eq value)")
    if not right.literal:
        raise documented.unsupported(f"Comparing {left.text} with {right.text}")
    documented.check_value(left.text, right.kind, right.text)


def _compile_comparison(op: str, left: _Operand, right: _Operand) -> Predicate:
    if op in ("eq", "ne"):
        wanted = op == "eq"
        return lambda env: values_equal(left.get(env), right.get(env)) is wanted
    for side in (left, right):
        if side.literal and not is_orderable_literal(side.value):
            raise ODataError(f"'{op}' compares numbers and dates; {side.text} is neither")
    return lambda env: values_ordered(op, left.get(env), right.get(env))


def parse_filter(
    text: str, mode: QueryMode = QueryMode.STRICT
) -> Callable[[Mapping[str, Any]], bool]:
    """Compile `$filter` text into a predicate over one referral; ODataError when invalid or,
    in strict mode, outside the documented subset."""
    if not text.strip():
        raise ODataError(f"{_WHERE} is empty")
    try:
        predicate = _Parser(text, mode).parse()
    except RecursionError as exc:  # belt and braces: _MAX_DEPTH should keep us far from it
        raise ODataError(f"{_WHERE} is too deeply nested") from exc
    return lambda item: predicate({_ROOT: item})
