"""Adaptive Cards (v1.5) built from data: pure functions returning dicts, validated in tests."""
