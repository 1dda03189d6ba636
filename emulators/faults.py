"""Fault rules the test controls inject: what a test asked for, validated, and how many are left.

A rule matches a request by method (or `*`) and a glob over the path (`fnmatch`: `*` also
crosses `/`). The first rule that matches, in the order they were added, applies to a request;
each application uses up one of its `times` (-1 = until cleared).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

_UNLIMITED = -1


class FaultError(ValueError):
    """The fault rule a test posted is not one the emulator can apply (answered with 400)."""


def _seconds(low: float, high: float) -> Callable[[str, object], float]:
    def check(name: str, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FaultError(f"'{name}' must be a number of seconds")
        if not math.isfinite(value) or not low <= value <= high:
            raise FaultError(f"'{name}' must be between {low:g} and {high:g} seconds")
        return float(value)

    return check


def _integer(low: int, high: int) -> Callable[[str, object], int]:
    def check(name: str, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise FaultError(f"'{name}' must be an integer from {low} to {high}")
        return value

    return check


_Check = Callable[[str, object], Any]
_REQUIRED = object()
# kind -> parameter -> (check, default); _REQUIRED marks a parameter without default, None = absent.
_KINDS: dict[str, dict[str, tuple[_Check, object]]] = {
    "latency": {"seconds": (_seconds(0, 600), _REQUIRED)},
    "hang": {"seconds": (_seconds(0, 3600), 600.0)},
    "throttle": {"retry_after": (_integer(0, 3600), 2)},
    "error": {"status": (_integer(500, 599), 503), "retry_after": (_integer(0, 3600), None)},
    "drop_after_write": {},
    "bump_etag": {},
    "ignore_prefer": {},
}
FAULT_KINDS = frozenset(_KINDS)
_RULE_KEYS = frozenset({"method", "path", "kind", "times"})


@dataclass
class Fault:
    id: str
    kind: str
    method: str = "*"
    path: str = "*"
    remaining: int = 1
    params: dict[str, Any] = field(default_factory=dict)

    def matches(self, method: str, path: str) -> bool:
        return self.method in ("*", method.upper()) and fnmatchcase(path, self.path)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "method": self.method,
            "path": self.path,
            "times": self.remaining,
            **self.params,
        }


def parse_fault(raw: object, *, fault_id: str, kinds: frozenset[str] = FAULT_KINDS) -> Fault:
    """Validate a posted rule; `kinds` narrows what this app can do (e.g. no bump_etag hook)."""
    if not isinstance(raw, Mapping):
        raise FaultError("the fault must be a JSON object")
    kind = raw.get("kind")
    if kind not in FAULT_KINDS:
        raise FaultError(f"'kind' must be one of {', '.join(sorted(FAULT_KINDS))}; got {kind!r}")
    if kind not in kinds:
        raise FaultError(f"this emulator cannot apply '{kind}' faults")
    method, path = raw.get("method", "*"), raw.get("path", "*")
    if not isinstance(method, str) or not method.strip():
        raise FaultError("'method' must be an HTTP method or '*'")
    if not isinstance(path, str) or not path.startswith(("/", "*")):
        raise FaultError("'path' must be a glob starting with '/' or '*'")
    times = raw.get("times", 1)
    if isinstance(times, bool) or not isinstance(times, int) or (times < 1 and times != -1):
        raise FaultError("'times' must be a positive integer, or -1 for 'until cleared'")
    params = _parse_params(kind, {k: v for k, v in raw.items() if k not in _RULE_KEYS})
    return Fault(fault_id, kind, method.strip().upper(), path, times, params)


def _parse_params(kind: str, given: Mapping[str, object]) -> dict[str, Any]:
    allowed = _KINDS[kind]
    unknown = sorted(set(given) - set(allowed))
    if unknown:
        accepted = ", ".join(sorted(allowed)) or "none"
        raise FaultError(f"unknown parameter(s) {unknown} for '{kind}' (accepted: {accepted})")
    params: dict[str, Any] = {}
    for name, (check, default) in allowed.items():
        if name in given:
            params[name] = check(name, given[name])
        elif default is _REQUIRED:
            raise FaultError(f"'{kind}' needs '{name}'")
        elif default is not None:
            params[name] = default
    return params


class FaultBook:
    """The active rules of one emulator app."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        self._faults.append(fault)

    def all(self) -> list[Fault]:
        return list(self._faults)

    def clear(self) -> None:
        self._faults.clear()

    def remove(self, fault_id: str) -> bool:
        kept = [fault for fault in self._faults if fault.id != fault_id]
        removed = len(kept) != len(self._faults)
        self._faults = kept
        return removed

    def take(self, method: str, path: str) -> Fault | None:
        """The first matching rule, with one use consumed (spent rules are dropped)."""
        for fault in self._faults:
            if fault.matches(method, path):
                if fault.remaining != _UNLIMITED:
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                return fault
        return None
